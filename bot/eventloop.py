"""The event loop the bot runs on: uvloop where it is installed, asyncio's own elsewhere.

The bot is asleep most of the time, and at the default 25 messages a second most of the CPU a
message costs goes on waking up for it: the send, then Telegram's answer. uvloop (libuv) wakes
for about a fifth less CPU per message there (bench/README.md). It is installed with the bot on
Linux and macOS; on Windows the bot runs on asyncio's loop, unchanged.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from typing import Any, TypeVar

_T = TypeVar("_T")
LoopFactory = Callable[[], asyncio.AbstractEventLoop]

try:
    import uvloop
except ImportError:  # Windows, or an interpreter uvloop has no build for
    _factory: LoopFactory = asyncio.new_event_loop
    NAME = "asyncio"
else:
    _factory = uvloop.new_event_loop
    NAME = "uvloop"


def new_event_loop() -> asyncio.AbstractEventLoop:
    """A new loop of the kind the bot runs on (`NAME`)."""
    return _factory()


def run(main: Coroutine[Any, Any, _T]) -> _T:
    """Run `main` to the end on a new loop of the bot's kind, as `asyncio.run` does."""
    with asyncio.Runner(loop_factory=new_event_loop) as runner:
        return runner.run(main)


def install() -> None:
    """Make a new loop of the bot's kind current, for PTB's `run_polling`/`run_webhook`."""
    asyncio.set_event_loop(new_event_loop())
