"""The database: a small interface that SQLite and PostgreSQL each implement.

The repositories talk to `Database` (a transaction, or a read) and to the `Connection` it hands
out (execute, executemany, fetch one or all), in SQLite's SQL; `bot.db.dialect` names what is
translated for PostgreSQL. `Database.open` chooses the backend from one setting: a file path is
SQLite, a `postgresql://` URL is PostgreSQL (`bot.db.postgres`).

SQLite: one connection serves the whole bot, so that writes never fight over SQLite's lock. Every
use goes through `transaction()` (reads and writes, committed together, rolled back on error) or
`read()`; the lock keeps one coroutine's statements out of another's transaction.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sqlite3
from abc import ABC, abstractmethod
from collections.abc import AsyncIterator, Iterable, Iterator, Mapping, Sequence
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

import aiosqlite

from bot.config import Secret
from bot.db.checkpoints import SIZE_LIMIT as WAL_SIZE_LIMIT
from bot.db.checkpoints import Checkpointer
from bot.db.dialect import Dialect
from bot.outages import Outage

log = logging.getLogger(__name__)

Parameters = Sequence[Any] | Mapping[str, Any]


class Row(Protocol):
    """A row of a result, read by column name or position."""

    def __getitem__(self, key: int | str, /) -> Any: ...

    def __iter__(self) -> Iterator[Any]: ...

    def __len__(self) -> int: ...

    def keys(self) -> Iterable[str]: ...


class Cursor(Protocol):
    """What one statement gave: its rows, how many rows it changed, a new row's id."""

    @property
    def rowcount(self) -> int: ...

    @property
    def lastrowid(self) -> int | None: ...

    async def fetchone(self) -> Row | None: ...

    async def fetchall(self) -> Iterable[Row]: ...


class Connection(Protocol):
    """One connection, inside a transaction or a read."""

    @property
    def dialect(self) -> Dialect: ...

    async def execute(self, sql: str, parameters: Parameters = ()) -> Cursor: ...

    async def executemany(self, sql: str, parameters: Iterable[Parameters]) -> None: ...

    async def fetchone(self, sql: str, parameters: Parameters = ()) -> Row | None: ...

    async def fetchall(self, sql: str, parameters: Parameters = ()) -> list[Row]: ...


def is_postgresql(url: str) -> bool:
    """Whether a database setting names a PostgreSQL server (else it is a SQLite file)."""
    return url.startswith(("postgresql://", "postgres://"))


def _url_of(target: Path | str | Secret) -> str:
    return target.reveal() if isinstance(target, Secret) else str(target)


