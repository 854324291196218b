"""Checkpoints of the SQLite write-ahead log, off the writer's path.

SQLite copies the log into the database file (a checkpoint, with its fsyncs) at the COMMIT that
takes the log past a thousand pages, by default: that COMMIT, and every tap waiting behind the
one connection, then waits for the disk; on a busy machine that was seconds. Instead the bot's
connection never checkpoints, and a connection of its own (its own thread) does every second,
PASSIVE, which never waits for the writer nor makes it wait.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sqlite3
from pathlib import Path

import aiosqlite

log = logging.getLogger(__name__)

INTERVAL = 1.0  # seconds between two checkpoints


class Checkpointer:
    """Copies the write-ahead log into the database file, every `interval` seconds."""

    def __init__(self, connection: aiosqlite.Connection, interval: float) -> None:
        self._connection = connection
        self._interval = interval
        self._task: asyncio.Task[None] | None = None

    @classmethod
    async def start(cls, path: Path, interval: float = INTERVAL) -> Checkpointer:
        """Open the checkpointing connection to `path` and start checkpointing."""
        connection = await aiosqlite.connect(path, isolation_level=None)
        checkpointer = cls(connection, interval)
        checkpointer._task = asyncio.create_task(checkpointer._run(), name="wal-checkpoints")
        return checkpointer

    async def _run(self) -> None:
        failing = False
        while True:
            await asyncio.sleep(self._interval)
            try:
                await self._connection.execute("PRAGMA wal_checkpoint(PASSIVE)")
            except sqlite3.Error as error:
                # The log grows meanwhile; the next checkpoint copies it all.
                if not failing:
                    log.warning("database: a checkpoint failed (%s); trying again", error)
                failing = True
            else:
                failing = False

    async def stop(self) -> None:
        """Stop checkpointing and close the connection (the last connection to close copies
        what is left of the log)."""
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        await self._connection.close()
