"""Migrations: applied in order and recorded; re-runs are no-ops; gaps, edits and failures stop."""

from __future__ import annotations

import asyncio
import shutil
from pathlib import Path

import pytest

from bot.config import Secret
from bot.db.connection import Database
from bot.db.dialect import Dialect
from bot.db.migrations import MIGRATIONS_DIR, MigrationError, discover, migrate


async def tables(db: Database) -> set[str]:
    async with db.read() as conn:
        if conn.dialect is Dialect.POSTGRESQL:
            cursor = await conn.execute(
                "SELECT table_name FROM information_schema.tables"
                " WHERE table_schema = current_schema()"
            )
        else:
            cursor = await conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        return {row[0] for row in await cursor.fetchall()}


async def test_a_fresh_database_gets_every_migration_recorded(database: Path | Secret) -> None:
    db = await Database.open(database)
    applied = await migrate(db)
    assert [m.version for m in applied] == list(range(1, len(discover()) + 1))
    assert {"cases", "subscribers", "actions", "schema_migrations"} <= await tables(db)
    async with db.read() as conn:
        cursor = await conn.execute("SELECT version, checksum FROM schema_migrations")
        recorded = {row[0]: row[1] for row in await cursor.fetchall()}
    assert recorded == {m.version: m.checksum for m in discover()}
    await db.close()


async def test_sqlite_runs_in_wal_mode_with_foreign_keys(tmp_path: Path) -> None:
    db = await Database.open(tmp_path / "bot.sqlite3")
    await migrate(db)
    async with db.read() as conn:
        mode = await (await conn.execute("PRAGMA journal_mode")).fetchone()
        keys = await (await conn.execute("PRAGMA foreign_keys")).fetchone()
    assert mode is not None and mode[0] == "wal"
    assert keys is not None and keys[0] == 1
    await db.close()


async def test_running_again_changes_nothing(database: Path | Secret) -> None:
    db = await Database.open(database)
    await migrate(db)
    assert await migrate(db) == []
    await db.close()


async def test_two_processes_starting_at_once_migrate_once(database: Path | Secret) -> None:
    first, second = await Database.open(database), await Database.open(database)
    try:
        applied = await asyncio.gather(migrate(first), migrate(second))
    finally:
        await first.close()
        await second.close()
    versions = sorted(m.version for run in applied for m in run)
    assert versions == list(range(1, len(discover()) + 1))


async def test_a_part_for_one_database_runs_on_that_database_only(
    database: Path | Secret, tmp_path: Path
) -> None:
    directory = copy_migrations(tmp_path)
    number = len(discover(directory)) + 1
    (directory / f"{number:04d}_variants.sql").write_text(
        "CREATE TABLE everywhere (id INTEGER PRIMARY KEY, chat_id INTEGER NOT NULL);\n"
        "-- only: postgresql\n"
        "CREATE TABLE only_postgresql (id INTEGER);\n"
        "-- end only\n"
        "-- only: sqlite\n"
        "CREATE TABLE only_sqlite (id INTEGER);\n"
        "-- end only\n"
    )
    db = await Database.open(database)
    try:
        await migrate(db, directory)
        found = await tables(db)
        async with db.transaction() as conn:
            # A Telegram supergroup's id needs 64 bits on both databases.
            cursor = await conn.execute(
                "INSERT INTO everywhere (chat_id) VALUES (?)", (-1001234567890,)
            )
            new_id = cursor.lastrowid
            row = await conn.fetchone("SELECT id, chat_id FROM everywhere")
    finally:
        await db.close()
    assert "everywhere" in found
    assert ("only_postgresql" in found) is (db.dialect is Dialect.POSTGRESQL)
    assert ("only_sqlite" in found) is (db.dialect is Dialect.SQLITE)
    assert row is not None and (row[0], row[1]) == (new_id, -1001234567890)


def copy_migrations(tmp_path: Path) -> Path:
    directory = tmp_path / "migrations"
    shutil.copytree(MIGRATIONS_DIR, directory)
    return directory


async def test_a_gap_in_the_numbering_is_refused_before_anything_runs(
    tmp_path: Path, database: Path | Secret
) -> None:
    directory = copy_migrations(tmp_path)
    last = len(discover(directory))
    (directory / f"{last + 2:04d}_later.sql").write_text("CREATE TABLE later (id INTEGER);")
    db = await Database.open(database)
    with pytest.raises(MigrationError, match=f"migration {last + 1:04d} is missing"):
        await migrate(db, directory)
    assert "cases" not in await tables(db)
    await db.close()


async def test_an_edited_applied_migration_is_refused(
    tmp_path: Path, database: Path | Secret
) -> None:
    directory = copy_migrations(tmp_path)
    db = await Database.open(database)
    await migrate(db, directory)
    first = directory / "0001_initial.sql"
    first.write_text(first.read_text() + "\n-- edited\n")
    with pytest.raises(MigrationError, match=r"0001_initial\.sql has changed"):
        await migrate(db, directory)
    await db.close()


async def test_a_failing_migration_rolls_back_and_leaves_the_database_as_it_was(
    tmp_path: Path, database: Path | Secret
) -> None:
    directory = copy_migrations(tmp_path)
    db = await Database.open(database)
    await migrate(db, directory)
    before = await tables(db)
    number = len(discover(directory)) + 1
    (directory / f"{number:04d}_broken.sql").write_text(
        "CREATE TABLE half_done (id INTEGER);\nINSERT INTO no_such_table VALUES (1);\n"
    )
    with pytest.raises(MigrationError, match="failed and was rolled back"):
        await migrate(db, directory)
    assert await tables(db) == before
    async with db.read() as conn:
        cursor = await conn.execute("SELECT max(version) FROM schema_migrations")
        row = await cursor.fetchone()
    assert row is not None and row[0] == number - 1
    await db.close()


async def columns(db: Database, table: str) -> set[str]:
    async with db.read() as conn:
        if conn.dialect is Dialect.POSTGRESQL:
            cursor = await conn.execute(
                "SELECT column_name FROM information_schema.columns"
                " WHERE table_schema = current_schema() AND table_name = ?",
                (table,),
            )
        else:
            cursor = await conn.execute(f"SELECT name FROM pragma_table_info('{table}')")
        return {row[0] for row in await cursor.fetchall()}


async def test_cases_keep_no_progress_columns_of_the_old_way_of_alerting(db: Database) -> None:
    held = await columns(db, "cases")
    assert {"slug", "status"} <= held
    assert not held & {"alerts_after", "alerts_done_at"}
