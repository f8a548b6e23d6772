-- 008: the outcome of registering a connection's hooks on its platform.
--
-- Registration runs by itself after a connection is made or its
-- credentials change (edge/webhooks/automatic.h), outside the request's
-- own success: a platform that refuses leaves the connection in place and
-- its reason here, for the webhooks view and a retry by hand.
--
--   registration_state  NULL     never tried
--                       registered  the hooks in registered_json exist on the platform
--                       failed      the platform refused; registration_error says why
--                       removed     an operator removed them (not re-created by itself)

ALTER TABLE webhook_endpoints ADD COLUMN registration_state TEXT
    CHECK (registration_state IN ('registered', 'failed', 'removed'));
ALTER TABLE webhook_endpoints ADD COLUMN registration_error TEXT;
ALTER TABLE webhook_endpoints ADD COLUMN registration_attempted_at INTEGER;
