-- 007: phased onboarding (/api/v1/onboarding/...): each organization's progress and
-- answers, the onboarding events table, invitations and onboarding links.

-- One row per organization that started onboarding. The phases that only
-- save answers are done when their *_at column is set; the others are
-- facts of other tables (a connection, a document, an invitation). The
-- current phase is derived (shared/onboarding/state.h), never stored.
CREATE TABLE onboarding (
    org_id                  TEXT PRIMARY KEY REFERENCES orgs(id) ON DELETE CASCADE,
    company_name            TEXT,
    company_phone           TEXT,
    company_email           TEXT,
    company_domain          TEXT,
    company_address         TEXT,
    industry                TEXT,
    timezone                TEXT,
    team_size               INTEGER,
    admin_name              TEXT,
    admin_email             TEXT,
    call_provider           TEXT CHECK (call_provider IN ('callrail', 'twilio')),
    primary_tracking_number TEXT,
    -- Phase 4's answers as sent: primary_goals, target_metrics, ...
    goals_json              TEXT NOT NULL DEFAULT '{}',
    company_basics_at       INTEGER,
    call_tracking_at        INTEGER,
    goals_at                INTEGER,
    completed_at            INTEGER,
    updated_at              INTEGER NOT NULL
);

-- The seed's "Onboarding Events Table": what happened in which step, by
-- whom. Metadata never holds a secret.
CREATE TABLE onboarding_events (
    id        TEXT PRIMARY KEY,
    org_id    TEXT NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
    user_id   TEXT REFERENCES users(id) ON DELETE SET NULL,
    step      TEXT NOT NULL,
    action    TEXT NOT NULL,
    metadata  TEXT NOT NULL DEFAULT '{}',
    timestamp INTEGER NOT NULL
);
CREATE INDEX onboarding_events_org ON onboarding_events(org_id, timestamp);

-- Invitations (edge/onboarding/invitations.h): single-use, expiring; the
-- token is stored as its SHA-256 only.
CREATE TABLE invitations (
    id               TEXT PRIMARY KEY,
    org_id           TEXT NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
    email            TEXT NOT NULL COLLATE NOCASE,
    role             TEXT NOT NULL CHECK (role IN ('manager', 'csr', 'sales_rep')),
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
CREATE INDEX invitations_org ON invitations(org_id, created_at);

-- Onboarding links (edge/onboarding/links.h): a manager or operator mints
-- one for an organization; exchanging its token (once, before expires_at)
-- creates client_user_id, an account without a password whose sessions may
-- only use that organization's onboarding endpoints.
CREATE TABLE onboarding_links (
    id             TEXT PRIMARY KEY,
    org_id         TEXT NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
    token_hash     TEXT NOT NULL UNIQUE,
    -- JSON array of platform ids the client may connect; [] means any
    platforms      TEXT NOT NULL DEFAULT '[]',
    note           TEXT NOT NULL DEFAULT '',
    created_by     TEXT REFERENCES users(id) ON DELETE SET NULL,
    created_at     INTEGER NOT NULL,
    expires_at     INTEGER NOT NULL,
    used_at        INTEGER,
    revoked_at     INTEGER,
    client_user_id TEXT UNIQUE REFERENCES users(id) ON DELETE SET NULL
);
CREATE INDEX onboarding_links_org ON onboarding_links(org_id, created_at);
