-- A member who blocked another: neither writes to the other any more, their conversation
-- leaves both inboxes' current view, and an artist who blocked a host no longer sees the
-- host's profile. Only the blocker's side lists it (the blocked person is never told).
CREATE TABLE blocks (
    blocker_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    blocked_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (blocker_id, blocked_id)
);
CREATE INDEX blocks_by_blocked ON blocks(blocked_id, blocker_id);
