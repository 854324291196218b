"""The record of updates handled: a repeat is told from a new update, and records go after a
day, when Telegram can no longer post the update again."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.db.connection import Database
from bot.db.updates import KEPT, HandledUpdates

T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


async def test_an_update_is_handled_the_first_time_only(db: Database) -> None:
    handled = HandledUpdates(db)
    assert await handled.first_time(7, "a" * 32, T0) is True
    assert await handled.first_time(7, "a" * 32, T0) is False
    # The same id with other contents: a new update (ids are drawn afresh after a quiet week).
    assert await handled.first_time(7, "b" * 32, T0) is True
    assert await handled.first_time(8, "a" * 32, T0) is True


async def test_records_older_than_a_day_are_forgotten(db: Database) -> None:
    handled = HandledUpdates(db)
    await handled.first_time(1, "old", T0)
    await handled.first_time(2, "new", T0 + KEPT)
    assert await handled.forget_older(T0 + KEPT + timedelta(seconds=1)) == 1
    assert await handled.first_time(1, "old", T0 + KEPT) is True  # forgotten: new again
    assert await handled.first_time(2, "new", T0 + KEPT) is False
