-- A profile that stops being published, however (its owner's draft, the moderators hiding
-- it), leaves the listing and the full-text index at once, so that searches need not look
-- the artist up to know whether to show it.
DELETE FROM artist_search WHERE artist_id IN (SELECT user_id FROM artists WHERE published = 0);
DELETE FROM artist_listing WHERE artist_id IN (SELECT user_id FROM artists WHERE published = 0);
UPDATE artists SET listing_position = NULL WHERE published = 0;

CREATE FUNCTION unlist_unpublished_artist() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM artist_search WHERE artist_id = NEW.user_id;
    DELETE FROM artist_listing WHERE artist_id = NEW.user_id;
    NEW.listing_position := NULL;
    RETURN NEW;
END
$$;

CREATE TRIGGER artists_unlisted_when_unpublished BEFORE UPDATE OF published ON artists
FOR EACH ROW WHEN (NEW.published = 0 AND OLD.listing_position IS NOT NULL)
EXECUTE FUNCTION unlist_unpublished_artist();
