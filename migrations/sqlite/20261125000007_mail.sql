-- Messages by e-mail, on request: each user's choice, and an outbox written in the same
-- transaction as the message it tells about, so that no e-mail is ever lost.

-- NULL: the account's own address.
ALTER TABLE users ADD COLUMN notify_email TEXT;
ALTER TABLE users ADD COLUMN email_notifications INTEGER NOT NULL DEFAULT 0;

CREATE TABLE outbox (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    -- The message this e-mail tells about (kind 'message'): written when it leaves, so that
    -- several messages of a conversation go together and read ones are left out.
    message_id BIGINT REFERENCES messages(id) ON DELETE CASCADE,
    -- Kind 'account' (password reset): written when queued, since it holds a one-time link.
    kind TEXT NOT NULL CHECK (kind IN ('message', 'account')),
    to_address TEXT,
    subject TEXT,
    text_body TEXT,
    html_body TEXT,
    -- 'skipped': read on the site before it was due, or the user turned e-mails off.
    status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'skipped')),
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at BIGINT NOT NULL,
    last_error TEXT,
    created_at BIGINT NOT NULL,
    sent_at BIGINT
);
CREATE INDEX outbox_due ON outbox(status, next_attempt_at);

-- Password reset links: only the SHA-256 of the token is kept; single use, one hour.
CREATE TABLE password_resets (
    token_hash TEXT PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    expires_at BIGINT NOT NULL,
    used_at BIGINT
);
CREATE INDEX password_resets_by_user ON password_resets(user_id);

-- Keys the server signs with (unsubscribe links), created once and shared by every instance.
CREATE TABLE app_secrets (
    name TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- A new address (of the account, or for messages) waits here until its owner opens the link
-- sent to it: only the SHA-256 of the token is kept; single use, one day.
CREATE TABLE email_changes (
    token_hash TEXT PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    target TEXT NOT NULL CHECK (target IN ('account', 'notify')),
    new_email TEXT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at BIGINT
);
CREATE INDEX email_changes_by_user ON email_changes(user_id);
