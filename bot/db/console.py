"""The console_links table: one-time sign-in links to the organizers' console."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

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


@dataclass(frozen=True)
class CaseSheet:
    """The sheet a case was imported from, and what the importer noted reading it."""

    slug: str
    sheet: str
    notes: list[dict[str, Any]]
    imported_by: int
    imported_at: datetime


class CaseSheetRepository:
    """The sheets cases were imported from (the console's inbox shows them beside the case)."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def keep(
        self, slug: str, sheet: str, notes: list[dict[str, Any]], by: int, now: datetime
    ) -> None:
        """Keep the sheet of case `slug` (a later import of it replaces the earlier one)."""
        async with self._db.transaction() as conn:
            await conn.execute("DELETE FROM case_sheets WHERE slug = ?", (slug,))
            await conn.execute(
                "INSERT INTO case_sheets (slug, sheet, notes, imported_by, imported_at)"
                " VALUES (?, ?, ?, ?, ?)",
                (slug, sheet, json.dumps(notes, ensure_ascii=False), by, timestamp(now)),
            )

    async def get(self, slug: str) -> CaseSheet | None:
        """The sheet case `slug` was imported from, or None (a case file, or an older import)."""
        async with self._db.read() as conn:
            row = await conn.fetchone(
                "SELECT slug, sheet, notes, imported_by, imported_at FROM case_sheets"
                " WHERE slug = ?",
                (slug,),
            )
        if row is None:
            return None
        return CaseSheet(
            slug=str(row["slug"]),
            sheet=str(row["sheet"]),
            notes=json.loads(row["notes"]),
            imported_by=int(row["imported_by"]),
            imported_at=datetime.fromisoformat(row["imported_at"]),
        )


async def subscribers_by_language(db: Database) -> dict[str, int]:
    """How many subscribers receive alerts, by the language they read the bot in (counts)."""
    async with db.read() as conn:
        rows = await conn.fetchall(
            "SELECT language, count(*) AS people FROM subscribers WHERE status = 'active'"
            " GROUP BY language ORDER BY language"
        )
    return {str(row["language"]): int(row["people"]) for row in rows}


async def recent_broadcasts(db: Database, limit: int = 10) -> list[int]:
    """The ids of the latest broadcasts, newest first (the console lists them)."""
    async with db.read() as conn:
        rows = await conn.fetchall("SELECT id FROM broadcasts ORDER BY id DESC LIMIT ?", (limit,))
    return [int(row["id"]) for row in rows]
