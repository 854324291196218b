"""What a bot process holds on its database keeps other processes of that bot out, and only
them: two bots in two schemas of one PostgreSQL database (or in two SQLite files) each run."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.config import Secret
from bot.db.connection import Database
from bot.db.startup import DatabaseInUseError, ProcessLock, open_database, polling_lock
from tests.conftest import TEST_DATABASE_URL


def schema_of(url: Secret) -> str:
    """The schema a test's database URL puts first on the search path."""
    return url.reveal().rsplit("search_path=", 1)[1]


@contextlib.asynccontextmanager
async def beside(database: Path | Secret) -> AsyncIterator[Path | Secret]:
    """Another bot's database beside the test's: a second schema of the same PostgreSQL
    database, or a second SQLite file in the same folder."""
    if not isinstance(database, Secret):
        yield database.with_name("other.sqlite3")
        return
    import asyncpg  # noqa: PLC0415

    assert TEST_DATABASE_URL is not None
    schema = schema_of(database) + "_other"
    admin = await asyncpg.connect(TEST_DATABASE_URL)
    try:
        await admin.execute(f"CREATE SCHEMA {schema}")
        separator = "&" if "?" in TEST_DATABASE_URL else "?"
        yield Secret(f"{TEST_DATABASE_URL}{separator}search_path={schema}")
    finally:
        await admin.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
        await admin.close()


@contextlib.asynccontextmanager
async def polling(database: Path | Secret) -> AsyncIterator[Database]:
    """Hold what a polling bot holds on `database`: its lock file on SQLite (bot/__main__.py),
    the polling lock on PostgreSQL."""
    db = await open_database(database)
    try:
        if isinstance(database, Secret):
            async with polling_lock(db):
                yield db
        else:
            lock = ProcessLock.acquire(database)
            try:
                yield db
            finally:
                lock.release()
    finally:
        await db.close()


async def test_two_bots_in_two_schemas_poll_side_by_side_and_a_second_process_is_refused(
    database: Path | Secret,
) -> None:
    async with beside(database) as other, polling(database):
        # Another bot, in its own schema (or file), starts and polls.
        async with polling(other):
            pass
        # A second process of the same bot is still refused.
        with pytest.raises(DatabaseInUseError):
            async with polling(database):
                pass


async def test_run_once_jobs_of_two_bots_in_two_schemas_do_not_wait_for_each_other(
    database: Path | Secret,
) -> None:
    # The reminder sweep, queueing a broadcast, publishing and migrating take locks by name.
    async with beside(database) as other:
        ours, theirs = await open_database(database), await open_database(other)
        again = await open_database(database) if isinstance(database, Secret) else ours
        try:
            async with ours.exclusive("urgent-action-bot:reminder-sweep", wait=False) as mine:
                assert mine
                async with theirs.exclusive(
                    "urgent-action-bot:reminder-sweep", wait=False
                ) as their_own:
                    assert their_own
                async with again.exclusive(
                    "urgent-action-bot:reminder-sweep", wait=False
                ) as twice:
                    assert not twice
        finally:
            for db in {id(d): d for d in (ours, theirs, again)}.values():
                await db.close()
