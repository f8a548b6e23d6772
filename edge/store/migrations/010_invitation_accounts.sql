-- 010: invitations may carry every membership role.
--
-- Adding someone to an organization (POST /api/v1/orgs/{org_id}/members)
-- now invites them, and the person accepts (edge/onboarding/invitations.h):
-- a manager can no longer make another tenant's user a member of their org
-- without that user's consent. That route offers the role "member" too, so
-- the CHECK of 007 is widened. SQLite cannot change a CHECK in place: the
-- table is rebuilt with the same columns and rows. Nothing references it.

CREATE TABLE invitations_010 (
    id               TEXT PRIMARY KEY,
    org_id           TEXT NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
    email            TEXT NOT NULL COLLATE NOCASE,
    role             TEXT NOT NULL CHECK (role IN ('manager', 'csr', 'sales_rep', 'member')),
    territory        TEXT,
    department       TEXT,
    token_hash       TEXT NOT NULL UNIQUE,
    invited_by       TEXT REFERENCES users(id) ON DELETE SET NULL,
    created_at       INTEGER NOT NULL,
    expires_at       INTEGER NOT NULL,
    accepted_at      INTEGER,
    accepted_user_id TEXT REFERENCES users(id) ON DELETE SET NULL,
    revoked_at       INTEGER
);
INSERT INTO invitations_010 (id, org_id, email, role, territory, department, token_hash, invited_by, created_at,
                             expires_at, accepted_at, accepted_user_id, revoked_at)
SELECT id, org_id, email, role, territory, department, token_hash, invited_by, created_at, expires_at, accepted_at,
       accepted_user_id, revoked_at
FROM invitations;
DROP TABLE invitations;
ALTER TABLE invitations_010 RENAME TO invitations;
CREATE INDEX invitations_org ON invitations(org_id, created_at);
