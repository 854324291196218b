"""The clock logic asks for "now", so tests can set the time."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime

Clock = Callable[[], datetime]


def system_clock() -> datetime:
    """The current time, timezone-aware UTC."""
    return datetime.now(UTC)


@dataclass(frozen=True)
class Pace:
    """The seconds the bot's send pacing counts and waits out (Telegram's flood limits).

    In production, the process's monotonic clock and real waits. Tests give the bot the
    emulator's clock, whose waits pass ten times faster, so a reply paced a second later does
    not cost a second of the suite while the emulator still holds the bot to the limits on
    that clock.
    """

    monotonic: Callable[[], float] = time.monotonic
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep


REAL_PACE = Pace()