class Database(ABC):
    """The bot's database, whichever backend holds it."""

    dialect: Dialect
    # Whether the server (or the disk) answers: one WARNING when it stops, one when it is back,
    # and a wake-up for the delivery engine's retries (`bot.outages`).
    outage: Outage

    @staticmethod
    async def open(target: Path | str | Secret) -> Database:
        """Open the database `target` names: a file path (SQLite, created if needed) or a
        `postgresql://` URL (kept in a Secret where it carries a password)."""
        url = _url_of(target)
        if is_postgresql(url):
            from bot.db.postgres import PostgresDatabase  # noqa: PLC0415

            return await PostgresDatabase.connect(Secret(url))
        return await SQLiteDatabase.connect(Path(url))

    @abstractmethod
    async def close(self) -> None:
        """Close the database; pending work is already committed."""

    def unreachable(self, error: BaseException) -> bool:
        """Whether `error` says the database cannot be reached (rather than refusing a
        statement): the server went away, stopped answering in time, or the disk failed."""
        return isinstance(error, OSError)

    async def connections_lost(self) -> None:  # noqa: B027 - SQLite has one, kept
        """The server went away: connections opened before are of no more use."""

    @asynccontextmanager
    async def watched(self) -> AsyncIterator[None]:
        """Note whether the database answered the block's statements (`outage`)."""
        try:
            yield
        except BaseException as error:
            if self.unreachable(error):
                self.outage.failed(error)
                await self.connections_lost()
            elif isinstance(error, Exception):
                self.outage.answered()
            raise
        self.outage.answered()

    async def schema_changed(self) -> None:  # noqa: B027 - SQLite needs nothing
        """Learn what migrations changed that the backend keeps in mind."""

    async def erase_deleted(self) -> None:  # noqa: B027 - PostgreSQL: the server's own
        """Make rows just deleted (a person's /forget) unreadable from the files on disk.

        SQLite overwrites freed pages (`secure_delete`), but the pages as they were before the
        delete stay in the write-ahead log until it starts again; this empties it. PostgreSQL
        keeps dead rows until VACUUM and its WAL until recycled: its operator's (README)."""

    @abstractmethod
    def transaction(self) -> AbstractAsyncContextManager[Connection]:
        """Run statements in one transaction: all of them land, or none."""

    def schema_transaction(self) -> AbstractAsyncContextManager[Connection]:
        """A transaction that changes the schema (a migration): free of the time limit on
        statements, since an index over a big table takes what it takes."""
        return self.transaction()

    def bulk(self) -> AbstractAsyncContextManager[Connection]:
        """A transaction of background work over many rows (a batch of offers, of a
        broadcast's recipients): one of many in a row, where a person's tap is not.

        On SQLite such transactions take turns with the checkpoints of the write-ahead log, so
        that a checkpoint's copying and syncing never lands inside one; elsewhere it is a
        transaction like any other."""
        return self.transaction()

    @abstractmethod
    def read(self) -> AbstractAsyncContextManager[Connection]:
        """Run read-only statements, outside anyone else's transaction."""

    @abstractmethod
    def exclusive(self, name: str, *, wait: bool) -> AbstractAsyncContextManager[bool]:
        """Hold the lock `name` against every process on this database while the block runs.

        With `wait`, block until it is free (yields True); without, yield whether it was taken
        (False: another holds it, and the block should do nothing)."""


class _SQLiteCursor:
    def __init__(self, cursor: aiosqlite.Cursor) -> None:
        self._cursor = cursor

    @property
    def rowcount(self) -> int:
        return self._cursor.rowcount

    @property
    def lastrowid(self) -> int | None:
        return self._cursor.lastrowid

    async def fetchone(self) -> Row | None:
        return await self._cursor.fetchone()

    async def fetchall(self) -> Iterable[Row]:
        return await self._cursor.fetchall()


class _SQLiteConnection:
    dialect = Dialect.SQLITE

    def __init__(self, connection: aiosqlite.Connection) -> None:
        self._connection = connection

    async def execute(self, sql: str, parameters: Parameters = ()) -> Cursor:
        return _SQLiteCursor(await self._connection.execute(sql, parameters))

    async def executemany(self, sql: str, parameters: Iterable[Parameters]) -> None:
        await self._connection.executemany(sql, parameters)

    async def fetchone(self, sql: str, parameters: Parameters = ()) -> Row | None:
        cursor = await self._connection.execute(sql, parameters)
        return await cursor.fetchone()

    async def fetchall(self, sql: str, parameters: Parameters = ()) -> list[Row]:
        cursor = await self._connection.execute(sql, parameters)
        return list(await cursor.fetchall())


