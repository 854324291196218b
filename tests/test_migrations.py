"""Migrations: applied in order and recorded; re-runs are no-ops; gaps, edits and failures stop."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.db.connection import Database
from bot.db.migrations import MIGRATIONS_DIR, MigrationError, discover, migrate


async def tables(db: Database) -> set[str]:
    async with db.read() as conn:
        cursor = await conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        return {row[0] for row in await cursor.fetchall()}


async def test_a_fresh_database_gets_every_migration_recorded(tmp_path: Path) -> None:
    db = await Database.open(tmp_path / "bot.sqlite3")
    applied = await migrate(db)
    assert [m.version for m in applied] == list(range(1, len(discover()) + 1))
    assert {"cases", "subscribers", "actions", "schema_migrations"} <= await tables(db)
    async with db.read() as conn:
        cursor = await conn.execute("SELECT version, checksum FROM schema_migrations")
        recorded = {row[0]: row[1] for row in await cursor.fetchall()}
        mode = await (await conn.execute("PRAGMA journal_mode")).fetchone()
        keys = await (await conn.execute("PRAGMA foreign_keys")).fetchone()
    assert recorded == {m.version: m.checksum for m in discover()}
    assert mode is not None and mode[0] == "wal"
    assert keys is not None and keys[0] == 1
    await db.close()


async def test_running_again_changes_nothing(tmp_path: Path) -> None:
    db = await Database.open(tmp_path / "bot.sqlite3")
    await migrate(db)
    assert await migrate(db) == []
    await db.close()


def copy_migrations(tmp_path: Path) -> Path:
    directory = tmp_path / "migrations"
    shutil.copytree(MIGRATIONS_DIR, directory)
    return directory


async def test_a_gap_in_the_numbering_is_refused_before_anything_runs(tmp_path: Path) -> None:
    directory = copy_migrations(tmp_path)
    last = len(discover(directory))
    (directory / f"{last + 2:04d}_later.sql").write_text("CREATE TABLE later (id INTEGER);")
    db = await Database.open(tmp_path / "bot.sqlite3")
    with pytest.raises(MigrationError, match=f"migration {last + 1:04d} is missing"):
        await migrate(db, directory)
    assert "cases" not in await tables(db)
    await db.close()


async def test_an_edited_applied_migration_is_refused(tmp_path: Path) -> None:
    directory = copy_migrations(tmp_path)
    db = await Database.open(tmp_path / "bot.sqlite3")
    await migrate(db, directory)
    first = directory / "0001_initial.sql"
    first.write_text(first.read_text() + "\n-- edited\n")
    with pytest.raises(MigrationError, match=r"0001_initial\.sql has changed"):
        await migrate(db, directory)
    await db.close()


async def test_a_failing_migration_rolls_back_and_leaves_the_database_as_it_was(
    tmp_path: Path,
) -> None:
    directory = copy_migrations(tmp_path)
    db = await Database.open(tmp_path / "bot.sqlite3")
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
