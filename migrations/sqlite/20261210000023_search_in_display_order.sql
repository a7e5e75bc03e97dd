-- Search over 100,000 artists in a few milliseconds (issue 17): every published artist gets
-- a listing position, larger for a more recent save, and both the listing and the full-text
-- index are kept in that order, so a page is read from an index instead of sorting every
-- match. NULL while the profile is not published.
ALTER TABLE artists ADD COLUMN listing_position BIGINT;
CREATE UNIQUE INDEX artists_by_listing_position ON artists(listing_position);

UPDATE artists SET listing_position = ranked.position
FROM (SELECT user_id, ROW_NUMBER() OVER (ORDER BY updated_at, user_id) AS position
      FROM artists WHERE published = 1) ranked
WHERE artists.user_id = ranked.user_id;

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

-- The full-text index again, its rowid now the listing position (FTS5 walks matches in rowid
-- order and stops at the page), with the regions served as words of a column of their own
-- ('r84', or 'partout' for all of France) so that a city narrows the match inside the index.
-- Prefix indexes make the two- and three-letter prefixes typed first cheap.
CREATE VIRTUAL TABLE artist_search_in_order USING fts5(
    music_types,
    stage_name,
    body,
    scopes,
    tokenize = 'unicode61 remove_diacritics 2',
    prefix = '2 3'
);
INSERT INTO artist_search_in_order (rowid, music_types, stage_name, body, scopes)
SELECT a.listing_position, s.music_types, s.stage_name, s.body,
       CASE WHEN a.whole_france = 1 THEN 'partout'
            ELSE COALESCE((SELECT group_concat('r' || r.region_code, ' ') FROM artist_regions r
                           WHERE r.artist_id = a.user_id), '') END
FROM artist_search s JOIN artists a ON a.user_id = s.rowid
WHERE a.listing_position IS NOT NULL;
DROP TABLE artist_search;
ALTER TABLE artist_search_in_order RENAME TO artist_search;

-- Replaced by the listing.
DROP INDEX artists_published;
