"""The console_links table: one-time sign-in links to the organizers' console."""

from __future__ import annotations

from datetime import datetime

from bot.db.connection import Database
from bot.db.outbox import timestamp


class ConsoleLinkRepository:
    """Sign-in links: stored by the hash of their secret, spent once, good for minutes."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def create(
        self, token_hash: str, user_id: int, now: datetime, expires: datetime
    ) -> None:
        """Store a new link for `user_id`; links already expired are deleted on the way."""
        async with self._db.transaction() as conn:
            await conn.execute("DELETE FROM console_links WHERE expires_at < ?", (timestamp(now),))
            await conn.execute(
                "INSERT INTO console_links (token_hash, user_id, expires_at) VALUES (?, ?, ?)",
                (token_hash, user_id, timestamp(expires)),
            )

    async def spend(self, token_hash: str, now: datetime) -> int | None:
        """The user a link signs in, spending it; None if it is unknown, used or expired.

        One statement marks it used only if it was not, so two uses racing spend it once.
        """
        async with self._db.transaction() as conn:
            cursor = await conn.execute(
                "UPDATE console_links SET used_at = ?"
                " WHERE token_hash = ? AND used_at IS NULL AND expires_at > ?",
                (timestamp(now), token_hash, timestamp(now)),
            )
            if cursor.rowcount != 1:
                return None
            row = await conn.fetchone(
                "SELECT user_id FROM console_links WHERE token_hash = ?", (token_hash,)
            )
        return None if row is None else int(row["user_id"])
