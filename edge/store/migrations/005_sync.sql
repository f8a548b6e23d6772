-- 005: sync runs and the synced records.
--
-- A run copies one connection's resources page by page. After every page
-- one transaction upserts the page's records and moves the run's cursor,
-- so a process killed at any instant resumes from the last committed page:
-- no page is skipped (the cursor moved only with its records) and none is
-- counted twice (records are keyed by the platform's own id).

CREATE TABLE sync_runs (
    id             TEXT PRIMARY KEY,
    org_id         TEXT NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
    connection_id  TEXT NOT NULL REFERENCES connections(id) ON DELETE CASCADE,
    kind           TEXT NOT NULL CHECK (kind IN ('initial', 'incremental', 'manual')),
    state          TEXT NOT NULL CHECK (state IN ('queued', 'running', 'succeeded', 'failed')),
    resources      TEXT NOT NULL,            -- "products,orders": what this run copies, in order
    resource_index INTEGER NOT NULL DEFAULT 0,
    cursor         TEXT NOT NULL DEFAULT '',  -- checkpoint: the next page of resources[resource_index]
    window_after   TEXT NOT NULL DEFAULT '',  -- updated-since filter (incremental runs)
    window_before  TEXT NOT NULL DEFAULT '',  -- upper bound, frozen when the run was queued
    pages          INTEGER NOT NULL DEFAULT 0,
    created        INTEGER NOT NULL DEFAULT 0,
    updated        INTEGER NOT NULL DEFAULT 0,
    failed         INTEGER NOT NULL DEFAULT 0,
    total          INTEGER,                   -- when the platform says how many there are
    errors_json    TEXT NOT NULL DEFAULT '[]',
    queued_at      INTEGER NOT NULL,
    started_at     INTEGER,
    finished_at    INTEGER
);
CREATE INDEX sync_runs_connection ON sync_runs(connection_id, queued_at);
CREATE INDEX sync_runs_state ON sync_runs(state, queued_at);

CREATE TABLE records (
    connection_id TEXT NOT NULL REFERENCES connections(id) ON DELETE CASCADE,
    org_id        TEXT NOT NULL,
    resource      TEXT NOT NULL CHECK (resource IN ('products', 'orders', 'calls', 'contacts')),
    platform_id   TEXT NOT NULL,
    title         TEXT NOT NULL DEFAULT '',  -- product title, order number, caller, contact name
    sku           TEXT NOT NULL DEFAULT '',
    updated_at    TEXT NOT NULL DEFAULT '',
    data_json     TEXT NOT NULL,
    synced_at     INTEGER NOT NULL,
    PRIMARY KEY (connection_id, resource, platform_id)
);
CREATE INDEX records_org ON records(org_id, resource, title);

CREATE TABLE variants (
    connection_id TEXT NOT NULL REFERENCES connections(id) ON DELETE CASCADE,
    product_id    TEXT NOT NULL,
    platform_id   TEXT NOT NULL,
    sku           TEXT NOT NULL DEFAULT '',
    title         TEXT NOT NULL DEFAULT '',
    price         TEXT,
    inventory     INTEGER,
    PRIMARY KEY (connection_id, product_id, platform_id)
);
