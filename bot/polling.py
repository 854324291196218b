"""Polling over PostgreSQL: one process polls, and keeps the right to while it runs.

The right is an advisory lock on a connection of its own (`bot.db.startup.PollingRight`). A
server restart ends that connection and the lock with it; every CHECK_EVERY the process checks,
takes the lock again, and if another process took it meanwhile, stops polling (two pollers
would take each other's updates, and Telegram answers one of them 409 Conflict).
"""

from __future__ import annotations

import logging
from datetime import timedelta

from bot.context import BotContext, UrgentActionApp
from bot.db.startup import PollingRight

log = logging.getLogger(__name__)

CHECK_EVERY = timedelta(seconds=2)
JOB_NAME = "polling-right"


def keep(app: UrgentActionApp, right: PollingRight) -> None:
    """Check the right every CHECK_EVERY while the bot runs."""
    assert app.job_queue is not None
    every = CHECK_EVERY.total_seconds()
    app.job_queue.run_repeating(check, interval=every, first=every, name=JOB_NAME, data=right)


async def check(context: BotContext) -> None:
    """The job: stop polling once another process holds the right."""
    job = context.job
    assert job is not None
    assert isinstance(job.data, PollingRight)
    if await job.data.still_held() is False:
        log.error(
            "another bot process took the right to poll Telegram over this database while it"
            " was out of reach; this process stops"
        )
        job.schedule_removal()
        context.application.stop_running()
