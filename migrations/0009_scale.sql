-- What a million subscribers need: indexes for the paths that looked up one subscriber's rows by
-- scanning a whole table, and the progress of publishing and of queueing a broadcast, kept so
-- that both run in batches, resume after a crash where they stopped, and are known finished.

-- /forget (the cascade) and /mydata find one subscriber's alerts and stops without a scan.
CREATE INDEX case_alerts_by_subscriber ON case_alerts (subscriber_id);
CREATE INDEX reminder_stops_by_subscriber ON reminder_stops (subscriber_id);

-- Publishing a case alerts subscribers in id order: the last id done, and when all were.
-- A case published before this migration is looked at once more at the next start.
ALTER TABLE cases ADD COLUMN alerts_after INTEGER NOT NULL DEFAULT 0;
ALTER TABLE cases ADD COLUMN alerts_done_at TEXT;

-- Queueing a broadcast goes the same way; broadcasts queued before were queued whole.
ALTER TABLE broadcasts ADD COLUMN queue_after INTEGER NOT NULL DEFAULT 0;
ALTER TABLE broadcasts ADD COLUMN queued_at TEXT;
UPDATE broadcasts SET queued_at = created_at;
