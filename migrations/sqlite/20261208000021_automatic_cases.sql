-- A case the site opens on its own (an automatic flag) has no reporter: `reporter_id` becomes
-- optional, and `automatic` says what opened it. SQLite cannot drop a NOT NULL: the table is
-- rebuilt, and the audit log with it, since it refers to the cases (sqlx runs SQLite
-- migrations in a transaction, where foreign keys cannot be turned off). The log is copied
-- under the cases' new table before either old table goes, so no reference is ever broken;
-- renaming a table renames the references to it.
CREATE TABLE moderation_cases_rebuilt (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    subject TEXT NOT NULL CHECK (subject IN ('message', 'conversation', 'profile')),
    subject_id BIGINT NOT NULL,
    reported_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    -- NULL for a case the site opened on its own.
    reporter_id BIGINT REFERENCES users(id) ON DELETE CASCADE,
    reason TEXT NOT NULL,
    details TEXT NOT NULL,
    context TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    closed_at BIGINT,
    -- What opened an automatic case ("le même premier message envoyé à 5 artistes…").
    automatic TEXT
);
INSERT INTO moderation_cases_rebuilt
    (id, subject, subject_id, reported_id, reporter_id, reason, details, context, created_at,
     closed_at)
SELECT id, subject, subject_id, reported_id, reporter_id, reason, details, context, created_at,
       closed_at
FROM moderation_cases;

CREATE TABLE moderation_log_rebuilt (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    moderator_id BIGINT NOT NULL REFERENCES users(id),
    action TEXT NOT NULL,
    case_id BIGINT REFERENCES moderation_cases_rebuilt(id),
    account_id BIGINT REFERENCES users(id),
    reason TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
INSERT INTO moderation_log_rebuilt
    (id, moderator_id, action, case_id, account_id, reason, created_at)
SELECT id, moderator_id, action, case_id, account_id, reason, created_at FROM moderation_log;

DROP TABLE moderation_log;
DROP TABLE moderation_cases;
ALTER TABLE moderation_cases_rebuilt RENAME TO moderation_cases;
ALTER TABLE moderation_log_rebuilt RENAME TO moderation_log;

CREATE INDEX moderation_cases_open ON moderation_cases(id) WHERE closed_at IS NULL;
CREATE UNIQUE INDEX moderation_cases_once ON moderation_cases(subject, subject_id, reporter_id)
    WHERE closed_at IS NULL;
-- At most one open automatic case per account: the flags look for it.
CREATE INDEX moderation_cases_flagged ON moderation_cases(reported_id)
    WHERE reporter_id IS NULL AND closed_at IS NULL;
CREATE INDEX moderation_log_latest ON moderation_log(id);
