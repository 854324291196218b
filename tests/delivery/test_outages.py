"""The database or Telegram out of reach: the operator reads one WARNING when it starts and one
when it ends, and sending resumes as soon as the database answers again, not after a backoff."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence

import pytest

from bot.db.connection import Database
from bot.delivery.messages import Kind, Result
from bot.emulator import TelegramEmulator
from bot.outages import Outage
from tests.delivery.conftest import queue, subscribe
from tests.delivery.test_engine import chats_with, sending


def test_an_outage_is_told_once_when_it_starts_and_once_when_it_ends(
    caplog: pytest.LogCaptureFixture,
) -> None:
    now = [100.0]
    outage = Outage("the database", clock=lambda: now[0])
    with caplog.at_level(logging.WARNING, logger="bot.outages"):
        outage.answered()
        for _ in range(5):
            outage.failed(TimeoutError())
        now[0] += 42.0
        outage.answered()
        outage.answered()
    assert [r.getMessage() for r in caplog.records] == [
        "the database is out of reach (no answer in time); trying again until it answers",
        "the database answers again, after 42.0s out of reach",
    ]


async def test_results_are_recorded_as_soon_as_the_database_answers_again(
    db: Database, emulator: TelegramEmulator
) -> None:
    people = [p.id for p in emulator.create_people(60)]
    await queue(db, await subscribe(db, people), "Appeal", kind=Kind.BROADCAST)
    # The writer's backoff would reach a minute: only the database answering again can end
    # its wait in time for the drain below.
    async with sending(db, emulator, record_retry=60.0, db_retry_cap=60.0) as (engine, _):
        record = engine.outbox.record
        failing = True
        failed = asyncio.Event()

        async def gone(results: Sequence[Result]) -> None:
            if failing:
                failed.set()
                async with db.transaction():
                    # What either database says when it went away mid-transaction.
                    raise ConnectionResetError(104, "Connection reset by peer")
            await record(results)

        engine.outbox.record = gone  # type: ignore[method-assign]
        async with asyncio.timeout(20):
            await failed.wait()
        failing = False
        async with db.read() as conn:  # any statement that gets through
            await conn.fetchone("SELECT 1")
        await engine.wait_drained(20)
    assert sorted(await chats_with(db, "sent")) == sorted(people)


async def test_a_telegram_outage_of_server_errors_is_one_warning_and_one_when_it_ends(
    db: Database, emulator: TelegramEmulator, caplog: pytest.LogCaptureFixture
) -> None:
    people = [p.id for p in emulator.create_people(3)]
    await queue(db, await subscribe(db, people), "Sign the petition")
    emulator.fail_next("sendMessage", count=6, status=502)
    with caplog.at_level(logging.INFO):
        async with sending(db, emulator, retry_base=0.05) as (engine, client):
            await engine.wait_drained(20)
    assert [p.status for p in client.posts].count(502) == 6
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 2, warnings
    assert warnings[0].startswith("Telegram is out of reach (")
    assert warnings[1].startswith("Telegram answers again")
