"""The organizers and audit_log tables."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from bot.db.connection import Connection, Database


async def audit(
    conn: Connection, user_id: int, action: str, detail: dict[str, Any], now: datetime
) -> None:
    """Record what an organizer did, inside the caller's transaction."""
    await conn.execute(
        "INSERT INTO audit_log (at, user_id, action, detail) VALUES (?, ?, ?, ?)",
        (now.isoformat(), user_id, action, json.dumps(detail, ensure_ascii=False)),
    )


class OrganizerRepository:
    """Organizers added in the chat, and the audit log."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def is_added(self, user_id: int) -> bool:
        """Whether an organizer added this user in the chat."""
        async with self._db.read() as conn:
            cursor = await conn.execute("SELECT 1 FROM organizers WHERE user_id = ?", (user_id,))
            return await cursor.fetchone() is not None

    async def added(self) -> list[int]:
        """The users organizers added in the chat."""
        async with self._db.read() as conn:
            cursor = await conn.execute("SELECT user_id FROM organizers ORDER BY added_at")
            return [int(row[0]) for row in await cursor.fetchall()]

    async def add(self, user_id: int, by: int, now: datetime) -> bool:
        """Make `user_id` an organizer; False if they already were. Audited."""
        async with self._db.transaction() as conn:
            cursor = await conn.execute(
                "INSERT INTO organizers (user_id, added_by, added_at) VALUES (?, ?, ?)"
                " ON CONFLICT DO NOTHING",
                (user_id, by, now.isoformat()),
            )
            if cursor.rowcount:
                await audit(conn, by, "organizer_added", {"user_id": user_id}, now)
            return cursor.rowcount > 0

    async def remove(self, user_id: int, by: int, now: datetime) -> bool:
        """Remove an organizer added in the chat; False if there was none. Audited."""
        async with self._db.transaction() as conn:
            cursor = await conn.execute("DELETE FROM organizers WHERE user_id = ?", (user_id,))
            if cursor.rowcount:
                await audit(conn, by, "organizer_removed", {"user_id": user_id}, now)
            return cursor.rowcount > 0

    async def record(
        self, user_id: int, action: str, detail: dict[str, Any], now: datetime
    ) -> None:
        """Record an organizer's action on its own."""
        async with self._db.transaction() as conn:
            await audit(conn, user_id, action, detail, now)

    async def of_organizer(self, user_id: int) -> dict[str, list[dict[str, Any]]]:
        """What the network keeps of an organizer's work, for /mydata: the audit entries of
        what they did, and the broadcasts they sent (their text included)."""
        async with self._db.read() as conn:
            entries = await conn.fetchall(
                "SELECT at, action, detail FROM audit_log WHERE user_id = ? ORDER BY id",
                (user_id,),
            )
            sent = await conn.fetchall(
                "SELECT created_at, audience, status, recipients, text FROM broadcasts"
                " WHERE created_by = ? ORDER BY id",
                (user_id,),
            )
        return {
            "audit_log": [
                {"at": str(r[0]), "action": str(r[1]), "detail": json.loads(r[2])} for r in entries
            ],
            "broadcasts": [
                {
                    "at": str(r[0]),
                    "audience": str(r[1]),
                    "status": str(r[2]),
                    "recipients": int(r[3]),
                    "text": str(r[4]),
                }
                for r in sent
            ],
        }

    async def log(self, limit: int = 20) -> list[tuple[datetime, int, str, dict[str, Any]]]:
        """The latest audit entries, newest first."""
        async with self._db.read() as conn:
            cursor = await conn.execute(
                "SELECT at, user_id, action, detail FROM audit_log ORDER BY id DESC LIMIT ?",
                (limit,),
            )
            rows = await cursor.fetchall()
        return [
            (datetime.fromisoformat(r[0]), int(r[1]), str(r[2]), json.loads(r[3])) for r in rows
        ]
