-- Cases, subscribers and what they did. Times are ISO 8601 UTC text.

-- A case lives here once seeded or imported: the database is its truth from then on.
CREATE TABLE cases (
    slug         TEXT PRIMARY KEY,
    document     TEXT NOT NULL,          -- the UrgentAction as JSON (bot.catalogue codec)
    status       TEXT NOT NULL CHECK (status IN ('draft', 'active', 'closed')),
    source       TEXT,                   -- the file it came from, if any
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    published_at TEXT,
    closed_at    TEXT
);

-- A chat that receives alerts: a person's private chat, or a group.
-- `actor` is a random key that links a person's action records to them; /forget deletes the
-- row, and the records stay as anonymous counts.
CREATE TABLE subscribers (
    id            INTEGER PRIMARY KEY,
    chat_id       INTEGER NOT NULL UNIQUE,
    chat_type     TEXT NOT NULL CHECK (chat_type IN ('private', 'group', 'supergroup')),
    actor         TEXT NOT NULL UNIQUE,
    language      TEXT NOT NULL DEFAULT 'en',
    countries     TEXT,                  -- JSON list of ISO 3166 codes; NULL: every case
    timezone      TEXT,                  -- IANA name; NULL: the bot's default
    signature     TEXT,                  -- kept only when the person asks to remember it
    status        TEXT NOT NULL DEFAULT 'active'
                  CHECK (status IN ('active', 'stopped', 'blocked')),
    subscribed_at TEXT NOT NULL,
    updated_at    TEXT NOT NULL
);

-- Which case reached which subscriber: each case reaches each subscriber once.
CREATE TABLE case_alerts (
    case_slug     TEXT NOT NULL REFERENCES cases (slug),
    subscriber_id INTEGER NOT NULL REFERENCES subscribers (id) ON DELETE CASCADE,
    alerted_at    TEXT NOT NULL,
    PRIMARY KEY (case_slug, subscriber_id)
);

-- An appeal sent: case, person (by actor key), channel, the target written to, and when.
CREATE TABLE actions (
    id        INTEGER PRIMARY KEY,
    case_slug TEXT NOT NULL REFERENCES cases (slug),
    actor     TEXT NOT NULL,
    channel   TEXT NOT NULL CHECK (channel IN ('email', 'fax', 'post')),
    target    INTEGER NOT NULL,          -- index of the target in the case's targets
    acted_at  TEXT NOT NULL,
    UNIQUE (case_slug, actor, channel, target)
);
CREATE INDEX actions_by_case ON actions (case_slug, acted_at);

-- The funnel's middle step: who opened the appeal of a case (once per person).
CREATE TABLE appeal_opens (
    case_slug TEXT NOT NULL REFERENCES cases (slug),
    actor     TEXT NOT NULL,
    opened_at TEXT NOT NULL,
    PRIMARY KEY (case_slug, actor)
);
