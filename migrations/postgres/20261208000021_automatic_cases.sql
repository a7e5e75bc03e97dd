-- A case the site opens on its own (an automatic flag) has no reporter: `reporter_id` becomes
-- optional, and `automatic` says what opened it ("Même message envoyé à 5 artistes…").
ALTER TABLE moderation_cases ALTER COLUMN reporter_id DROP NOT NULL;
ALTER TABLE moderation_cases ADD COLUMN automatic TEXT;
-- At most one open automatic case per account: the flags look for it.
CREATE INDEX moderation_cases_flagged ON moderation_cases(reported_id)
    WHERE reporter_id IS NULL AND closed_at IS NULL;
