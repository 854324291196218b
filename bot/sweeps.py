"""The bot's regular sweeps, on PTB's job queue: the scheduler only wakes the bot; what is due
is decided from the database."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from datetime import UTC, datetime, timedelta
from typing import Any

from bot.context import BotContext, UrgentActionApp


def every(
    app: UrgentActionApp,
    sweep: Callable[[BotContext], Coroutine[Any, Any, None]],
    interval: timedelta,
    name: str,
) -> None:
    """Run `sweep` as soon as the bot has started (what fell due while it was down), then every
    `interval`.

    A job whose first run is "now" at the time it is added is moved a whole interval later by
    APScheduler when the scheduler starts a moment after (the start time has passed), and one
    late by more than a second is dropped as missed: so the first run is set here, and runs
    however long the start took.
    """
    assert app.job_queue is not None
    app.job_queue.run_repeating(
        sweep,
        interval=interval.total_seconds(),
        first=interval.total_seconds(),
        name=name,
        job_kwargs={"next_run_time": datetime.now(UTC), "misfire_grace_time": None},
    )
