"""A person's replies under the bot's real limits, on a clock the test drives: a short burst,
then one a second, whatever the clock the bot is given (`bot.clock.Pace`)."""

from __future__ import annotations

import asyncio
import heapq
import itertools
from collections.abc import Coroutine
from typing import Any

from bot.delivery.engine import DeliveryConfig
from bot.delivery.limits import SendLimiter
from bot.delivery.replies import ReplyTracker

ANNA, BOB = 1001, 1002


class DrivenSeconds:
    """Seconds that pass only when everything the bot could do meanwhile is done, and then
    straight to the end of the earliest wait: the test drives the clock (`run`)."""

    def __init__(self) -> None:
        self.now = 0.0
        self._waits: list[tuple[float, int, asyncio.Future[None]]] = []
        self._count = itertools.count()

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        if seconds <= 0:
            await asyncio.sleep(0)
            return
        ends: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        heapq.heappush(self._waits, (self.now + seconds, next(self._count), ends))
        await ends

    async def run(self, *replies: Coroutine[Any, Any, None]) -> None:
        """Run `replies` to the end, moving the clock whenever all of them wait."""
        everything = asyncio.gather(*replies, return_exceptions=True)
        while not everything.done():
            for _ in range(50):  # what is ready runs (nothing here waits for the network)
                await asyncio.sleep(0)
            if self._waits and not everything.done():
                until, _, ends = heapq.heappop(self._waits)
                self.now = max(self.now, until)
                ends.set_result(None)
        await everything


def the_bots_replies(seconds: DrivenSeconds) -> ReplyTracker:
    """The bot's reply pacing with the chat limits it runs with, on `seconds`. The whole bot's
    queue (25 a second, waited for in real time) has room for every reply here: these tests are
    about each chat's pace."""
    limiter = SendLimiter(DeliveryConfig().rate, monotonic=seconds)
    return ReplyTracker(limiter, reply_burst=100.0, monotonic=seconds, sleep=seconds.sleep)


async def reply(tracker: ReplyTracker, chat: int, sent: list[tuple[int, float]], now: Any) -> None:
    """One sendMessage to `chat` through the pacing; note when it left."""

    async def send(*args: Any, **kwargs: Any) -> dict[str, Any]:
        sent.append((chat, now()))
        return {"message_id": len(sent)}

    await tracker.process_request(send, (), {}, "sendMessage", {"chat_id": chat}, None)


async def test_a_persons_replies_go_three_at_once_then_one_a_second() -> None:
    seconds = DrivenSeconds()
    tracker = the_bots_replies(seconds)
    sent: list[tuple[int, float]] = []
    await seconds.run(*(reply(tracker, ANNA, sent, seconds) for _ in range(8)))
    assert [at for _, at in sent] == [0.0, 0.0, 0.0, 1.0, 2.0, 3.0, 4.0, 5.0]


async def test_another_persons_reply_does_not_wait_behind_them() -> None:
    seconds = DrivenSeconds()
    tracker = the_bots_replies(seconds)
    sent: list[tuple[int, float]] = []
    annas = [reply(tracker, ANNA, sent, seconds) for _ in range(6)]
    await seconds.run(*annas, reply(tracker, BOB, sent, seconds))
    # Bob's reply does not wait for Anna's chat: it goes at once, before her fourth.
    assert (BOB, 0.0) in sent
    assert [chat for chat, _ in sent].index(BOB) == 3
    assert [at for chat, at in sent if chat == ANNA] == [0.0, 0.0, 0.0, 1.0, 2.0, 3.0]


async def test_replies_at_a_persons_pace_never_wait() -> None:
    seconds = DrivenSeconds()
    tracker = the_bots_replies(seconds)
    sent: list[tuple[int, float]] = []
    for tap in range(10):
        seconds.now = tap * 1.5
        await seconds.run(reply(tracker, ANNA, sent, seconds))
    assert [at for _, at in sent] == [tap * 1.5 for tap in range(10)]


async def test_a_backlog_past_ten_seconds_is_not_sent() -> None:
    seconds = DrivenSeconds()
    tracker = the_bots_replies(seconds)
    sent: list[tuple[int, float]] = []
    await seconds.run(*(reply(tracker, ANNA, sent, seconds) for _ in range(20)))
    times = [at for _, at in sent]
    assert times[:3] == [0.0, 0.0, 0.0]
    assert times[3:] == [float(n) for n in range(1, len(times) - 2)]
    assert tracker.throttled == 20 - len(sent)
    assert times[-1] <= 10.0
