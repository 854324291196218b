"""The bot's direct replies, paced within Telegram's limits: PTB's rate-limiter hook.

Wire it once: `ApplicationBuilder().rate_limiter(ReplyTracker(engine.limiter))`. Every call the
handlers make then passes through here:

- a new message first takes its chat's next free moment (a person: one a second; a group: 20 a
  minute), taken in one step so replies queued together never share a moment;
- then it takes its turn in one queue for the whole bot (`reply_rate` a second, under
  Telegram's 30, after a short burst), so a burst of people starting the bot at once is
  answered in order instead of meeting 429s; each waits its turn, nobody is dropped;
- a chat that asks faster than any person does is answered at its chat's pace, and a reply
  whose chat is already booked more than `chat_backlog` seconds ahead is not sent at all
  (`ChatThrottledError`): a flooder sees the answers to their first messages, one a second (a
  group: up to 20 a minute), and nothing for the rest until they slow down. Their queue is
  theirs alone: no one else waits for it;
- each message is noted in the shared `SendLimiter`, so the engine stays off that chat for its
  window and leaves the whole bot's budget to the replies;
- on PostgreSQL each new message also takes its share of the rate the bot's processes share
  (`shared`), so two processes' replies together stay within the bot's rate;
- a 429 for one chat holds that chat for its `retry_after` (a 429 for several chats at once,
  or for a call to no chat, pauses every send: `SendLimiter.flood`), and the call is made
  again, as many times as it takes within `longest_wait` seconds of waiting;
- a reply to a group that became a supergroup goes to the supergroup (`ChatMigrated`), and
  `migrated` moves what the bot keeps about the group to its new id.
"""

from __future__ import annotations

import asyncio
import logging
import time
import warnings
from collections.abc import Awaitable, Callable, Coroutine
from datetime import timedelta
from typing import Any

from telegram.error import ChatMigrated, RetryAfter, TelegramError
from telegram.ext import BaseRateLimiter

from bot.delivery.limits import MESSAGE_METHODS, SendLimiter
from bot.logs import pseudonym

log = logging.getLogger(__name__)

# Telegram allows about 30 messages a second for the whole bot, counted in any one second: the
# burst and a second's rate together stay under it, with room for a late arrival or two.
REPLY_RATE = 25.0
REPLY_BURST = 3.0
# A chat booked further ahead than this gets no more replies until it slows down: ten
# messages queued for one person, or a group's whole minute spent.
CHAT_BACKLOG = 10.0


class ChatThrottledError(TelegramError):
    """A reply not sent: its chat asks faster than any person, and its queue is full."""


