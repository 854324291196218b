"""The outbox forgets what it sent: finished rows go after the time kept, on the bot's own
schedule; rows still pending, and those of a broadcast under way, stay."""

from __future__ import annotations

from datetime import timedelta

from bot.context import UrgentActionApp
from bot.db.broadcasts import BroadcastRepository
from bot.db.connection import Database
from bot.db.outbox import OutboxRepository
from bot.delivery.messages import Kind, Recipient, Result, Verdict
from bot.handlers import retention
from tests.conftest import MovableClock, run_job, services_of
from tests.delivery.conftest import T0, queue, rows


async def send_all(db: Database, at: timedelta = timedelta(0)) -> None:
    """Claim every pending row and record it sent."""
    repository = OutboxRepository(db)
    claimed = await repository.claim(T0 + at, 100)
    await repository.record([Result(d, Verdict.SENT, T0 + at, message_id=1) for d in claimed])


async def test_purging_spares_pending_rows_recent_rows_and_a_broadcast_under_way(
    db: Database,
) -> None:
    broadcasts = BroadcastRepository(db)
    running = await broadcasts.create(
        created_by=1, text="Hello", audience="all", send_at=T0, now=T0
    )
    await queue(db, [Recipient(1), Recipient(2), Recipient(3)])
    await queue(db, [Recipient(4), Recipient(5)], kind=Kind.BROADCAST, broadcast_id=running.id)
    await send_all(db)
    await queue(db, [Recipient(6)], now=T0 + timedelta(days=40))  # sent, but recent
    await send_all(db, timedelta(days=40))
    await queue(db, [Recipient(7)])  # old, still waiting for its chat
    repository = OutboxRepository(db)

    # Two at a time: each batch is a transaction of its own, and all of them run.
    assert await repository.purge(T0 + timedelta(days=30), batch=2) == 3
    assert set(await rows(db)) == {4, 5, 6, 7}
    # Once the broadcast is over, its rows go too.
    await broadcasts.cancel(running.id, T0 + timedelta(days=31))
    assert await repository.purge(T0 + timedelta(days=30), batch=2) == 2
    assert set(await rows(db)) == {6, 7}


async def test_the_bot_purges_what_it_sent_once_the_time_kept_is_over(
    bot: UrgentActionApp, clock: MovableClock
) -> None:
    services = services_of(bot)
    assert services.settings.outbox_keep == timedelta(days=30)
    assert bot.job_queue is not None
    (job,) = bot.job_queue.get_jobs_by_name(retention.JOB_NAME)
    assert job.job.trigger.interval == timedelta(days=1)
    db = services.db
    await queue(db, [Recipient(1), Recipient(2)], now=clock())
    repository = OutboxRepository(db)
    claimed = await repository.claim(clock(), 10)
    await repository.record([Result(d, Verdict.SENT, clock(), message_id=1) for d in claimed])

    clock.advance(timedelta(days=29))
    await run_job(bot, retention.JOB_NAME)
    assert set(await rows(db)) == {1, 2}
    clock.advance(timedelta(days=2))
    await run_job(bot, retention.JOB_NAME)
    assert await rows(db) == {}
