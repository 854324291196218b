"""Waits for what a test checks next, never a guess at how long it takes: on a machine loaded
several times over (CI runs the suite twice and the browser tests at once on two cores), a bot
that took 50 ms alone may take seconds.

`eventually`: a condition about the bot's state (its database) holds, which no event announces.
`handled`: every update given to the bot so far has been handled, to the end of its handler
(its replies sent, its records written); what it did not do by then, it does not do. Before a
check that something did not happen, or of what a handler writes after its reply.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

from bot.context import UrgentActionApp
from bot.emulator import TelegramEmulator
from bot.emulator.world import PATIENCE

__all__ = ["PATIENCE", "eventually", "handled"]


async def handled(
    app: UrgentActionApp, emulator: TelegramEmulator, timeout: float = PATIENCE
) -> None:
    """Wait until the bot has handled every update the emulator holds for it."""
    async with asyncio.timeout(timeout):
        # The emulator forgets an update once the bot confirms it, with its next getUpdates,
        # which PTB sends after putting the batch in its queue.
        while emulator.updates:  # noqa: ASYNC110 - confirmation wakes no waiter
            await asyncio.sleep(0.01)
        # Each update taken from the queue is marked done when its handler has finished.
        await app.update_queue.join()


async def eventually(condition: Callable[[], Awaitable[bool]], timeout: float = PATIENCE) -> None:
    """Wait until an asynchronous condition (about the database) holds."""
    async with asyncio.timeout(timeout):
        while not await condition():  # noqa: ASYNC110 - no event announces a database change
            await asyncio.sleep(0.05)
