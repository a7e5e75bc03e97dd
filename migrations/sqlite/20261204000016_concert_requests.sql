-- Concert requests inside a conversation: the host proposes a date, a formule, guests and a
-- fee; the other side accepts, declines or counter-proposes (a new row that replaces the
-- previous one, `replaces_id`). Every step is also a message of the conversation
-- (`messages.concert_id`), so unread counts, the inbox, live events and e-mails treat it
-- like any message. Access goes through `conversation_members`, as for messages.
CREATE TABLE concert_requests (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    conversation_id BIGINT NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
    proposed_by BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    replaces_id BIGINT REFERENCES concert_requests(id) ON DELETE SET NULL,
    -- The start, in milliseconds since the Unix epoch, and its day in Paris (YYYY-MM-DD), for
    -- "one concert that day" and the artist's "complet" dates.
    starts_at BIGINT NOT NULL,
    day TEXT NOT NULL,
    -- The artist's formule as titled when proposed; NULL for "autre".
    offer TEXT,
    guests BIGINT NOT NULL,
    fee_eur BIGINT,
    note TEXT NOT NULL,
    -- proposed | accepted | declined | countered | cancelled
    status TEXT NOT NULL,
    reason TEXT,
    -- The calendar file's SEQUENCE: incremented each time an accepted concert changes.
    sequence BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX concert_requests_by_conversation ON concert_requests(conversation_id, id);
CREATE INDEX concert_requests_by_day ON concert_requests(status, day);

-- The concert request a message records, if it is one of its steps.
ALTER TABLE messages ADD COLUMN concert_id BIGINT;
