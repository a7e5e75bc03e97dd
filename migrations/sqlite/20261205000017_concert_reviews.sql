-- Reviews after a concert that took place: each side of an accepted concert whose date has
-- passed may review the other once (editable for 14 days), and the reviewed person may answer
-- once, publicly. An artist's reviews are public; a host's are seen where the host's profile
-- is (the host, and the artists in a conversation with them).
CREATE TABLE concert_reviews (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    concert_id BIGINT NOT NULL REFERENCES concert_requests(id) ON DELETE CASCADE,
    author_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    subject_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    -- 1 to 5 stars.
    rating BIGINT NOT NULL,
    body TEXT NOT NULL,
    answer TEXT,
    answered_at BIGINT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    UNIQUE (concert_id, author_id)
);
CREATE INDEX concert_reviews_by_subject ON concert_reviews(subject_id, created_at);
