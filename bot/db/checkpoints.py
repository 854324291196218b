"""Checkpoints of the SQLite write-ahead log, off the writer's path, and a log that stays small.

SQLite copies the log into the database file (a checkpoint, with its fsyncs) at the COMMIT that
takes the log past a thousand pages, by default: that COMMIT, and every tap waiting behind the
one connection, then waits for the disk; on a busy machine that was seconds. Instead the bot's
connection never checkpoints, and a connection of its own (its own thread) does every second,
PASSIVE, which never waits for the writer nor makes it wait.

Copied is not enough: SQLite starts the log again from its beginning only when a write
transaction begins while everything in it is copied. A passive checkpoint catches up in tens of
milliseconds, but the writer is then mid-transaction, and has added frames by its next one: at
a million subscribers the log grew to 6.9 GB over a publish, and every read and commit slowed
down with it. So once the log holds more than `RESTART_PAGES`, the checkpointer copies what it
can while the writer writes, then takes the writer's slot (the bot's connection lock) for a
last checkpoint of the few frames added meanwhile: the next transaction restarts the log, and
`journal_size_limit` cuts the file back if a burst had grown it. The log stays near a second of
writes; the slot is held for a copy of those few frames.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sqlite3
from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from pathlib import Path

import aiosqlite

log = logging.getLogger(__name__)

INTERVAL = 1.0  # seconds between two checkpoints
RESTART_PAGES = 1000  # a log longer than this (4 MiB of pages) is restarted
SIZE_LIMIT = 64 * 2**20  # bytes a restarted log's file is cut back to

# The writer's slot: while it is held, nothing writes to the database.
Slot = Callable[[], AbstractAsyncContextManager[object]]


def _no_slot() -> AbstractAsyncContextManager[object]:
    return contextlib.nullcontext()


class Checkpointer:
    """Copies the write-ahead log into the database file, every `interval` seconds, and has
    the log restarted once it holds more than `restart_pages`."""

    def __init__(
        self,
        connection: aiosqlite.Connection,
        interval: float,
        slot: Slot = _no_slot,
        restart_pages: int = RESTART_PAGES,
    ) -> None:
        self._connection = connection
        self._interval = interval
        self._slot = slot
        self._restart_pages = restart_pages
        self._task: asyncio.Task[None] | None = None

    @classmethod
    async def start(
        cls,
        path: Path,
        interval: float = INTERVAL,
        slot: Slot = _no_slot,
        restart_pages: int = RESTART_PAGES,
    ) -> Checkpointer:
        """Open the checkpointing connection to `path` and start checkpointing; `slot` is the
        writer's (held for the checkpoint that lets the log restart)."""
        connection = await aiosqlite.connect(path, isolation_level=None)
        try:
            await connection.execute(f"PRAGMA journal_size_limit={SIZE_LIMIT}")
        except BaseException:
            await connection.close()
            raise
        checkpointer = cls(connection, interval, slot, restart_pages)
        checkpointer._task = asyncio.create_task(checkpointer._run(), name="wal-checkpoints")
        return checkpointer

    async def checkpoint(self) -> int:
        """Copy the log into the database file; if it is long, copy the rest in the writer's
        slot, so that the next write starts it again. The frames the log holds after the copy
        outside the slot."""
        frames = await self._passive()
        if frames > self._restart_pages:
            async with self._slot():
                await self._passive()
        return frames

    async def _passive(self) -> int:
        cursor = await self._connection.execute("PRAGMA wal_checkpoint(PASSIVE)")
        row = await cursor.fetchone()
        await cursor.close()
        # (busy, frames in the log, frames copied); -1 when the database is not in WAL mode.
        return max(int(row[1]), 0) if row is not None else 0

    async def _run(self) -> None:
        failing = False
        while True:
            await asyncio.sleep(self._interval)
            try:
                await self.checkpoint()
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
