-- Organizers' broadcasts: one row each; the messages themselves are outbox rows that carry
-- its id, so progress, cancelling and resuming after a crash come from the outbox.

CREATE TABLE broadcasts (
    id                INTEGER PRIMARY KEY,
    created_by        INTEGER NOT NULL,      -- the organizer's Telegram user id
    created_at        TEXT NOT NULL,
    text              TEXT NOT NULL,         -- Telegram HTML, as the organizer wrote it
    audience          TEXT NOT NULL,         -- all | case:<slug> | acted:<slug> | notacted:<slug> | lang:<code>
    send_at           TEXT NOT NULL,
    status            TEXT NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'cancelled', 'done')),
    recipients        INTEGER NOT NULL,
    status_chat_id    INTEGER,               -- the organizer's status message, edited as it goes
    status_message_id INTEGER,
    finished_at       TEXT
);
