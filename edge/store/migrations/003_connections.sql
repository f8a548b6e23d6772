-- 003: connections — one platform account connected by one organization.
--
-- Non-secret settings (store hash, shop domain, base URL) live here in
-- config_json; every sensitive credential field lives in the vault (002),
-- keyed by (org_id, connection id, field). masked_json holds the masked
-- forms ("••••1234") shown in responses, so listing connections never
-- needs to decrypt anything.

CREATE TABLE connections (
    id                TEXT PRIMARY KEY,
    org_id            TEXT NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
    -- set for a per-user integration (/api/dashboard/integrations): only that user sees it
    user_id           TEXT REFERENCES users(id) ON DELETE CASCADE,
    platform          TEXT NOT NULL,
    name              TEXT NOT NULL,
    status            TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'error', 'disabled')),
    sync_frequency    TEXT NOT NULL DEFAULT 'daily' CHECK (sync_frequency IN ('manual', 'hourly', 'daily', 'weekly')),
    config_json       TEXT NOT NULL DEFAULT '{}',
    masked_json       TEXT NOT NULL DEFAULT '{}',
    verified_json     TEXT NOT NULL DEFAULT '{}',
    created_by        TEXT,
    created_at        INTEGER NOT NULL,
    updated_at        INTEGER NOT NULL,
    last_test_at      INTEGER,
    last_test_ok      INTEGER,
    last_sync_at      INTEGER,
    last_error        TEXT
);
CREATE INDEX connections_org ON connections(org_id, created_at);
