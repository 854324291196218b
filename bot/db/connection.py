"""The database: one SQLite connection, WAL mode, foreign keys on, and a lock around it.

One connection serves the whole bot, so that writes never fight over SQLite's lock. Every use goes
through `transaction()` (reads and writes, committed together, rolled back on error) or `read()`;
the lock keeps one coroutine's statements out of another's transaction.
"""

from __future__ import annotations

import asyncio
import contextlib
import sqlite3
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import aiosqlite

from bot.db.checkpoints import Checkpointer


class Database:
    """The bot's SQLite database."""

    def __init__(self, connection: aiosqlite.Connection, path: Path) -> None:
        self._connection = connection
        self._lock = asyncio.Lock()
        self._checkpoints: Checkpointer | None = None
        self.path = path

    @classmethod
    async def open(cls, path: Path) -> Database:
        """Open (creating if needed) the database at `path`, in WAL mode with foreign keys on."""
        if str(path) != ":memory:":
            path.parent.mkdir(parents=True, exist_ok=True)
        connection = await aiosqlite.connect(path, isolation_level=None)
        connection.row_factory = aiosqlite.Row
        try:
            await connection.execute("PRAGMA journal_mode=WAL")
            await connection.execute("PRAGMA foreign_keys=ON")
            await connection.execute("PRAGMA synchronous=NORMAL")
            await connection.execute("PRAGMA busy_timeout=5000")
            checkpoints = None
            if str(path) != ":memory:":
                # Checkpoints run on a connection of their own (bot.db.checkpoints).
                await connection.execute("PRAGMA wal_autocheckpoint=0")
                checkpoints = await Checkpointer.start(path)
        except BaseException:
            # The connection's thread would keep the process alive after the error.
            await connection.close()
            raise
        database = cls(connection, path)
        database._checkpoints = checkpoints
        return database

    async def close(self) -> None:
        """Close the connection; pending work is already committed."""
        async with self._lock:
            if self._checkpoints is not None:
                await self._checkpoints.stop()
                self._checkpoints = None
            await self._connection.close()

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[aiosqlite.Connection]:
        """Run statements in one transaction: all of them land, or none."""
        async with self._lock:
            await self._connection.execute("BEGIN IMMEDIATE")
            try:
                yield self._connection
            except BaseException:
                await self._abandon()
                raise
            try:
                await self._connection.execute("COMMIT")
            except BaseException:
                # A COMMIT that fails (SQLITE_BUSY, a full disk, a deferred constraint) may
                # leave the transaction open, and then every later BEGIN would fail.
                await self._abandon()
                raise

    async def _abandon(self) -> None:
        """Roll back what is left open (SQLite rolls back on its own after some errors); the
        error that got here is the one raised."""
        if self._connection.in_transaction:
            with contextlib.suppress(sqlite3.Error):
                await self._connection.execute("ROLLBACK")

    @asynccontextmanager
    async def read(self) -> AsyncIterator[aiosqlite.Connection]:
        """Run read-only statements, outside anyone else's transaction."""
        async with self._lock:
            yield self._connection
