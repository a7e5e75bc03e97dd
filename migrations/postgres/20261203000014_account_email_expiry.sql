-- An account e-mail is worth sending only while its link works (`mail::store::enqueue_account`):
-- past this instant it is given up, its body (the one-time link) emptied, never retried.
ALTER TABLE outbox ADD COLUMN expires_at BIGINT;
