-- Organizers added in the chat (those in BOT_ORGANIZERS need no row), and the audit log of
-- what organizers did.

CREATE TABLE organizers (
    user_id  INTEGER PRIMARY KEY,
    added_by INTEGER NOT NULL,
    added_at TEXT NOT NULL
);

CREATE TABLE audit_log (
    id       INTEGER PRIMARY KEY,
    at       TEXT NOT NULL,
    user_id  INTEGER NOT NULL,           -- the organizer who acted
    action   TEXT NOT NULL,              -- organizer_added, case_published, broadcast_sent, ...
    detail   TEXT NOT NULL DEFAULT '{}'  -- JSON
);
CREATE INDEX audit_log_by_time ON audit_log (at);
