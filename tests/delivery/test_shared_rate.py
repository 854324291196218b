"""The bot's processes on one PostgreSQL database keep Telegram's 30 messages a second together,
in any one-second window (the emulator counts it so), and a 429 for the whole bot pauses every
process, not only the one Telegram refused.

On SQLite one process owns the database (a second is refused at start): its limiter in memory
is the whole bot's, and these tests have nothing to share.
"""

from __future__ import annotations

import bisect
import time
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import pytest

from bot.config import Secret
from bot.db.connection import Database
from bot.db.dialect import Dialect
from bot.db.migrations import migrate
from bot.db.outbox import OutboxRepository
from bot.delivery.limits import ChatLimits
from bot.delivery.messages import Kind, Recipient
from bot.emulator import EmulatorLimits, TelegramEmulator
from tests.delivery.conftest import T0, queue, subscribe
from tests.delivery.test_engine import Arrivals, sending

RATE = 25.0  # BOT_SEND_RATE's default: the processes' rate together
PAUSE = 5.0


@pytest.fixture
def limits() -> EmulatorLimits:
    """The service's limits: the whole bot's 30 a second in any one-second window."""
    return EmulatorLimits()


@pytest.fixture
def arrivals(emulator: TelegramEmulator, monkeypatch: pytest.MonkeyPatch) -> Arrivals:
    """The emulator's receipt times of the bot's messages."""
    return Arrivals(emulator, monkeypatch)


@pytest.fixture
async def two(database: Path | Secret) -> AsyncIterator[tuple[Database, Database]]:
    """Two processes' connections to one PostgreSQL database."""
    first = await Database.open(database)
    if first.dialect is Dialect.SQLITE:
        await first.close()
        pytest.skip("one process owns a SQLite file; its limiter in memory is the whole bot's")
    await migrate(first)
    second = await Database.open(database)
    yield first, second
    await first.close()
    await second.close()


def busiest_second(times: list[float]) -> int:
    """The most messages that arrived within any one second."""
    ordered = sorted(times)
    return max(bisect.bisect_left(ordered, t + 1.0) - n for n, t in enumerate(ordered))


async def test_two_processes_together_never_pass_30_in_any_second(
    two: tuple[Database, Database], emulator: TelegramEmulator, arrivals: Arrivals
) -> None:
    first, second = two
    people = [p.id for p in emulator.create_people(300)]
    await queue(first, await subscribe(first, people), "Free Zhanbolat", kind=Kind.BROADCAST)
    async with (
        sending(first, emulator, rate=RATE, chats=ChatLimits()) as (one, _),
        sending(second, emulator, rate=RATE, chats=ChatLimits()) as (other, _),
    ):
        await emulator.wait_for(lambda: emulator.stats.delivered >= len(people), timeout=60)
    assert one.stats.sent > 0
    assert other.stats.sent > 0
    assert one.stats.sent + other.stats.sent == len(people)
    # Each process's own burst no longer comes on top of a second's burst they share.
    assert busiest_second(arrivals.all()) <= 30
    assert emulator.stats.too_many_by_scope == {}


async def test_a_pause_for_the_whole_bot_holds_the_other_process_claims_and_replies(
    two: tuple[Database, Database],
) -> None:
    first, _ = two
    wall = [T0]
    one, other = (OutboxRepository(db, rate=10.0, wall=lambda: wall[0]) for db in two)
    await queue(first, [Recipient(c) for c in range(1, 11)])
    await one.pause_all(3.0)
    # The other process claims nothing, and its replies wait, until the pause is over.
    assert await other.paused_for() == pytest.approx(3.0)
    assert await other.claim(T0, 10) == []
    assert other.capacity_wait == pytest.approx(3.2)
    assert await other.take_for_reply() == pytest.approx(3.1)
    wall[0] += timedelta(seconds=3.5)
    assert await other.paused_for() == 0
    assert len(await other.claim(T0, 10)) == 2


async def test_an_engine_pauses_when_another_process_met_a_429_for_the_whole_bot(
    two: tuple[Database, Database], emulator: TelegramEmulator
) -> None:
    first, second = two
    people = [p.id for p in emulator.create_people(150)]
    await queue(first, await subscribe(first, people), "Free Zhanbolat", kind=Kind.BROADCAST)
    async with sending(second, emulator, rate=RATE, chats=ChatLimits()) as (engine, client):
        await emulator.wait_for(lambda: emulator.stats.delivered >= 10, timeout=10)
        paused = time.monotonic()
        await OutboxRepository(first, rate=RATE).pause_all(PAUSE)
        await emulator.wait_for(lambda: emulator.stats.delivered >= len(people), timeout=60)
    # During the pause the engine sent at most the rows it had in hand when it began (a
    # claim's batch and those in flight), not the five seconds' worth its rate allows.
    during = [p for p in client.posts if paused < p.sent < paused + PAUSE]
    in_hand = engine.config.claim_size + engine.config.max_in_flight
    assert len(during) <= in_hand < PAUSE * RATE
    assert [p for p in client.posts if p.sent >= paused + PAUSE]
    assert emulator.stats.too_many_by_scope == {}
