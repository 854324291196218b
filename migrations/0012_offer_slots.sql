-- What the offer sweep (bot.db.offers) needs to look only at the people who need a look, so a
-- sweep with nothing new costs an index range scan at a million subscribers.

-- When the person's allowance next lets a non-urgent case through (ISO 8601 UTC text); NULL:
-- open now, or not known yet (they are looked at under the next generation of open cases).
ALTER TABLE subscribers ADD COLUMN next_slot_at TEXT;
-- The generation of open cases the person was last looked at under (network_settings
-- 'offers'); 0: never, or their own choice changed since, so they are looked at again.
ALTER TABLE subscribers ADD COLUMN offers_seen INTEGER NOT NULL DEFAULT 0;
-- When the person's weekly digest is next due; NULL: now.
ALTER TABLE subscribers ADD COLUMN digest_due_at TEXT;

-- Open slots, by when they open; and those not looked at since a given generation.
CREATE INDEX subscribers_by_slot ON subscribers (next_slot_at, id)
    WHERE status = 'active';
CREATE INDEX subscribers_by_look ON subscribers (offers_seen, id) WHERE status = 'active';
CREATE INDEX subscribers_digest_due ON subscribers (digest_due_at)
    WHERE status = 'active' AND digest = 1;

-- How many people each case has been offered to, kept as the sweep offers it: every sweep reads
-- it for each open case, and counting `case_alerts` for that took seconds at a million.
ALTER TABLE cases ADD COLUMN offered INTEGER NOT NULL DEFAULT 0;
UPDATE cases SET offered = (SELECT count(*) FROM case_alerts a WHERE a.case_slug = cases.slug);
-- The people who acted on a case, counted from the index alone.
CREATE INDEX actions_by_case_actor ON actions (case_slug, actor);
