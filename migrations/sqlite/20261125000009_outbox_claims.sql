-- Several app servers may send the outbox: a worker claims the e-mails it is about to send
-- (a random `claim`, valid until `claimed_until`), so that no other worker sends them too.
-- A claim left by a server that stopped mid-send expires, and the e-mail is tried again.
ALTER TABLE outbox ADD COLUMN claim TEXT;
ALTER TABLE outbox ADD COLUMN claimed_until BIGINT;
CREATE INDEX outbox_by_claim ON outbox(claim);
