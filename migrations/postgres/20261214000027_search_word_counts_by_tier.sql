-- How many of each word's artists have it among their music types (weight A), and among
-- their music types or stage name (A or B): the first two tiers of a search's ranking.
--
-- Why (issue 17, 100,000 artists): a word found in more than 1,000 artists' texts but in no
-- music type ("concert", in every offer's title) made a page walk the whole listing position
-- index for each tier it could not fill, testing every row: 146 ms per tier measured in psql.
-- With these counts a search knows a tier no artist can reach and does not read it.
ALTER TABLE artist_search_words
    ADD COLUMN in_music_types BIGINT NOT NULL DEFAULT 0,
    ADD COLUMN in_types_or_name BIGINT NOT NULL DEFAULT 0;

-- The (scope, word) pairs of an index entry, as before, each with whether the word is among
-- the music types (1 or 0) and among the music types or the stage name.
DROP FUNCTION artist_search_scoped_words(TSVECTOR);
CREATE FUNCTION artist_search_scoped_words(document TSVECTOR)
RETURNS TABLE (scope TEXT, word TEXT, in_music_types INT, in_types_or_name INT)
LANGUAGE sql IMMUTABLE AS $$
    SELECT scopes.scope, words.lexeme,
           ('A' = ANY (words.weights))::INT,
           (words.weights && ARRAY['A', 'B'])::INT
    FROM unnest(document) AS words
    CROSS JOIN (
        SELECT 'tout'
        UNION ALL
        SELECT substr(lexeme, 2) FROM unnest(tsvector_to_array(document)) AS lexemes(lexeme)
        WHERE lexeme LIKE '@%'
    ) AS scopes(scope)
    WHERE words.lexeme NOT LIKE '@%'
$$;

-- As before (saves take turns on the lock), each count moved with the artists.
CREATE OR REPLACE FUNCTION count_artist_search_words() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_advisory_xact_lock('artist_search_words'::regclass::oid::bigint);
    IF TG_OP IN ('DELETE', 'UPDATE') THEN
        UPDATE artist_search_words w
        SET artists = w.artists - 1,
            in_music_types = w.in_music_types - old_words.in_music_types,
            in_types_or_name = w.in_types_or_name - old_words.in_types_or_name
        FROM artist_search_scoped_words(OLD.document) AS old_words
        WHERE w.scope = old_words.scope AND w.word = old_words.word;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        INSERT INTO artist_search_words AS w
            (scope, word, artists, in_music_types, in_types_or_name)
        SELECT scope, word, 1, in_music_types, in_types_or_name
        FROM artist_search_scoped_words(NEW.document)
        ON CONFLICT (scope, word) DO UPDATE
        SET artists = w.artists + 1,
            in_music_types = w.in_music_types + EXCLUDED.in_music_types,
            in_types_or_name = w.in_types_or_name + EXCLUDED.in_types_or_name;
    END IF;
    RETURN NULL;
END
$$;

-- Counted again from the index, under the lock saves take.
SELECT pg_advisory_xact_lock('artist_search_words'::regclass::oid::bigint);
DELETE FROM artist_search_words;
INSERT INTO artist_search_words (scope, word, artists, in_music_types, in_types_or_name)
SELECT scoped.scope, scoped.word, COUNT(*), SUM(scoped.in_music_types),
       SUM(scoped.in_types_or_name)
FROM artist_search s CROSS JOIN LATERAL artist_search_scoped_words(s.document) scoped
GROUP BY scoped.scope, scoped.word;
