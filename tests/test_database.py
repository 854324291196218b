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


async def test_a_checkpoint_waits_for_the_bulk_work_in_progress(db: SQLiteDatabase) -> None:
    # A batch of offers or recipients writes most; on a busy disk its writes waited hundreds
    # of milliseconds behind a checkpoint's copying and syncing. They take turns.
    assert db._checkpoints is not None
    release = asyncio.Event()
    inside = asyncio.Event()

    async def batch() -> None:
        async with db.bulk() as conn:
            await conn.execute("SELECT count(*) FROM subscribers")
            inside.set()
            await release.wait()

    batching = asyncio.create_task(batch())
    await inside.wait()
    checkpointing = asyncio.create_task(db._checkpoints.checkpoint())
    await asyncio.sleep(0.2)
    assert not checkpointing.done()
    release.set()
    await batching
    async with asyncio.timeout(5):
        await checkpointing


async def test_bulk_work_waits_for_a_checkpoint_and_a_tap_does_not(
    db: SQLiteDatabase, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert db._checkpoints is not None
    copying = asyncio.Event()
    done = asyncio.Event()
    passive = Checkpointer._passive

    async def slow_copy(self: Checkpointer) -> tuple[int, int]:
        copying.set()
        await done.wait()
        return await passive(self)

    monkeypatch.setattr(Checkpointer, "_passive", slow_copy)
    checkpointing = asyncio.create_task(db._checkpoints.checkpoint())
    await copying.wait()
    async with asyncio.timeout(5), db.transaction() as conn:  # a tap, during the copy
        await conn.execute(
            "INSERT INTO subscribers (chat_id, chat_type, actor, subscribed_at, updated_at)"
            " VALUES (1, 'private', 'actor-1', '2026-01-01', '2026-01-01')"
        )
    bulk_done = asyncio.Event()

    async def batch() -> None:
        async with db.bulk() as conn:
            await conn.execute("UPDATE subscribers SET language = 'ru'")
        bulk_done.set()

    batching = asyncio.create_task(batch())
    await asyncio.sleep(0.2)
    assert not bulk_done.is_set()
    done.set()
    async with asyncio.timeout(5):
        await checkpointing
        await batching


async def test_the_log_starts_again_in_a_write_between_the_bots_transactions(
    db: SQLiteDatabase,
) -> None:
    # SQLite syncs a restarted log's header in the first write after the restart; that write is
    # made in the writer's slot, between two transactions of the bot's, not in the next one.
    assert db._checkpoints is not None
    await db._checkpoints.stop()  # this test checkpoints when it chooses
    checkpoints = await Checkpointer.start(
        db.path,
        interval=3600,
        slot=db._writer,
        restart_pages=64,
        turn=db._bulk_turn,
        restart=db._restart_log,
    )
    try:
        async with db.transaction() as conn:
            await conn.executemany(
                "INSERT INTO subscribers (chat_id, chat_type, actor, subscribed_at, updated_at)"
                " VALUES (?, 'private', ?, '2026-01-01', '2026-01-01')",
                [(n, f"actor-{n}") for n in range(1, 20_001)],
            )
        long_log = await checkpoints.checkpoint()
        async with db.transaction() as conn:  # the bot's next write, after the restart
            await conn.execute("UPDATE subscribers SET language = 'ru' WHERE chat_id = 1")
            restarted = await conn.fetchone("SELECT restarted_at FROM log_restarts")
        log, _ = await checkpoints._passive()
    finally:
        await checkpoints.stop()
    assert long_log > 64
    assert restarted is not None
    assert log < 16  # the restart's frame and the update's, not the 20,000 rows' again


async def test_a_restart_before_the_migrations_leaves_no_transaction_open(tmp_path: Path) -> None:
    # The checkpointer starts with the connection, before the migrations made `log_restarts`:
    # the write that restarts the log is then skipped, and the bot's next write restarts it.
    db = await SQLiteDatabase.connect(tmp_path / "bot.sqlite3")
    try:
        await db._restart_log()
        async with db.transaction() as conn:
            await conn.execute("CREATE TABLE letters (body TEXT)")
            await conn.execute("INSERT INTO letters VALUES ('to the prosecutor')")
        async with db.read() as conn:
            row = await conn.fetchone("SELECT count(*) FROM letters")
    finally:
        await db.close()
    assert row is not None
    assert row[0] == 1
