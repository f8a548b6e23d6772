-- 015: onboarding links that can be reopened (edge/onboarding/links.h).
--
-- A link now opens any number of times, on any device, until it expires,
-- is revoked or the organization's onboarding is complete. Each opening is
-- a row of onboarding_link_openings (when, the device as its shortened
-- User-Agent, the client address), and the link keeps a count and the time
-- of the last one. A link may ask for a one-time code e-mailed to its
-- contact address before a new device may open it: the live code is one
-- row of onboarding_link_codes, stored as an HMAC keyed by the link's token
-- (which only the holder of the link has), so a copy of the database does
-- not give the code away even though six digits are few.

ALTER TABLE onboarding_links ADD COLUMN email TEXT;
ALTER TABLE onboarding_links ADD COLUMN require_code INTEGER NOT NULL DEFAULT 0;
ALTER TABLE onboarding_links ADD COLUMN opened_count INTEGER NOT NULL DEFAULT 0;
ALTER TABLE onboarding_links ADD COLUMN last_opened_at INTEGER;

-- Links opened before this migration were opened once, when they were used.
UPDATE onboarding_links SET opened_count = 1, last_opened_at = used_at WHERE used_at IS NOT NULL;

CREATE TABLE onboarding_link_openings (
    id        INTEGER PRIMARY KEY,
    link_id   TEXT NOT NULL REFERENCES onboarding_links(id) ON DELETE CASCADE,
    opened_at INTEGER NOT NULL,
    device    TEXT NOT NULL DEFAULT '',
    address   TEXT NOT NULL DEFAULT ''
);
CREATE INDEX onboarding_link_openings_link ON onboarding_link_openings(link_id, opened_at);

CREATE TABLE onboarding_link_codes (
    link_id    TEXT PRIMARY KEY REFERENCES onboarding_links(id) ON DELETE CASCADE,
    code_hash  TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    attempts   INTEGER NOT NULL DEFAULT 0
);
