"""Pure logic of Urgent Actions: no Telegram, no SQL."""
