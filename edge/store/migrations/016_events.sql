-- 016: events out (edge/events/): what happened in an organization, kept
-- for the realtime stream and sent to the agency's own systems.
--
-- events: one row per thing that happened, numbered by seq (the stream's
-- Last-Event-ID); data is JSON holding ids and outcomes, never a secret.
-- Rows older than the retention window (edge/events/events.h) are deleted.
CREATE TABLE events (
    seq        INTEGER PRIMARY KEY AUTOINCREMENT,
    id         TEXT NOT NULL UNIQUE,  -- the webhook-id sent with it, the same on every attempt
    org_id     TEXT NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
    type       TEXT NOT NULL,
    data       TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX events_org ON events(org_id, seq);
CREATE INDEX events_created ON events(created_at);

-- event_endpoints: where events are sent. org_id NULL is a deployment-wide
-- endpoint (operators), which receives every organization's events. The
-- signing secret is sealed by the vault (Vault::seal, bound to the
-- endpoint id); during a rotation the previous one is kept, sealed too,
-- until previous_expires_at.
CREATE TABLE event_endpoints (
    id                  TEXT PRIMARY KEY,
    org_id              TEXT REFERENCES orgs(id) ON DELETE CASCADE,
    url                 TEXT NOT NULL,
    description         TEXT NOT NULL DEFAULT '',
    event_types         TEXT NOT NULL,  -- JSON array of type names
    enabled             INTEGER NOT NULL DEFAULT 1,
    sealed_secret       BLOB NOT NULL,
    sealed_previous     BLOB,
    previous_expires_at INTEGER,
    created_at          INTEGER NOT NULL,
    updated_at          INTEGER NOT NULL
);
CREATE INDEX event_endpoints_org ON event_endpoints(org_id);

-- event_deliveries: one row per (event, endpoint), the delivery log.
--   pending --2xx--> delivered
--   pending --other answer or no answer--> pending (attempts+1, next_attempt_at later)
--   pending --still failing a day after the event--> failed
--   delivered | failed --replay--> pending
CREATE TABLE event_deliveries (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    event_seq       INTEGER NOT NULL REFERENCES events(seq) ON DELETE CASCADE,
    endpoint_id     TEXT NOT NULL REFERENCES event_endpoints(id) ON DELETE CASCADE,
    state           TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'delivered', 'failed')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER,
    last_attempt_at INTEGER,
    response_status INTEGER,  -- the receiver's last HTTP status, NULL when it gave none
    last_error      TEXT,
    created_at      INTEGER NOT NULL,
    delivered_at    INTEGER
);
CREATE INDEX event_deliveries_due ON event_deliveries(next_attempt_at) WHERE state = 'pending';
CREATE INDEX event_deliveries_endpoint ON event_deliveries(endpoint_id, id);
CREATE INDEX event_deliveries_event ON event_deliveries(event_seq);
