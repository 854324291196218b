-- Several bot processes may share one PostgreSQL database: a row the engine takes is leased to
-- it until `lease_expires` (wall-clock UTC, ISO text with microseconds). A lease that runs out
-- means its process died: another process takes the row again and sends it. On SQLite one
-- process owns the file and returns its own rows at start, so the lease is only recorded.
ALTER TABLE outbox ADD COLUMN lease_expires TEXT;
-- Which process holds the lease (a random name each process gives itself at start).
ALTER TABLE outbox ADD COLUMN claimed_by TEXT;

-- Finding the leases that ran out.
CREATE INDEX outbox_leases ON outbox (lease_expires) WHERE status = 'sending';

-- The bot's send rate, shared by every process on one PostgreSQL database: a token bucket that
-- refills at BOT_SEND_RATE a second of wall-clock time; a claim takes a token per row, so all
-- processes together claim no faster than the rate. (Unused on SQLite: one process, whose
-- limiter in memory is the whole bot's.)
CREATE TABLE send_capacity (
    name   TEXT PRIMARY KEY,
    tokens DOUBLE PRECISION NOT NULL,
    stamp  TEXT NOT NULL                 -- when `tokens` was last counted (UTC, ISO text)
);
