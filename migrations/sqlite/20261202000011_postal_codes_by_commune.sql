-- A commune's first postal code is read on every page that shows a city (profiles, cards,
-- host profiles). The primary key starts with the postal code, so without this index each
-- of those lookups walked all 39,000 postal codes.
CREATE INDEX commune_postal_codes_by_commune ON commune_postal_codes (commune_code, postal_code);
