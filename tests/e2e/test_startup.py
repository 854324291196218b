"""Start-up on a database that cannot be used: `python -m bot run` and `migrate` as an operator
runs them, each a real process. Each refuses with one line naming the file and what to do, exits
with code 2 at once (no hang), and leaves the database as it was."""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import os
import signal
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.emulator import TelegramEmulator
from tests.conftest import ROOT, TOKEN
from tests.e2e.test_run import start_bot, until

COMMANDS = ["run", "migrate"]


def bot(command: str, database: Path, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """Run `python -m bot COMMAND` on `database`; Telegram is unreachable (port 9), so only
    the database decides what happens."""
    return subprocess.run(
        [sys.executable, "-m", "bot", command],
        cwd=ROOT,
        env={
            "PATH": os.environ.get("PATH", ""),
            "BOT_TOKEN": TOKEN,
            "BOT_API_URL": "http://127.0.0.1:9",
            "BOT_DB_PATH": str(database),
        },
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def migrated(path: Path) -> Path:
    """A database as the bot leaves it, with a subscriber in it."""
    result = bot("migrate", path)
    assert result.returncode == 0, result.stderr
    with contextlib.closing(sqlite3.connect(path)) as conn, conn:
        conn.execute(
            "INSERT INTO subscribers (chat_id, chat_type, actor, subscribed_at, updated_at)"
            " VALUES (1, 'private', 'a', '2026-01-01', '2026-01-01')"
        )
    return path


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def refused(result: subprocess.CompletedProcess[str]) -> str:
    """The one line the operator reads; the exit code is 2 and there is no traceback."""
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr, result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("database error: ")
    return lines[0]


@pytest.mark.parametrize("command", COMMANDS)
def test_a_file_of_garbage_is_named_and_left_alone(tmp_path: Path, command: str) -> None:
    path = tmp_path / "bot.sqlite3"
    path.write_bytes(bytes(range(256)) * 64)
    before = digest(path)
    line = refused(bot(command, path))
    assert str(path) in line
    assert "is not an SQLite database" in line
    assert "BOT_DB_PATH" in line
    assert digest(path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bot.sqlite3", "bot.sqlite3.lock"]


@pytest.mark.parametrize("command", COMMANDS)
def test_a_database_cut_in_half_is_named_and_left_alone(tmp_path: Path, command: str) -> None:
    path = migrated(tmp_path / "bot.sqlite3")
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    before = digest(path)
    line = refused(bot(command, path))
    assert str(path) in line
    assert "cut short" in line
    assert "restore it from a backup" in line
    assert digest(path) == before
    assert not (tmp_path / "bot.sqlite3-wal").exists()


@pytest.mark.parametrize("command", COMMANDS)
def test_a_changed_applied_migration_is_named_and_nothing_runs(
    tmp_path: Path, command: str
) -> None:
    path = migrated(tmp_path / "bot.sqlite3")
    # What the database recorded no longer matches the file in migrations/: as if the file
    # had been edited after it was applied.
    with contextlib.closing(sqlite3.connect(path)) as conn, conn:
        conn.execute("UPDATE schema_migrations SET checksum = 'edited' WHERE version = 3")
    before = digest(path)
    line = refused(bot(command, path))
    assert str(path) in line
    assert "0003_outbox.sql has changed since it was applied" in line
    assert "write a new migration" in line
    assert digest(path) == before


@contextlib.contextmanager
def read_only(folder: Path) -> Iterator[None]:
    """Make `folder` read-only for the bot's process. Root writes through permission bits, so
    as root the folder is made immutable instead (which binds root too)."""
    if os.geteuid() == 0:
        subprocess.run(["chattr", "+i", str(folder)], check=True)
        try:
            yield
        finally:
            subprocess.run(["chattr", "-i", str(folder)], check=True)
    else:
        folder.chmod(0o555)
        try:
            yield
        finally:
            folder.chmod(0o755)


@pytest.mark.parametrize("command", COMMANDS)
def test_a_read_only_folder_is_named(tmp_path: Path, command: str) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    path = migrated(folder / "bot.sqlite3")
    before = digest(path)
    with read_only(folder):
        line = refused(bot(command, path))
    assert str(path) in line
    assert "cannot write" in line
    assert str(folder) in line
    assert digest(path) == before


@pytest.mark.parametrize("command", COMMANDS)
def test_a_parent_folder_that_cannot_be_made_is_named(tmp_path: Path, command: str) -> None:
    blocker = tmp_path / "data"
    blocker.write_text("a file where the folder should be\n", encoding="utf-8")
    path = blocker / "bot" / "bot.sqlite3"
    line = refused(bot(command, path))
    assert str(path) in line
    assert "is missing and cannot be created" in line
    assert blocker.read_text(encoding="utf-8") == "a file where the folder should be\n"


def test_a_missing_parent_folder_is_made_and_the_database_created(tmp_path: Path) -> None:
    path = tmp_path / "new" / "folder" / "bot.sqlite3"
    result = bot("migrate", path)
    assert result.returncode == 0, result.stderr
    with contextlib.closing(sqlite3.connect(path)) as conn:
        assert conn.execute("SELECT count(*) FROM schema_migrations").fetchone()[0] > 0


async def test_a_second_bot_on_the_same_database_is_refused_and_the_first_runs_on(
    emulator: TelegramEmulator, tmp_path: Path
) -> None:
    env = {
        "BOT_TOKEN": TOKEN,
        "BOT_API_URL": emulator.api_url,
        "BOT_DB_PATH": str(tmp_path / "bot.sqlite3"),
    }
    first = await start_bot(env)
    try:
        await until(lambda: emulator.stats.requests.get("getUpdates", 0) > 0)
        polls = emulator.stats.requests.get("getUpdates", 0)
        second = await start_bot(env)
        _, stderr = await asyncio.wait_for(second.communicate(), 30)
        line = stderr.decode().strip()
        assert second.returncode == 2, line
        assert line.startswith("database error: "), line
        assert "another bot process is using this database" in line
        assert f"(process {first.pid})" in line
        assert "\n" not in line
        # The second never reached Telegram: the first alone polls, and still answers.
        person = emulator.create_person("Anna")
        mark = emulator.last_id(person.id)
        await emulator.send_text(person.id, "/start")
        await emulator.replies(person.id, after=mark, count=2, timeout=20)
        assert emulator.stats.requests.get("getUpdates", 0) > polls
        # A migration is refused too while the bot runs.
        migrate = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bot",
            "migrate",
            cwd=ROOT,
            env={"PATH": os.environ.get("PATH", ""), **env},
            stderr=asyncio.subprocess.PIPE,
        )
        _, stderr = await asyncio.wait_for(migrate.communicate(), 30)
        assert migrate.returncode == 2
        assert "another bot process is using this database" in stderr.decode()
    finally:
        first.kill()  # as a crash would: the OS lets go of the lock
        await first.wait()
    # The lock died with the process: a bot starts again on the same file.
    again = await start_bot(env)
    try:
        before = emulator.stats.requests.get("getUpdates", 0)
        # A start on a loaded machine may take a while: the point is that it starts at all.
        await until(lambda: emulator.stats.requests.get("getUpdates", 0) > before, timeout=60)
        again.send_signal(signal.SIGTERM)
        _, stderr = await asyncio.wait_for(again.communicate(), 20)
        assert again.returncode == 0, stderr.decode()
    finally:
        if again.returncode is None:
            again.kill()
            await again.wait()
