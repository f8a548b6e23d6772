-- 009: a counter the webhook receiver reads before each delivery.
--
-- The receiver keeps each connection's endpoint and secrets in memory
-- between deliveries (edge/webhooks/targets.h). Every write that could
-- change what a delivery is verified against bumps this counter, whichever
-- process made it (the CLI too), so a rotated secret or a removed
-- connection takes effect on the very next delivery.

CREATE TABLE webhook_targets_version (
    only  INTEGER PRIMARY KEY CHECK (only = 1),
    n     INTEGER NOT NULL
);
INSERT INTO webhook_targets_version (only, n) VALUES (1, 0);

CREATE TRIGGER webhook_targets_connection_updated AFTER UPDATE ON connections
BEGIN UPDATE webhook_targets_version SET n = n + 1; END;
CREATE TRIGGER webhook_targets_connection_deleted AFTER DELETE ON connections
BEGIN UPDATE webhook_targets_version SET n = n + 1; END;

CREATE TRIGGER webhook_targets_endpoint_added AFTER INSERT ON webhook_endpoints
BEGIN UPDATE webhook_targets_version SET n = n + 1; END;
CREATE TRIGGER webhook_targets_endpoint_updated AFTER UPDATE ON webhook_endpoints
BEGIN UPDATE webhook_targets_version SET n = n + 1; END;
CREATE TRIGGER webhook_targets_endpoint_deleted AFTER DELETE ON webhook_endpoints
BEGIN UPDATE webhook_targets_version SET n = n + 1; END;

CREATE TRIGGER webhook_targets_secret_added AFTER INSERT ON vault_secrets
BEGIN UPDATE webhook_targets_version SET n = n + 1; END;
CREATE TRIGGER webhook_targets_secret_updated AFTER UPDATE ON vault_secrets
BEGIN UPDATE webhook_targets_version SET n = n + 1; END;
CREATE TRIGGER webhook_targets_secret_deleted AFTER DELETE ON vault_secrets
BEGIN UPDATE webhook_targets_version SET n = n + 1; END;
