"""The actions and appeal_opens tables: who acted on which case, and how."""

from __future__ import annotations

from datetime import datetime

from bot.db.connection import Database
from bot.db.reminders import cancel_for_actor
from bot.domain.cases import Channel


class ActionRepository:
    """Records appeals sent, once each, and counts them."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def record(
        self, case_slug: str, actor: str, channel: Channel, target: int, now: datetime
    ) -> bool:
        """Record an appeal to target number `target`; False when already recorded."""
        async with self._db.transaction() as conn:
            cursor = await conn.execute(
                "INSERT INTO actions (case_slug, actor, channel, target, acted_at)"
                " VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                (case_slug, actor, channel, target, now.isoformat()),
            )
            # Whoever acted gets no more reminders about the case.
            await cancel_for_actor(conn, case_slug, actor, now)
            return cursor.rowcount > 0

    async def done(self, case_slug: str, actor: str) -> set[tuple[Channel, int]]:
        """The (channel, target) pairs this person has recorded on the case."""
        async with self._db.read() as conn:
            cursor = await conn.execute(
                "SELECT channel, target FROM actions WHERE case_slug = ? AND actor = ?",
                (case_slug, actor),
            )
            rows = await cursor.fetchall()
        return {(Channel(row["channel"]), int(row["target"])) for row in rows}

    async def count_people(self, case_slug: str) -> int:
        """How many people acted on the case (forgotten people still count, anonymously)."""
        async with self._db.read() as conn:
            cursor = await conn.execute(
                "SELECT count(DISTINCT actor) FROM actions WHERE case_slug = ?", (case_slug,)
            )
            row = await cursor.fetchone()
        return int(row[0]) if row else 0

    async def of_actor(self, actor: str) -> list[tuple[str, Channel, int, datetime]]:
        """Every appeal this person recorded: (case, channel, target, when), oldest first."""
        async with self._db.read() as conn:
            cursor = await conn.execute(
                "SELECT case_slug, channel, target, acted_at FROM actions WHERE actor = ?"
                " ORDER BY acted_at, id",
                (actor,),
            )
            rows = await cursor.fetchall()
        return [
            (row[0], Channel(row[1]), int(row[2]), datetime.fromisoformat(row[3])) for row in rows
        ]

    async def opened_by(self, actor: str) -> list[tuple[str, datetime]]:
        """The cases whose appeal this person opened, and when."""
        async with self._db.read() as conn:
            cursor = await conn.execute(
                "SELECT case_slug, opened_at FROM appeal_opens WHERE actor = ? ORDER BY opened_at",
                (actor,),
            )
            rows = await cursor.fetchall()
        return [(row[0], datetime.fromisoformat(row[1])) for row in rows]

    async def record_open(self, case_slug: str, actor: str, now: datetime) -> None:
        """Note that this person opened the case's appeal (once)."""
        async with self._db.transaction() as conn:
            await conn.execute(
                "INSERT INTO appeal_opens (case_slug, actor, opened_at) VALUES (?, ?, ?)"
                " ON CONFLICT DO NOTHING",
                (case_slug, actor, now.isoformat()),
            )
