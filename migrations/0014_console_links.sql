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
