-- Search over 100,000 artists in a few milliseconds (issue 17): every published artist gets
-- a listing position, larger for a more recent save, and both the listing and the full-text
-- index carry it, so a page is read in that order instead of sorting every match. NULL while
-- the profile is not published.
ALTER TABLE artists ADD COLUMN listing_position BIGINT;
CREATE UNIQUE INDEX artists_by_listing_position ON artists(listing_position);
CREATE SEQUENCE artist_listing_positions;

UPDATE artists SET listing_position = ranked.position
FROM (SELECT user_id, ROW_NUMBER() OVER (ORDER BY updated_at, user_id) AS position
      FROM artists WHERE published = 1) ranked
WHERE artists.user_id = ranked.user_id;
SELECT setval('artist_listing_positions', COALESCE(MAX(listing_position), 0) + 1, false) FROM artists;

-- Where each published artist is listed: 'tout' (the whole list) and each region it serves
-- (every region for an artist who travels all over France), newest first by the key.
CREATE TABLE artist_listing (
    scope TEXT NOT NULL,
    position BIGINT NOT NULL,
    artist_id BIGINT NOT NULL REFERENCES artists(user_id) ON DELETE CASCADE,
    PRIMARY KEY (scope, position)
);
CREATE INDEX artist_listing_by_artist ON artist_listing(artist_id);

INSERT INTO artist_listing (scope, position, artist_id)
SELECT 'tout', listing_position, user_id FROM artists WHERE listing_position IS NOT NULL;
INSERT INTO artist_listing (scope, position, artist_id)
SELECT r.region_code, a.listing_position, a.user_id FROM artists a
JOIN artist_regions r ON r.artist_id = a.user_id
WHERE a.listing_position IS NOT NULL AND a.whole_france = 0;
INSERT INTO artist_listing (scope, position, artist_id)
SELECT g.code, a.listing_position, a.user_id FROM artists a, regions g
WHERE a.listing_position IS NOT NULL AND a.whole_france = 1;

-- The full-text index gains the listing position, to take the newest matches first, and each
-- document the regions served as lexemes of their own ('@84', or '@partout' for all of
-- France; nothing typed can spell them, since typed words are folded to letters and digits),
-- so that a city narrows the match inside the GIN index. Entries of unpublished profiles go.
ALTER TABLE artist_search ADD COLUMN position BIGINT;
DELETE FROM artist_search s USING artists a
WHERE a.user_id = s.artist_id AND a.listing_position IS NULL;
UPDATE artist_search s SET
    position = a.listing_position,
    document = s.document || array_to_tsvector(CASE WHEN a.whole_france = 1
        THEN ARRAY['@partout']
        ELSE ARRAY(SELECT '@' || r.region_code FROM artist_regions r
                   WHERE r.artist_id = a.user_id) END)
FROM artists a
WHERE a.user_id = s.artist_id;
ALTER TABLE artist_search ALTER COLUMN position SET NOT NULL;
CREATE UNIQUE INDEX artist_search_by_position ON artist_search(position);

-- Replaced by the listing.
DROP INDEX artists_published;
