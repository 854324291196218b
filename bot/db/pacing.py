"""How much one batch of background work takes on: less while the database is slow.

Counting an audience, queueing a broadcast and offering cases walk a million rows in batches,
each its own read or transaction, so that a person's tap waits one batch at most. How long a
batch holds the database depends on the machine as much as on its size (a busy disk, cores
shared with other work), so the batches halve while one takes longer than the work's bound,
down to a least size, and double back once they take a quarter of it.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Pacing:
    """The size of the next batch, given how long the last one held the database."""

    most: int  # the size when the database has room
    least: int  # never smaller than this
    hold: float  # seconds a batch should hold the database at most
    start: int = 0  # the first batch's size (`most` when not given)
    size: int = field(init=False)

    def __post_init__(self) -> None:
        self.least = min(self.least, self.most)
        self.size = min(self.most, max(self.least, self.start or self.most))

    def took(self, seconds: float) -> None:
        """Note how long the last batch held the database; `size` is then the next one's."""
        if seconds > self.hold and self.size > self.least:
            self.size = max(self.least, self.size // 2)
        elif seconds < self.hold / 4 and self.size < self.most:
            self.size = min(self.most, self.size * 2)
