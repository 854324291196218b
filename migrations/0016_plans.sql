-- A person's plan for a case (bot.domain.plans): when they said they would write, or that they
-- passed it on. One row per person and case, the latest answer; /forget deletes it with them.
-- Organizers see per case how many planned, how many of those acted, and how many passed it on.
CREATE TABLE case_plans (
    case_slug     TEXT NOT NULL REFERENCES cases (slug),
    subscriber_id INTEGER NOT NULL REFERENCES subscribers (id) ON DELETE CASCADE,
    choice        TEXT NOT NULL CHECK (choice IN ('tonight', 'tomorrow', 'weekend', 'passed')),
    chosen_at     TEXT NOT NULL,
    remind_at     TEXT,                  -- the plan's one reminder; NULL when passed on
    PRIMARY KEY (case_slug, subscriber_id)
);
CREATE INDEX case_plans_by_subscriber ON case_plans (subscriber_id);

-- When a person asked for fewer cases (a smaller allowance than they had): what organizers see
-- per reminder step, beside those who stopped or blocked the bot after it.
CREATE TABLE allowance_cuts (
    subscriber_id INTEGER NOT NULL REFERENCES subscribers (id) ON DELETE CASCADE,
    cut_at        TEXT NOT NULL
);
CREATE INDEX allowance_cuts_by_subscriber ON allowance_cuts (subscriber_id, cut_at);

-- /results reads a case's sent reminders per step (bot.db.reminder_costs).
CREATE INDEX reminders_by_case ON reminders (case_slug, status);
