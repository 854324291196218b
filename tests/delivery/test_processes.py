"""Several processes on one database: each outbox row goes to one of them, and the rows of a
process that died go out again through one other, once its lease runs out.

Each process is a `Database` of its own (its own connection, or pool on PostgreSQL). On SQLite
one process owns the file (a second is refused at start); two connections still never claim
one row, and the rows a process left go back at its restart.
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from bot.config import Secret
from bot.db import outbox
from bot.db.broadcasts import BroadcastRepository
from bot.db.connection import Database
from bot.db.dialect import Dialect
from bot.db.migrations import migrate
from bot.db.outbox import OutboxRepository
from bot.delivery.engine import DeliveryConfig, DeliveryEngine
from bot.delivery.messages import Kind, Recipient, Result, Verdict
from tests.delivery.conftest import T0, FakeTelegram, queue, rows
from tests.e2e.test_run import until


@pytest.fixture
async def two(database: Path | Secret) -> AsyncIterator[tuple[Database, Database]]:
    first = await Database.open(database)
    await migrate(first)
    second = await Database.open(database)
    yield first, second
    await first.close()
    await second.close()


async def test_two_processes_claiming_at_once_never_take_the_same_row(
    two: tuple[Database, Database],
) -> None:
    first, second = two
    await queue(first, [Recipient(c) for c in range(1, 301)])

    async def drain(db: Database) -> list[int]:
        repository = OutboxRepository(db)
        taken: list[int] = []
        while claimed := await repository.claim(T0, 7):
            taken.extend(d.chat_id for d in claimed)
            await repository.record([Result(d, Verdict.SENT, T0, message_id=1) for d in claimed])
        return taken

    mine, theirs = await asyncio.gather(drain(first), drain(second))
    assert not set(mine) & set(theirs)
    assert sorted(mine + theirs) == list(range(1, 301))
    assert {row["status"] for row in (await rows(first)).values()} == {"sent"}


async def test_a_dead_processs_rows_go_out_again_through_one_other_after_its_lease(
    two: tuple[Database, Database],
) -> None:
    first, second = two
    await queue(first, [Recipient(c) for c in range(1, 11)])
    wall = [T0]

    def clock() -> datetime:
        return wall[0]

    # The first process takes four rows and dies before sending them.
    died = await OutboxRepository(first, wall=clock).claim(T0, 4)
    assert [d.chat_id for d in died] == [1, 2, 3, 4]
    await first.close()
    others = [OutboxRepository(second, wall=clock), OutboxRepository(second, wall=clock)]
    # Within the lease the rows are still the dead process's: nobody sends them.
    wall[0] += timedelta(seconds=30)
    assert [d.chat_id for d in await others[0].claim(T0, 10)] == [5, 6, 7, 8, 9, 10]
    assert await others[1].claim(T0, 10) == []
    wall[0] += outbox.LEASE
    if second.dialect is Dialect.SQLITE:
        # One process owns a SQLite file: its rows come back when it starts again.
        assert await others[0].claim(T0, 10) == []
        assert await others[0].recover() == 10
        again = await others[0].claim(T0, 10)
        assert sorted(d.chat_id for d in again) == list(range(1, 11))
        return
    # On PostgreSQL the next claim of any process takes them back, and only that one.
    again, nothing = await asyncio.gather(others[0].claim(T0, 10), others[1].claim(T0, 10))
    assert sorted(d.chat_id for d in again + nothing) == [1, 2, 3, 4]
    assert not again or not nothing


async def test_a_process_starting_beside_a_live_one_leaves_its_rows_alone(
    two: tuple[Database, Database],
) -> None:
    first, second = two
    await queue(first, [Recipient(c) for c in (1, 2)])
    live = await OutboxRepository(first).claim(T0, 2)
    assert len(live) == 2
    recovered = await OutboxRepository(second).recover()
    if second.dialect is Dialect.POSTGRESQL:
        assert recovered == 0
        assert {row["status"] for row in (await rows(second)).values()} == {"sending"}
    else:
        # A SQLite file has one process: what is in flight at its start is its own, from
        # before it stopped.
        assert recovered == 2


async def test_processes_together_claim_no_faster_than_the_bots_rate(
    two: tuple[Database, Database],
) -> None:
    first, second = two
    await queue(first, [Recipient(c) for c in range(1, 501)])
    wall = [T0]
    repositories = [
        OutboxRepository(db, rate=10.0, wall=lambda: wall[0]) for db in (first, second, second)
    ]
    claimed = 0
    # Four seconds of real time, in steps of a tenth, every process claiming all it may.
    for _ in range(40):
        wall[0] += timedelta(seconds=0.1)
        for repository in repositories:
            taken = await repository.claim(T0, 50)
            claimed += len(taken)
            await repository.record([Result(d, Verdict.SENT, T0, message_id=1) for d in taken])
    if first.dialect is Dialect.POSTGRESQL:
        # A fifth of a second's worth to start with, then ten a second, whatever the number of
        # processes: no second holds more than the rate and that burst.
        assert 40 <= claimed <= 2 + 10 * 4
        assert repositories[0].capacity_wait <= 0.2
    else:
        # One process owns a SQLite file; its limiter in memory paces it (bot.delivery.limits).
        assert claimed == 500


async def test_a_broadcast_cancelled_in_one_process_stops_the_rows_another_had_claimed(
    two: tuple[Database, Database],
) -> None:
    first, second = two
    broadcasts = BroadcastRepository(first)
    broadcast = await broadcasts.create(
        created_by=1, text="News", audience="all", send_at=T0, now=T0
    )
    people = range(1, 41)
    await queue(
        first, [Recipient(c) for c in people], kind=Kind.BROADCAST, broadcast_id=broadcast.id
    )
    # The second process claims all forty at once and sends ten a second.
    telegram = FakeTelegram()
    engine = DeliveryEngine(second, telegram, config=DeliveryConfig(rate=10, batch_size=40))
    await engine.start()
    try:
        await until(lambda: len(telegram.calls) >= 5)
        # The organizer taps "Cancel" in the first process: it drops what it holds itself
        # (nothing), and the second must see the cancel in the database.
        unsent = await broadcasts.cancel(broadcast.id, T0)
        # From the cancel's commit on (sends before it, on a slow machine, were still due).
        cancelled_at = time.monotonic()
        await engine.wait_drained(20)
    finally:
        await engine.stop()
    after = [call for call in telegram.calls if call.at > cancelled_at]
    # A tenth of a second's sends at most (one, at ten a second) and the one in flight.
    assert len(after) <= 2, after
    assert len(telegram.calls) < len(people)
    statuses = Counter(row["status"] for row in (await rows(first)).values())
    assert statuses["sent"] == len(telegram.calls)
    assert statuses["cancelled"] == len(people) - len(telegram.calls)
    assert unsent >= statuses["cancelled"]


async def test_replies_in_every_process_and_the_engines_claims_share_the_bots_rate(
    two: tuple[Database, Database],
) -> None:
    first, _ = two
    wall = [T0]
    one, other = (OutboxRepository(db, rate=10.0, wall=lambda: wall[0]) for db in two)
    if first.dialect is Dialect.SQLITE:
        # One process: its limiter in memory counts every reply (SendLimiter.note).
        assert await one.take_for_reply() == 0.0
        return
    # A fifth of a second's worth of replies in one process goes at once (the burst each
    # process's own limiter allows: a second's worth here came on top of it) ...
    assert [await one.take_for_reply() for _ in range(2)] == [0.0] * 2
    # ... the next waits its turn at the bot's rate, in whichever process.
    assert await other.take_for_reply() == pytest.approx(0.1)
    assert await one.take_for_reply() == pytest.approx(0.2)
    # The engines claim nothing until the replies are paid for.
    await queue(first, [Recipient(c) for c in range(1, 11)])
    assert await other.claim(T0, 10) == []
    assert other.capacity_wait == pytest.approx(0.4)
    wall[0] += timedelta(seconds=0.4)
    assert len(await other.claim(T0, 10)) == 2
