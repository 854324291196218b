"""Leases: a job that one process of several does at a time, handed over when that one dies.

On PostgreSQL several bot processes may run over one database (webhook mode); a job that each
of them would otherwise repeat (editing a broadcast's status message) is leased to one. A lease
runs out unless its holder renews it, so a dead process's job passes to another. On SQLite one
process owns the file, and its leases are always its own.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from datetime import datetime, timedelta

from bot.db.connection import Database
from bot.db.outbox import timestamp, wall_clock

# This process's name on the leases it holds: new at each start, so a restarted process waits
# for its old leases to run out like any other.
PROCESS = secrets.token_hex(8)


class LeaseRepository:
    """Take, renew and end leases by name, for this process."""

    def __init__(
        self,
        db: Database,
        *,
        holder: str = PROCESS,
        wall: Callable[[], datetime] = wall_clock,
    ) -> None:
        self._db = db
        self._holder = holder
        self._wall = wall

    async def take(self, name: str, length: timedelta) -> bool:
        """Hold `name` for `length` from now: True if it is this process's (new, renewed, or
        taken over from a holder whose lease ran out), False if another holds it or it is done."""
        now = self._wall()
        async with self._db.transaction() as conn:
            cursor = await conn.execute(
                "INSERT INTO leases (name, holder, expires_at) VALUES (?, ?, ?)"
                " ON CONFLICT (name) DO UPDATE SET holder = excluded.holder,"
                " expires_at = excluded.expires_at"
                " WHERE leases.done = 0"
                " AND (leases.holder = excluded.holder OR leases.expires_at <= ?)",
                (name, self._holder, timestamp(now + length), timestamp(now)),
            )
            return cursor.rowcount > 0

    async def end(self, name: str) -> None:
        """The job is over: nobody takes `name` again."""
        async with self._db.transaction() as conn:
            await conn.execute("UPDATE leases SET done = 1 WHERE name = ?", (name,))

    async def done(self, name: str) -> bool:
        """Whether the job `name` is over."""
        async with self._db.read() as conn:
            row = await conn.fetchone("SELECT done FROM leases WHERE name = ?", (name,))
        return row is not None and bool(row[0])
