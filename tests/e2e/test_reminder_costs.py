"""What each reminder step costs, end to end: who acted after it and who left after it.

The bot's clock is moved to each reminder's time; the sweeps run twice a second.
"""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.config import Settings
from bot.context import UrgentActionApp
from bot.db.reminder_costs import reminder_costs
from bot.domain.cases import CaseStatus
from bot.emulator import RecordedMessage, TelegramEmulator
from tests.conftest import ORGANIZER_ID, Chatter, MovableClock, running_bot, services_of
from tests.e2e.test_offers import choose
from tests.reminders.test_plan import SEED
from tests.waiting import eventually

RUSSIAN_ORGANIZER_ID = ORGANIZER_ID + 1
SEVEN_DAYS_BEFORE = datetime(2022, 6, 5, 18, 0, tzinfo=UTC)  # the deadline: 12 June, 17:59
TWO_DAYS_BEFORE = datetime(2022, 6, 10, 18, 0, tzinfo=UTC)


@pytest.fixture
def settings(settings: Settings, tmp_path: Path) -> Settings:
    """No case files (the test stores its own); two organizers; sweeps twice a second."""
    empty = tmp_path / "actions"
    empty.mkdir()
    return dataclasses.replace(
        settings,
        actions_dir=empty,
        organizers=frozenset({ORGANIZER_ID, RUSSIAN_ORGANIZER_ID}),
        reminder_check=timedelta(seconds=0.5),
        offer_check=timedelta(seconds=0.5),
    )


@pytest.fixture
async def bot(settings: Settings, clock: MovableClock) -> AsyncIterator[UrgentActionApp]:
    """The real bot, polling the emulator."""
    async with running_bot(settings, clock) as app:
        yield app


def reminders_of(person: Chatter) -> list[RecordedMessage]:
    """The reminders the person received, oldest first."""
    return [
        m
        for m in person.emulator.bot_messages(person.chat_id)
        if "Stop reminding me" in str(m.buttons)
    ]


def last_reminder(person: Chatter) -> RecordedMessage:
    """The newest reminder the person received."""
    return reminders_of(person)[-1]


async def test_results_show_what_followed_each_reminder_step(
    bot: UrgentActionApp, emulator: TelegramEmulator, clock: MovableClock
) -> None:
    services = services_of(bot)
    await services.cases.seed(
        [(dataclasses.replace(SEED, status=CaseStatus.ACTIVE), "t")], clock()
    )
    people = {}
    for name in ("Anna", "Boris", "Chen", "Dana", "Ellen"):
        someone = emulator.create_person(name)
        people[name] = Chatter(emulator, someone, someone.id)
        await people[name].say("/start", replies=2)
    anna, boris, chen, dana, ellen = people.values()

    # Seven days before: everyone gets the reminder, and then each does something else.
    clock.advance(SEVEN_DAYS_BEFORE - clock())
    await emulator.wait_for(lambda: all(reminders_of(p) for p in people.values()))
    _, (checklist,) = await anna.press(last_reminder(anna), "I've acted", replies=1)
    await anna.press(checklist, "President of Kazakhstan · email", replies=1)
    await boris.say("/stop")
    await choose(chen, "1 a week")  # fewer cases than every case, the network's default
    await emulator.block_bot(ellen.id)

    async def ellen_left() -> bool:
        # Telegram tells the bot of the block in an update of its own, handled in its turn:
        # moved on before it is, the clock would date her leaving after the next reminder.
        subscriber = await services.subscribers.get(ellen.chat_id)
        return subscriber is not None and subscriber.status == "blocked"

    await eventually(ellen_left)
    # Two days before: only Chen and Dana are still reminded; Dana asks for no more.
    clock.advance(TWO_DAYS_BEFORE - clock())
    await emulator.wait_for(lambda: len(reminders_of(dana)) == len(reminders_of(chen)) == 2)
    await dana.press(last_reminder(dana), "Stop reminding me")

    for user_id, language, label, expected in (
        (
            ORGANIZER_ID,
            "en",
            "Results",
            [
                "7 days before the deadline: 5 · 1 · 1 · 1 · 1 · 0",
                "2 days before the deadline: 2 · 0 · 0 · 0 · 0 · 1",
            ],
        ),
        (
            RUSSIAN_ORGANIZER_ID,
            "ru",
            "Итоги",
            [
                "За 7 дней до срока: 5 · 1 · 1 · 1 · 1 · 0",
                "За 2 дня до срока: 2 · 0 · 0 · 0 · 0 · 1",
            ],
        ),
    ):
        organizer = emulator.create_person("Olga", user_id=user_id, language_code=language)
        olga = Chatter(emulator, organizer, organizer.id)
        (listing,) = await olga.say("/cases")
        _, (results,) = await olga.press(listing, label, replies=1)
        lines = results.text.splitlines()
        for line in expected:
            assert line in lines
    costs = await reminder_costs(services.db, SEED.slug)
    assert [(c.step, c.sent) for c in costs] == [("604800", 5), ("172800", 2)]
