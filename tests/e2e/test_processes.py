"""Real bot processes (`python -m bot run`, webhook mode) draining one broadcast, one of them
killed with SIGKILL in the middle: nobody is missed, and only messages in flight at the kill
come twice.

On PostgreSQL two processes share the work (and Telegram's limits) while both live; the
survivor resends the dead one's rows once their lease runs out. On SQLite one process owns the
file, so the second starts once the first is dead, as a restart does.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import sys
import time
from collections import Counter
from pathlib import Path

from bot.config import Secret
from bot.db import outbox
from bot.db.broadcasts import BroadcastRepository
from bot.db.connection import Database
from bot.db.dialect import Dialect
from bot.db.migrations import migrate
from bot.delivery.messages import Kind, OutboundMessage
from bot.delivery.transport import BotApiClient
from bot.emulator import TelegramEmulator
from bot.handlers.broadcast import PROGRESS_EVERY
from tests.conftest import ROOT, TOKEN, database_env
from tests.delivery.conftest import T0, subscribe
from tests.e2e.test_run import free_port, start_bot, until, until_listening

PEOPLE = 300
# Messages posted and not yet recorded, per process: all that a kill can send twice.
MAX_IN_FLIGHT = 32


def environment(
    emulator: TelegramEmulator, database: Path | Secret, actions: Path
) -> dict[str, str]:
    return {
        "BOT_ACTIONS_DIR": str(actions),  # no case to publish: the broadcast is all there is
        "BOT_TOKEN": TOKEN,
        "BOT_API_URL": emulator.api_url,
        **database_env(database),
        "BOT_WEBHOOK_URL": "https://bot.example.org/telegram",
        "BOT_WEBHOOK_SECRET": "the-webhook-secret_1-0123456789abcdefghij",
        "BOT_WEBHOOK_LISTEN": "127.0.0.1",
        "BOT_WEBHOOK_PORT": str(free_port()),
        "BOT_SEND_RATE": "25",
        "BOT_DELIVERY_LEASE": "5",
    }


async def outbox_statuses(db: Database) -> Counter[str]:
    async with db.read() as conn:
        rows = await conn.fetchall("SELECT status, count(*) FROM outbox GROUP BY status")
    return Counter({str(row[0]): int(row[1]) for row in rows})


async def started(env: dict[str, str]) -> asyncio.subprocess.Process:
    process = await start_bot(env)
    await until_listening(int(env["BOT_WEBHOOK_PORT"]), timeout=30)
    return process


async def test_a_process_killed_mid_broadcast_loses_nobody_and_sends_only_its_flight_twice(
    emulator: TelegramEmulator, database: Path | Secret, tmp_path: Path
) -> None:
    db = await Database.open(database)
    several = db.dialect is Dialect.POSTGRESQL
    processes: list[asyncio.subprocess.Process] = []
    try:
        await migrate(db)
        people = [p.id for p in emulator.create_people(PEOPLE)]
        recipients = await subscribe(db, people)
        async with db.transaction() as conn:
            await outbox.enqueue(
                conn,
                OutboundMessage.text("Write to the prosecutor"),
                recipients,
                kind=Kind.BROADCAST,
                now=T0,
            )
        first_env = environment(emulator, database, tmp_path)
        first = await started(first_env)
        processes.append(first)
        if several:
            processes.append(await started(environment(emulator, database, tmp_path)))
        await until(lambda: emulator.stats.delivered >= 100, timeout=30)
        first.send_signal(signal.SIGKILL)
        await first.wait()
        if not several:
            processes.append(await started(environment(emulator, database, tmp_path)))

        async def finished() -> bool:
            return (await outbox_statuses(db)) == Counter({"sent": PEOPLE})

        for _ in range(600):
            if await finished():
                break
            await asyncio.sleep(0.1)
        assert await outbox_statuses(db) == Counter({"sent": PEOPLE})
    finally:
        for process in processes:
            if process.returncode is None:
                process.send_signal(signal.SIGTERM)
        logs = [(await asyncio.wait_for(p.communicate(), 30))[1].decode() for p in processes]
        await db.close()
    received = Counter({person: len(emulator.bot_messages(person)) for person in people})
    assert min(received.values()) == 1, "someone got nothing"
    twice = sum(count - 1 for count in received.values())
    # Only the killed process's messages in flight can come again; the survivor's never do.
    assert twice <= MAX_IN_FLIGHT, twice
    # Telegram's limits held for the processes together: the service never refused a message.
    assert emulator.stats.too_many_requests == 0, emulator.stats.too_many_requests
    for log in logs[1:]:
        assert "Traceback" not in log, log
    # The rows the killed process held went out again through the survivor, which said so. A
    # message that came twice was such a row; on a loaded machine the killed process may have
    # held none at the moment of the kill, and then there is nothing to resend.
    resent = "rows of a process that stopped were in flight" if several else "were in flight"
    if twice or not several:
        assert resent in logs[1], logs[1]


async def test_migrate_against_an_unreachable_postgresql_names_it_and_hides_the_password() -> None:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "migrate",
        cwd=ROOT,
        env={
            "PATH": os.environ.get("PATH", ""),
            "BOT_TOKEN": TOKEN,
            "BOT_DATABASE_URL": "postgresql://bot:hunter2-pass@127.0.0.1:1/urgent",
        },
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(process.communicate(), 30)
    log = (out + err).decode()
    assert process.returncode == 2
    lines = [line for line in err.decode().splitlines() if line.strip()]
    assert len(lines) == 1, log
    assert lines[0].startswith("database error: cannot connect to")
    assert "cannot connect to postgresql://bot:********@127.0.0.1:1/urgent" in log
    assert "hunter2" not in log
    assert "Traceback" not in log


async def test_a_second_polling_process_on_one_database_is_refused_and_the_first_runs_on(
    emulator: TelegramEmulator, database: Path | Secret, tmp_path: Path
) -> None:
    # Two processes polling with one token would take each other's updates: a SQLite file is
    # held by its lock file, a PostgreSQL database by a lock the polling process holds on it.
    env = {
        "BOT_ACTIONS_DIR": str(tmp_path),
        "BOT_TOKEN": TOKEN,
        "BOT_API_URL": emulator.api_url,
        **database_env(database),
    }
    first = await start_bot(env)
    try:
        await until(lambda: emulator.stats.requests.get("getUpdates", 0) > 0, timeout=60)
        polls = emulator.stats.requests.get("getUpdates", 0)
        second = await start_bot(env)
        _, stderr = await asyncio.wait_for(second.communicate(), 60)
        lines = [line for line in stderr.decode().splitlines() if line.strip()]
        assert second.returncode == 2, lines
        assert len(lines) == 1, lines
        assert lines[0].startswith("database error: "), lines
        if isinstance(database, Secret):
            assert "another bot process is polling Telegram over this database" in lines[0]
        else:
            assert "another bot process is using this database" in lines[0]
        # The first alone polls, and still answers.
        person = emulator.create_person("Anna")
        mark = emulator.last_id(person.id)
        await emulator.send_text(person.id, "/start")
        await emulator.replies(person.id, after=mark, count=1, timeout=30)
        # The first process polls on after the refusal (its next long poll may start just after
        # the reply).
        await until(lambda: emulator.stats.requests.get("getUpdates", 0) > polls, timeout=30)
    finally:
        first.send_signal(signal.SIGTERM)
        await asyncio.wait_for(first.wait(), 30)
    # The lock went with the first process: a bot polls again over the same database.
    again = await start_bot(env)
    try:
        before = emulator.stats.requests.get("getUpdates", 0)
        await until(lambda: emulator.stats.requests.get("getUpdates", 0) > before, timeout=60)
    finally:
        again.send_signal(signal.SIGTERM)
        await asyncio.wait_for(again.wait(), 30)


async def test_a_changed_applied_migration_stops_run_with_one_line_on_either_backend(
    emulator: TelegramEmulator, database: Path | Secret, tmp_path: Path
) -> None:
    db = await Database.open(database)
    try:
        await migrate(db)
        async with db.transaction() as conn:
            await conn.execute(
                "UPDATE schema_migrations SET checksum = 'edited' WHERE version = 1"
            )
    finally:
        await db.close()
    process = await start_bot(
        {
            "BOT_ACTIONS_DIR": str(tmp_path),
            "BOT_TOKEN": TOKEN,
            "BOT_API_URL": emulator.api_url,
            **database_env(database),
        }
    )
    _, err = await asyncio.wait_for(process.communicate(), 60)
    lines = [line for line in err.decode().splitlines() if line.strip()]
    assert process.returncode == 2, lines
    assert len(lines) == 1, lines
    assert lines[0].startswith("database error: "), lines
    assert "0001_initial.sql has changed since it was applied" in lines[0]
    assert "Traceback" not in err.decode()
    # Telegram was never called.
    assert emulator.stats.requests.get("getUpdates", 0) == 0
    assert emulator.stats.requests.get("getMe", 0) == 0


async def test_processes_following_one_broadcast_edit_its_status_message_as_one(
    emulator: TelegramEmulator, database: Path | Secret, tmp_path: Path
) -> None:
    # Every process that starts while a broadcast is under way follows it; one of them edits
    # the organizer's "sent N of M" message, so the edits stay those of one process.
    db = await Database.open(database)
    several = db.dialect is Dialect.POSTGRESQL
    processes: list[asyncio.subprocess.Process] = []
    try:
        await migrate(db)
        organizer = emulator.create_person("Olga", started=True)
        await subscribe(db, [p.id for p in emulator.create_people(PEOPLE)])
        client = BotApiClient(emulator.api_url, Secret(TOKEN))
        await client.open()
        try:
            posted = await client.post(
                "sendMessage", json.dumps({"chat_id": organizer.id, "text": "Queued"}).encode()
            )
        finally:
            await client.close()
        assert posted.message_id is not None
        broadcasts = BroadcastRepository(db)
        broadcast = await broadcasts.create(
            created_by=organizer.id, text="News", audience="all", send_at=T0, now=T0
        )
        await broadcasts.fill(broadcast.id, lambda _: OutboundMessage.text("News"), T0)
        await broadcasts.set_status_message(broadcast.id, organizer.id, posted.message_id)
        began = time.monotonic()
        for _ in range(2 if several else 1):
            processes.append(await started(environment(emulator, database, tmp_path)))

        async def finished() -> bool:
            found = await broadcasts.get(broadcast.id)
            return found is not None and found.status == "done"

        for _ in range(600):
            if await finished():
                break
            await asyncio.sleep(0.1)
        assert await finished()
        took = time.monotonic() - began
    finally:
        for process in processes:
            if process.returncode is None:
                process.send_signal(signal.SIGTERM)
        for process in processes:
            await asyncio.wait_for(process.communicate(), 30)
        await db.close()
    (status,) = [m for m in emulator.messages(organizer.id) if m.message_id == posted.message_id]
    # One process's edits: one every PROGRESS_EVERY seconds at most, and the last one final.
    assert status.edits <= took / PROGRESS_EVERY + 1, (status.edits, took)
    assert status.edits >= 1, (status.edits, took)
    assert status.reply_markup is None  # the report is final: no "Cancel" button left
    assert emulator.stats.too_many_requests == 0
