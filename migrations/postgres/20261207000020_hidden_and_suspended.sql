-- A profile the moderators hid: unpublished, and its owner may not publish it again until a
-- moderator restores the account.
ALTER TABLE artists ADD COLUMN hidden_at BIGINT;
-- A suspended account: it cannot sign in, its sessions were ended and its profile hidden;
-- the other side of its conversations reads "Compte suspendu".
ALTER TABLE users ADD COLUMN suspended_at BIGINT;
