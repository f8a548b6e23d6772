-- 012: stored answers of idempotent requests, sealed by the vault.
--
-- An answer can hold a secret shown once: a new API key, a session's
-- tokens, an onboarding link's or invitation's token. The table kept them
-- as plain text and never deleted a row. Now the answer body, with the hash
-- of the request it answered, is one blob sealed by the vault (Vault::seal,
-- bound to the caller and the key; edge/api/install.cpp), and rows older
-- than a day are deleted as new ones are written (created_at's index).
-- The old rows are dropped, not converted: they are plain text, and a day
-- old at most would still be worth replaying. The Store truncates the WAL
-- after a migration, and connections run with secure_delete, so the
-- dropped pages are zeroed on disk.

DROP TABLE idempotency;

CREATE TABLE idempotency (
    principal    TEXT NOT NULL,
    key          TEXT NOT NULL,
    method       TEXT NOT NULL,
    path         TEXT NOT NULL,
    status       INTEGER NOT NULL,
    content_type TEXT NOT NULL,
    sealed       BLOB NOT NULL,  -- Vault::seal of body_hash (64 hex digits) then the body
    created_at   INTEGER NOT NULL,
    PRIMARY KEY (principal, key)
);
CREATE INDEX idempotency_created ON idempotency (created_at);