class SQLiteDatabase(Database):
    """One SQLite file: one connection, WAL mode, foreign keys on, and a lock around it."""

    dialect = Dialect.SQLITE

    def __init__(self, connection: aiosqlite.Connection, path: Path) -> None:
        self._connection = connection
        self._wrapped = _SQLiteConnection(connection)
        self._lock = asyncio.Lock()
        # Bulk transactions and checkpoints take turns (`bulk`): on a busy disk, a write of
        # the bot's waited hundreds of milliseconds behind a checkpoint's writes and fsyncs.
        self._turn = asyncio.Lock()
        self._checkpoints: Checkpointer | None = None
        self._named: dict[str, asyncio.Lock] = {}
        self.path = path
        self.outage = Outage("the database")

    @classmethod
    async def connect(cls, path: Path) -> SQLiteDatabase:
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
            # Deleted rows (a forgotten person's signature) are overwritten in the file, not
            # left in free pages, whatever the SQLite build's default.
            await connection.execute("PRAGMA secure_delete=ON")
            if str(path) != ":memory:":
                # Checkpoints run on a connection of their own (bot.db.checkpoints); this one
                # restarts the log, and cuts its file back to the limit then.
                await connection.execute("PRAGMA wal_autocheckpoint=0")
                await connection.execute(f"PRAGMA journal_size_limit={WAL_SIZE_LIMIT}")
            database = cls(connection, path)
            if str(path) != ":memory:":
                database._checkpoints = await Checkpointer.start(
                    path,
                    slot=database._writer,
                    turn=database._bulk_turn,
                    restart=database._restart_log,
                )
        except BaseException:
            # The connection's thread would keep the process alive after the error.
            await connection.close()
            raise
        return database

    @asynccontextmanager
    async def _writer(self) -> AsyncIterator[object]:
        """The writer's slot: while it is held, no transaction or read runs on the connection."""
        async with self._lock:
            yield None

    @asynccontextmanager
    async def _bulk_turn(self) -> AsyncIterator[object]:
        """The turn of bulk work: while it is held, no bulk transaction runs."""
        async with self._turn:
            yield None

    async def _restart_log(self) -> None:
        """In the writer's slot, with the whole log copied: a one-row write that starts the log
        again, so that the sync of its new header lands here and not in a transaction of the
        bot's (`bot.db.checkpoints`)."""
        try:
            await self._connection.execute("BEGIN IMMEDIATE")
            await self._connection.execute(
                "INSERT INTO log_restarts (id, restarted_at) VALUES (1, ?)"
                " ON CONFLICT (id) DO UPDATE SET restarted_at = excluded.restarted_at",
                (datetime.now(UTC).isoformat(),),
            )
            await self._connection.execute("COMMIT")
        except sqlite3.OperationalError as error:
            await self._abandon()
            # Not migrated yet: the bot's next write restarts the log.
            if "no such table" not in str(error):
                raise
        except BaseException:
            # Left open, the transaction would be the next one of the bot's.
            await self._abandon()
            raise

    async def erase_deleted(self) -> None:
        """Copy the log into the file and cut it to nothing (a TRUNCATE checkpoint), in the
        writer's slot: the pages from before a delete leave the disk."""
        if str(self.path) == ":memory:":
            return
        async with self._lock:
            cursor = await self._connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            row = await cursor.fetchone()
            await cursor.close()
        if row is not None and int(row[0]) != 0:
            # A reader held the log past the busy timeout: the next one tries again.
            log.warning("database: the log could not be emptied after a deletion")

    async def close(self) -> None:
        async with self._lock:
            if self._checkpoints is not None:
                await self._checkpoints.stop()
                self._checkpoints = None
            await self._connection.close()

    def unreachable(self, error: BaseException) -> bool:
        """A full disk, a failing one, a file locked past the busy timeout, or read-only."""
        if isinstance(error, sqlite3.OperationalError):
            text = str(error).lower()
            return any(word in text for word in ("disk", "locked", "readonly", "unable to open"))
        return super().unreachable(error)

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[Connection]:
        async with self._lock, self.watched():
            await self._connection.execute("BEGIN IMMEDIATE")
            try:
                yield self._wrapped
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

    @asynccontextmanager
    async def bulk(self) -> AsyncIterator[Connection]:
        async with self._turn, self.transaction() as conn:
            yield conn

    async def _abandon(self) -> None:
        """Roll back what is left open (SQLite rolls back on its own after some errors); the
        error that got here is the one raised."""
        if self._connection.in_transaction:
            with contextlib.suppress(sqlite3.Error):
                await self._connection.execute("ROLLBACK")

    @asynccontextmanager
    async def read(self) -> AsyncIterator[Connection]:
        async with self._lock, self.watched():
            yield self._wrapped

    @asynccontextmanager
    async def exclusive(self, name: str, *, wait: bool) -> AsyncIterator[bool]:
        # One process owns a SQLite file, so a lock in the process is a lock on the database.
        lock = self._named.setdefault(name, asyncio.Lock())
        if not wait and lock.locked():
            yield False
            return
        async with lock:
            yield True
