""" "When will you write?" on a case's card: a plan with one reminder, or the case passed on.

The bot's clock is moved to the planned moment instead of waiting; the reminder and offer
sweeps run as the scheduler wakes them (twice a second here).
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime, time, timedelta
from pathlib import Path

import pytest

from bot.config import Settings
from bot.context import UrgentActionApp
from bot.db.broadcasts import BroadcastRepository
from bot.db.offers import ChoiceRepository
from bot.db.plans import PlanCounts, PlanRepository
from bot.domain.allowance import Allowance
from bot.domain.cases import CaseStatus
from bot.emulator import TelegramEmulator
from tests.conftest import ORGANIZER_ID, Chatter, MovableClock, running_bot, services_of
from tests.e2e.test_offers import alerts, case_named, publish, settle
from tests.e2e.test_reminders import edited
from tests.reminders.test_plan import SEED


@pytest.fixture
def settings(settings: Settings, tmp_path: Path) -> Settings:
    """No case files (each test stores its own cases); sweeps twice a second."""
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


RUSSIAN_ORGANIZER_ID = ORGANIZER_ID + 1
SEED_ACTIVE = dataclasses.replace(SEED, status=CaseStatus.ACTIVE)


def plan_buttons(labels: list[str]) -> list[str]:
    """The card's answers to "When will you write?"."""
    return [label for label in labels if label[:1] in "🌙📅🗓🙅"]


async def test_tomorrow_brings_one_reminder_tomorrow_evening_instead_of_the_plan(
    bot: UrgentActionApp, person: Chatter, clock: MovableClock
) -> None:
    await services_of(bot).cases.seed([(SEED_ACTIVE, "test")], clock())
    _, card = await person.say("/start", replies=2)
    assert "When will you write?" in card.text
    assert plan_buttons([b["text"] for b in card.buttons]) == [
        "🌙 Tonight",
        "📅 Tomorrow",
        "🗓 This weekend",
        "🙅 I can't take this one",
    ]
    services = services_of(bot)
    subscriber = await services.subscribers.get(person.chat_id)
    assert subscriber is not None
    assert len(await services.reminders.pending(subscriber.id)) == 3  # the case's plan

    answer, _ = await person.press(card, "📅 Tomorrow")
    assert answer == "🗓 Noted: I'll remind you on 21 May 2022, 19:00, and only then."
    (planned,) = await services.reminders.pending(subscriber.id)
    assert (planned.step, planned.due) == ("plan", datetime(2022, 5, 21, 19, 0, tzinfo=UTC))
    # The question's buttons leave the card; the others stay.
    answered = await edited(person, card)
    assert plan_buttons([b["text"] for b in answered.buttons]) == []
    assert "✍️ Write the appeal" in [b["text"] for b in answered.buttons]
    # A new reminder plan for the case plans it anew for everyone else, not over a person's own.
    replanned = dataclasses.replace(
        SEED_ACTIVE, reminder_offsets=(timedelta(days=2), timedelta(hours=3))
    )
    await services.cases.save(replanned, clock())
    assert [p.step for p in await services.reminders.pending(subscriber.id)] == ["plan"]

    clock.advance(datetime(2022, 5, 21, 19, 0, 1, tzinfo=UTC) - clock())
    await person.emulator.wait_for(
        lambda: any(
            "Write the appeal" in str(m.buttons) and m.message_id != card.message_id
            for m in person.emulator.bot_messages(person.chat_id)
        ),
    )
    assert await services.reminders.pending(subscriber.id) == []
    counts = await PlanRepository(services.db).counts(SEED.slug)
    assert counts == PlanCounts(planned=1, done=0, passed_on=0)
    # The plan is the person's own: /mydata shows it and /forget deletes it.
    (file,) = await person.say("/mydata")
    assert file.document is not None
    (plan,) = json.loads(file.document.data)["plans"]
    assert (plan["case"], plan["answer"]) == (SEED.slug, "tomorrow")
    (ask,) = await person.say("/forget")
    await person.press(ask, "Yes, delete everything")
    await edited(person, ask)
    assert await PlanRepository(services.db).counts(SEED.slug) == PlanCounts()


async def test_tonight_after_ten_waits_for_the_morning_in_the_persons_zone(
    bot: UrgentActionApp, emulator: TelegramEmulator, clock: MovableClock
) -> None:
    someone = emulator.create_person("Irina", language_code="ru")
    irina = Chatter(emulator, someone, someone.id)
    await services_of(bot).cases.seed([(SEED_ACTIVE, "test")], clock())
    _, card = await irina.say("/start", replies=2)
    assert "Когда вы напишете?" in card.text
    services = services_of(bot)
    await services.subscribers.set_timezone(irina.chat_id, "Asia/Almaty", clock())
    # 17:30 UTC is 23:30 in Almaty: "tonight" is the night, so the reminder comes at 08:00.
    clock.advance(datetime(2022, 5, 20, 17, 30, tzinfo=UTC) - clock())
    answer, _ = await irina.press(card, "🌙 Сегодня вечером")
    assert answer == "🗓 Записано: я напомню вам 21 мая 2022\u202fг., 08:00 — один раз."
    subscriber = await services.subscribers.get(irina.chat_id)
    assert subscriber is not None
    (planned,) = await services.reminders.pending(subscriber.id)
    assert planned.due == datetime(2022, 5, 21, 2, 0, tzinfo=UTC)


