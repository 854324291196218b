"""Several processes on one database: each outbox row goes to one of them, and the rows of a
process that died go out again through one other, once its lease runs out.

Each process is a `Database` of its own (its own connection, or pool on PostgreSQL). On SQLite
one process owns the file (a second is refused at start); two connections still never claim
one row, and the rows a process left go back at its restart.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from bot.config import Secret
from bot.db import outbox
from bot.db.connection import Database
from bot.db.dialect import Dialect
from bot.db.migrations import migrate
from bot.db.outbox import OutboxRepository
from bot.delivery.messages import Recipient, Result, Verdict
from tests.delivery.conftest import T0, queue, rows


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
        # A second's worth to start with, then ten a second, whatever the number of processes.
        assert 40 <= claimed <= 10 + 10 * 4
        assert repositories[0].capacity_wait <= 0.2
    else:
        # One process owns a SQLite file; its limiter in memory paces it (bot.delivery.limits).
        assert claimed == 500
