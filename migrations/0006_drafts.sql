-- Organizers' unfinished work (a broadcast being written, a sheet being imported), one row per
-- organizer and kind, so that a restart of the bot loses none of it. The body is JSON in the
-- shape its feature gives it. A draft not changed for a while (bot.db.drafts.MAX_AGE) is treated
-- as gone, and deleted.
-- Times are ISO 8601 UTC text with microseconds (as in the outbox), so they compare as text.

CREATE TABLE drafts (
    user_id    INTEGER NOT NULL,         -- the organizer's Telegram user id
    kind       TEXT NOT NULL,            -- broadcast | import (bot.db.drafts.DraftKind)
    body       TEXT NOT NULL,            -- JSON object
    updated_at TEXT NOT NULL,
    PRIMARY KEY (user_id, kind)
);
-- Deleting the drafts that are too old.
CREATE INDEX drafts_by_age ON drafts (updated_at);
