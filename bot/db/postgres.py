"""PostgreSQL behind the same interface as SQLite (`bot.db.connection`), on asyncpg.

asyncpg was measured against psycopg 3 on the bot's own statements (bench/drivers.py, figures in
bench/README.md) and chosen: it is faster on each of them, and its rows read by name and by
position as SQLite's do, so the repositories need no row factory.

Statements are written in SQLite's SQL and translated once each (`bot.db.dialect`). Within one
process, transactions and reads take turns as on SQLite (the repositories' read-then-write
transactions were written for one writer, and the handlers for reads that see the writes before
them); the pool's other connections hold advisory locks. Between processes, claims lock their
rows (`FOR UPDATE SKIP LOCKED`) and jobs that must run once take an advisory lock
(`exclusive`).
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
import re
from collections.abc import AsyncIterator, Iterable, Sequence
from contextlib import asynccontextmanager
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import asyncpg

from bot.config import Secret
from bot.db.connection import Connection, Cursor, Database, Parameters, Row
from bot.db.dialect import Dialect, Statement, bulk_insert, to_postgresql
from bot.outages import Outage

log = logging.getLogger(__name__)

# Connections per process: one for the statement in turn, the rest for advisory locks.
POOL_SIZE = 6
# Time limits, so that a server that stops answering (frozen, a network cut) costs a tap a few
# seconds and a WARNING rather than an unbounded wait: connecting (and taking a pooled
# connection), a statement as the server counts it, and a statement as the bot waits for it
# (a little longer, so the server's own cancel, which keeps the connection, comes first).
# Each of the bot's statements is small (bulk work goes in batches); migrations and waits for
# an advisory lock are exempt.
CONNECT_TIMEOUT = 5.0
STATEMENT_TIMEOUT = 10.0
COMMAND_TIMEOUT = 12.0
UNBOUNDED = 24 * 3600.0  # a migration's statement, a wait for another process's lock
# What says the server cannot be reached, rather than refusing a statement.
_UNREACHABLE = (
    OSError,  # refused, reset, and TimeoutError (no answer in time)
    asyncpg.PostgresConnectionError,
    asyncpg.InterfaceError,  # a connection that was lost, or closed under the bot
    asyncpg.CannotConnectNowError,  # starting up, shutting down
    asyncpg.AdminShutdownError,
    asyncpg.QueryCanceledError,  # statement_timeout
    asyncpg.TooManyConnectionsError,
    # A pooled connection the server's going away left in the middle of a statement: "cannot
    # switch to state ..; another operation is in progress" at its next use.
    asyncpg.InternalClientError,
)
_COUNT = re.compile(r"(\d+)$")


def redacted(url: str) -> str:
    """The URL with its password replaced, for log lines and errors."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.rsplit("@", 1)
    user = netloc[0].split(":", 1)[0]
    return urlunsplit(parts._replace(netloc=f"{user}:********@{netloc[1]}"))


def lock_key(name: str, schema: str) -> int:
    """The advisory lock's number for a lock name in a schema: stable across processes and
    versions. Advisory locks belong to the whole database, so the schema is part of the key:
    two bots in two schemas of one database hold locks of their own."""
    named = f"{schema}\x00{name}".encode()
    return int.from_bytes(hashlib.sha256(named).digest()[:8], "big", signed=True)


class _Result:
    def __init__(self, rows: list[Row], rowcount: int, lastrowid: int | None) -> None:
        self._rows = rows
        self.rowcount = rowcount
        self.lastrowid = lastrowid

    async def fetchone(self) -> Row | None:
        return self._rows[0] if self._rows else None

    async def fetchall(self) -> Iterable[Row]:
        return self._rows


