-- One-time sign-in links to the organizers' console, for a desktop browser outside Telegram
-- (/console gives one). Only a hash of the link's secret is kept: a copy of this table opens
-- nothing. A link is good until `expires_at`, and once: `used_at` is set as it is spent.
-- Times are ISO 8601 UTC text with microseconds (as in the outbox), so they compare as text.

CREATE TABLE console_links (
    token_hash TEXT PRIMARY KEY,         -- SHA-256 of the link's secret, hex
    user_id    INTEGER NOT NULL,         -- the organizer it signs in
    expires_at TEXT NOT NULL,
    used_at    TEXT
);
CREATE INDEX console_links_by_expiry ON console_links (expires_at);

-- The sheet a case was imported from, kept for the console's inbox: the sheet's text beside
-- each fact read from it, and the importer's notes (JSON: kind, field, values), so that what
-- was read, guessed or missing stays visible after the import. One row per case, the latest.
CREATE TABLE case_sheets (
    slug        TEXT PRIMARY KEY,       -- the case's slug
    sheet       TEXT NOT NULL,          -- the sheet's text as read (a PDF's text too)
    notes       TEXT NOT NULL,          -- JSON list of the importer's notes
    imported_by INTEGER NOT NULL,       -- the organizer's Telegram user id
    imported_at TEXT NOT NULL
);
