-- The console's inbox lists every imported draft with where its sheet came from, and keeps the
-- sheet's text bounded: `source` is the door it came in by ("chat" or "console"), `cut` how many
-- characters past the bound (bot.db.console.SHEET_CHARACTERS) were not kept. A sheet goes when
-- its case is no longer stored, and SHEET_KEPT_AFTER_PUBLISHING after its case is published
-- (bot.db.console.CaseSheetRepository.forget_old). Sheets kept before this migration came from
-- the console, the only door that kept them.

ALTER TABLE case_sheets ADD COLUMN source TEXT NOT NULL DEFAULT 'console';
ALTER TABLE case_sheets ADD COLUMN cut INTEGER NOT NULL DEFAULT 0;

-- The language an organizer chose for the console's own pages; without a row, the console
-- speaks the language of their Telegram app, as the launch data gives it.
CREATE TABLE console_languages (
    user_id    INTEGER PRIMARY KEY,     -- the organizer's Telegram user id
    language   TEXT NOT NULL,           -- a language the bot speaks
    chosen_at  TEXT NOT NULL
);
