-- People who came to a case through a card a friend shared ("Ask a friend", bot.db.shares):
-- the newcomer and whether the share's link subscribed them, so that organizers can count per
-- case how many joined and how many acted through shares. Nothing about who shared is kept;
-- /forget deletes the row with the person.
CREATE TABLE share_arrivals (
    case_slug     TEXT NOT NULL REFERENCES cases (slug),
    subscriber_id INTEGER NOT NULL REFERENCES subscribers (id) ON DELETE CASCADE,
    joined        INTEGER NOT NULL,      -- 1 when following the share subscribed them
    arrived_at    TEXT NOT NULL,
    PRIMARY KEY (case_slug, subscriber_id)
);
CREATE INDEX share_arrivals_by_subscriber ON share_arrivals (subscriber_id);