class _PostgresConnection:
    dialect = Dialect.POSTGRESQL

    def __init__(
        self,
        connection: asyncpg.Connection,
        tables: frozenset[str],
        columns: frozenset[tuple[str, str, str]],
        *,
        timeout: float | None = None,
    ) -> None:
        self._connection = connection
        self._tables = tables
        self._columns = columns
        self._timeout = timeout  # None: the pool's command_timeout

    async def execute(self, sql: str, parameters: Parameters = ()) -> Cursor:
        statement = to_postgresql(sql, self._tables)
        arguments = statement.arguments(parameters)
        if statement.returns_rows:
            rows: list[Row] = list(
                await self._connection.fetch(statement.sql, *arguments, timeout=self._timeout)
            )
            lastrowid = int(rows[0]["id"]) if statement.returns_id and rows else None
            count = len(rows) if statement.sql.lstrip()[:6].upper() != "SELECT" else -1
            return _Result(rows, count, lastrowid)
        status = await self._connection.execute(statement.sql, *arguments, timeout=self._timeout)
        found = _COUNT.search(status or "")
        return _Result([], int(found[1]) if found else -1, None)

    async def executemany(self, sql: str, parameters: Iterable[Parameters]) -> None:
        statement = to_postgresql(sql)
        rows = [statement.arguments(p) for p in parameters]
        if not rows:
            return
        bulk = bulk_insert(sql, self._columns) if len(rows) > 1 else None
        if bulk is not None:
            await self._connection.execute(bulk, *(list(c) for c in zip(*rows, strict=True)))
            return
        await self._connection.executemany(statement.sql, rows)

    async def fetchone(self, sql: str, parameters: Parameters = ()) -> Row | None:
        return await (await self.execute(sql, parameters)).fetchone()

    async def fetchall(self, sql: str, parameters: Parameters = ()) -> list[Row]:
        return list(await (await self.execute(sql, parameters)).fetchall())

    async def run(self, statement: Statement, arguments: Sequence[Any]) -> str:
        """Run an already translated statement (the migration runner's DDL)."""
        return str(
            await self._connection.execute(statement.sql, *arguments, timeout=self._timeout)
        )


class PostgresDatabase(Database):
    """A PostgreSQL database, through a pool of asyncpg connections."""

    dialect = Dialect.POSTGRESQL

    def __init__(self, pool: asyncpg.Pool, url: Secret) -> None:
        self._pool = pool
        self._url = url
        self._lock = asyncio.Lock()
        self._tables: frozenset[str] = frozenset()
        self._columns: frozenset[tuple[str, str, str]] = frozenset()
        self.schema = ""  # the bot's schema (`connect`), its advisory locks' namespace
        self.label = redacted(url.reveal())  # for log lines: the password replaced
        self.outage = Outage("the database")

    @classmethod
    async def connect(cls, url: Secret, *, size: int = POOL_SIZE) -> PostgresDatabase:
        """Connect to the database at `url`; the URL's password is never shown."""
        try:
            pool = await asyncpg.create_pool(
                url.reveal().replace("postgres://", "postgresql://", 1),
                min_size=1,
                max_size=size,
                # Idle connections of a quiet bot are given back, not kept for ever.
                max_inactive_connection_lifetime=300,
                # Every statement of the bot stays prepared (it has about a hundred).
                statement_cache_size=500,
                timeout=CONNECT_TIMEOUT,
                command_timeout=COMMAND_TIMEOUT,
                server_settings={"statement_timeout": str(int(STATEMENT_TIMEOUT * 1000))},
            )
        except (OSError, asyncpg.PostgresError, asyncpg.InterfaceError) as error:
            message = str(error).replace(url.reveal(), redacted(url.reveal()))
            if not message.strip():
                # A timeout says nothing of itself.
                message = f"no answer within {CONNECT_TIMEOUT:g}s"
            raise ConnectionError(
                f"cannot connect to {redacted(url.reveal())}: {message}"
            ) from None
        database = cls(pool, url)
        try:
            async with pool.acquire() as raw:
                # Read once, before any migration: every process names its locks the same way
                # whatever the schema holds yet. With no schema on the search path, the path.
                database.schema = str(
                    await raw.fetchval(
                        "SELECT coalesce(current_schema(), current_setting('search_path'))"
                    )
                )
            await database.schema_changed()
        except BaseException:
            await pool.close()
            raise
        return database

    def __repr__(self) -> str:
        return f"PostgresDatabase({self.label!r})"

    async def close(self) -> None:
        async with self._lock:
            await self._pool.close()

    async def schema_changed(self) -> None:
        """Read again which tables give new rows an id (`INSERT ... RETURNING id`), and each
        column's type (the casts of `bulk_insert`)."""
        async with self._pool.acquire() as raw:
            rows = await raw.fetch(
                "SELECT table_name FROM information_schema.columns WHERE column_name = 'id'"
                " AND is_identity = 'YES' AND table_schema = current_schema()"
            )
            columns = await raw.fetch(
                "SELECT table_name, column_name, data_type FROM information_schema.columns"
                " WHERE table_schema = current_schema()"
            )
        self._tables = frozenset(str(row[0]) for row in rows)
        self._columns = frozenset((str(r[0]), str(r[1]), str(r[2])) for r in columns)

    def unreachable(self, error: BaseException) -> bool:
        return isinstance(error, _UNREACHABLE)

    async def connections_lost(self) -> None:
        # After a restart every pooled connection is dead, and each would fail one more tap:
        # the pool opens new ones instead, at their next use.
        await self._pool.expire_connections()

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[Connection]:
        async with (
            self._lock,
            self.watched(),
            self._pool.acquire(timeout=CONNECT_TIMEOUT) as raw,
            raw.transaction(),
        ):
            yield _PostgresConnection(raw, self._tables, self._columns)

    @asynccontextmanager
    async def schema_transaction(self) -> AsyncIterator[Connection]:
        async with (
            self._lock,
            self.watched(),
            self._pool.acquire(timeout=CONNECT_TIMEOUT) as raw,
            raw.transaction(),
        ):
            await raw.execute("SET LOCAL statement_timeout = 0")
            yield _PostgresConnection(raw, self._tables, self._columns, timeout=UNBOUNDED)

    @asynccontextmanager
    async def read(self) -> AsyncIterator[Connection]:
        # Reads take their turn too, as on SQLite: a read that follows a write in the bot's
        # order of events (a reply, then its record) sees that write.
        async with self._lock, self.watched(), self._pool.acquire(timeout=CONNECT_TIMEOUT) as raw:
            yield _PostgresConnection(raw, self._tables, self._columns)

    @asynccontextmanager
    async def exclusive(self, name: str, *, wait: bool) -> AsyncIterator[bool]:
        key = lock_key(name, self.schema)
        async with self.watched(), self._pool.acquire(timeout=CONNECT_TIMEOUT) as raw:
            if wait:
                # Another process may hold it for a long piece of work: no time limit here.
                await raw.execute("SET statement_timeout = 0")
                await raw.execute("SELECT pg_advisory_lock($1)", key, timeout=UNBOUNDED)
                await raw.execute("RESET statement_timeout")
            elif not await raw.fetchval("SELECT pg_try_advisory_lock($1)", key):
                yield False
                return
            try:
                yield True
            finally:
                # A connection that died took the lock with it: nothing is left to release.
                if not raw.is_closed():
                    with contextlib.suppress(*_UNREACHABLE):
                        await raw.execute("SELECT pg_advisory_unlock($1)", key)

    @asynccontextmanager
    async def session(self) -> AsyncIterator[_PostgresConnection]:
        """One connection outside any transaction, for the migration runner: its statements
        (an index over a big table) take the time they need."""
        async with self._pool.acquire(timeout=CONNECT_TIMEOUT) as raw:
            await raw.execute("SET statement_timeout = 0")
            try:
                yield _PostgresConnection(raw, self._tables, self._columns, timeout=UNBOUNDED)
            finally:
                with contextlib.suppress(*_UNREACHABLE):
                    await raw.execute("RESET statement_timeout")


