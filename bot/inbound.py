"""Updates as they come from Telegram by long polling: one the library cannot read is dropped
with one log line, instead of holding up every update after it.

PTB reads a whole getUpdates batch at once; when one update in it has a shape it does not know
(after a change of the Bot API), it logs the batch (people's ids, names, what they wrote) and
asks for the same batch again, at once and forever: the bot spins and answers no one. This
request, in front of PTB's own for getUpdates, takes such updates out of the batch first.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from telegram import Update
from telegram._utils.defaultvalue import DEFAULT_NONE
from telegram._utils.types import ODVInput
from telegram.request import BaseRequest, RequestData

log = logging.getLogger(__name__)


class ReadableUpdates(BaseRequest):
    """A getUpdates request that drops the updates PTB cannot read (`inner` makes the call)."""

    def __init__(self, inner: BaseRequest) -> None:
        self._inner = inner

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
        return code, readable(payload)


def readable(payload: bytes) -> bytes:
    """The getUpdates answer without the updates PTB cannot read (unchanged if all can be)."""
    try:
        answer: Any = json.loads(payload)
    except ValueError:
        return payload  # not JSON: PTB says what is wrong with it
    updates = answer.get("result") if isinstance(answer, dict) else None
    if not isinstance(updates, list):
        return payload
    kept = [update for update in updates if _can_be_read(update)]
    if len(kept) == len(updates):
        return payload
    answer["result"] = kept
    return json.dumps(answer).encode()


def _can_be_read(update: Any) -> bool:
    try:
        Update.de_json(update, None)
    except Exception as error:  # whatever PTB fails on, the update goes
        number = update.get("update_id") if isinstance(update, dict) else None
        log.error(
            "an update from Telegram could not be read and was dropped (%s), update %s",
            type(error).__name__,
            number,
        )
        return False
    return True
