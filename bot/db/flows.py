"""The flows table: a person's unfinished step in a conversation (a signature being typed, a
screen waiting for a typed place), kept in the database so that any process continues it.

One row per person and step; the body is JSON in the shape its step gives it. A step older than
`LASTS` is treated as gone, and deleted by the sweep.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any

from bot.db.connection import Database
from bot.db.outbox import timestamp

LASTS = timedelta(days=1)


def _encoded(body: Any) -> str:
    return json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


class FlowRepository:
    """People's unfinished steps: read all at once, kept, ended, forgotten."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def of_person(self, user_id: int, now: datetime) -> dict[str, Any]:
        """Every unfinished step of the person, by name (those older than LASTS left out)."""
        async with self._db.read() as conn:
            rows = await conn.fetchall(
                "SELECT name, body FROM flows WHERE user_id = ? AND since >= ?",
                (user_id, timestamp(now - LASTS)),
            )
        return {str(row["name"]): json.loads(row["body"]) for row in rows}

    async def keep(self, user_id: int, name: str, body: Any, now: datetime) -> None:
        """Hold the person's step `name` as `body` from now on."""
        async with self._db.transaction() as conn:
            await conn.execute(
                "INSERT INTO flows (user_id, name, body, since) VALUES (?, ?, ?, ?)"
                " ON CONFLICT (user_id, name) DO UPDATE"
                " SET body = excluded.body, since = excluded.since",
                (user_id, name, _encoded(body), timestamp(now)),
            )

    async def end(self, user_id: int, *names: str) -> None:
        """The person's steps `names` are over."""
        async with self._db.transaction() as conn:
            await conn.executemany(
                "DELETE FROM flows WHERE user_id = ? AND name = ?",
                [(user_id, name) for name in names],
            )

    async def forget(self, user_id: int) -> int:
        """Delete every step of the person (/forget); return how many there were."""
        async with self._db.transaction() as conn:
            cursor = await conn.execute("DELETE FROM flows WHERE user_id = ?", (user_id,))
            return cursor.rowcount

    async def drop_older(self, now: datetime) -> int:
        """Delete the steps older than LASTS; return how many."""
        async with self._db.transaction() as conn:
            cursor = await conn.execute(
                "DELETE FROM flows WHERE since < ?", (timestamp(now - LASTS),)
            )
            return cursor.rowcount
