"""Whether a service the bot depends on (the database, Telegram) is out of reach.

One WARNING when it stops answering, one when it answers again, whatever the number of calls
that failed in between; and an event that wakes whoever waits to try again, so that work
resumes as soon as one call gets through rather than after a long backoff.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable

log = logging.getLogger(__name__)


class Outage:
    """The state of one service: answering, or out of reach since a moment."""

    def __init__(self, what: str, *, clock: Callable[[], float] = time.monotonic) -> None:
        self.what = what
        self._clock = clock
        self._since: float | None = None
        self._back: asyncio.Event | None = None

    @property
    def down(self) -> bool:
        """Whether the last call failed for want of the service."""
        return self._since is not None

    def failed(self, error: BaseException | str) -> None:
        """A call failed because the service did not answer: say so once."""
        if self._since is not None:
            return
        self._since = self._clock()
        reason = error if isinstance(error, str) else _reason(error)
        log.warning("%s is out of reach (%s); trying again until it answers", self.what, reason)

    def answered(self) -> None:
        """A call got through: if the service was out of reach, say it is back and wake those
        waiting for it."""
        if self._since is None:
            return
        lasted = self._clock() - self._since
        self._since = None
        log.warning("%s answers again, after %.1fs out of reach", self.what, lasted)
        if self._back is not None:
            self._back.set()
            self._back = None

    async def wait_back(self, seconds: float) -> None:
        """Wait up to `seconds`, less if the service answers again meanwhile."""
        if self._back is None:
            self._back = asyncio.Event()
        back = self._back
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(seconds):
                await back.wait()


def _reason(error: BaseException) -> str:
    """A few words on an error, never empty (a timeout's text is)."""
    text = " ".join(str(error).split())
    if isinstance(error, TimeoutError) and not text:
        return "no answer in time"
    return f"{type(error).__name__}: {text}" if text else type(error).__name__
