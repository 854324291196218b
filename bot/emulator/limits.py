"""The limits the emulator enforces, each configurable, and the flood gate that holds them.

The defaults are the service's (../shared/telegram/LIMITS.md). A test changes one limit with
`EmulatorLimits(private_chat=Rate(...))` or `dataclasses.replace`, and moves time with the clock
it gives the emulator, so flood tests need no sleeping.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

MEGABYTE = 1024 * 1024


@dataclass(frozen=True)
class Rate:
    """A token bucket: `per_second` tokens on average, at most `burst` at once.

    With `window`, a sliding window instead: at most `burst` sends in any `window` seconds,
    which is how the service words a group's limit ("20 messages a minute").
    """

    per_second: float
    burst: float
    window: float | None = None

    def __post_init__(self) -> None:
        if self.per_second <= 0 or self.burst < 1:
            raise ValueError(f"a rate needs per_second > 0 and burst >= 1, not {self}")
        if self.window is not None and self.window <= 0:
            raise ValueError(f"a sliding window must be positive, not {self.window}")

    @classmethod
    def per_minute(cls, count: int) -> Rate:
        """At most `count` in any minute (a sliding window)."""
        return cls(count / 60, count, window=60.0)

    @classmethod
    def in_any_second(cls, count: float) -> Rate:
        """At most `count` in any one second (a sliding window)."""
        return cls(count, count, window=1.0)


@dataclass(frozen=True)
class EmulatorLimits:
    """Every limit the emulator enforces; each can be changed on its own for a test."""

    # Sizes, as the service counts them.
    text_length: int = 4096  # UTF-16 code units, after entity parsing and trimming
    caption_length: int = 1024
    callback_data_bytes: int = 64  # UTF-8 bytes
    buttons_per_row: int = 8
    buttons_total: int = 100
    callback_answer_length: int = 200
    command_length: int = 32
    command_description_length: int = 256
    commands_per_scope: int = 100
    secret_token_length: int = 256
    upload_bytes: int = 50 * MEGABYTE  # what a bot may upload
    download_bytes: int = 20 * MEGABYTE  # what getFile hands out
    updates_per_request: int = 100
    long_poll_seconds: int = 50  # the longest getUpdates timeout honoured
    # Time limits, in seconds of the emulator's clock.
    callback_timeout: float = 15.0  # a callback query answered later is "too old"
    update_ttl: float = 24 * 3600  # undelivered updates are kept this long
    # Flood limits: a bucket per private chat, per group, and for the whole bot. The whole bot's
    # "30 messages a second" is held strictly, in any one-second window (a bucket would let a
    # second's burst through on top of the rate, 60 in the first second): the bot's processes
    # together must keep to it, and a test sees it when they do not.
    private_chat: Rate = field(default_factory=lambda: Rate(1.0, 3.0))
    group_chat: Rate = field(default_factory=lambda: Rate.per_minute(20))
    whole_bot: Rate = field(default_factory=lambda: Rate.in_any_second(30))
    paid_broadcast: Rate = field(default_factory=lambda: Rate(1000.0, 1000.0))
    flood: bool = True  # False turns every flood limit off (benchmarks of the emulator itself)
    # Parameters the Bot API does not know are refused; the service ignores them, but here a
    # misspelt name should fail a test rather than be dropped without a word.
    reject_unknown_parameters: bool = True
    # Webhook delivery: a failed POST is retried after a delay that doubles up to the maximum.
    webhook_retry_delay: float = 0.5
    webhook_retry_max_delay: float = 10.0
    webhook_timeout: float = 10.0
    # What is kept for reading back.
    history_per_chat: int = 1000  # messages kept per chat; older ones are dropped
    keep_bodies: bool = True  # False: bot messages are counted, not stored (benchmarks)
    events_kept: int = 10_000  # the control API's event log

    def __post_init__(self) -> None:
        sizes = {
            name: getattr(self, name)
            for name in (
                "text_length",
                "caption_length",
                "callback_data_bytes",
                "buttons_per_row",
                "buttons_total",
                "updates_per_request",
                "history_per_chat",
                "events_kept",
            )
        }
        for name, value in sizes.items():
            if value < 1:
                raise ValueError(f"EmulatorLimits.{name} must be at least 1, not {value}")
        if self.callback_timeout <= 0 or self.webhook_retry_delay <= 0:
            raise ValueError("EmulatorLimits: time limits must be positive")


@dataclass(frozen=True)
class Refusal:
    """A flood limit reached: which scope refused, and the seconds to wait."""

    scope: str  # "chat", "group", "bot" or "paid"
    retry_after: int


@dataclass(frozen=True)
class Scope:
    """One bucket a request draws from."""

    kind: str
    key: int
    rate: Rate


class _Bucket:
    __slots__ = ("blocked_until", "level", "sent", "stamp")

    def __init__(self, level: float, stamp: float, window: bool) -> None:
        self.level = level
        self.stamp = stamp
        self.blocked_until = 0.0
        self.sent: deque[float] | None = deque() if window else None  # send times, in a window


class FloodGate:
    """Buckets per scope; a scope that refuses stays shut until its retry_after passes."""

    def __init__(self, clock: Callable[[], float]) -> None:
        self._clock = clock
        self._buckets: dict[tuple[str, int], _Bucket] = {}

    def take(self, scopes: Sequence[Scope]) -> Refusal | None:
        """Take one send from every scope, or from none and say which scope refused."""
        now = self._clock()
        drawn: list[_Bucket] = []
        refusal: Refusal | None = None
        for scope in scopes:
            rate = scope.rate
            bucket = self._buckets.get((scope.kind, scope.key))
            if bucket is None:
                bucket = _Bucket(rate.burst, now, rate.window is not None)
                self._buckets[(scope.kind, scope.key)] = bucket
            wait = self._wait(bucket, rate, now)
            if wait is None:
                drawn.append(bucket)
                continue
            seconds = max(1, math.ceil(wait))
            if refusal is None or seconds > refusal.retry_after:
                refusal = Refusal(scope.kind, seconds)
        if refusal is not None:
            return refusal
        for bucket in drawn:
            if bucket.sent is not None:
                bucket.sent.append(now)
            else:
                bucket.level -= 1.0
        return None

    @staticmethod
    def _wait(bucket: _Bucket, rate: Rate, now: float) -> float | None:
        """None when the bucket has room for one more send, else the seconds to wait."""
        if bucket.sent is not None and rate.window is not None:
            while bucket.sent and bucket.sent[0] <= now - rate.window:
                bucket.sent.popleft()
            full = len(bucket.sent) >= rate.burst
            needed = bucket.sent[0] + rate.window - now if full else 0.0
        else:
            refill = (now - bucket.stamp) * rate.per_second
            bucket.level = min(rate.burst, bucket.level + refill)
            bucket.stamp = now
            full = bucket.level < 1.0
            needed = (1.0 - bucket.level) / rate.per_second
        if bucket.blocked_until > now:
            return bucket.blocked_until - now
        if not full:
            return None
        # Like the service, a scope that floods stays shut for the whole retry_after, even if
        # room would come back sooner.
        wait = float(max(1, math.ceil(needed)))
        bucket.blocked_until = now + wait
        return wait

    def clear(self) -> None:
        """Forget every bucket (a test starting over)."""
        self._buckets.clear()
