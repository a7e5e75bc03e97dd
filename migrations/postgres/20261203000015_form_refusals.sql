-- A form posted without JavaScript and refused: its error (with what was typed) waits here for
-- the page it goes back to, named by a cookie of that browser's (`form_refusals`), never in
-- the page's address. Read once, and kept a few minutes at most.
CREATE TABLE form_refusals (
    token_hash TEXT PRIMARY KEY,
    server_fn_path TEXT NOT NULL,
    error TEXT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX form_refusals_by_expiry ON form_refusals(expires_at);
