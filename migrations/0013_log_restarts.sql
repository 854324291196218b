-- SQLite only (bot/db/checkpoints.py): the write that starts the write-ahead log again after
-- a checkpoint copied all of it. It is made by the checkpointer while the bot's connection
-- waits, so that the sync of the log's new header happens there, not inside a transaction of
-- the bot's. One row, the time of the last restart (UTC, ISO text); nothing about anyone.
CREATE TABLE log_restarts (
    id           INTEGER PRIMARY KEY CHECK (id = 1),
    restarted_at TEXT NOT NULL
);
