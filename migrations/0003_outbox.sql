-- The outbox: everything that goes to many people (case alerts, broadcasts, reminders), one row
-- per recipient, written in the same transaction as the decision to send and drained by
-- bot.delivery. Times are ISO 8601 UTC text with microseconds, so they compare as text.

-- What is sent, rendered once per language or variant and shared by all its recipients, so a
-- broadcast to 100,000 chats stores its text once.
CREATE TABLE outbox_payloads (
    id         INTEGER PRIMARY KEY,
    method     TEXT NOT NULL,            -- the Bot API method: sendMessage, sendDocument, ...
    params     TEXT NOT NULL,            -- its parameters as a JSON object, without chat_id
    created_at TEXT NOT NULL
);

-- One message to one chat. `kind` is checked in Python (bot.delivery.messages.Kind) so a feature
-- can add a kind without rebuilding this table.
CREATE TABLE outbox (
    id            INTEGER PRIMARY KEY,
    payload_id    INTEGER NOT NULL REFERENCES outbox_payloads (id),
    chat_id       INTEGER NOT NULL,
    -- /forget deletes the subscriber and with it what was queued for them.
    subscriber_id INTEGER REFERENCES subscribers (id) ON DELETE CASCADE,
    params        TEXT,                  -- JSON object overriding the payload's, for this chat
    kind          TEXT NOT NULL,         -- alert, broadcast, reminder, outcome, notice
    broadcast_id  INTEGER,
    priority      INTEGER NOT NULL,      -- lower goes first
    status        TEXT NOT NULL DEFAULT 'pending' CHECK (status IN
                  ('pending', 'sending', 'sent', 'failed', 'blocked', 'cancelled')),
    attempts      INTEGER NOT NULL DEFAULT 0,
    migrated      INTEGER NOT NULL DEFAULT 0,  -- 1 once resent to a group's supergroup id
    not_before    TEXT NOT NULL,
    claimed_at    TEXT,                  -- when the engine took it (status 'sending')
    sent_at       TEXT,
    message_id    INTEGER,               -- Telegram's id of the message sent
    last_error    TEXT,
    created_at    TEXT NOT NULL
);

-- Claiming: due rows in order, scanning only pending ones.
CREATE INDEX outbox_due ON outbox (priority, not_before, id) WHERE status = 'pending';
-- When the engine should wake next.
CREATE INDEX outbox_next ON outbox (not_before) WHERE status = 'pending';
-- Rows a crash left in flight, returned to pending at start.
CREATE INDEX outbox_in_flight ON outbox (claimed_at) WHERE status = 'sending';
-- Progress and cancelling of a broadcast.
CREATE INDEX outbox_by_broadcast ON outbox (broadcast_id, status) WHERE broadcast_id IS NOT NULL;
-- A chat that blocked the bot or became a supergroup.
CREATE INDEX outbox_by_chat ON outbox (chat_id);
-- The cascade when a subscriber is forgotten.
CREATE INDEX outbox_by_subscriber ON outbox (subscriber_id);
