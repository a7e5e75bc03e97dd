-- How many listed artists each indexed word has, in each scope: 'tout' (every published
-- artist), a region code (artists who play there), 'partout' (artists who play all over
-- France, listed under no region code here, so a region's artists are its own rows plus
-- 'partout''s, never counted twice). Kept by triggers on the full-text index.
--
-- Why (issue 17, 100,000 artists): GIN reads a prefix query ('jazz':*) by building the bitmap
-- of every match of every word so begun, then checking up to 1,001 rows for the count:
-- 2 to 4 ms for a common word. With this table, a search first turns each typed prefix into
-- the indexed words it begins (one range of this key each), and
--   - a single word typed that begins one indexed word is counted here, exactly;
--   - one whose most common word has more than 1,000 artists is "more than 1,000" at once;
--   - a word that begins none finds nobody, without asking the index;
--   - otherwise the full-text query names those exact words, which GIN intersects while
--     skipping through their posting lists instead of building bitmaps (3 to 5 times
--     faster for two words or a word and a region, measured in psql).
-- The collation "C" orders words by their bytes, so that a prefix is one range of the key.
CREATE TABLE artist_search_words (
    scope TEXT NOT NULL,
    word TEXT COLLATE "C" NOT NULL,
    artists BIGINT NOT NULL,
    PRIMARY KEY (scope, word)
);

-- The (scope, word) pairs of an index entry: its words (every lexeme but the regions'
-- '@84', '@partout') under 'tout' and under each scope the entry names.
CREATE FUNCTION artist_search_scoped_words(document TSVECTOR)
RETURNS TABLE (scope TEXT, word TEXT) LANGUAGE sql IMMUTABLE AS $$
    SELECT scopes.scope, words.word
    FROM unnest(tsvector_to_array(document)) AS words(word)
    CROSS JOIN (
        SELECT 'tout'
        UNION ALL
        SELECT substr(lexeme, 2) FROM unnest(tsvector_to_array(document)) AS lexemes(lexeme)
        WHERE lexeme LIKE '@%'
    ) AS scopes(scope)
    WHERE words.word NOT LIKE '@%'
$$;

-- Saves that change counts take turns (a lock named by this table, held to their commit):
-- a save takes out its old entry then adds the new one, and two saves at once, each holding
-- some words' rows from its first half and wanting the other's in its second, would
-- deadlock. Profiles are saved seldom; searches never wait. A count that reaches 0 stays
-- (the word may come back), and searches skip it.
CREATE FUNCTION count_artist_search_words() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_advisory_xact_lock('artist_search_words'::regclass::oid::bigint);
    IF TG_OP IN ('DELETE', 'UPDATE') THEN
        INSERT INTO artist_search_words (scope, word, artists)
        SELECT scope, word, 0 FROM artist_search_scoped_words(OLD.document)
        ON CONFLICT (scope, word) DO UPDATE SET artists = artist_search_words.artists - 1;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        INSERT INTO artist_search_words (scope, word, artists)
        SELECT scope, word, 1 FROM artist_search_scoped_words(NEW.document)
        ON CONFLICT (scope, word) DO UPDATE SET artists = artist_search_words.artists + 1;
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER artist_search_words_counted
AFTER INSERT OR DELETE OR UPDATE OF document ON artist_search
FOR EACH ROW EXECUTE FUNCTION count_artist_search_words();

INSERT INTO artist_search_words (scope, word, artists)
SELECT scoped.scope, scoped.word, COUNT(*)
FROM artist_search s CROSS JOIN LATERAL artist_search_scoped_words(s.document) scoped
GROUP BY scoped.scope, scoped.word;
