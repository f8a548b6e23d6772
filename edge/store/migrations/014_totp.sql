-- 014: TOTP two-factor authentication (RFC 6238) and its recovery codes
-- (edge/auth/two_factor.h).
--
-- sealed_secret is the vault-sealed shared secret (Vault::seal, bound to
-- the user id): never plaintext. enabled_at is NULL while enrolment waits
-- for its first code. last_step is the time step of the last code
-- accepted, so each code works once. Recovery codes are stored as SHA-256.
CREATE TABLE user_totp (
    user_id       TEXT PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    sealed_secret BLOB NOT NULL,
    created_at    INTEGER NOT NULL,
    enabled_at    INTEGER,
    last_step     INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE recovery_codes (
    hash    TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    used_at INTEGER
);
CREATE INDEX recovery_codes_user ON recovery_codes(user_id);