class HeldLock:
    """An advisory lock held for a process's whole life (the right to poll Telegram), on a
    connection of its own: a server restart takes the connection and the lock with it, so the
    holder checks it (`check`) and takes it again, unless another process took it meanwhile."""

    def __init__(self, database: PostgresDatabase, name: str) -> None:
        self._url = database._url
        self._key = lock_key(name, database.schema)
        self._connection: asyncpg.Connection | None = None

    async def take(self) -> bool:
        """Take the lock on a new connection; False if another process holds it."""
        connection = await asyncpg.connect(
            self._url.reveal().replace("postgres://", "postgresql://", 1),
            timeout=CONNECT_TIMEOUT,
            command_timeout=COMMAND_TIMEOUT,
        )
        try:
            taken = bool(await connection.fetchval("SELECT pg_try_advisory_lock($1)", self._key))
        except BaseException:
            connection.terminate()
            raise
        if not taken:
            await connection.close()
            return False
        self._connection = connection
        return True

    async def check(self) -> bool | None:
        """True while the lock is held (taken again if its connection was lost); False once
        another process holds it; None while the server cannot be reached to tell."""
        connection = self._connection
        if connection is not None and not connection.is_closed():
            try:
                await connection.fetchval("SELECT 1")
            except _UNREACHABLE:
                connection.terminate()
            else:
                return True
        self._connection = None
        try:
            taken = await self.take()
        except _UNREACHABLE:
            return None
        if taken:
            log.warning(
                "the advisory lock %d went with its connection; it is held again", self._key
            )
        return taken

    async def release(self) -> None:
        """Let the lock go (closing its connection does); a lost connection has nothing left."""
        connection, self._connection = self._connection, None
        if connection is not None and not connection.is_closed():
            try:
                await connection.close(timeout=CONNECT_TIMEOUT)
            except _UNREACHABLE:
                connection.terminate()
