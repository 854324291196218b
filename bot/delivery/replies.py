"""The bot's direct replies, told to the engine: PTB's rate-limiter hook, without any delay.

Wire it once: `ApplicationBuilder().rate_limiter(ReplyTracker(engine.limiter))`. Every call the
handlers make then passes through here: a message to a chat is noted in the shared limiter (so
the engine stays off that chat for its window and leaves the whole bot's budget to the reply),
and a 429 a handler gets pauses the engine as well.
"""

from __future__ import annotations

import asyncio
import warnings
from collections.abc import Callable, Coroutine
from datetime import timedelta
from typing import Any

from telegram.error import RetryAfter
from telegram.ext import BaseRateLimiter

from bot.delivery.limits import MESSAGE_METHODS, SendLimiter


class ReplyTracker(BaseRateLimiter[None]):
    """Lets replies go at once and tells the shared `SendLimiter` about each.

    A reply to a group waits for the group's window (20 a minute) rather than fail; a short
    429 is waited out and the call made once more, so a person's tap is not lost to a flood.
    """

    def __init__(self, limiter: SendLimiter, *, longest_wait: float = 5.0) -> None:
        self._limiter = limiter
        self._longest_wait = longest_wait

    async def initialize(self) -> None:
        """Nothing to open."""

    async def shutdown(self) -> None:
        """Nothing to close."""

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, bool | dict[str, Any] | list[dict[str, Any]]]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: None,
    ) -> bool | dict[str, Any] | list[dict[str, Any]]:
        """Note a message to a chat, make the call, and pause the engine on a 429."""
        chat_id = data.get("chat_id")
        chat = chat_id if endpoint in MESSAGE_METHODS and isinstance(chat_id, int) else None
        if chat is not None and chat < 0:
            await asyncio.sleep(self._limiter.chat_wait(chat))
        for attempt in (1, 2):
            noted = self._limiter.note(chat) if chat is not None else None
            try:
                return await callback(*args, **kwargs)
            except RetryAfter as error:
                seconds = retry_seconds(error)
                self._limiter.pause(seconds)
                if attempt == 2 or seconds > self._longest_wait:
                    raise
                await asyncio.sleep(seconds)
            finally:
                # A group counts its window from when the reply reached it.
                if chat is not None and noted is not None:
                    self._limiter.answered(chat, noted)
        raise AssertionError("unreachable")


def retry_seconds(error: RetryAfter) -> float:
    """The seconds of a RetryAfter, whichever type this PTB version gives them in."""
    # PTB 22 warns that the int form is deprecated; the value is the same either way.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        value: int | timedelta = error.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)
