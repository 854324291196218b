"""A person's unfinished step (a typed signature, a time zone being typed) is held in the
database until it ends or the person asks to be forgotten, and nothing about them in memory."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from bot.context import UrgentActionApp
from bot.db.flows import FlowRepository
from bot.emulator import TelegramEmulator
from bot.handlers import flows
from tests.conftest import Chatter, MovableClock, services_of
from tests.e2e.test_journey import open_card, write_appeal
from tests.waiting import eventually


async def steps_of(bot: UrgentActionApp, user_id: int) -> dict[str, Any]:
    """The person's unfinished steps, as the database holds them."""
    services = services_of(bot)
    return await FlowRepository(services.db).of_person(user_id, services.clock())


async def soon(bot: UrgentActionApp, user_id: int, *, held: bool) -> None:
    """Wait until the person has steps held (or none): they are written after the reply."""

    async def changed() -> bool:
        return bool(await steps_of(bot, user_id)) is held

    await eventually(changed)


def in_memory(bot: UrgentActionApp) -> tuple[dict[int, object], dict[int, object]]:
    """The per-person and per-chat data the bot holds in memory."""
    return dict(bot.user_data), dict(bot.chat_data)


async def test_people_who_read_and_tap_leave_nothing_in_memory_or_unfinished(
    bot: UrgentActionApp, emulator: TelegramEmulator
) -> None:
    people = []
    for name in ("Anna", "Boris", "Chen"):
        someone = emulator.create_person(name)
        people.append(someone.id)
        chatter = Chatter(emulator, someone, someone.id)
        card = await open_card(chatter)
        await chatter.say("/help")
        await chatter.press(card, "Background", replies=1)
        await chatter.press(card, "Tomorrow")
        (settings,) = await chatter.say("/settings")
        await chatter.press(settings, "Русский")
        await chatter.say("hello")
    assert in_memory(bot) == ({}, {})
    assert [await steps_of(bot, person) for person in people] == [{}, {}, {}]


async def test_a_typed_signature_is_held_until_the_appeal_is_sent(
    bot: UrgentActionApp, person: Chatter
) -> None:
    card = await open_card(person)
    personal = await write_appeal(person, card, "Email", "My full name", "Anna Petrova")
    held = await steps_of(bot, person.id)
    assert held["appeal"]["signer"]["full_name"] == "Anna Petrova"
    _, (_, draft) = await person.press(personal, "Skip", replies=2)
    assert "appeal" in await steps_of(bot, person.id)  # the letter in another language needs it
    await person.press(draft, "I've sent it", replies=2)
    await soon(bot, person.id, held=False)
    assert in_memory(bot) == ({}, {})


async def test_a_time_zone_being_typed_is_held_until_it_is_typed(
    bot: UrgentActionApp, person: Chatter
) -> None:
    await open_card(person)
    (settings,) = await person.say("/settings")
    await person.press(settings, "Time zone")
    await soon(bot, person.id, held=True)  # kept once the screen is shown
    (confirmed,) = await person.say("Berlin")
    assert "Berlin" in confirmed.text
    assert await steps_of(bot, person.id) == {}


async def test_forget_drops_what_an_unfinished_flow_held(
    bot: UrgentActionApp, person: Chatter
) -> None:
    card = await open_card(person)
    await write_appeal(person, card, "Email", "My full name", "Anna Petrova")
    assert await steps_of(bot, person.id)
    (ask,) = await person.say("/forget")
    await person.press(ask, "Yes, delete everything")
    await soon(bot, person.id, held=False)
    assert in_memory(bot) == ({}, {})


async def test_an_appeal_left_half_written_is_forgotten_after_a_day(
    bot: UrgentActionApp, clock: MovableClock, person: Chatter
) -> None:
    card = await open_card(person)
    await write_appeal(person, card, "Email", "My full name", "Anna Petrova")
    assert bot.job_queue is not None
    (job,) = bot.job_queue.get_jobs_by_name(flows.JOB_NAME)
    clock.advance(timedelta(hours=23))
    await job.run(bot)
    assert "appeal" in await steps_of(bot, person.id)  # still being written, perhaps
    clock.advance(timedelta(hours=2))
    await job.run(bot)
    services = services_of(bot)
    async with services.db.read() as conn:
        left = await conn.fetchall("SELECT user_id FROM flows")
    assert left == []
