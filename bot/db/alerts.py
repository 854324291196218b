"""The case_alerts table: which case reached which subscriber (the offer sweep in
bot.db.offers writes it). A message to everyone a case reached goes through bot.db.news."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.db.cases import stored_case
from bot.db.connection import Database
from bot.db.reminders import plan
from bot.domain.cases import UrgentAction


class AlertRepository:
    """Records that a case reached a subscriber, once."""

    def __init__(self, db: Database, default_timezone: str) -> None:
        self._db = db
        self._default_timezone = default_timezone

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

    async def record(self, case: UrgentAction, subscriber_id: int, now: datetime) -> bool:
        """Record the alert and plan its reminders; return False when this subscriber already
        had it, or is gone (a /forget handled between their /start and this record).

        The reminders follow the case as stored, not `case`: an organizer's import or edit may
        have moved its deadline since the caller read it (issue 22.9).
        """
        async with self._db.transaction() as conn:
            stored = await stored_case(conn, case.slug)
            if stored is None:
                return False
            # Only for a subscriber still there: taps are handled concurrently, and an insert
            # naming a row deleted meanwhile fails its foreign key.
            cursor = await conn.execute(
                "INSERT INTO case_alerts (case_slug, subscriber_id, alerted_at)"
                " SELECT ?, ?, ? WHERE EXISTS (SELECT 1 FROM subscribers WHERE id = ?)"
                " ON CONFLICT DO NOTHING",
                (case.slug, subscriber_id, now.isoformat(), subscriber_id),
            )
            if cursor.rowcount <= 0:
                return False
            await conn.execute(
                "UPDATE cases SET offered = offered + 1 WHERE slug = ?", (case.slug,)
            )
            await plan(conn, stored, now, self._default_timezone, subscriber_id)
            return True


@dataclass(frozen=True)
class Audience:
    """One kind of recipient of a case alert: a language, and a group or a person."""

    language: str
    in_group: bool
