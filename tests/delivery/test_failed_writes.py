"""A write of results that fails (a full disk, a locked file) holds sending back instead of
letting unrecorded messages pile up: the crash bound of `max_in_flight` holds through any number
of failures, and once the disk recovers every row is recorded and everyone has the message once."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Sequence

from bot.db.connection import Database
from bot.delivery.messages import Kind, Result
from bot.emulator import TelegramEmulator
from tests.delivery.conftest import queue, subscribe
from tests.delivery.test_engine import chats_with, sending


async def test_failed_writes_keep_their_send_slots_and_every_row_is_recorded_after(
    db: Database, emulator: TelegramEmulator
) -> None:
    people = [p.id for p in emulator.create_people(400)]
    await queue(db, await subscribe(db, people), "Appeal", kind=Kind.BROADCAST)
    async with sending(db, emulator, record_retry=0.05) as (engine, _):
        record = engine.outbox.record
        failures = 0
        failing = False
        enough = asyncio.Event()

        async def full_disk(results: Sequence[Result]) -> None:
            nonlocal failures
            if failing:
                failures += 1
                if failures >= 4:
                    enough.set()
                raise sqlite3.OperationalError("database or disk is full")
            await record(results)

        engine.outbox.record = full_disk  # type: ignore[method-assign]
        await emulator.wait_for(lambda: emulator.stats.delivered >= 50, timeout=20)
        failing = True
        # Sending stops while the writes fail, so nothing in the emulator's world changes to
        # wake a wait_for: wait for the fourth failed write instead.
        async with asyncio.timeout(20):
            await enough.wait()
        # Posted to Telegram and not recorded: what a crash now would send twice.
        unrecorded = emulator.stats.delivered - len(await chats_with(db, "sent"))
        assert unrecorded <= engine.config.max_in_flight
        failing = False
        await engine.wait_drained(30)
    assert sorted(await chats_with(db, "sent")) == sorted(people)
    assert await chats_with(db, "sending") == []
    assert [len(emulator.bot_messages(person)) for person in people] == [1] * len(people)
