"""End to end: a burst of people starting the bot at once, against the emulator's real flood
limits (30 messages a second for the whole bot). Every one of them gets the welcome and the
case, however long the queue; nothing is logged as an error."""

from __future__ import annotations

import logging

import pytest

from bot.context import UrgentActionApp
from bot.emulator import TelegramEmulator

BURST = 120  # people sending /start within a moment: 240 replies, 8 s of the bot's budget


async def test_a_burst_of_starts_is_answered_in_full_within_the_limits(
    bot: UrgentActionApp, emulator: TelegramEmulator, caplog: pytest.LogCaptureFixture
) -> None:
    people = [emulator.create_person(f"Person {n}", language_code="en") for n in range(BURST)]
    with caplog.at_level(logging.INFO):
        for someone in people:
            await emulator.send_text(someone.id, "/start")
        for someone in people:
            welcome, card = await emulator.wait_for_messages(someone.id, 2, timeout=90)
            assert "Welcome to the Urgent Action network" in welcome.text
            assert "Zhanbolat Mamay" in card.text
    errors = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
    assert errors == []
    # The replies queued at the bot's pace: Telegram never had to refuse one.
    assert emulator.stats.delivered >= 2 * BURST
    assert emulator.stats.too_many_by_scope == {}
