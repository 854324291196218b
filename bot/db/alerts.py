"""The case_alerts table: which case reached which subscriber."""

from __future__ import annotations

from datetime import datetime

from bot.db.connection import Database


class AlertRepository:
    """Records that a case reached a subscriber, once."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def of_subscriber(self, subscriber_id: int) -> list[tuple[str, datetime]]:
        """The cases that reached this subscriber, and when."""
        async with self._db.read() as conn:
            cursor = await conn.execute(
                "SELECT case_slug, alerted_at FROM case_alerts WHERE subscriber_id = ?"
                " ORDER BY alerted_at",
                (subscriber_id,),
            )
            rows = await cursor.fetchall()
        return [(row[0], datetime.fromisoformat(row[1])) for row in rows]

    async def record(self, case_slug: str, subscriber_id: int, now: datetime) -> bool:
        """Record the alert; return False when this subscriber already had it."""
        async with self._db.transaction() as conn:
            cursor = await conn.execute(
                "INSERT INTO case_alerts (case_slug, subscriber_id, alerted_at) VALUES (?, ?, ?)"
                " ON CONFLICT DO NOTHING",
                (case_slug, subscriber_id, now.isoformat()),
            )
            return cursor.rowcount > 0
