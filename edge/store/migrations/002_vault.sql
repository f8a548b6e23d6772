-- 002: the credential vault (edge/vault.h explains the design).
--
-- Nothing here is a plaintext secret or a key. vault_keys holds, per master
-- key, a key check value (KCV = HMAC-SHA256(master, "onramp-kcv")) so a
-- server started with the wrong key can tell before it touches a secret.
-- vault_secrets holds envelope-encrypted values: each row's own data key
-- (DEK), wrapped by the master key named in key_id.

-- state: 'current' wraps new secrets; 'next' is the target of a rotation in
-- progress (new secrets already go under it); 'retired' keys were rotated
-- away and are kept only so that a server offered one can say so.
CREATE TABLE vault_keys (
    key_id     TEXT PRIMARY KEY,
    kcv        BLOB NOT NULL,
    state      TEXT NOT NULL CHECK (state IN ('current', 'next', 'retired')),
    created_at INTEGER NOT NULL,
    retired_at INTEGER
);
-- At most one current and one next key, enforced by the database.
CREATE UNIQUE INDEX vault_keys_one_per_state ON vault_keys(state)
    WHERE state IN ('current', 'next');

-- ciphertext includes the 16-byte GCM tag; wrapped_dek likewise.
-- The AAD of both binds them to (org_id, connection_id, field), so the
-- blobs of one row copied into another do not decrypt there.
CREATE TABLE vault_secrets (
    org_id        TEXT NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
    connection_id TEXT NOT NULL,
    field         TEXT NOT NULL,
    key_id        TEXT NOT NULL REFERENCES vault_keys(key_id),
    wrapped_dek   BLOB NOT NULL,
    dek_nonce     BLOB NOT NULL,
    nonce         BLOB NOT NULL,
    ciphertext    BLOB NOT NULL,
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL,
    PRIMARY KEY (org_id, connection_id, field)
);
-- Rotation walks the rows still under an old key.
CREATE INDEX vault_secrets_key ON vault_secrets(key_id);
