"""SQLite's transactions: a COMMIT that fails is rolled back, so the next one works; and its
write-ahead log is checkpointed off the writer's path. A SQLite file in each test, whichever
backend the suite runs on (`tests/conftest.py`), since these are SQLite's own behaviours."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.db.checkpoints import Checkpointer
from bot.db.connection import Database, SQLiteDatabase
from bot.db.migrations import migrate


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[SQLiteDatabase]:
    """A fresh, migrated SQLite file."""
    opened = await SQLiteDatabase.connect(tmp_path / "bot.sqlite3")
    await migrate(opened)
    yield opened
    await opened.close()


async def alerts(db: Database) -> int:
    async with db.read() as conn:
        cursor = await conn.execute("SELECT count(*) FROM case_alerts")
        row = await cursor.fetchone()
    assert row is not None
    return int(row[0])


async def test_a_failed_commit_is_rolled_back_and_later_transactions_work(db: Database) -> None:
    # A deferred constraint is checked at COMMIT: a real COMMIT that fails, as SQLITE_BUSY or a
    # full disk make one fail, and leaves the transaction open unless it is rolled back.
    with pytest.raises(sqlite3.IntegrityError):  # noqa: PT012 - the COMMIT is the block's end
        async with db.transaction() as conn:
            await conn.execute("PRAGMA defer_foreign_keys = ON")
            await conn.execute(
                "INSERT INTO case_alerts (case_slug, subscriber_id, alerted_at)"
                " VALUES ('no-such-case', 404, '2026-01-01')"
            )
    assert await alerts(db) == 0
    async with db.transaction() as conn:
        await conn.execute(
            "INSERT INTO cases (slug, document, status, created_at, updated_at)"
            " VALUES ('kz-case', '{}', 'draft', '2026-01-01', '2026-01-01')"
        )
    async with db.read() as conn:
        cursor = await conn.execute("SELECT slug FROM cases")
        assert [row[0] for row in await cursor.fetchall()] == ["kz-case"]


async def test_an_error_sqlite_already_rolled_back_is_the_error_raised(db: Database) -> None:
    class RefusedError(Exception):
        pass

    with pytest.raises(RefusedError):  # noqa: PT012 - the rollback is the block's end
        async with db.transaction() as conn:
            await conn.execute("ROLLBACK")  # as SQLite does on its own after some errors
            raise RefusedError
    async with db.transaction() as conn:
        await conn.execute("SELECT 1")


async def test_the_log_reaches_the_database_file_while_the_bot_runs(db: SQLiteDatabase) -> None:
    # The bot's own connection never checkpoints (its COMMITs would wait for the disk); a
    # connection of its own copies the write-ahead log into the file in the background.
    async with db.read() as conn:
        cursor = await conn.execute("PRAGMA wal_autocheckpoint")
        row = await cursor.fetchone()
    assert row is not None
    assert row[0] == 0
    before = db.path.stat().st_size
    async with db.transaction() as conn:
        await conn.executemany(
            "INSERT INTO subscribers (chat_id, chat_type, actor, subscribed_at, updated_at)"
            " VALUES (?, 'private', ?, '2026-01-01', '2026-01-01')",
            [(n, f"actor-{n}") for n in range(1, 5001)],
        )
    async with asyncio.timeout(20):
        while db.path.stat().st_size <= before:  # noqa: ASYNC110 - a file, not an event
            await asyncio.sleep(0.1)
    assert db.path.stat().st_size > before


async def test_the_log_stays_small_while_the_bot_writes_without_a_pause(tmp_path: Path) -> None:
    # SQLite starts the log again only when a write begins with all of it copied; with one
    # transaction after another, a passive checkpoint always ends mid-transaction, and the
    # log grew to gigabytes over a publish at a million. The checkpointer copies the last
    # frames in the writer's slot, so the next transaction starts the log again.
    db = await SQLiteDatabase.connect(tmp_path / "bot.sqlite3")
    assert db._checkpoints is not None
    await db._checkpoints.stop()  # this test checkpoints when it chooses
    checkpoints = await Checkpointer.start(
        db.path, interval=3600, slot=db._writer, restart_pages=64
    )
    wal = Path(f"{db.path}-wal")

    async def write(letters: int) -> None:
        for _ in range(letters):
            async with db.transaction() as conn:
                await conn.execute("INSERT INTO letters VALUES (randomblob(65536))")

    try:
        async with db.transaction() as conn:
            await conn.execute("CREATE TABLE letters (body BLOB)")
        largest = 0
        for _ in range(20):  # 400 letters of 64 KiB: 25 MiB through the log
            writing = asyncio.create_task(write(20))
            await checkpoints.checkpoint()  # while the writer writes
            await writing
            largest = max(largest, wal.stat().st_size)  # noqa: ASYNC240 - one stat
        async with db.read() as conn:
            row = await conn.fetchone("SELECT count(*) FROM letters")
    finally:
        await checkpoints.stop()
        await db.close()
    assert row is not None
    assert row[0] == 400
    assert largest < 8 * 2**20
