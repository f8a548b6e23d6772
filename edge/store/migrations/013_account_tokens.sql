-- 013: one-time account tokens: password-reset links, the codes that prove
-- an invited address reads its mail, and the second step of a sign-in with
-- two-factor authentication (edge/auth/account_tokens.h).
--
-- As for sessions (001), only the SHA-256 of a token is stored, so a copy
-- of the database lets nobody reset a password or finish a sign-in.
-- subject binds a token to what it is for (an invitation id for a proof).
CREATE TABLE account_tokens (
    hash       TEXT PRIMARY KEY,
    kind       TEXT NOT NULL CHECK (kind IN ('password_reset', 'invitation_proof', 'mfa')),
    user_id    TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    subject    TEXT NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    used_at    INTEGER
);
CREATE INDEX account_tokens_user ON account_tokens(user_id, kind);
