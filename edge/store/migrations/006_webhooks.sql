-- 006: webhooks — each connection's receiving endpoint, the durable inbox
-- of verified deliveries, and per-connection counters.
--
-- A delivery row is committed before the platform gets its 2xx, so an
-- acknowledged delivery survives a crash. Only what processing needs is
-- kept: the topic, the platform's delivery id, the body and its hash.
-- Request headers are not stored: they carry signatures and, for
-- BigCommerce, the shared secret itself.
--
-- Secrets are in the vault (002) under fields "webhook_secret" and
-- "webhook_secret_previous"; this table says until when the previous one
-- still verifies (rotation grace) and which hooks we registered.

CREATE TABLE webhook_endpoints (
    connection_id        TEXT PRIMARY KEY REFERENCES connections(id) ON DELETE CASCADE,
    org_id               TEXT NOT NULL,
    scheme               TEXT NOT NULL,   -- verifier: shopify, woocommerce, stripe, twilio, clerk, standard, ...
    secret_set_at        INTEGER,
    previous_expires_at  INTEGER,         -- webhook_secret_previous verifies until then
    registered_json      TEXT NOT NULL DEFAULT '[]',  -- [{"topic", "id"}] hooks created on the platform
    registered_at        INTEGER,
    updated_at           INTEGER NOT NULL
);

CREATE TABLE webhook_deliveries (
    seq              INTEGER PRIMARY KEY AUTOINCREMENT,  -- arrival order: processing order per connection
    org_id           TEXT NOT NULL,
    connection_id    TEXT NOT NULL REFERENCES connections(id) ON DELETE CASCADE,
    platform         TEXT NOT NULL,
    topic            TEXT NOT NULL DEFAULT '',
    delivery_id      TEXT,            -- the platform's id, for de-duplication
    body_sha256      TEXT NOT NULL,   -- hex; de-duplication when there is no id
    content_type     TEXT NOT NULL DEFAULT '',
    body             BLOB NOT NULL,
    received_at      INTEGER NOT NULL,
    state            TEXT NOT NULL DEFAULT 'received'
                     CHECK (state IN ('received', 'processed', 'ignored', 'failed', 'dead')),
    attempts         INTEGER NOT NULL DEFAULT 0,
    next_attempt_at  INTEGER,
    last_error       TEXT,
    processed_at     INTEGER
);
CREATE UNIQUE INDEX webhook_deliveries_platform_id ON webhook_deliveries(connection_id, delivery_id)
    WHERE delivery_id IS NOT NULL;
CREATE INDEX webhook_deliveries_body ON webhook_deliveries(connection_id, body_sha256, received_at);
CREATE INDEX webhook_deliveries_pending ON webhook_deliveries(state, seq)
    WHERE state IN ('received', 'failed');
CREATE INDEX webhook_deliveries_connection ON webhook_deliveries(connection_id, seq);

-- received, verified, rejected, duplicate, dead_lettered; connection_id ''
-- counts deliveries that named no known connection.
CREATE TABLE webhook_counters (
    connection_id  TEXT NOT NULL,
    name           TEXT NOT NULL,
    n              INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (connection_id, name)
);
