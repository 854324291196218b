-- How many cases reach each person, and what about (bot.domain.allowance): the person's choice
-- is kept on their row (and goes with it at /forget); what the offer sweep decided is kept per
-- case. Times are ISO 8601 UTC text with microseconds, so they compare as text.

-- The person's (or the group's) allowance: every | 3-week | 1-week | 2-month; NULL: the
-- network's default, which organizers set (network_settings 'allowance').
ALTER TABLE subscribers ADD COLUMN allowance TEXT;
-- JSON list of theme keys (bot.domain.themes); NULL: every theme.
ALTER TABLE subscribers ADD COLUMN themes TEXT;
-- JSON list of the channels the person can use (email, fax, post); NULL: every channel.
ALTER TABLE subscribers ADD COLUMN channels TEXT;
-- 1: one weekly message listing the open cases that fit, instead of a case at each slot.
ALTER TABLE subscribers ADD COLUMN digest INTEGER NOT NULL DEFAULT 0;

-- 0 for a case offered because it is urgent (or shown at the person's own request): it does
-- not use up the allowance.
ALTER TABLE case_alerts ADD COLUMN counted INTEGER NOT NULL DEFAULT 1;
CREATE INDEX IF NOT EXISTS case_alerts_by_subscriber ON case_alerts (subscriber_id, alerted_at);

-- The network's settings that organizers change in the chat.
CREATE TABLE network_settings (
    key        TEXT PRIMARY KEY,          -- allowance
    value      TEXT NOT NULL,
    updated_by INTEGER NOT NULL,          -- the organizer's Telegram user id
    updated_at TEXT NOT NULL
);

-- Per case, why the people the latest sweep considered were not offered it: what organizers
-- see beside the number it was offered to.
CREATE TABLE case_not_offered (
    case_slug TEXT NOT NULL REFERENCES cases (slug),
    reason    TEXT NOT NULL,              -- bot.domain.allowance.NotOffered
    people    INTEGER NOT NULL,
    swept_at  TEXT NOT NULL,
    PRIMARY KEY (case_slug, reason)
);

-- The weekly digests sent: each counts as one alert against the allowance.
CREATE TABLE digests (
    id            INTEGER PRIMARY KEY,
    subscriber_id INTEGER NOT NULL REFERENCES subscribers (id) ON DELETE CASCADE,
    sent_at       TEXT NOT NULL,
    cases         TEXT NOT NULL           -- JSON list of the slugs it listed
);
CREATE INDEX digests_by_subscriber ON digests (subscriber_id, sent_at);

-- What each person acted on, read per batch of people by the sweep (never offered again).
CREATE INDEX actions_by_actor ON actions (actor, case_slug);
