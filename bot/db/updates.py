"""The updates handled: one that Telegram posts twice, or that reaches two processes, is
handled once.

The first process to record an update's id handles it; a repeat finds it recorded and is
dropped. An id is recorded before the update is handled: an update whose handling then fails is
not handled again (the person got the apology, and taps again). Records are kept `KEPT`, as
long as Telegram keeps an update to post again.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.db.connection import Database
from bot.db.outbox import timestamp

KEPT = timedelta(days=1)


class HandledUpdates:
    """Record updates as handled, and forget the records once no repeat can come."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def first_time(self, update_id: int, fingerprint: str, now: datetime) -> bool:
        """Record the update; True if it was not recorded before (handle it), False for a repeat.

        An id recorded with another fingerprint is a new update reusing an old id (Telegram
        draws ids afresh after a week without updates): it is recorded anew and handled."""
        async with self._db.transaction() as conn:
            cursor = await conn.execute(
                "INSERT INTO handled_updates (update_id, fingerprint, handled_at) VALUES (?, ?, ?)"
                " ON CONFLICT (update_id) DO UPDATE"
                " SET fingerprint = excluded.fingerprint, handled_at = excluded.handled_at"
                " WHERE handled_updates.fingerprint <> excluded.fingerprint",
                (update_id, fingerprint, timestamp(now)),
            )
            return cursor.rowcount > 0

    async def forget_older(self, now: datetime) -> int:
        """Drop the records older than KEPT; return how many."""
        async with self._db.transaction() as conn:
            cursor = await conn.execute(
                "DELETE FROM handled_updates WHERE handled_at < ?", (timestamp(now - KEPT),)
            )
            return cursor.rowcount
