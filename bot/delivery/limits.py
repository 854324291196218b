"""Telegram's flood limits as the bot keeps them, shared by the engine and the direct replies.

One `SendLimiter` per bot: the engine asks it before every send; the bot's direct replies go at
once but are noted here (through `ReplyTracker`), so the engine leaves room for them and keeps
away from a chat that was just answered.

A 429 does not say which limit was reached (LIMITS.md: the same "Too Many Requests: retry after
N" for one chat's limit and for the whole bot's), so the limiter reads it from who was refused:
a 429 for a send to one chat holds that chat alone for its retry_after; only refusals for
several chats at once (`WHOLE_BOT_REFUSALS` within `REFUSAL_SPAN` seconds), or one for a call
to no chat, pause every send. One person flooding their own chat thus never holds anyone else.
"""

from __future__ import annotations

import math
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

# Methods that take allow_paid_broadcast (Bot API 10.1).
PAID_METHODS = frozenset(
    {
        "sendMessage",
        "copyMessage",
        "sendPhoto",
        "sendAudio",
        "sendDocument",
        "sendVideo",
        "sendAnimation",
        "sendVoice",
        "sendVideoNote",
        "sendMediaGroup",
        "sendLocation",
        "sendVenue",
        "sendContact",
        "sendPoll",
        "sendDice",
        "sendSticker",
    }
)
# Calls that put a new message in a chat (and so count against its limits); edits and callback
# answers do not.
MESSAGE_METHODS = PAID_METHODS | {"forwardMessage"}
_EPSILON = 1e-9
_PRUNE_EVERY = 4096  # notes between sweeps of per-chat entries that no longer constrain
# Refusals for this many different chats within REFUSAL_SPAN seconds mean the whole bot's limit
# was reached, not one chat's: every send pauses. One chat refused again and again never does.
WHOLE_BOT_REFUSALS = 3
REFUSAL_SPAN = 2.0
# Telegram counts the whole bot's 30 a second in any one second. Besides its rate, a process
# keeps the messages it actually posted (engine and replies together) to this share of its
# rate in any one second: 28 at the default 25, two under Telegram's 30. A message holds its
# place from when it is posted until a second after Telegram answered it: Telegram counts it
# when it arrives, at some moment in between, and messages held up after posting (a busy
# event loop, a slow network) arrive bunched.
WINDOW_SHARE = 1.12
# A message posted this long ago with no answer yet is taken as gone (no call lasts as long).
_LONGEST_FLIGHT = 120.0
# A person's chat keeps its last answers: more than it could receive in as many seconds.
_ARRIVALS_KEPT = 32


@dataclass(frozen=True)
class ChatLimits:
    """How often one chat may receive: a private chat, and a group (or channel)."""

    private_interval: float = 1.0  # seconds between two messages to one person ...
    private_burst: int = 3  # ... after a short burst of replies (Telegram tolerates one)
    group_messages: int = 20  # messages to one group ...
    group_window: float = 60.0  # ... within this many seconds


