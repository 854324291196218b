-- Several bot processes may share one PostgreSQL database: a row the engine takes is leased to
-- it until `lease_expires` (wall-clock UTC, ISO text with microseconds). A lease that runs out
-- means its process died: another process takes the row again and sends it. On SQLite one
-- process owns the file and returns its own rows at start, so the lease is only recorded.
ALTER TABLE outbox ADD COLUMN lease_expires TEXT;

-- Finding the leases that ran out.
CREATE INDEX outbox_leases ON outbox (lease_expires) WHERE status = 'sending';
