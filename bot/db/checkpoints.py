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
down with it. So once the log holds more than `RESTART_PAGES`, it is made to start again.

How, so that nobody waits for the disk: a checkpoint writes the log's pages into the database
file and syncs both, which on a busy disk took up to 700 ms, and a write of the bot's that came
meanwhile waited on the same disk, hundreds of milliseconds inside a transaction. So
1. checkpoints take turns with the bot's bulk work (`Database.bulk`: a batch of offers, of a
   broadcast's recipients), which is what writes most: a checkpoint waits for the batch in
   progress, and the next batch for the checkpoint; a person's tap takes no turn;
2. what taps wrote during the copy is copied again, still outside the writer's slot;
3. then, in the writer's slot (the bot's connection lock), the last frames if any (usually
   none, so no sync) and a one-row write on the bot's own connection (`log_restarts`) that
   starts the log again: the sync of its new header, which SQLite makes when a log restarts,
   happens there, between two transactions of the bot's and not inside one. (A write from the
   checkpointer's connection would do it too, but the bot's connection then drops its page
   cache, as it does whenever another connection wrote, and reads it again from the disk.)
   `journal_size_limit` cuts the file back after a burst.
The log stays near a second of writes.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sqlite3
from collections.abc import Awaitable, Callable
from contextlib import AbstractAsyncContextManager
from pathlib import Path

import aiosqlite

log = logging.getLogger(__name__)

INTERVAL = 1.0  # seconds between two checkpoints
RESTART_PAGES = 1000  # a log longer than this (4 MiB of pages) is restarted
CATCH_UP = 2  # copies outside the writer's slot of what taps wrote during the first
SIZE_LIMIT = 64 * 2**20  # bytes a restarted log's file is cut back to

# The writer's slot: while it is held, nothing writes to the database.
Slot = Callable[[], AbstractAsyncContextManager[object]]


# The write, on the writer's connection and in its slot, that starts the log again.
Restart = Callable[[], Awaitable[None]]


def _no_slot() -> AbstractAsyncContextManager[object]:
    return contextlib.nullcontext()


async def _no_restart() -> None:
    return None


class Checkpointer:
    """Copies the write-ahead log into the database file, every `interval` seconds, and has
    the log restarted once it holds more than `restart_pages`."""

    def __init__(
        self,
        connection: aiosqlite.Connection,
        interval: float,
        slot: Slot = _no_slot,
        restart_pages: int = RESTART_PAGES,
        turn: Slot = _no_slot,
        restart: Restart = _no_restart,
    ) -> None:
        self._connection = connection
        self._interval = interval
        self._slot = slot
        self._turn = turn
        self._restart = restart
        self._restart_pages = restart_pages
        self._task: asyncio.Task[None] | None = None

    @classmethod
    async def start(
        cls,
        path: Path,
        interval: float = INTERVAL,
        slot: Slot = _no_slot,
        restart_pages: int = RESTART_PAGES,
        turn: Slot = _no_slot,
        restart: Restart = _no_restart,
    ) -> Checkpointer:
        """Open the checkpointing connection to `path` and start checkpointing; `slot` is the
        writer's (held for the checkpoint that lets the log restart), `turn` bulk work's (held
        for every checkpoint), `restart` the writer's write that restarts the log, in the slot
        (without it, the bot's next transaction restarts it)."""
        connection = await aiosqlite.connect(path, isolation_level=None)
        try:
            await connection.execute(f"PRAGMA journal_size_limit={SIZE_LIMIT}")
        except BaseException:
            await connection.close()
            raise
        checkpointer = cls(connection, interval, slot, restart_pages, turn, restart)
        checkpointer._task = asyncio.create_task(checkpointer._run(), name="wal-checkpoints")
        return checkpointer

    async def checkpoint(self) -> int:
        """Copy the log into the database file; if it is long, have it start again. The frames
        the log held before the copy.

        Bulk work waits meanwhile (`turn`), so only taps write: the copy is done again for what
        they wrote (up to `CATCH_UP` times) outside the writer's slot, and the slot is taken
        for the rest (usually nothing) and the write that restarts the log (`restart`)."""
        async with self._turn():
            log, copied = await self._passive()
            frames = log
            for _ in range(CATCH_UP):
                if frames <= self._restart_pages or copied >= log:
                    break
                log, copied = await self._passive()
            if frames > self._restart_pages:
                async with self._slot():
                    log, copied = await self._passive()
                    if copied >= log:
                        await self._restart()
        return frames

    async def _passive(self) -> tuple[int, int]:
        """One passive checkpoint: the frames in the log, and how many of them are copied."""
        cursor = await self._connection.execute("PRAGMA wal_checkpoint(PASSIVE)")
        row = await cursor.fetchone()
        await cursor.close()
        # (busy, frames in the log, frames copied); -1 when the database is not in WAL mode.
        if row is None:
            return 0, 0
        return max(int(row[1]), 0), max(int(row[2]), 0)

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
