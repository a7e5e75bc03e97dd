-- Host profiles: confidential, never listed nor searched. Who may read one is decided in the
-- queries of src/hosts/store.rs.
CREATE TABLE hosts (
    user_id BIGINT PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    commune_code TEXT REFERENCES communes(code),
    description TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
