"""A broadcast's audience is counted, and queued, over ranges of subscriber ids that shrink
when a read or a batch is slow (a costly audience, a busy machine), so none holds the database
long; the count and the rows queued are the same whatever the ranges."""

from __future__ import annotations

from contextlib import AbstractAsyncContextManager
from datetime import UTC, datetime

import pytest

from bot.db import broadcasts
from bot.db.broadcasts import BroadcastRepository
from bot.db.connection import Connection, Database
from bot.db.subscribers import SubscriberRepository
from bot.delivery.messages import OutboundMessage
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


async def test_slow_batches_of_a_broadcast_shrink_and_queue_everyone_once(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    subscribers = SubscriberRepository(db)
    for chat_id in range(1, 21):
        await subscribers.subscribe(chat_id, ChatType.PRIVATE, "en", T0)
    transactions: list[int] = []
    transaction = db.transaction

    def counted() -> AbstractAsyncContextManager[Connection]:
        transactions.append(1)
        return transaction()

    monkeypatch.setattr(db, "transaction", counted)
    # Every batch counts as slow: 8, 4, then 2 at a time.
    monkeypatch.setattr(broadcasts, "QUEUE_HOLD", 0.0)
    monkeypatch.setattr(broadcasts, "QUEUE_BATCH_LEAST", 2)
    repository = BroadcastRepository(db)
    broadcast = await repository.create(
        created_by=1, text="News", audience="all", send_at=T0, now=T0
    )
    transactions.clear()
    filled = await repository.fill(
        broadcast.id, lambda _: OutboundMessage.text("News"), T0, batch=8
    )
    assert filled.recipients == 20
    assert filled.queued
    # 8 + 4 + 2 * 4 = 20 queued in six batches, and a last one that finds nobody left.
    assert len(transactions) == 6 + 1
    async with db.read() as conn:
        rows = await conn.fetchall("SELECT chat_id, count(*) FROM outbox GROUP BY chat_id")
    assert sorted((int(r[0]), int(r[1])) for r in rows) == [(c, 1) for c in range(1, 21)]
