"""A person's unfinished steps in a conversation (a signature typed for an appeal, the
time-zone screen waiting for a place's name), held in the database so that whichever process
gets the person's next update continues the step (`bot.db.flows`).

Read once per update (all the person's steps in one query, kept on the update's context), kept
until the step ends, dropped by /forget, and by a sweep once older than FLOW_LASTS (an appeal
left half-written). Nothing about a person stays in the process's memory.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from bot.context import BotContext, UrgentActionApp
from bot.db.flows import LASTS, FlowRepository
from bot.db.updates import HandledUpdates

log = logging.getLogger(__name__)

FLOW_LASTS = LASTS
SWEEP_EVERY = timedelta(hours=1)
JOB_NAME = "flows"


def _person_id(context: BotContext) -> int | None:
    # PTB keeps the id of the update's person there.
    return context._user_id


async def _steps(context: BotContext, user_id: int) -> dict[str, Any]:
    if context.steps is None:
        services = context.services
        context.steps = await FlowRepository(services.db).of_person(user_id, services.clock())
    return context.steps


async def flow(context: BotContext, key: str) -> Any | None:
    """What the person's unfinished step `key` holds (as JSON gave it), or None."""
    user_id = _person_id(context)
    if user_id is None:
        return None
    return (await _steps(context, user_id)).get(key)


async def steps_of(context: BotContext) -> dict[str, Any]:
    """Every unfinished step of the update's person, by name (/mydata shows them)."""
    user_id = _person_id(context)
    return dict(await _steps(context, user_id)) if user_id is not None else {}


async def keep_flow(context: BotContext, key: str, value: Any | None) -> None:
    """Keep what the person's step `key` holds (JSON-able) until it ends (None: it ends now)."""
    if value is None:
        await end_flow(context, key)
        return
    user_id = _person_id(context)
    if user_id is None:
        return
    services = context.services
    await FlowRepository(services.db).keep(user_id, key, value, services.clock())
    (await _steps(context, user_id))[key] = value


async def end_flow(context: BotContext, *keys: str) -> None:
    """The person's steps `keys` are over: forget them."""
    user_id = _person_id(context)
    if user_id is None:
        return
    steps = await _steps(context, user_id)
    held = [key for key in keys if key in steps]
    if not held:
        return
    await FlowRepository(context.services.db).end(user_id, *held)
    for key in held:
        steps.pop(key, None)


async def forget(context: BotContext, user_id: int) -> int:
    """Drop every step of the person (/forget); return how many there were."""
    context.steps = {}
    return await FlowRepository(context.services.db).forget(user_id)


async def sweep(context: BotContext) -> None:
    """The job: drop the steps people left unfinished, and the records of updates handled
    long enough ago that Telegram cannot post them again."""
    services = context.services
    now = services.clock()
    dropped = await FlowRepository(services.db).drop_older(now)
    if dropped:
        log.info("forgot %d unfinished flows older than %s", dropped, FLOW_LASTS)
    await HandledUpdates(services.db).forget_older(now)


def schedule_sweeps(app: UrgentActionApp) -> None:
    """Sweep every SWEEP_EVERY."""
    assert app.job_queue is not None
    every = SWEEP_EVERY.total_seconds()
    app.job_queue.run_repeating(sweep, interval=every, first=every, name=JOB_NAME)
