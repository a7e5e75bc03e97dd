-- French regions and communes (INSEE codes), loaded by the next migration.
CREATE TABLE regions (
    code TEXT PRIMARY KEY,
    name TEXT NOT NULL
);

CREATE TABLE communes (
    code TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    -- Lower-case, without accents or punctuation: what city autocomplete compares with.
    search_key TEXT NOT NULL,
    department TEXT NOT NULL,
    region_code TEXT NOT NULL REFERENCES regions (code),
    population INTEGER NOT NULL
);
CREATE INDEX communes_search_key ON communes (search_key);

CREATE TABLE commune_postal_codes (
    postal_code TEXT NOT NULL,
    commune_code TEXT NOT NULL REFERENCES communes (code),
    PRIMARY KEY (postal_code, commune_code)
);
