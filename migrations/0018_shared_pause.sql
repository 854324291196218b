-- PostgreSQL (bot/db/outbox.py): when Telegram asked the whole bot to wait (a 429 read as the
-- whole bot's, bot/delivery/limits.py), every process pauses its sends until then, not only
-- the one that was refused. NULL: no pause. UTC, ISO text. Unused on SQLite (one process).
ALTER TABLE send_capacity ADD COLUMN paused_until TEXT;
