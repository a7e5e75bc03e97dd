-- A profile that stops being published, however (its owner's draft, the moderators hiding
-- it), leaves the listing and the full-text index at once, so that searches need not look
-- the artist up to know whether to show it.
DELETE FROM artist_search WHERE rowid IN
    (SELECT listing_position FROM artists WHERE published = 0 AND listing_position IS NOT NULL);
DELETE FROM artist_listing WHERE artist_id IN (SELECT user_id FROM artists WHERE published = 0);
UPDATE artists SET listing_position = NULL WHERE published = 0;

CREATE TRIGGER artists_unlisted_when_unpublished AFTER UPDATE OF published ON artists
WHEN NEW.published = 0 AND OLD.listing_position IS NOT NULL
BEGIN
    DELETE FROM artist_search WHERE rowid = OLD.listing_position;
    DELETE FROM artist_listing WHERE artist_id = OLD.user_id;
    UPDATE artists SET listing_position = NULL WHERE user_id = OLD.user_id;
END;
