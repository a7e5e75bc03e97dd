-- French regions and communes (INSEE codes), loaded by the next migration.
CREATE TABLE regions (
    code TEXT PRIMARY KEY,
    name TEXT NOT NULL
);

CREATE TABLE communes (
    code TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    -- Lower-case, without accents or punctuation: what city autocomplete compares with.
    -- Byte order ("C"), as in SQLite, so that a range on it is a prefix match.
    search_key TEXT COLLATE "C" NOT NULL,
    department TEXT NOT NULL,
    region_code TEXT NOT NULL REFERENCES regions (code),
    population BIGINT NOT NULL
);
CREATE INDEX communes_search_key ON communes (search_key);

CREATE TABLE commune_postal_codes (
    postal_code TEXT NOT NULL,
    commune_code TEXT NOT NULL REFERENCES communes (code),
    PRIMARY KEY (postal_code, commune_code)
);
