-- 019: payments and refunds join the synced record kinds (Stripe's
-- PaymentIntents and Refunds, edge/connectors/connector.h). SQLite cannot
-- change a CHECK constraint in place, so the records table is copied into
-- one whose resource may also be 'payments' or 'refunds'. Nothing refers
-- to records by foreign key, so dropping the old table breaks no reference.
CREATE TABLE records_new (
    connection_id TEXT NOT NULL REFERENCES connections(id) ON DELETE CASCADE,
    org_id        TEXT NOT NULL,
    resource      TEXT NOT NULL CHECK (resource IN ('products', 'orders', 'calls', 'contacts', 'payments', 'refunds')),
    platform_id   TEXT NOT NULL,
    title         TEXT NOT NULL DEFAULT '',  -- product title, order number, caller, contact name, payment description
    sku           TEXT NOT NULL DEFAULT '',
    updated_at    TEXT NOT NULL DEFAULT '',
    data_json     TEXT NOT NULL,
    synced_at     INTEGER NOT NULL,
    PRIMARY KEY (connection_id, resource, platform_id)
);
INSERT INTO records_new (connection_id, org_id, resource, platform_id, title, sku, updated_at, data_json, synced_at)
    SELECT connection_id, org_id, resource, platform_id, title, sku, updated_at, data_json, synced_at FROM records;
DROP TABLE records;
ALTER TABLE records_new RENAME TO records;
CREATE INDEX records_org ON records(org_id, resource, title);
