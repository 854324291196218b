"""What the bot holds in memory about a person: the state of an unfinished flow (a signature
typed for an appeal, the time-zone screen waiting for a place's name), and nothing else.

It lives in PTB's `user_data`, and only while the flow lasts: looked up without making an
entry for people who have none, dropped when the flow ends, by /forget, and by a sweep once
it is older than FLOW_LASTS (an appeal left half-written).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from telegram.ext import Application

from bot.context import BotContext, UrgentActionApp

log = logging.getLogger(__name__)

FLOW_LASTS = timedelta(days=1)
SWEEP_EVERY = timedelta(hours=1)
JOB_NAME = "flows"


@dataclass(frozen=True)
class _Held:
    """A flow's state, and since when it is held."""

    value: object
    since: datetime


def _person_id(context: BotContext) -> int | None:
    # PTB keeps the id of the update's person there; `user_data` is looked up with it.
    return context._user_id


def flow(context: BotContext, key: str) -> object | None:
    """What the person's unfinished flow `key` holds, or None.

    Looked up without `context.user_data`, which leaves an empty entry behind for everyone it
    is asked about: the bot would keep one for every person who ever wrote.
    """
    user_id = _person_id(context)
    data = context.application.user_data.get(user_id) if user_id is not None else None
    held = data.get(key) if data is not None else None
    return held.value if isinstance(held, _Held) else None


def keep_flow(context: BotContext, key: str, value: object | None) -> None:
    """Keep what the person's flow `key` holds until it ends (None: it ends now)."""
    if value is None:
        end_flow(context, key)
    elif context.user_data is not None:
        context.user_data[key] = _Held(value, context.services.clock())


def end_flow(context: BotContext, key: str) -> None:
    """The person's flow `key` is over: forget it, and the person's entry once it is empty."""
    user_id = _person_id(context)
    data = context.application.user_data.get(user_id) if user_id is not None else None
    if data is None or user_id is None:
        return
    data.pop(key, None)
    if not data:
        context.application.drop_user_data(user_id)


def drop_stale(app: Application[Any, Any, Any, Any, Any, Any], now: datetime) -> int:
    """Forget flows older than FLOW_LASTS, and the entries they leave empty; return how many."""
    dropped = 0
    empty = []
    for user_id, data in app.user_data.items():
        for key, held in list(data.items()):
            if not isinstance(held, _Held) or now - held.since > FLOW_LASTS:
                del data[key]
                dropped += 1
        if not data:
            empty.append(user_id)
    for user_id in empty:
        app.drop_user_data(user_id)
    for chat_id in [chat_id for chat_id, data in app.chat_data.items() if not data]:
        app.drop_chat_data(chat_id)
    return dropped


async def sweep(context: BotContext) -> None:
    """The job: drop the flows people left unfinished."""
    dropped = drop_stale(context.application, context.services.clock())
    if dropped:
        log.info("forgot %d unfinished flows older than %s", dropped, FLOW_LASTS)


def schedule_sweeps(app: UrgentActionApp) -> None:
    """Sweep every SWEEP_EVERY."""
    assert app.job_queue is not None
    every = SWEEP_EVERY.total_seconds()
    app.job_queue.run_repeating(sweep, interval=every, first=every, name=JOB_NAME)
