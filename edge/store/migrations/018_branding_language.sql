-- The client page's default language for an organization's clients
-- (shared/branding/branding.h, kLanguages); '' leaves it to the browser.
ALTER TABLE branding ADD COLUMN language TEXT NOT NULL DEFAULT '';
