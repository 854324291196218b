"""A job leased to one process: the others leave it alone until the holder's lease runs out,
then one of them takes it over; once it is over, nobody takes it again."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.config import Secret
from bot.db.connection import Database
from bot.db.leases import LeaseRepository
from bot.db.migrations import migrate

T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
LEASE = timedelta(seconds=9)


async def test_one_process_holds_a_job_and_another_takes_it_only_when_its_lease_runs_out(
    database: Path | Secret,
) -> None:
    wall = [T0]
    first, second = await Database.open(database), await Database.open(database)
    try:
        await migrate(first)
        one = LeaseRepository(first, holder="one", wall=lambda: wall[0])
        two = LeaseRepository(second, holder="two", wall=lambda: wall[0])
        assert await one.take("broadcast-progress:1", LEASE)
        assert not await two.take("broadcast-progress:1", LEASE)
        # Another job is free.
        assert await two.take("broadcast-progress:2", LEASE)
        # The holder renews its lease as it works; the other still waits.
        wall[0] += timedelta(seconds=6)
        assert await one.take("broadcast-progress:1", LEASE)
        wall[0] += timedelta(seconds=6)
        assert not await two.take("broadcast-progress:1", LEASE)
        # The holder died: once its lease runs out, the other takes the job over.
        wall[0] += LEASE
        assert await two.take("broadcast-progress:1", LEASE)
        assert not await one.take("broadcast-progress:1", LEASE)
        # Over: nobody takes it again, even when the lease has run out.
        assert not await one.done("broadcast-progress:1")
        await two.end("broadcast-progress:1")
        assert await one.done("broadcast-progress:1")
        wall[0] += LEASE * 2
        assert not await one.take("broadcast-progress:1", LEASE)
        assert not await two.take("broadcast-progress:1", LEASE)
    finally:
        await first.close()
        await second.close()
