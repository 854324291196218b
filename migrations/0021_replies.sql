-- "Did anyone reply?": asked once per person and case, fourteen days after their appeal (sooner
-- if the case closes), and the replies from the authorities people send back.
-- Times are ISO 8601 UTC text with microseconds, so they compare as text.

-- The question asked, and its answer. One row per person and case (the row is written in the
-- transaction that queues the question, so it goes once). /forget keeps the answer as an
-- anonymous count (subscriber_id becomes NULL), as it keeps appeals.
CREATE TABLE reply_asks (
    id            INTEGER PRIMARY KEY,
    case_slug     TEXT NOT NULL REFERENCES cases (slug),
    subscriber_id INTEGER REFERENCES subscribers (id) ON DELETE SET NULL,
    targets       TEXT NOT NULL,      -- JSON list of the officials asked about (target indexes)
    asked_at      TEXT NOT NULL,
    times         INTEGER NOT NULL DEFAULT 1,  -- 2 once "Not yet" was asked again
    answer        TEXT CHECK (answer IN ('yes', 'no', 'later')),
    target        INTEGER,            -- for "yes": which official replied
    answered_at   TEXT,
    ask_again_at  TEXT,               -- for a first "Not yet": when the question comes back
    UNIQUE (case_slug, subscriber_id)
);
CREATE INDEX reply_asks_by_case ON reply_asks (case_slug, answer);
CREATE INDEX reply_asks_again ON reply_asks (ask_again_at);

-- A reply an official sent, as the person sent it to the bot: images re-encoded without their
-- metadata, PDFs as they came. Deleted with the person by /forget.
CREATE TABLE case_replies (
    id            INTEGER PRIMARY KEY,
    case_slug     TEXT NOT NULL REFERENCES cases (slug),
    subscriber_id INTEGER NOT NULL REFERENCES subscribers (id) ON DELETE CASCADE,
    target        INTEGER NOT NULL,   -- index of the official in the case's targets
    kind          TEXT NOT NULL CHECK (kind IN ('image', 'pdf')),
    mime_type     TEXT NOT NULL,
    file_name     TEXT NOT NULL,
-- only: sqlite
    data          BLOB NOT NULL,
-- end only
-- only: postgresql
    data          BYTEA NOT NULL,
-- end only
    received_at   TEXT NOT NULL
);
CREATE INDEX case_replies_by_case ON case_replies (case_slug, target);
CREATE INDEX case_replies_by_subscriber ON case_replies (subscriber_id);
