-- 021: branding (edge/branding/settings.h). One row per organization that
-- set its own, and one with scope '*' for the deployment. Every field may be
-- empty: the layer beneath (deployment, then the vendor's) shows through.
CREATE TABLE branding (
    scope          TEXT PRIMARY KEY,  -- an org id, or '*' for the deployment
    name           TEXT NOT NULL DEFAULT '',
    logo           TEXT NOT NULL DEFAULT '',
    accent         TEXT NOT NULL DEFAULT '',
    welcome        TEXT NOT NULL DEFAULT '',
    embed_origins  TEXT NOT NULL DEFAULT '[]',  -- JSON array of origins
    updated_at     INTEGER NOT NULL
);
