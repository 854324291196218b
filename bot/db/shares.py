"""The share_arrivals table: people who came to a case through a card a friend shared.

Only the newcomer's row is kept (the case, whether the link subscribed them, when), which is
what the counts need: how many joined through shares and how many of those who came acted on
the case. Who shared is never known to the bot.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.db.connection import Database
from bot.db.outbox import timestamp


@dataclass(frozen=True)
class ShareCounts:
    """Per case: people a share subscribed, and people who came through one and then acted."""

    joined: int = 0
    acted: int = 0


class ShareRepository:
    """Records arrivals through shared cards and counts them per case."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def arrive(
        self, case_slug: str, subscriber_id: int, *, joined: bool, now: datetime
    ) -> None:
        """Note that the person came to the case through a share (the first time only)."""
        async with self._db.transaction() as conn:
            await conn.execute(
                "INSERT INTO share_arrivals (case_slug, subscriber_id, joined, arrived_at)"
                " VALUES (?, ?, ?, ?) ON CONFLICT (case_slug, subscriber_id) DO NOTHING",
                (case_slug, subscriber_id, int(joined), timestamp(now)),
            )

    async def counts(self, case_slug: str) -> ShareCounts:
        """How many joined through shares of the case, and how many who came acted on it (a
        person who had acted before following a share is not recorded as coming through it)."""
        async with self._db.read() as conn:
            cursor = await conn.execute(
                "SELECT coalesce(sum(a.joined), 0), coalesce(sum(CASE WHEN EXISTS ("
                "   SELECT 1 FROM actions x WHERE x.case_slug = a.case_slug"
                "   AND x.actor = s.actor) THEN 1 ELSE 0 END), 0)"
                " FROM share_arrivals a JOIN subscribers s ON s.id = a.subscriber_id"
                " WHERE a.case_slug = ?",
                (case_slug,),
            )
            row = await cursor.fetchone()
        assert row is not None
        return ShareCounts(joined=int(row[0]), acted=int(row[1]))

    async def of_subscriber(self, subscriber_id: int) -> list[dict[str, str | bool]]:
        """The cases one person came to through a share, for /mydata."""
        async with self._db.read() as conn:
            cursor = await conn.execute(
                "SELECT case_slug, joined, arrived_at FROM share_arrivals"
                " WHERE subscriber_id = ? ORDER BY arrived_at",
                (subscriber_id,),
            )
            rows = await cursor.fetchall()
        return [{"case": r[0], "subscribed_by_it": bool(r[1]), "at": r[2]} for r in rows]
