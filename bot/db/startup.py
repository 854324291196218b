"""Opening the database at start-up: one process per file, and a clear refusal when it is unusable.

Every way a database can be unusable (a missing folder that cannot be made, a folder or file the
bot may not write, a file that is not SQLite, a file cut short, damaged pages, a migration that
cannot be applied) ends as one `UnusableDatabaseError`, whose message is the one line the operator
reads: the file, what is wrong, what to do. Nothing is written to a database found unusable, and
the connection is closed before the error leaves, so the process can exit (an open aiosqlite
connection keeps a thread alive that would hold the interpreter open for ever).

On PostgreSQL the file checks and the lock file have no counterpart: a server that cannot be
reached, or whose migrations do not match the bot's, is the one line; a second process polling
Telegram over the same database is refused by a lock on the database (`polling_lock`), while
webhook mode may run several processes.
"""

from __future__ import annotations

import os
import sqlite3
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import IO

from bot.config import Secret
from bot.db.connection import Database, is_postgresql
from bot.db.migrations import MIGRATIONS_DIR, Migration, MigrationError, migrate

_HEADER = b"SQLite format 3\x00"


class UnusableDatabaseError(Exception):
    """The database cannot be used as it is; nothing in it was changed."""


class DatabaseInUseError(UnusableDatabaseError):
    """Another process holds the database's lock."""


def lock_path(path: Path) -> Path:
    """The lock file beside the database: `bot.sqlite3` -> `bot.sqlite3.lock`."""
    return path.with_name(path.name + ".lock")


class ProcessLock:
    """An exclusive OS lock on the lock file beside the database, held until released or until
    the process ends (the OS releases it even after kill -9, so a crash leaves no stale lock)."""

    def __init__(self, file: IO[str], path: Path) -> None:
        self._file = file
        self.path = path

    @classmethod
    def acquire(cls, database: Path) -> ProcessLock:
        """Take the lock for `database`; DatabaseInUseError if another process holds it."""
        prepare_folder(database)
        path = lock_path(database)
        try:
            file = path.open("a+", encoding="utf-8")
        except OSError as error:
            raise UnusableDatabaseError(_cannot_write(database, error)) from None
        try:
            _lock(file)
        except OSError:
            file.seek(0)
            holder = file.read().strip()
            file.close()
            who = f" (process {holder})" if holder.isdigit() else ""
            raise DatabaseInUseError(
                f"{database}: another bot process is using this database{who}; stop it first,"
                " or give this one its own BOT_DB_PATH (one process per SQLite file)"
            ) from None
        file.seek(0)
        file.truncate()
        file.write(f"{os.getpid()}\n")
        file.flush()
        return cls(file, path)

    def release(self) -> None:
        """Let another process have the database."""
        self._file.close()


if sys.platform == "win32":  # pragma: no cover - the bot's deployments are POSIX

    def _lock(file: IO[str]) -> None:
        import msvcrt  # noqa: PLC0415

        file.seek(0)
        msvcrt.locking(file.fileno(), msvcrt.LK_NBLCK, 1)

else:

    def _lock(file: IO[str]) -> None:
        import fcntl  # noqa: PLC0415

        fcntl.flock(file.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)


def prepare_folder(path: Path) -> None:
    """Make the database's folder if it is missing; UnusableDatabaseError if that cannot be."""
    if str(path) == ":memory:":
        return
    folder = path.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise UnusableDatabaseError(
            f"{path}: its folder {folder} is missing and cannot be created"
            f" ({error.strerror or error}); create it, or set BOT_DB_PATH to a file in a folder"
            " that exists"
        ) from None
    if not folder.is_dir():
        raise UnusableDatabaseError(
            f"{path}: {folder} is not a folder; set BOT_DB_PATH to a file in a folder"
        )
    if not os.access(folder, os.W_OK | os.X_OK):
        raise UnusableDatabaseError(_cannot_write(path, PermissionError("folder is read-only")))
    if path.exists() and not os.access(path, os.R_OK | os.W_OK):
        raise UnusableDatabaseError(_cannot_write(path, PermissionError("file is read-only")))


def check_file(path: Path) -> None:
    """Refuse a file that is not an SQLite database, or one cut short, before SQLite opens it.

    Reads only the header: the page size and page count it records say how long the file must
    be (pages written since the last checkpoint live in the -wal file, not past that length;
    while that file holds frames, SQLite's own recovery has the last word).
    """
    if str(path) == ":memory:" or not path.exists():
        return
    if path.is_dir():
        raise UnusableDatabaseError(f"{path} is a folder; set BOT_DB_PATH to a file")
    size = path.stat().st_size
    if size == 0:
        return  # SQLite's own empty database: migrations fill it
    with path.open("rb") as file:
        header = file.read(100)
    if len(header) < 100 or not header.startswith(_HEADER):
        raise UnusableDatabaseError(
            f"{path} is not an SQLite database; set BOT_DB_PATH to the bot's database, or move"
            " this file away to start with an empty one"
        )
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    pages = int.from_bytes(header[28:32], "big")
    changes = int.from_bytes(header[24:28], "big")
    valid_for = int.from_bytes(header[92:96], "big")
    log = path.with_name(path.name + "-wal")
    # A crash in the middle of a checkpoint can leave the header ahead of the file's length,
    # with the missing pages still in the -wal file: SQLite completes that on opening.
    pending = log.exists() and log.stat().st_size > 0
    if pages and changes == valid_for and size < pages * page_size and not pending:
        raise UnusableDatabaseError(
            f"{path} is cut short ({size} of {pages * page_size} bytes); restore it from a"
            " backup, or move it away to start with an empty one"
        )


