-- Conversations between a host and an artist, their messages, and each participant's own
-- state (archived, read up to). Every query in src/messaging/store.rs joins through
-- `conversation_members` for the user asking: that join is the access rule.
CREATE TABLE conversations (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    host_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    artist_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    -- The newest message (no foreign key: it points back into `messages`).
    last_message_id BIGINT NOT NULL DEFAULT 0,
    last_message_at BIGINT NOT NULL,
    -- One conversation per pair: writing again continues it.
    UNIQUE (host_id, artist_id)
);
CREATE INDEX conversations_by_artist ON conversations(artist_id, host_id);

CREATE TABLE conversation_members (
    conversation_id BIGINT NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    archived INTEGER NOT NULL DEFAULT 0,
    -- Messages with a larger id, sent by the other participant, are unread.
    last_read_message_id BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (user_id, conversation_id)
);
CREATE INDEX conversation_members_by_conversation ON conversation_members(conversation_id);

CREATE TABLE messages (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    conversation_id BIGINT NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
    sender_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    body TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX messages_by_conversation ON messages(conversation_id, id);
