-- What lets any of several bot processes carry on where another left off.
-- Times are ISO 8601 UTC text with microseconds (as in the outbox), so they compare as text.

-- The updates handled, so that one posted twice (Telegram posts again when a webhook answered
-- late or failed; two processes may each get it) is handled once. Kept for a day, as long as
-- Telegram keeps an update. The fingerprint tells a repeat from a new update that happens to
-- reuse an id (Telegram picks ids afresh after a week of silence; a test's emulator restarts).
CREATE TABLE handled_updates (
    update_id   INTEGER PRIMARY KEY,
    fingerprint TEXT NOT NULL,
    handled_at  TEXT NOT NULL
);
CREATE INDEX handled_updates_by_age ON handled_updates (handled_at);

-- A person's unfinished step in a conversation (the signature being typed for an appeal, the
-- time-zone or country screen waiting for a typed name), one row per person and step, so that
-- the next update continues it whichever process gets it. The body is JSON in the shape its
-- step gives it. Dropped when the step ends, by /forget, and once older than a day.
CREATE TABLE flows (
    user_id INTEGER NOT NULL,  -- the person's Telegram user id
    name    TEXT NOT NULL,     -- appeal | zone_typing | country_typing
    body    TEXT NOT NULL,     -- JSON
    since   TEXT NOT NULL,
    PRIMARY KEY (user_id, name)
);
CREATE INDEX flows_by_age ON flows (since);
