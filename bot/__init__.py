"""A Telegram bot for human-rights Urgent Actions."""
