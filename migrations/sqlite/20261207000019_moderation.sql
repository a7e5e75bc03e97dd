-- The site's moderators: granted by the server binary's command (`concerts moderator grant
-- ADDRESS`), never through the site.
CREATE TABLE moderators (
    user_id BIGINT PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    granted_at BIGINT NOT NULL
);

-- A case for the moderators: a member's report about a message, a conversation or an
-- artist's profile. What was reported is copied into `context` (JSON) as it was then, with
-- the messages just before it: the case keeps its evidence whatever happens to the original.
CREATE TABLE moderation_cases (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    subject TEXT NOT NULL CHECK (subject IN ('message', 'conversation', 'profile')),
    -- The message's, the conversation's, or the artist's account id.
    subject_id BIGINT NOT NULL,
    -- Whose content it is (the conversation's other participant, for a conversation).
    reported_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    reporter_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    reason TEXT NOT NULL,
    details TEXT NOT NULL,
    context TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    closed_at BIGINT
);
-- The desk's queue: open cases, oldest first.
CREATE INDEX moderation_cases_open ON moderation_cases(id) WHERE closed_at IS NULL;
-- One open case per reporter and subject: reporting again adds nothing to the queue.
CREATE UNIQUE INDEX moderation_cases_once ON moderation_cases(subject, subject_id, reporter_id)
    WHERE closed_at IS NULL;

-- Everything a moderator did, and every time one opened a host's details: who, when, what,
-- why. Never updated nor deleted by the site.
CREATE TABLE moderation_log (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    moderator_id BIGINT NOT NULL REFERENCES users(id),
    action TEXT NOT NULL,
    case_id BIGINT REFERENCES moderation_cases(id),
    account_id BIGINT REFERENCES users(id),
    reason TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX moderation_log_latest ON moderation_log(id);
