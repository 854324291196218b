"""Numbered SQL migrations, applied in order, each in one transaction, recorded with a checksum.

One sequence serves both databases: each file is written in SQLite's SQL, and
`bot.db.dialect.migration_statements` translates its types for PostgreSQL (or keeps a part marked
for one database only). The runner holds a lock on the database while it works, so that two
processes starting at once apply each migration once: the second waits, then finds it applied.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from bot.db.connection import Database
from bot.db.dialect import migration_statements

MIGRATIONS_DIR = Path(__file__).resolve().parent.parent.parent / "migrations"
_NAME = re.compile(r"^(\d{4})_([a-z0-9_]+)\.sql$")


class MigrationError(Exception):
    """The migrations cannot be applied; the database was left as it was."""


@dataclass(frozen=True)
class Migration:
    """One numbered SQL file."""

    version: int
    name: str
    sql: str

    @property
    def checksum(self) -> str:
        """A digest of the file, so a changed applied migration is noticed."""
        return hashlib.sha256(self.sql.encode()).hexdigest()


def discover(directory: Path = MIGRATIONS_DIR) -> list[Migration]:
    """The migrations in `directory`, in order; a gap or a misnamed file is an error."""
    migrations: list[Migration] = []
    for path in sorted(directory.iterdir()):
        if path.suffix != ".sql":
            continue
        match = _NAME.match(path.name)
        if match is None:
            raise MigrationError(f"{path.name}: expected a name like 0001_initial.sql")
        migrations.append(Migration(int(match[1]), match[2], path.read_text(encoding="utf-8")))
    for expected, migration in enumerate(migrations, start=1):
        if migration.version != expected:
            raise MigrationError(
                f"migration {expected:04d} is missing: found {migration.version:04d}_"
                f"{migration.name}.sql after it; the numbering must have no gaps"
            )
    return migrations


# The name of the lock the runner holds on the database (an advisory lock on PostgreSQL).
MIGRATION_LOCK = "urgent-action-bot:migrations"


async def migrate(db: Database, directory: Path = MIGRATIONS_DIR) -> list[Migration]:
    """Apply the migrations not yet applied; return those applied now."""
    migrations = discover(directory)
    async with db.exclusive(MIGRATION_LOCK, wait=True):
        done = await _migrate(db, migrations)
    await db.schema_changed()
    return done


async def _migrate(db: Database, migrations: list[Migration]) -> list[Migration]:
    async with db.transaction() as conn:
        await conn.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations ("
            " version INTEGER PRIMARY KEY, name TEXT NOT NULL,"
            " checksum TEXT NOT NULL, applied_at TEXT NOT NULL)"
        )
        cursor = await conn.execute("SELECT version, name, checksum FROM schema_migrations")
        rows = await cursor.fetchall()
        applied = {row["version"]: (row["name"], row["checksum"]) for row in rows}
    known = {m.version for m in migrations}
    for version in sorted(applied):
        if version not in known:
            raise MigrationError(
                f"migration {version:04d}_{applied[version][0]}.sql was applied to this "
                "database but its file is gone"
            )
    for migration in migrations:
        if migration.version in applied and applied[migration.version][1] != migration.checksum:
            raise MigrationError(
                f"migration {migration.version:04d}_{migration.name}.sql has changed since it was "
                "applied; write a new migration instead of editing an applied one"
            )
    done: list[Migration] = []
    for migration in migrations:
        if migration.version in applied:
            continue
        try:
            async with db.schema_transaction() as conn:
                # Another process may have applied it since it was read (a SQLite file opened
                # by two processes; PostgreSQL's runners wait for each other's lock).
                if await conn.fetchone(
                    "SELECT 1 FROM schema_migrations WHERE version = ?", (migration.version,)
                ):
                    continue
                for statement in migration_statements(migration.sql, db.dialect):
                    await conn.execute(statement)
                await conn.execute(
                    "INSERT INTO schema_migrations (version, name, checksum, applied_at)"
                    " VALUES (?, ?, ?, ?)",
                    (
                        migration.version,
                        migration.name,
                        migration.checksum,
                        datetime.now(UTC).isoformat(),
                    ),
                )
        except Exception as error:
            raise MigrationError(
                f"migration {migration.version:04d}_{migration.name}.sql failed and was rolled "
                f"back: {error}"
            ) from error
        done.append(migration)
    return done
