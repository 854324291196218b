"""PostgreSQL failing under the bot, on a server of the test's own (tests/pgcluster.py): stopped,
restarted and frozen. A tap is answered within seconds, in the person's language; the operator
reads one WARNING when the database goes and one when it is back; the polling process keeps its
right to poll across a restart, or stops when another took it; and a server that never answers
is one clear line at start, not a minute's wait."""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import signal
from collections.abc import AsyncIterator

import asyncpg
import pytest

from bot.config import Secret, Settings
from bot.context import UrgentActionApp
from bot.db.connection import Database
from bot.db.postgres import CONNECT_TIMEOUT
from bot.db.startup import DatabaseInUseError, polling_lock
from bot.emulator import TelegramEmulator
from bot.polling import JOB_NAME as POLLING_JOB
from tests.conftest import TOKEN, Chatter, MovableClock, running_bot
from tests.e2e.test_outages import SORRY_EN
from tests.e2e.test_run import start_bot, until
from tests.pgcluster import OwnPostgres, needs_postgresql_binaries, own_postgres

# The database is stopped, frozen or restarted on purpose: the bot's apologies are the point.
pytestmark = [needs_postgresql_binaries(), pytest.mark.apology_expected]


@pytest.fixture
async def server() -> AsyncIterator[OwnPostgres]:
    async with own_postgres() as started:
        yield started


@pytest.fixture
def on_server(settings: Settings, server: OwnPostgres) -> Settings:
    return dataclasses.replace(settings, database_url=server.url)


def warnings(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "bot.outages"]


async def test_a_tap_while_postgresql_is_stopped_is_answered_and_the_operator_warned_once(
    on_server: Settings,
    clock: MovableClock,
    server: OwnPostgres,
    person: Chatter,
    caplog: pytest.LogCaptureFixture,
) -> None:
    async with running_bot(on_server, clock):
        await person.say("/start", replies=2)
        await server.stop()
        with caplog.at_level(logging.WARNING):
            (first,) = await person.say("/start")
            (second,) = await person.say("/help")
            await server.start()
            replies = [(await person.say("/help"))[0] for _ in range(2)]
    assert first.text == SORRY_EN
    assert second.text == SORRY_EN
    assert replies[-1].text != SORRY_EN  # answered as usual once the server is back
    said = warnings(caplog)
    assert len(said) == 2, said
    assert said[0].startswith("the database is out of reach")
    assert said[1].startswith("the database answers again")


async def test_a_tap_while_postgresql_is_frozen_is_answered_within_the_time_limit(
    on_server: Settings,
    clock: MovableClock,
    server: OwnPostgres,
    person: Chatter,
    caplog: pytest.LogCaptureFixture,
) -> None:
    async with running_bot(on_server, clock):
        await person.say("/start", replies=2)
        server.freeze()
        try:
            with caplog.at_level(logging.WARNING):
                # Bounded by the statement time limit (12 s), not by the freeze.
                (reply,) = await person.say("/help", timeout=30)
        finally:
            server.thaw()
    assert reply.text == SORRY_EN
    assert any("out of reach" in line for line in warnings(caplog)), warnings(caplog)


async def test_the_polling_right_is_taken_again_after_a_restart(
    on_server: Settings, clock: MovableClock, server: OwnPostgres
) -> None:
    async with running_bot(on_server, clock) as app:
        await server.restart("immediate")
        await run_job(app, POLLING_JOB)
        assert app.updater is not None and app.updater.running
        # A second process is refused as before the restart.
        other = await Database.open(server.url)
        try:
            with pytest.raises(DatabaseInUseError, match="another bot process is polling"):
                async with polling_lock(other):
                    pass
        finally:
            await other.close()
    # Stopped normally: the right let go, and free for the next process.
    after = await Database.open(server.url)
    try:
        async with polling_lock(after):
            pass
    finally:
        await after.close()


