"""Updates as they come from Telegram: taps are handled beside the messages, never behind them
(`TapsFirst`); and, by long polling, one the library cannot read is dropped with one log line,
instead of holding up every update after it.

PTB reads a whole getUpdates batch at once; when one update in it has a shape it does not know
(after a change of the Bot API), it logs the failure and asks for the same batch again, at once
and forever: the bot spins and answers no one. This request, in front of PTB's own for
getUpdates, sees the same batch asked for again and then empties such updates (only their
number is left, so PTB confirms them and asks for the next ones; no handler takes an empty
update). Batches PTB reads pass untouched, so the usual way costs nothing (reading each update
here as well would cost about 0.4 ms an update).
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Awaitable
from typing import Any

from telegram import Update
from telegram._utils.defaultvalue import DEFAULT_NONE
from telegram._utils.types import ODVInput
from telegram.ext import BaseUpdateProcessor
from telegram.request import BaseRequest, RequestData

log = logging.getLogger(__name__)
# Updates of each kind handled at once (PTB's own default for all updates together is 256).
CONCURRENT_MESSAGES = 256
CONCURRENT_TAPS = 256
# No limit of PTB's own: the two kinds above keep theirs apart.
_UNBOUNDED = 1_000_000


class TapsFirst(BaseUpdateProcessor):
    """Updates handled concurrently, taps on their own allowance beside everything else.

    A handler holds its place while its replies wait their turn at Telegram's limits. With one
    allowance for all updates (PTB's), a burst of messages (three hundred people starting the
    bot at once) takes every place, and a tap then waits, spinner turning, behind their
    replies, past Telegram's 15 s for answering it. Here taps have places of their own, and a
    tap's handler answers it before it sends anything, so the answer is not queued behind
    sends.
    """

    def __init__(self, messages: int = CONCURRENT_MESSAGES, taps: int = CONCURRENT_TAPS) -> None:
        super().__init__(_UNBOUNDED)
        self._messages = asyncio.BoundedSemaphore(messages)
        self._taps = asyncio.BoundedSemaphore(taps)

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        """Handle the update once a place of its kind is free."""
        # An inline query ("Ask a friend") waits for its answer as a tap does.
        tap = isinstance(update, Update) and (
            update.callback_query is not None or update.inline_query is not None
        )
        async with self._taps if tap else self._messages:
            await coroutine

    async def initialize(self) -> None:
        """Nothing to open."""

    async def shutdown(self) -> None:
        """Nothing to close."""


class ReadableUpdates(BaseRequest):
    """A getUpdates request that drops the updates PTB cannot read (`inner` makes the call)."""

    def __init__(self, inner: BaseRequest) -> None:
        self._inner = inner
        # The offset of the last batch that brought updates: asked for again, PTB failed on it.
        self._delivered_from: object = None

    @property
    def read_timeout(self) -> float | None:
        """The read timeout of the request inside."""
        return self._inner.read_timeout

    async def initialize(self) -> None:
        """Open the request inside."""
        await self._inner.initialize()

    async def shutdown(self) -> None:
        """Close the request inside."""
        await self._inner.shutdown()

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: ODVInput[float] = DEFAULT_NONE,
        write_timeout: ODVInput[float] = DEFAULT_NONE,
        connect_timeout: ODVInput[float] = DEFAULT_NONE,
        pool_timeout: ODVInput[float] = DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        """Make the call; from a batch of updates, drop those that cannot be read."""
        code, payload = await self._inner.do_request(
            url,
            method,
            request_data,
            read_timeout=read_timeout,
            write_timeout=write_timeout,
            connect_timeout=connect_timeout,
            pool_timeout=pool_timeout,
        )
        if code != 200 or not url.endswith("/getUpdates"):
            return code, payload
        offset = request_data.parameters.get("offset") if request_data else None
        again = self._delivered_from is not None and offset == self._delivered_from
        if again:
            payload = readable(payload)
        self._delivered_from = offset if _brings_updates(payload) else None
        return code, payload


def _brings_updates(payload: bytes) -> bool:
    try:
        answer: Any = json.loads(payload)
    except ValueError:
        return False
    return isinstance(answer, dict) and bool(answer.get("result"))


def readable(payload: bytes) -> bytes:
    """The getUpdates answer with the updates PTB cannot read emptied (unchanged if all can
    be read)."""
    try:
        answer: Any = json.loads(payload)
    except ValueError:
        return payload  # not JSON: PTB says what is wrong with it
    updates = answer.get("result") if isinstance(answer, dict) else None
    if not isinstance(updates, list):
        return payload
    kept = [_as_read(update) for update in updates]
    if kept == updates:
        return payload
    answer["result"] = [update for update in kept if update is not None]
    return json.dumps(answer).encode()


def _as_read(update: Any) -> Any:
    """The update if PTB can read it; else its number alone (None without one)."""
    try:
        Update.de_json(update, None)
    except Exception as error:  # whatever PTB fails on, the update's content goes
        number = update.get("update_id") if isinstance(update, dict) else None
        log.error(
            "an update from Telegram could not be read and was dropped (%s), update %s",
            type(error).__name__,
            number,
        )
        return {"update_id": number} if isinstance(number, int) else None
    return update
