"""A broadcast's audience is counted over ranges of subscriber ids that shrink when a read is
slow (a costly audience, a busy machine), so no read holds the database long; the count is the
same whatever the ranges."""

from __future__ import annotations

from contextlib import AbstractAsyncContextManager
from datetime import UTC, datetime

import pytest

from bot.db import broadcasts
from bot.db.broadcasts import BroadcastRepository
from bot.db.connection import Connection, Database
from bot.db.subscribers import SubscriberRepository
from bot.domain.subscribers import ChatType

T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


@pytest.fixture
def reads(db: Database, monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts the reads made on `db` from here on (one element per read)."""
    made: list[int] = []
    read = db.read

    def counted() -> AbstractAsyncContextManager[Connection]:
        made.append(1)
        return read()

    monkeypatch.setattr(db, "read", counted)
    return made


async def test_slow_reads_shrink_the_ranges_and_the_count_stays_right(
    db: Database, reads: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    subscribers = SubscriberRepository(db)
    for chat_id in range(1, 65):
        await subscribers.subscribe(chat_id, ChatType.PRIVATE, "ru" if chat_id % 4 else "en", T0)
    repository = BroadcastRepository(db)
    monkeypatch.setattr(broadcasts, "COUNT_CHUNK_LEAST", 2)
    reads.clear()
    assert await repository.audience_size("lang:ru", chunk=16) == 48
    # Quick reads: ranges of 4 (a quarter of the most), then 8, then 16 at a time.
    assert len(reads) == 1 + 6
    # Every read now counts as slow: the ranges halve down to the least, two ids.
    monkeypatch.setattr(broadcasts, "COUNT_READ", 0.0)
    reads.clear()
    assert await repository.audience_size("lang:ru", chunk=16) == 48
    # 4, then 2 at a time: 1 + 1 + (64 - 4) / 2 reads.
    assert len(reads) == 1 + 1 + 30