async def test_a_process_whose_polling_right_was_taken_meanwhile_stops_polling(
    on_server: Settings,
    clock: MovableClock,
    server: OwnPostgres,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    async with running_bot(on_server, clock) as app:
        asked: list[bool] = []
        monkeypatch.setattr(app, "stop_running", lambda: asked.append(True))
        # The check runs here, after the rival: on its schedule (every 2 s) it could take the
        # right back first while the restart and the rival's start take their time.
        assert app.job_queue is not None
        (job,) = app.job_queue.get_jobs_by_name(POLLING_JOB)
        job.enabled = False
        await server.restart("fast")
        # Another process starts while this one's connection is gone, and takes the right.
        rival = await Database.open(server.url)
        try:
            async with polling_lock(rival):
                with caplog.at_level(logging.ERROR):
                    await run_job(app, POLLING_JOB)
        finally:
            await rival.close()
        assert asked == [True]
        assert "this process stops" in caplog.text


async def run_job(app: UrgentActionApp, name: str) -> None:
    """Run the bot's job `name` now, as its schedule would."""
    assert app.job_queue is not None
    (job,) = app.job_queue.get_jobs_by_name(name)
    await job.run(app)


async def test_a_server_that_never_answers_is_one_clear_reason_at_start() -> None:
    done = asyncio.Event()

    async def silent(_reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await done.wait()  # accepts, and never says a word
        writer.close()

    listener = await asyncio.start_server(silent, "127.0.0.1", 0)
    port = listener.sockets[0].getsockname()[1]
    try:
        with pytest.raises(ConnectionError) as refused:
            async with asyncio.timeout(CONNECT_TIMEOUT * 3):
                await Database.open(Secret(f"postgresql://bot@127.0.0.1:{port}/urgent"))
    finally:
        done.set()
        listener.close()
        await listener.wait_closed()
    assert str(refused.value) == (
        f"cannot connect to postgresql://bot@127.0.0.1:{port}/urgent:"
        f" no answer within {CONNECT_TIMEOUT:g}s"
    )


async def test_a_polling_process_lives_through_a_restart_and_a_sigterm_then_exits_0(
    emulator: TelegramEmulator, server: OwnPostgres
) -> None:
    env = {
        "BOT_TOKEN": TOKEN,
        "BOT_API_URL": emulator.api_url,
        "BOT_DATABASE_URL": server.url.reveal(),
    }
    first = await start_bot(env)
    try:
        await until(lambda: emulator.stats.requests.get("getUpdates", 0) > 0, timeout=60)
        await server.restart("fast")
        person = emulator.create_person("Anna")
        # Its right to poll taken again (within its 2 s check), a second process is refused as
        # before the restart.
        await until_right_held(server)
        second = await start_bot(env)
        try:
            _, refused = await asyncio.wait_for(second.communicate(), 60)
        finally:
            if second.returncode is None:
                second.kill()
                await second.wait()
        assert second.returncode == 2, refused.decode()
        assert "another bot process is polling" in refused.decode()
        mark = emulator.last_id(person.id)
        await emulator.send_text(person.id, "/start")
        await emulator.replies(person.id, after=mark, count=2, timeout=60)
        conflicts = emulator.stats.errors.get(409, 0)  # two pollers at once
        first.send_signal(signal.SIGTERM)
        _, stderr = await asyncio.wait_for(first.communicate(), 30)
    finally:
        if first.returncode is None:
            first.kill()
            await first.wait()
    log = stderr.decode()
    assert first.returncode == 0, log
    assert "start-up failed" not in log
    assert conflicts == 0


async def until_right_held(server: OwnPostgres) -> None:
    """Wait until some process holds an advisory lock (the right to poll) on the server."""
    connection = await asyncpg.connect(server.url.reveal())
    try:
        for _ in range(600):
            if await connection.fetchval(
                "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted"
            ):
                return
            await asyncio.sleep(0.05)
    finally:
        await connection.close()
    raise TimeoutError("no process took the right to poll again")
