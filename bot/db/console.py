"""The console_links table: one-time sign-in links to the organizers' console."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from bot.db.connection import Connection, Database
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


# A sheet is a few pages; a PDF's text can be far longer. Past this, the rest is not kept.
SHEET_CHARACTERS = 60_000
# Long enough to check a published case against its sheet in its first weeks, then it goes: the
# sheet names people, and the case holds everything the bot needs.
SHEET_KEPT_AFTER_PUBLISHING = timedelta(days=30)


@dataclass(frozen=True)
class CaseSheet:
    """The sheet a case was imported from, and what the importer noted reading it."""

    slug: str
    sheet: str
    notes: list[dict[str, Any]]
    imported_by: int
    imported_at: datetime
    source: str = "console"  # the door it came in by: "chat" or "console"
    cut: int = 0  # characters past SHEET_CHARACTERS, not kept


def bounded(sheet: str) -> tuple[str, int]:
    """The part of a sheet's text that is kept, and how many characters were left out."""
    return sheet[:SHEET_CHARACTERS], max(0, len(sheet) - SHEET_CHARACTERS)


@dataclass(frozen=True)
class InboxEntry:
    """A draft case in the console's inbox: when and how it came in (None: not from a sheet
    the bot kept, e.g. a case file or an import from before the sheets were kept)."""

    slug: str
    created_at: datetime
    source: str | None
    imported_at: datetime | None


class CaseSheetRepository:
    """The sheets cases were imported from (the console's inbox shows them beside the case)."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def keep(
        self,
        slug: str,
        sheet: str,
        notes: list[dict[str, Any]],
        by: int,
        now: datetime,
        *,
        source: str = "console",
    ) -> None:
        """Keep the sheet of case `slug` (a later import of it replaces the earlier one),
        bounded to SHEET_CHARACTERS; sheets whose time is over go on the way."""
        text, cut = bounded(sheet)
        async with self._db.transaction() as conn:
            await _forget_old(conn, now)
            await conn.execute("DELETE FROM case_sheets WHERE slug = ?", (slug,))
            await conn.execute(
                "INSERT INTO case_sheets (slug, sheet, notes, imported_by, imported_at, source,"
                " cut) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    slug,
                    text,
                    json.dumps(notes, ensure_ascii=False),
                    by,
                    timestamp(now),
                    source,
                    cut,
                ),
            )

    async def forget_old(self, now: datetime) -> None:
        """Delete the sheets of cases no longer stored, or published over
        SHEET_KEPT_AFTER_PUBLISHING ago."""
        async with self._db.transaction() as conn:
            await _forget_old(conn, now)

    async def get(self, slug: str) -> CaseSheet | None:
        """The sheet case `slug` was imported from, or None (a case file, or an older import)."""
        async with self._db.read() as conn:
            row = await conn.fetchone(
                "SELECT slug, sheet, notes, imported_by, imported_at, source, cut"
                " FROM case_sheets WHERE slug = ?",
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
            source=str(row["source"]),
            cut=int(row["cut"]),
        )

    async def inbox(self, now: datetime) -> list[InboxEntry]:
        """Every draft case, the latest imported first, with how its sheet came in."""
        await self.forget_old(now)
        async with self._db.read() as conn:
            rows = await conn.fetchall(
                "SELECT c.slug, c.created_at, s.source, s.imported_at FROM cases c"
                " LEFT JOIN case_sheets s ON s.slug = c.slug WHERE c.status = 'draft'"
                " ORDER BY coalesce(s.imported_at, c.created_at) DESC, c.slug"
            )
        return [
            InboxEntry(
                slug=str(row["slug"]),
                created_at=datetime.fromisoformat(row["created_at"]),
                source=None if row["source"] is None else str(row["source"]),
                imported_at=None
                if row["imported_at"] is None
                else datetime.fromisoformat(row["imported_at"]),
            )
            for row in rows
        ]


async def _forget_old(conn: Connection, now: datetime) -> None:
    # cases.published_at is written as isoformat(), so it compares as text with the same form.
    await conn.execute(
        "DELETE FROM case_sheets WHERE slug NOT IN (SELECT slug FROM cases)"
        " OR slug IN (SELECT slug FROM cases WHERE published_at IS NOT NULL"
        " AND published_at < ?)",
        ((now - SHEET_KEPT_AFTER_PUBLISHING).isoformat(),),
    )


class ConsoleLanguageRepository:
    """The language each organizer chose for the console's own pages."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def get(self, user_id: int) -> str | None:
        """The language the organizer chose, or None (the console follows their app's)."""
        async with self._db.read() as conn:
            row = await conn.fetchone(
                "SELECT language FROM console_languages WHERE user_id = ?", (user_id,)
            )
        return None if row is None else str(row["language"])

    async def choose(self, user_id: int, language: str, now: datetime) -> None:
        """Keep `language` as the organizer's console language."""
        async with self._db.transaction() as conn:
            await conn.execute(
                "INSERT INTO console_languages (user_id, language, chosen_at) VALUES (?, ?, ?)"
                " ON CONFLICT (user_id) DO UPDATE"
                " SET language = excluded.language, chosen_at = excluded.chosen_at",
                (user_id, language, timestamp(now)),
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
