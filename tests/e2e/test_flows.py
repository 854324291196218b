"""What the bot holds in memory about a person: only an unfinished flow (a typed signature, a
time zone being typed), until it ends or the person asks to be forgotten."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import timedelta

from bot.context import UrgentActionApp
from bot.emulator import TelegramEmulator
from bot.handlers import flows
from tests.conftest import Chatter, MovableClock
from tests.e2e.test_journey import open_card, write_appeal


async def soon(condition: Callable[[], bool]) -> None:
    """Wait until the bot's memory meets `condition` (it changes after the reply it goes with)."""
    for _ in range(100):
        if condition():
            return
        await asyncio.sleep(0.05)
    raise TimeoutError("the bot's memory did not change")


def held(bot: UrgentActionApp) -> tuple[dict[int, object], dict[int, object]]:
    """The per-person and per-chat data the bot holds in memory."""
    return dict(bot.user_data), dict(bot.chat_data)


async def test_people_who_read_and_tap_leave_nothing_in_memory(
    bot: UrgentActionApp, emulator: TelegramEmulator
) -> None:
    for name in ("Anna", "Boris", "Chen"):
        someone = emulator.create_person(name)
        chatter = Chatter(emulator, someone, someone.id)
        card = await open_card(chatter)
        await chatter.say("/help")
        await chatter.press(card, "Background", replies=1)
        await chatter.press(card, "Tomorrow")
        (settings,) = await chatter.say("/settings")
        await chatter.press(settings, "Русский")
        await chatter.say("hello")
    assert held(bot) == ({}, {})


async def test_a_typed_signature_is_held_until_the_appeal_is_sent(
    bot: UrgentActionApp, person: Chatter
) -> None:
    card = await open_card(person)
    personal = await write_appeal(person, card, "Email", "My full name", "Anna Petrova")
    assert person.id in bot.user_data
    _, (_, draft) = await person.press(personal, "Skip", replies=2)
    assert person.id in bot.user_data  # the letter in another language still needs it
    await person.press(draft, "I've sent it", replies=2)
    assert held(bot) == ({}, {})


async def test_a_time_zone_being_typed_is_held_until_it_is_typed(
    bot: UrgentActionApp, emulator: TelegramEmulator, person: Chatter
) -> None:
    await open_card(person)
    (settings,) = await person.say("/settings")
    await person.press(settings, "Time zone")
    await soon(lambda: person.id in bot.user_data)  # set once the screen is shown
    (confirmed,) = await person.say("Berlin")
    assert "Berlin" in confirmed.text
    assert held(bot) == ({}, {})


async def test_forget_drops_what_an_unfinished_flow_held(
    bot: UrgentActionApp, person: Chatter
) -> None:
    card = await open_card(person)
    await write_appeal(person, card, "Email", "My full name", "Anna Petrova")
    assert person.id in bot.user_data
    (ask,) = await person.say("/forget")
    await person.press(ask, "Yes, delete everything")
    await soon(lambda: person.id not in bot.user_data)
    assert held(bot) == ({}, {})


async def test_an_appeal_left_half_written_is_forgotten_after_a_day(
    bot: UrgentActionApp, clock: MovableClock, person: Chatter
) -> None:
    card = await open_card(person)
    await write_appeal(person, card, "Email", "My full name", "Anna Petrova")
    assert bot.job_queue is not None
    (job,) = bot.job_queue.get_jobs_by_name(flows.JOB_NAME)
    clock.advance(timedelta(hours=23))
    await job.run(bot)
    assert person.id in bot.user_data  # still being written, perhaps
    clock.advance(timedelta(hours=2))
    await job.run(bot)
    assert held(bot) == ({}, {})