async def test_i_cannot_hands_the_case_back_and_the_allowance_offers_another(
    bot: UrgentActionApp, emulator: TelegramEmulator
) -> None:
    services = services_of(bot)
    await ChoiceRepository(services.db).set_network_allowance(
        Allowance.ONE_A_WEEK, ORGANIZER_ID, services.clock()
    )
    await publish(bot, emulator, case_named("kz-first"), case_named("kz-second"))
    someone = emulator.create_person("Pablo", language_code="es")
    pablo = Chatter(emulator, someone, someone.id)
    await pablo.say("/start", replies=3)
    await settle(bot)
    assert alerts(pablo) == ["First case"]
    (card,) = [m for m in emulator.bot_messages(pablo.chat_id) if "First case" in m.text]
    answer, _ = await pablo.press(card, "🙅 No puedo encargarme de este caso")
    assert answer is not None and "otra persona" in answer
    await emulator.wait_for(lambda: alerts(pablo) == ["First case", "Second case"])
    subscriber = await services.subscribers.get(pablo.chat_id)
    assert subscriber is not None
    pending = await services.reminders.pending(subscriber.id)
    assert {p.case_slug for p in pending} == {"kz-second"}
    counts = await PlanRepository(services.db).counts("kz-first")
    assert counts == PlanCounts(planned=0, done=0, passed_on=1)


async def test_organizers_see_who_planned_who_of_them_acted_and_who_passed_it_on(
    bot: UrgentActionApp, emulator: TelegramEmulator, clock: MovableClock
) -> None:
    await services_of(bot).cases.seed([(SEED_ACTIVE, "test")], clock())
    people = []
    for name in ("Anna", "Boris", "Chen"):
        someone = emulator.create_person(name)
        chatter = Chatter(emulator, someone, someone.id)
        _, card = await chatter.say("/start", replies=2)
        people.append((chatter, card))
    (anna, anna_card), (boris, boris_card), (chen, chen_card) = people
    await anna.press(anna_card, "📅 Tomorrow")
    _, (checklist,) = await anna.press(anna_card, "I've acted", replies=1)
    await anna.press(checklist, "President of Kazakhstan · email", replies=1)
    await boris.press(boris_card, "🗓 This weekend")
    await chen.press(chen_card, "🙅 I can't take this one")
    # Case news goes to those who acted or planned, not to those who passed the case on.
    news = await BroadcastRepository(services_of(bot).db).audience_size(f"news:{SEED.slug}")
    assert news == 2

    for language, results_label, expected in (
        ("en", "Results", "🗓 Planned a time to write: 2, of whom acted: 1. Passed it on: 1."),
        (
            "ru",
            "Итоги",
            "🗓 Запланировали, когда написать: 2, из них уже откликнулись: 1."
            " Передали дело другим: 1.",
        ),
    ):
        user_id = RUSSIAN_ORGANIZER_ID if language == "ru" else ORGANIZER_ID
        olga_person = emulator.create_person("Olga", user_id=user_id, language_code=language)
        olga = Chatter(emulator, olga_person, olga_person.id)
        (listing,) = await olga.say("/cases")
        _, (results,) = await olga.press(listing, results_label, replies=1)
        assert expected in results.text.splitlines()


async def test_a_plan_after_stop_reminding_me_brings_its_reminder_back(
    bot: UrgentActionApp, person: Chatter, clock: MovableClock
) -> None:
    services = services_of(bot)
    await services.cases.seed([(SEED_ACTIVE, "test")], clock())
    _, card = await person.say("/start", replies=2)
    subscriber = await services.subscribers.get(person.chat_id)
    assert subscriber is not None
    await services.reminders.stop(SEED.slug, subscriber.id, clock())
    assert await services.reminders.pending(subscriber.id) == []

    await person.press(card, "🌙 Tonight")
    (planned,) = await services.reminders.pending(subscriber.id)
    assert planned.due == datetime(2022, 5, 20, 19, 0, tzinfo=UTC)
    assert await services.reminders.stopped(subscriber.id) == []


async def test_a_plan_past_the_deadline_is_refused_and_says_when_the_deadline_is(
    bot: UrgentActionApp, person: Chatter, clock: MovableClock
) -> None:
    # The deadline is tomorrow at noon in Almaty: "Tomorrow" (19:00 where the person is) and
    # "This weekend" come after it; the person is told so, and nothing is planned.
    tomorrow = (clock() + timedelta(days=1)).date()
    deadline = dataclasses.replace(
        next(d for d in SEED_ACTIVE.key_dates if d.deadline), on=tomorrow, time=time(12, 0)
    )
    others = tuple(d for d in SEED_ACTIVE.key_dates if not d.deadline)
    close = dataclasses.replace(SEED_ACTIVE, key_dates=(*others, deadline))
    services = services_of(bot)
    await services.cases.seed([(close, "test")], clock())
    _, card = await person.say("/start", replies=2)
    subscriber = await services.subscribers.get(person.chat_id)
    assert subscriber is not None
    before = await services.reminders.pending(subscriber.id)

    answer, _ = await person.press(card, "📅 Tomorrow")
    assert answer is not None
    assert answer.startswith("The deadline, ") and "comes before then" in answer
    assert await services.reminders.pending(subscriber.id) == before
    assert await PlanRepository(services.db).counts(close.slug) == PlanCounts(0, 0, 0)
