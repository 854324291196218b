"""The limits the emulator enforces, each configurable, and the flood gate that holds them."""

from __future__ import annotations

import math
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Rate:
    """A token bucket: `per_second` on average, bursts of up to `burst`.

    With `window`, a sliding window instead: at most `burst` messages in any `window` seconds
    (Telegram's "20 messages a minute" for a group).
    """

    per_second: float
    burst: float
    window: float | None = None


@dataclass(frozen=True)
class EmulatorLimits:
    """Telegram's limits (../shared/telegram/LIMITS.md); every one can be changed for a test."""

    text_length: int = 4096  # UTF-16 units after entity parsing
    caption_length: int = 1024
    callback_data_bytes: int = 64
    buttons_per_row: int = 8
    buttons_total: int = 100
    callback_answer_length: int = 200
    callback_timeout: float = 15.0  # seconds to answer a callback query
    private_chat: Rate = field(default_factory=lambda: Rate(1.0, 3.0))
    group_chat: Rate = field(default_factory=lambda: Rate(20 / 60, 20.0, window=60.0))
    whole_bot: Rate = field(default_factory=lambda: Rate(30.0, 30.0))
    paid_broadcast: Rate = field(default_factory=lambda: Rate(1000.0, 1000.0))
    flood: bool = True  # False turns all flood limits off
    history_per_chat: int = 1000  # messages kept per chat (for reading back); older are dropped
    keep_bodies: bool = True  # False: count messages only (for benchmarks of 100,000 sends)


class _Bucket:
    __slots__ = ("blocked_until", "level", "sent", "stamp")

    def __init__(self, level: float, stamp: float) -> None:
        self.level = level
        self.stamp = stamp
        self.blocked_until = 0.0
        self.sent: deque[float] = deque()  # send times, for sliding windows


@dataclass
class FloodGate:
    """Token buckets per scope; past one, the scope answers 429 until its retry_after passes."""

    clock: Callable[[], float] = time.monotonic
    _buckets: dict[tuple[str, int], _Bucket] = field(default_factory=dict)

    def check(self, scopes: list[tuple[str, int, Rate]]) -> int | None:
        """Take one token from every scope, or none: return None, or the seconds to wait."""
        now = self.clock()
        buckets = []
        wait = 0.0
        for kind, key, rate in scopes:
            bucket = self._buckets.get((kind, key))
            if bucket is None:
                bucket = self._buckets[(kind, key)] = _Bucket(rate.burst, now)
            bucket.level = min(rate.burst, bucket.level + (now - bucket.stamp) * rate.per_second)
            bucket.stamp = now
            if rate.window is not None:
                while bucket.sent and bucket.sent[0] <= now - rate.window:
                    bucket.sent.popleft()
                # The window decides; the level mirrors it so the checks below apply as is.
                bucket.level = rate.burst - len(bucket.sent)
            if bucket.blocked_until > now:
                wait = max(wait, bucket.blocked_until - now)
            elif rate.window is not None and bucket.level < 1.0:
                needed = bucket.sent[0] + rate.window - now
                bucket.blocked_until = now + math.ceil(needed)
                wait = max(wait, math.ceil(needed))
            elif bucket.level < 1.0:
                needed = (1.0 - bucket.level) / rate.per_second
                # Like the service, a scope that floods is shut for the whole retry_after.
                bucket.blocked_until = now + math.ceil(needed)
                wait = max(wait, math.ceil(needed))
            buckets.append((bucket, rate.window is not None))
        if wait > 0:
            return max(1, math.ceil(wait))
        for bucket, windowed in buckets:
            bucket.level -= 1.0
            if windowed:
                bucket.sent.append(now)
        return None
