"""The drafts table: organizers' unfinished work, kept across restarts until it is finished.

One draft per organizer and kind. A feature reads its draft, saves it as it changes, and takes
it when it is done: taking deletes the draft only if it is still as it was read, so two taps that
race to finish one draft finish it once. A draft not changed for `MAX_AGE` is treated as gone,
and deleted.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from bot.db.connection import Connection, Database, Row
from bot.db.outbox import timestamp

# Long enough to finish a draft after a weekend away; short enough that a forgotten one, with
# whatever it says, does not stay for good.
MAX_AGE = timedelta(days=7)


class DraftKind(StrEnum):
    """What a draft is the beginning of."""

    BROADCAST = "broadcast"
    IMPORT = "import"


class DraftGoneError(Exception):
    """The draft was finished, dropped or changed since it was read: nothing was done with it."""


@dataclass(frozen=True)
class Draft:
    """An organizer's unfinished work, as last saved."""

    user_id: int
    kind: DraftKind
    body: Mapping[str, Any]  # a JSON object, in the shape its feature gives it
    updated_at: datetime


def _encoded(body: Mapping[str, Any]) -> str:
    # Sorted and compact, so the same body is always the same text: `take` compares them.
    return json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _draft(row: Row) -> Draft:
    return Draft(
        user_id=int(row["user_id"]),
        kind=DraftKind(row["kind"]),
        body=json.loads(row["body"]),
        updated_at=datetime.fromisoformat(row["updated_at"]),
    )


async def take(conn: Connection, draft: Draft) -> None:
    """Delete the draft in the caller's transaction; DraftGoneError if it changed since read."""
    cursor = await conn.execute(
        "DELETE FROM drafts WHERE user_id = ? AND kind = ? AND body = ? AND updated_at = ?",
        (draft.user_id, draft.kind, _encoded(draft.body), timestamp(draft.updated_at)),
    )
    if cursor.rowcount == 0:
        raise DraftGoneError(f"the {draft.kind} draft of {draft.user_id} is gone")


class DraftRepository:
    """Organizers' drafts: read, saved, taken when done, forgotten."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def get(self, user_id: int, kind: DraftKind, now: datetime) -> Draft | None:
        """The organizer's draft of this kind, or None; one too old is deleted."""
        async with self._db.read() as conn:
            cursor = await conn.execute(
                "SELECT user_id, kind, body, updated_at FROM drafts"
                " WHERE user_id = ? AND kind = ?",
                (user_id, kind),
            )
            row = await cursor.fetchone()
        if row is None:
            return None
        draft = _draft(row)
        if draft.updated_at >= now - MAX_AGE:
            return draft
        async with self._db.transaction() as conn:
            await conn.execute(
                "DELETE FROM drafts WHERE user_id = ? AND kind = ? AND updated_at < ?",
                (user_id, kind, timestamp(now - MAX_AGE)),
            )
        return None

    async def save(
        self, user_id: int, kind: DraftKind, body: Mapping[str, Any], now: datetime
    ) -> None:
        """Keep the organizer's draft of this kind as `body`, replacing the one before."""
        async with self._db.transaction() as conn:
            await conn.execute(
                "INSERT INTO drafts (user_id, kind, body, updated_at) VALUES (?, ?, ?, ?)"
                " ON CONFLICT (user_id, kind) DO UPDATE"
                " SET body = excluded.body, updated_at = excluded.updated_at",
                (user_id, kind, _encoded(body), timestamp(now)),
            )
            # Anyone's drafts too old to finish go now, not only when their owner comes back.
            await conn.execute(
                "DELETE FROM drafts WHERE updated_at < ?", (timestamp(now - MAX_AGE),)
            )

    async def take(self, draft: Draft) -> None:
        """Delete the draft now that it is done; DraftGoneError if it changed since read."""
        async with self._db.transaction() as conn:
            await take(conn, draft)

    async def of_person(self, user_id: int, now: datetime) -> list[Draft]:
        """Every draft the person has (for /mydata); those too old are deleted."""
        async with self._db.transaction() as conn:
            await conn.execute(
                "DELETE FROM drafts WHERE user_id = ? AND updated_at < ?",
                (user_id, timestamp(now - MAX_AGE)),
            )
            cursor = await conn.execute(
                "SELECT user_id, kind, body, updated_at FROM drafts WHERE user_id = ?"
                " ORDER BY kind",
                (user_id,),
            )
            return [_draft(row) for row in await cursor.fetchall()]

    async def forget(self, user_id: int) -> int:
        """Delete every draft of the person (/forget); return how many there were."""
        async with self._db.transaction() as conn:
            cursor = await conn.execute("DELETE FROM drafts WHERE user_id = ?", (user_id,))
            return cursor.rowcount
