"""The cases table: once a case is here, the database is its truth."""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime

from bot.catalogue import case_from_mapping, case_to_mapping
from bot.db.connection import Connection, Database, Row
from bot.db.dialect import Dialect
from bot.db.drafts import Draft, take
from bot.db.reminders import replan
from bot.domain.cases import CaseStatus, UrgentAction


def _case(row: Row) -> UrgentAction:
    return case_from_mapping(json.loads(row["document"]), source=f"database:{row['slug']}")


async def _insert(conn: Connection, case: UrgentAction, source: str, now: datetime) -> bool:
    """Add the case unless its slug is stored already; whether it was added."""
    cursor = await conn.execute(
        "INSERT INTO cases (slug, document, status, source, created_at, updated_at,"
        " published_at) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (slug) DO NOTHING",
        (
            case.slug,
            json.dumps(case_to_mapping(case), ensure_ascii=False),
            case.status,
            source,
            now.isoformat(),
            now.isoformat(),
            now.isoformat() if case.status is CaseStatus.ACTIVE else None,
        ),
    )
    return bool(cursor.rowcount)


_STORED = "SELECT * FROM cases WHERE slug = ?"
_STORED_LOCKED = _STORED + " FOR UPDATE"


async def stored_case(conn: Connection, slug: str) -> UrgentAction | None:
    """The case as stored now, read in the caller's transaction, which then holds its row until
    it ends (PostgreSQL: FOR UPDATE; SQLite's writer holds the whole file): an edit or import
    of the case waits, and whatever the transaction plans from it stays true to the case.

    FOR UPDATE, not FOR SHARE: the caller goes on to update the row (alerts.record counts the
    case's alerts), and two holders of a shared lock that both update would deadlock."""
    sql = _STORED_LOCKED if conn.dialect is Dialect.POSTGRESQL else _STORED
    row = await conn.fetchone(sql, (slug,))
    return _case(row) if row is not None else None


class SlugTakenError(Exception):
    """A new case's slug is another case's: nothing was stored."""


class CaseRepository:
    """Reads and writes cases."""

    def __init__(self, db: Database, default_timezone: str = "UTC") -> None:
        self._db = db
        self._default_timezone = default_timezone

    async def seed(self, cases: Iterable[tuple[UrgentAction, str]], now: datetime) -> list[str]:
        """Insert the cases not yet in the database (with their source file); return their slugs.

        A case already stored is left alone: organizers' edits live in the database.
        """
        added: list[str] = []
        async with self._db.transaction() as conn:
            for case, source in cases:
                if await _insert(conn, case, source, now):
                    added.append(case.slug)
        return added

    async def save(self, case: UrgentAction, now: datetime) -> None:
        """Store an organizer's change to a case (its status, dates, addresses).

        When the deadline or the reminder plan of an active case changes, its pending reminders
        are planned anew in the same transaction.
        """
        async with self._db.transaction() as conn:
            await self._save(conn, case, now)

    async def store_import(
        self, case: UrgentAction, now: datetime, draft: Draft | None, *, update: bool
    ) -> bool:
        """Store a case read from a sheet and finish the organizer's import `draft`, at once.

        A new slug is added; an `update` (a follow-up) is saved over its case, as `save` does.
        Returns whether the case is new. DraftGoneError, with nothing stored, if the draft was
        finished or changed since it was read (a second tap); SlugTakenError, with nothing
        stored, if a new case's slug was taken meanwhile: another case is never overwritten.
        """
        async with self._db.transaction() as conn:
            if draft is not None:  # the chat's import waits in a draft; the console's does not
                await take(conn, draft)
            added = await _insert(conn, case, "import", now)
            if not added and not update:
                raise SlugTakenError(case.slug)
            if not added:
                await self._save(conn, case, now)
        return added

    async def _save(self, conn: Connection, case: UrgentAction, now: datetime) -> None:
        published = now.isoformat() if case.status is CaseStatus.ACTIVE else None
        closed = now.isoformat() if case.status is CaseStatus.CLOSED else None
        cursor = await conn.execute("SELECT * FROM cases WHERE slug = ?", (case.slug,))
        row = await cursor.fetchone()
        before = _case(row) if row is not None else None
        await conn.execute(
            "UPDATE cases SET document = ?, status = ?, updated_at = ?,"
            " published_at = coalesce(published_at, ?), closed_at = coalesce(closed_at, ?)"
            " WHERE slug = ?",
            (
                json.dumps(case_to_mapping(case), ensure_ascii=False),
                case.status,
                now.isoformat(),
                published,
                closed,
                case.slug,
            ),
        )
        if (
            before is not None
            and case.status is CaseStatus.ACTIVE
            and (
                before.deadline_moment() != case.deadline_moment()
                or before.reminder_offsets != case.reminder_offsets
            )
        ):
            await replan(conn, case, now, self._default_timezone)

    async def get(self, slug: str) -> UrgentAction | None:
        """The case `slug`, or None."""
        async with self._db.read() as conn:
            cursor = await conn.execute("SELECT slug, document FROM cases WHERE slug = ?", (slug,))
            row = await cursor.fetchone()
        return _case(row) if row is not None else None

    async def with_status(self, *statuses: CaseStatus) -> list[UrgentAction]:
        """The cases in any of `statuses`, oldest first."""
        async with self._db.read() as conn:
            cursor = await conn.execute(
                "SELECT slug, document FROM cases WHERE status IN (SELECT value FROM json_each(?))"
                " ORDER BY created_at, slug",
                (json.dumps([str(s) for s in statuses]),),
            )
            rows = await cursor.fetchall()
        return [_case(row) for row in rows]

    async def active(self) -> list[UrgentAction]:
        """The cases that take appeals now."""
        return await self.with_status(CaseStatus.ACTIVE)

    async def all(self) -> list[UrgentAction]:
        """Every case, whatever its status."""
        return await self.with_status(*CaseStatus)
