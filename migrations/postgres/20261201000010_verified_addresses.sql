-- A new account proves its address before it can publish, write or receive e-mails: until
-- then `email_verified_at` is NULL. Accounts made before this step had no way to prove it,
-- and their address already received their e-mails: they count as verified.
ALTER TABLE users ADD COLUMN email_verified_at BIGINT;
UPDATE users SET email_verified_at = created_at;

-- The links sent to prove an address: only the SHA-256 of the token is kept; single use,
-- seven days (the time an unconfirmed account is kept).
CREATE TABLE address_confirmations (
    token_hash TEXT PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    expires_at BIGINT NOT NULL,
    used_at BIGINT
);
CREATE INDEX address_confirmations_by_user ON address_confirmations(user_id);
CREATE INDEX users_unverified ON users(email_verified_at, created_at);