async def open_database(target: Path | Secret, directory: Path = MIGRATIONS_DIR) -> Database:
    """Open the database and bring its schema up to date; UnusableDatabaseError, with the file left
    as it was, when it cannot be used."""
    database, _ = await open_migrated(target, directory)
    return database


async def open_migrated(
    target: Path | Secret, directory: Path = MIGRATIONS_DIR
) -> tuple[Database, list[Migration]]:
    """`open_database`, and the migrations it applied now. `target` is the SQLite file, or the
    PostgreSQL URL (`Settings.database`)."""
    if isinstance(target, Secret) or is_postgresql(str(target)):
        url = target if isinstance(target, Secret) else Secret(str(target))
        return await _open_postgresql(url, directory)
    path = Path(target)
    prepare_folder(path)
    check_file(path)
    try:
        database = await Database.open(path)
    except sqlite3.Error as error:
        raise UnusableDatabaseError(_explain(path, error)) from None
    try:
        applied = await migrate(database, directory)
    except MigrationError as error:
        await database.close()
        cause = error.__cause__
        if isinstance(cause, sqlite3.Error) and _damaged(cause):
            raise UnusableDatabaseError(_explain(path, cause)) from None
        raise UnusableDatabaseError(f"{path}: {error}") from None
    except sqlite3.Error as error:
        await database.close()
        raise UnusableDatabaseError(_explain(path, error)) from None
    except BaseException:
        await database.close()
        raise
    return database, applied


async def _open_postgresql(url: Secret, directory: Path) -> tuple[Database, list[Migration]]:
    from bot.db.postgres import redacted  # noqa: PLC0415 - asyncpg only where it is used

    label = redacted(url.reveal())
    try:
        database = await Database.open(url)
    except ConnectionError as error:  # its message names the server, the password hidden
        raise UnusableDatabaseError(
            f"{error}; check BOT_DATABASE_URL and that the server accepts connections"
        ) from None
    try:
        applied = await migrate(database, directory)
    except MigrationError as error:
        await database.close()
        raise UnusableDatabaseError(f"{label}: {error}") from None
    except BaseException:
        await database.close()
        raise
    return database, applied


POLLING_LOCK = "polling"


@asynccontextmanager
async def polling_lock(database: Database) -> AsyncIterator[None]:
    """Hold, while the block runs, the right to poll Telegram for updates over `database`.

    Two processes polling with one token take each other's updates, and each one's start-up
    would resend the other's messages in flight. A SQLite file has its lock file for that
    (`ProcessLock`); PostgreSQL, shared by design, holds a lock on the bot's schema (an
    advisory lock keyed by schema and name, so a bot in another schema of the same database
    polls on), and DatabaseInUseError names another process that holds it.
    """
    async with database.exclusive(POLLING_LOCK, wait=False) as taken:
        if not taken:
            label = getattr(database, "label", "the database")
            raise DatabaseInUseError(
                f"{label}: another bot process is polling Telegram over this database; stop it"
                " first, or run every process in webhook mode (BOT_WEBHOOK_URL)"
            )
        yield


class PollingRight:
    """The right to poll Telegram over a PostgreSQL database, held for the process's life and
    kept across the server's restarts (`bot.db.postgres.HeldLock`)."""

    def __init__(self, database: Database) -> None:
        from bot.db.postgres import HeldLock, PostgresDatabase  # noqa: PLC0415

        assert isinstance(database, PostgresDatabase)
        self._label = database.label
        self._lock = HeldLock(database, POLLING_LOCK)

    async def take(self) -> None:
        """Take the right; DatabaseInUseError if another process polls."""
        if not await self._lock.take():
            raise DatabaseInUseError(
                f"{self._label}: another bot process is polling Telegram over this database;"
                " stop it first, or run every process in webhook mode (BOT_WEBHOOK_URL)"
            )

    async def still_held(self) -> bool | None:
        """True while held (taken again after a lost connection); False once another process
        took it; None while the database cannot be reached to tell."""
        return await self._lock.check()

    async def release(self) -> None:
        """Let it go, at the end; never an error."""
        await self._lock.release()


def _damaged(error: sqlite3.Error) -> bool:
    return isinstance(error, sqlite3.DatabaseError) and not isinstance(
        error, sqlite3.OperationalError | sqlite3.IntegrityError
    )


def _explain(path: Path, error: sqlite3.Error) -> str:
    text = str(error)
    if "readonly" in text or "unable to open" in text or "disk I/O" in text:
        return _cannot_write(path, error)
    if "not a database" in text:
        return (
            f"{path} is not an SQLite database ({text}); set BOT_DB_PATH to the bot's database,"
            " or move this file away to start with an empty one"
        )
    if "locked" in text or "busy" in text:
        return (
            f"{path} is locked by another program ({text}); stop it (a second bot, a database"
            " browser) and start again"
        )
    return (
        f"{path} is damaged ({text}); restore it from a backup (sqlite3's .recover may save"
        " what is left), or move it away to start with an empty one"
    )


def _cannot_write(path: Path, error: BaseException) -> str:
    detail = getattr(error, "strerror", None) or str(error)
    return (
        f"{path}: the bot cannot write the database or its folder ({detail}); let the user the"
        f" bot runs as write both {path.parent} and the file (SQLite keeps its journal beside it)"
    )