class SendLimiter:
    """The whole bot's rate (a token bucket), each chat's pace, and a pause after a 429."""

    def __init__(
        self,
        rate: float,
        *,
        burst: float | None = None,
        chats: ChatLimits | None = None,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        if rate <= 0:
            raise ValueError("the send rate must be positive")
        self.rate = rate
        # A fifth of a second's sends: room for the engine to send a few at each wake-up (a
        # wake-up costs more CPU than a send) while staying well inside Telegram's limits.
        self.burst = burst if burst is not None else max(1.0, rate / 5)
        self.chats = chats or ChatLimits()
        self._monotonic = monotonic
        self._level = self.burst
        self._stamp = monotonic()
        self._paused_until = 0.0
        self._private: dict[int, float] = {}  # chat -> when it may receive again
        # A person's chat -> when its last messages were answered (each had arrived by then),
        # and when those not answered yet were posted.
        self._arrived: dict[int, deque[float]] = {}
        self._on_way: dict[int, deque[float]] = {}
        self._groups: dict[int, deque[float]] = {}  # chat -> times of its recent messages
        self._held: dict[int, float] = {}  # chat -> end of the wait a 429 for it asked for
        self._refusals: deque[tuple[float, int]] = deque()  # (when, chat) of recent 429s
        self.window_cap = max(1, math.floor(rate * WINDOW_SHARE))
        self._flying: deque[float] = deque()  # when the messages not answered yet were posted
        self._posted: deque[float] = deque()  # when those of the last second were answered
        self._notes = 0

    def pause(self, seconds: float) -> None:
        """Stop the engine's sends for `seconds` (Telegram said 429: retry after)."""
        self._paused_until = max(self._paused_until, self._monotonic() + seconds)

    def flood(self, chat_id: int | None, seconds: float) -> bool:
        """Telegram answered 429 "retry after `seconds`" to a call for `chat_id` (None: a call
        to no chat). Hold that chat; pause every send only when the whole bot's limit is what
        was reached. Return whether every send is paused."""
        now = self._monotonic()
        if chat_id is None:
            self.pause(seconds)
            return True
        self._held[chat_id] = max(self._held.get(chat_id, 0.0), now + seconds)
        self._refusals.append((now, chat_id))
        while self._refusals and self._refusals[0][0] < now - REFUSAL_SPAN:
            self._refusals.popleft()
        if len({chat for _, chat in self._refusals}) < WHOLE_BOT_REFUSALS:
            return False
        self.pause(seconds)
        return True

    def paused_for(self) -> float:
        """Seconds left of the pause, 0 when none."""
        return max(0.0, self._paused_until - self._monotonic())

    def wait(self, count: float = 1.0) -> float:
        """Seconds until the engine may send `count` messages (at most a burst) to any chat."""
        now = self._monotonic()
        self._refill(now)
        needed = min(max(count, 1.0), self.burst)
        # A level a rounding error short of what is needed counts as enough.
        deficit = (needed - self._level) / self.rate if self._level < needed - _EPSILON else 0.0
        return max(deficit, self._paused_until - now, self._window_wait(now, needed), 0.0)

    def window_wait(self) -> float:
        """Seconds until one more message fits in the last second's messages."""
        return self._window_wait(self._monotonic(), 1.0)

    def _window_wait(self, now: float, needed: float) -> float:
        posted, flying = self._posted, self._flying
        while posted and posted[0] <= now - 1.0:
            posted.popleft()
        while flying and flying[0] <= now - _LONGEST_FLIGHT:
            flying.popleft()
        held = len(posted) + len(flying)
        excess = held + min(math.ceil(needed), self.window_cap) - self.window_cap
        if excess <= 0:
            return 0.0
        if excess <= len(posted):
            return posted[excess - 1] + 1.0 - now
        # A message still on its way leaves the window a second after its answer, at the
        # soonest a second from now.
        return 1.0

    def chat_wait(self, chat_id: int) -> float:
        """Seconds until `chat_id` may receive another message."""
        now = self._monotonic()
        return max(0.0, self._next_free(chat_id, now) - now)

    def reserve_chat(self, chat_id: int) -> float:
        """Take `chat_id`'s next free moment, in one step with no wait between the look and the
        taking (so replies queued at once each get their own moment); return that moment, a
        `monotonic` time, for `note` and `answered`."""
        now = self._monotonic()
        if chat_id > 0:
            # A person's replies may come a few at once (a welcome and a card), then one a
            # second: `_private` holds when the chat's line of replies ends.
            interval = self.chats.private_interval
            tolerance = (self.chats.private_burst - 1) * interval
            line = max(now, self._private.get(chat_id, 0.0))
            at = max(now, line - tolerance, self._held.get(chat_id, 0.0))
            self._private[chat_id] = max(line, at) + interval
            return at
        at = max(now, self._next_free(chat_id, now))
        self._group(chat_id).append(at)
        return at

    def arrival_wait(self, chat_id: int) -> float:
        """Seconds until one more message may go to a person, counted from when the earlier
        ones may have arrived rather than from their moments.

        Telegram counts a message when it arrives: after it was posted and before it was
        answered, so the bot takes each answered one as arrived at its answer and each one on
        its way as arriving with the new one. A person's chat takes `private_burst` at once
        and then one an `private_interval`: a new message may go when no stretch of time ending
        now would hold more than that. The fourth of a burst whose first was answered late thus
        goes a second after that answer, not a second after the first's moment.
        """
        if chat_id <= 0:
            return 0.0
        now = self._monotonic()
        interval, burst = self.chats.private_interval, self.chats.private_burst
        on_way = self._on_way.get(chat_id)
        while on_way and on_way[0] <= now - _LONGEST_FLIGHT:
            on_way.popleft()
        flying = len(on_way) if on_way else 0
        if flying >= burst:
            return interval / 4  # a whole burst on its way: an answer must come first
        wait = 0.0
        for rank, answered in enumerate(reversed(self._arrived.get(chat_id, ())), start=1):
            wait = max(wait, answered + (flying + rank + 1 - burst) * interval - now)
        return wait

    def _next_free(self, chat_id: int, now: float) -> float:
        """The moment `chat_id` may receive again (now or earlier when it may at once)."""
        held = self._held.get(chat_id, 0.0)
        if chat_id > 0:
            return max(held, self._private.get(chat_id, 0.0), now + self.arrival_wait(chat_id))
        times = self._groups.get(chat_id)
        if times is None or len(times) < self.chats.group_messages:
            return held
        # After `answered`, the times are no longer in order: the window starts at the earliest.
        return max(held, min(times) + self.chats.group_window)

    def _group(self, chat_id: int) -> deque[float]:
        times = self._groups.get(chat_id)
        if times is None:
            times = self._groups[chat_id] = deque(maxlen=self.chats.group_messages)
        return times

    def note(self, chat_id: int, reserved: float | None = None) -> float:
        """A message to `chat_id` goes out now; it takes its share of the whole bot's rate.

        `reserved`: the chat's moment was taken already (`reserve_chat`). Return the moment
        noted, for `answered`.
        """
        now = self._monotonic()
        self._refill(now)
        # A direct reply is never delayed, so the bucket may go below zero: the engine then
        # waits until the replies are paid for, keeping the sum within the rate.
        self._level -= 1.0
        self._flying.append(now)
        noted = now
        if chat_id > 0:
            self._on_way.setdefault(chat_id, deque()).append(now)
        if reserved is not None:
            # A group's window holds its reserved moment, found again by `answered`.
            noted = reserved if chat_id < 0 else now
        elif chat_id > 0:
            self._private[chat_id] = now + self.chats.private_interval
        else:
            self._group(chat_id).append(now)
        self._notes += 1
        if self._notes % _PRUNE_EVERY == 0:
            self._prune(now)
        return noted

    def answered(self, chat_id: int, noted: float) -> None:
        """Telegram answered the message to `chat_id` noted at `noted` (or gave up on it).

        A group's window counts from here: Telegram counts a message when it reaches the group,
        and the first of a bunch can reach it some milliseconds after it was sent. Counted from
        the sending, the 21st message of a window could arrive inside it and meet a 429, which
        holds every send. A person's chat counts its messages as arrived here, for the same
        reason (`arrival_wait`). The whole bot's second counts from here too.
        """
        if self._flying:
            # Which message it was does not matter: each one posted and not answered counts.
            self._flying.popleft()
            self._posted.append(self._monotonic())
        if chat_id > 0:
            on_way = self._on_way.get(chat_id)
            if on_way:
                on_way.popleft()
            arrived = self._arrived.get(chat_id)
            if arrived is None:
                arrived = self._arrived[chat_id] = deque(maxlen=_ARRIVALS_KEPT)
            arrived.append(self._monotonic())
            return
        times = self._groups.get(chat_id)
        if times is not None and noted in times:
            times[times.index(noted)] = max(noted, self._monotonic())

    def _refill(self, now: float) -> None:
        self._level = min(self.burst, self._level + (now - self._stamp) * self.rate)
        self._stamp = now

    def _prune(self, now: float) -> None:
        self._private = {chat: until for chat, until in self._private.items() if until > now}
        self._held = {chat: until for chat, until in self._held.items() if until > now}
        recent = now - _ARRIVALS_KEPT * self.chats.private_interval
        self._on_way = {chat: times for chat, times in self._on_way.items() if times}
        self._arrived = {
            chat: times
            for chat, times in self._arrived.items()
            if chat in self._on_way or times[-1] > recent
        }
        window = self.chats.group_window
        self._groups = {
            chat: times for chat, times in self._groups.items() if max(times) + window > now
        }
