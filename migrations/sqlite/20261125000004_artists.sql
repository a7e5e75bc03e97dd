-- Artist profiles: one per artist account, public once published.
CREATE TABLE artists (
    user_id BIGINT PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    -- Derived from the first stage name and kept, so shared links stay valid.
    slug TEXT NOT NULL UNIQUE,
    stage_name TEXT NOT NULL,
    presentation TEXT NOT NULL,
    music_description TEXT NOT NULL,
    whole_france INTEGER NOT NULL DEFAULT 0,
    base_commune_code TEXT REFERENCES communes(code),
    youtube_url TEXT,
    soundcloud_url TEXT,
    bandcamp_url TEXT,
    spotify_url TEXT,
    website_url TEXT,
    -- File name under MEDIA_DIR/photos (content-hashed); NULL without a photo.
    photo TEXT,
    published INTEGER NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX artists_published ON artists(published, updated_at);

-- Free words chosen by the artist; `search_key` groups spellings for suggestions.
CREATE TABLE artist_music_types (
    artist_id BIGINT NOT NULL REFERENCES artists(user_id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    label TEXT NOT NULL,
    search_key TEXT NOT NULL,
    PRIMARY KEY (artist_id, position)
);
CREATE INDEX artist_music_types_key ON artist_music_types(search_key);

CREATE TABLE artist_regions (
    artist_id BIGINT NOT NULL REFERENCES artists(user_id) ON DELETE CASCADE,
    region_code TEXT NOT NULL REFERENCES regions(code),
    PRIMARY KEY (artist_id, region_code)
);
CREATE INDEX artist_regions_by_region ON artist_regions(region_code, artist_id);

CREATE TABLE artist_offers (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    artist_id BIGINT NOT NULL REFERENCES artists(user_id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    title TEXT NOT NULL,
    venue_type TEXT NOT NULL,
    duration TEXT NOT NULL,
    audience TEXT NOT NULL,
    price_text TEXT NOT NULL,
    price_min_eur BIGINT,
    price_max_eur BIGINT,
    description TEXT NOT NULL
);
CREATE INDEX artist_offers_by_artist ON artist_offers(artist_id, position);

-- Full-text index of each profile (SQLite only; PostgreSQL gets its own in its migrations).
-- rowid = artists.user_id. Accents are removed, so "electro" finds "Électro".
CREATE VIRTUAL TABLE artist_search USING fts5(
    music_types,
    stage_name,
    body,
    tokenize = 'unicode61 remove_diacritics 2'
);
