-- Messages by e-mail, on request: each user's choice, and an outbox written in the same
-- transaction as the message it tells about, so that no e-mail is ever lost.

-- NULL: the account's own address.
ALTER TABLE users ADD COLUMN notify_email TEXT;
ALTER TABLE users ADD COLUMN email_notifications INTEGER NOT NULL DEFAULT 0;

CREATE TABLE outbox (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    -- The message this e-mail tells about (kind 'message').
    message_id BIGINT REFERENCES messages(id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('message')),
    -- 'skipped': read on the site before it was due, or the user turned e-mails off.
    status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'skipped')),
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at BIGINT NOT NULL,
    last_error TEXT,
    created_at BIGINT NOT NULL,
    sent_at BIGINT
);
CREATE INDEX outbox_due ON outbox(status, next_attempt_at);

-- Keys the server signs with (unsubscribe links), created once and shared by every instance.
CREATE TABLE app_secrets (
    name TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