class ReplyTracker(BaseRateLimiter[None]):
    """Queues replies at the whole bot's pace, tells the shared `SendLimiter` about each, and
    waits out a 429 and tries again."""

    def __init__(
        self,
        limiter: SendLimiter,
        *,
        reply_rate: float = REPLY_RATE,
        reply_burst: float = REPLY_BURST,
        longest_wait: float = 120.0,
        chat_backlog: float = CHAT_BACKLOG,
        monotonic: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        if reply_rate <= 0 or reply_burst < 1:
            raise ValueError("replies need a positive rate and a burst of at least one")
        self._limiter = limiter
        self._rate = reply_rate
        self._burst = reply_burst
        self._longest_wait = longest_wait
        self._chat_backlog = chat_backlog
        self.throttled = 0  # replies not sent to chats that flood
        self._monotonic = monotonic
        # A chat's own waits (its moment, a 429's retry_after): the ones a person's replies meet.
        # The whole bot's queue and window are waited for in real time even in tests, where
        # `sleep` passes faster: messages in flight while the clock jumped would otherwise reach
        # Telegram bunched into one second. The database's share is on its own clock, real too.
        self._sleep = sleep
        self._level = reply_burst  # may go below zero: the depth of the queue
        self._stamp = monotonic()
        # PostgreSQL: the bot's send rate shared by its processes (`OutboxRepository.
        # take_for_reply`), set once the database is open; each new message takes its share.
        self.shared: Callable[[], Awaitable[float]] | None = None
        # Moves what the bot keeps about a group to its supergroup's id (set once the database
        # is open); a reply that met the move has already gone to the supergroup.
        self.migrated: Callable[[int, int], Awaitable[object]] | None = None
        # PostgreSQL: pauses every process's sends after a 429 for the whole bot.
        self.pause_all: Callable[[float], Awaitable[None]] | None = None

    async def initialize(self) -> None:
        """Nothing to open."""

    async def shutdown(self) -> None:
        """Nothing to close."""

    def reserve(self) -> float:
        """Take the next place in the replies' queue; return the seconds until it comes."""
        now = self._monotonic()
        self._level = min(self._burst, self._level + (now - self._stamp) * self._rate)
        self._stamp = now
        self._level -= 1.0
        return max(0.0, -self._level / self._rate)

    def _give_back(self) -> None:
        self._level += 1.0

    async def _take_turn(self, chat: int, *, retrying: bool) -> float:
        """Wait until a message to `chat` may go: its chat's moment, the queue, any pause.

        Return the chat's moment taken, for `SendLimiter.note`. A new message whose chat is
        booked beyond the backlog raises `ChatThrottledError`; one Telegram refused goes anyway.
        """
        wait = self._limiter.chat_wait(chat)
        if not retrying and wait > self._chat_backlog:
            self.throttled += 1
            raise ChatThrottledError("a chat asks faster than any person; a reply was not sent")
        # Looked at and taken in one step: no other reply can take the same moment.
        moment = self._limiter.reserve_chat(chat)

        def behind() -> float:
            """Seconds until the chat's moment, and until the earlier replies to it may have
            arrived far enough back (one answered late may have arrived just then)."""
            return max(moment - self._monotonic(), self._limiter.arrival_wait(chat))

        while (wait := behind()) > 0:
            await self._sleep(wait)
        if self.shared is not None:
            # The other processes' replies and sends count too. Their share is taken first,
            # so this process's own queue is the last gate before the call: the database's
            # answers may come late and together, the messages still leave at the queue's pace.
            await asyncio.sleep(await self._share())
        while True:
            await asyncio.sleep(self.reserve())
            # A pause after a 429, or the last second already full of the process's messages.
            paused = max(self._limiter.paused_for(), self._limiter.window_wait())
            late = behind()
            if paused <= 0 and late <= 0:
                return moment
            # Telegram said wait: this place is given back and a new one taken after the
            # pause, so the queue resumes at its pace rather than all at once.
            self._give_back()
            if paused > 0:
                await asyncio.sleep(paused)
            else:
                await self._sleep(late)

    async def _share(self) -> float:
        """The wait for this message's share of the shared rate; none when the database cannot
        say (it is closing, or failing): the reply still goes, paced by this process alone."""
        assert self.shared is not None
        try:
            return await self.shared()
        except Exception as error:  # a reply is not lost for its bookkeeping
            log.warning("replies: the shared send rate is out of reach (%s)", error)
            return 0.0

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, bool | dict[str, Any] | list[dict[str, Any]]]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: None,
    ) -> bool | dict[str, Any] | list[dict[str, Any]]:
        """Wait for the turn of a new message, make the call, and retry it after a 429."""
        chat_id = data.get("chat_id")
        target = chat_id if isinstance(chat_id, int) else None
        chat = target if endpoint in MESSAGE_METHODS else None
        waited = 0.0
        moved = False
        while True:
            noted = None
            if chat is not None:
                moment = await self._take_turn(chat, retrying=waited > 0 or moved)
                noted = self._limiter.note(chat, moment)
            try:
                return await callback(*args, **kwargs)
            except RetryAfter as error:
                seconds = retry_seconds(error)
                everyone = self._limiter.flood(target, seconds)
                if everyone:
                    await self._pause_all(seconds)
                waited += seconds
                if waited > self._longest_wait:
                    raise
                log.info(
                    "%s to chat %s: 429, again in %.0f s (%s)",
                    endpoint,
                    pseudonym(chat_id),
                    seconds,
                    "every send waits" if everyone else "this chat alone waits",
                )
                if chat is None:
                    await self._sleep(seconds)
            except ChatMigrated as error:
                if moved or target is None:
                    raise
                moved = True
                chat, target = await self._follow(target, error.new_chat_id, data, chat)
            finally:
                # A group counts its window from when the reply reached it.
                if chat is not None and noted is not None:
                    self._limiter.answered(chat, noted)

    async def _pause_all(self, seconds: float) -> None:
        if self.pause_all is None:
            return
        try:
            await self.pause_all(seconds)
        except Exception as error:  # they find out with a 429 of their own
            log.warning("replies: the other processes could not be paused (%s)", error)

    async def _follow(
        self, old: int, new: int, data: dict[str, Any], chat: int | None
    ) -> tuple[int | None, int]:
        """A group became a supergroup: the call goes again to the supergroup, and the group's
        subscription moves with it. Return the call's chat (paced) and target, both moved."""
        log.info("replies: a group became a supergroup; the reply follows it")
        # PTB posts `data` as it is at the call: the same dict goes again with the new id.
        data["chat_id"] = new
        if self.migrated is not None:
            try:
                await self.migrated(old, new)
            except Exception as error:  # the reply still goes; the next update moves it too
                log.warning("replies: the group's move could not be saved (%s)", error)
        return (new if chat is not None else None), new


def retry_seconds(error: RetryAfter) -> float:
    """The seconds of a RetryAfter, whichever type this PTB version gives them in."""
    # PTB 22 warns that the int form is deprecated; the value is the same either way.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        value: int | timedelta = error.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)
