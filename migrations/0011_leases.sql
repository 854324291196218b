-- Jobs that one process of several should do at a time, and hand over when it dies: editing a
-- broadcast's status message, for instance (two processes editing it would double the edits
-- against Telegram's limits). A process holds `name` until `expires_at` (wall-clock UTC, ISO
-- text with microseconds) and renews it while it works; once it runs out, another process
-- takes it. `done` is set when the job is over: nobody takes it again.
CREATE TABLE leases (
    name       TEXT PRIMARY KEY,
    holder     TEXT NOT NULL,        -- the random name a process gives itself at start
    expires_at TEXT NOT NULL,
    done       INTEGER NOT NULL DEFAULT 0
);
