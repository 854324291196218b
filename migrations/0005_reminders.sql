-- Reminders: the schedule lives here, one row per person, case and step of the case's plan.
-- The scheduler only wakes the bot; what is due is read from this table, and a due row is
-- claimed and handed to the outbox in one transaction. Times are ISO 8601 UTC text with
-- microseconds (as in the outbox), so they compare as text.

CREATE TABLE reminders (
    id            INTEGER PRIMARY KEY,
    case_slug     TEXT NOT NULL REFERENCES cases (slug),
    -- /forget deletes the subscriber and with it their reminders.
    subscriber_id INTEGER NOT NULL REFERENCES subscribers (id) ON DELETE CASCADE,
    -- The step of the plan: "<seconds before>s@<deadline>", or "snooze" for a person's own.
    step          TEXT NOT NULL,
    due_at        TEXT NOT NULL,
    status        TEXT NOT NULL DEFAULT 'pending' CHECK (status IN
                  ('pending', 'sent', 'cancelled', 'dropped', 'merged')),
    settled_at    TEXT,                  -- when it stopped being pending
    note          TEXT,                  -- why it was cancelled or dropped
    UNIQUE (case_slug, subscriber_id, step)
);
-- The sweep: due rows in time order, scanning only pending ones.
CREATE INDEX reminders_due ON reminders (due_at) WHERE status = 'pending';
-- Cancelling one person's reminders about one case, and the cascade of /forget.
CREATE INDEX reminders_by_subscriber ON reminders (subscriber_id, case_slug);

-- "Stop reminding me about this case": kept so that a moved deadline does not plan anew.
CREATE TABLE reminder_stops (
    case_slug     TEXT NOT NULL REFERENCES cases (slug),
    subscriber_id INTEGER NOT NULL REFERENCES subscribers (id) ON DELETE CASCADE,
    stopped_at    TEXT NOT NULL,
    PRIMARY KEY (case_slug, subscriber_id)
);
