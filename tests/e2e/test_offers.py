"""Each person chooses how many cases, the bot chooses which: end to end against the emulator.

The bot's clock is moved a week ahead instead of waiting a week; the offer sweep runs as the
scheduler wakes it (every half second here), deciding from the database what is due.
"""

from __future__ import annotations

import asyncio
import dataclasses
import json
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import pytest

from bot.casing import mid_sentence
from bot.config import Settings
from bot.context import UrgentActionApp
from bot.db.offers import Choice, ChoiceRepository
from bot.db.outbox import OutboxRepository
from bot.delivery.messages import Status
from bot.domain.allowance import Allowance
from bot.domain.cases import CaseStatus, Channel, UrgentAction
from bot.emulator import RecordedMessage, TelegramEmulator
from bot.handlers import allowance as allowance_handlers
from bot.handlers import reminders as reminders_handlers
from bot.handlers.allowance import labels
from tests.conftest import (
    ORGANIZER_ID,
    Chatter,
    MovableClock,
    run_job,
    running_bot,
    services_of,
)
from tests.reminders.test_plan import SEED

TITLES = {"kz-first": "First case", "kz-second": "Second case", "kz-third": "Third case"}


@pytest.fixture
def settings(settings: Settings, tmp_path: Path) -> Settings:
    """No case files (each test publishes its own cases); sweeps twice a second."""
    empty = tmp_path / "actions"
    empty.mkdir()
    return dataclasses.replace(
        settings,
        actions_dir=empty,
        reminder_check=timedelta(seconds=0.5),
        offer_check=timedelta(seconds=0.5),
    )


@pytest.fixture
async def bot(settings: Settings, clock: MovableClock) -> AsyncIterator[UrgentActionApp]:
    """The real bot, polling the emulator."""
    async with running_bot(settings, clock) as app:
        yield app


def case_named(slug: str, **changes: object) -> UrgentAction:
    """The seed case under another slug and title, as a draft."""
    texts = {
        language: dataclasses.replace(t, title=TITLES.get(slug, slug))
        for language, t in SEED.texts.items()
    }
    return dataclasses.replace(
        SEED,
        slug=slug,
        texts=texts,
        status=CaseStatus.DRAFT,
        **changes,  # type: ignore[arg-type]
    )


async def publish(bot: UrgentActionApp, emulator: TelegramEmulator, *cases: UrgentAction) -> None:
    """Store the cases as drafts and publish each with the organizer's "Publish now" tap."""
    services = services_of(bot)
    await services.cases.seed([(case, "test") for case in cases], services.clock())
    organizer = olga(emulator)
    for case in cases:
        (listing,) = await organizer.say("/cases")
        # The very callback the preview's "Publish now" button carries.
        answer = await emulator.tap(organizer.id, listing, f"opc:{case.slug}", forge=True)
        assert answer is not None


def olga(emulator: TelegramEmulator) -> Chatter:
    """The organizer, created at her first use."""
    found = emulator.people.get(ORGANIZER_ID)
    person = found or emulator.create_person("Olga", user_id=ORGANIZER_ID)
    return Chatter(emulator, person, person.id)


def alerts(person: Chatter) -> list[str]:
    """The titles of the cases whose cards the person has received, in order."""
    found = []
    for message in person.emulator.bot_messages(person.chat_id):
        appeals = [
            b["callback_data"] for b in message.buttons if b.get("callback_data", "")[:3] == "ap:"
        ]
        for slug, title in TITLES.items():
            # A card has one appeal button; a digest lists several cases.
            if title in message.text and appeals == [f"ap:{slug}"]:
                found.append(title)
    return found


async def join(emulator: TelegramEmulator, name: str) -> Chatter:
    """A person who subscribes while no case is open."""
    someone = emulator.create_person(name, language_code="en")
    chatter = Chatter(emulator, someone, someone.id)
    await chatter.say("/start")
    return chatter


async def choose(person: Chatter, *labels: str) -> RecordedMessage:
    """Open /settings → How many cases, and tap each of `labels` there in turn."""
    (settings,) = await person.say("/settings")
    _, (screen,) = await person.press(settings, "How many cases", replies=1)
    for label in labels:
        answer, _ = await person.press(screen, label)
        assert answer is not None
    return screen


async def settle(app: UrgentActionApp) -> None:
    """Run the offer and reminder sweeps (twice: what one sweep leaves due, the next takes),
    and let the delivery engine send all they queued that is due now."""
    services = services_of(app)
    outbox = OutboxRepository(services.db)
    for _ in range(2):
        await run_job(app, allowance_handlers.JOB_NAME)
        await run_job(app, reminders_handlers.JOB_NAME)
    for _ in range(400):
        services.wake_delivery()
        due = await outbox.next_due()
        if Status.SENDING not in await outbox.counts() and (due is None or due > services.clock()):
            return
        await asyncio.sleep(0.05)
    raise TimeoutError("the delivery engine did not send what was due")


async def test_one_a_week_gets_one_of_three_cases_now_and_the_next_a_week_later(
    bot: UrgentActionApp, emulator: TelegramEmulator, clock: MovableClock
) -> None:
    anna = await join(emulator, "Anna")
    screen = await choose(anna, "1 a week")
    await emulator.wait_for(lambda: "\n1 a week\n" in _current(anna, screen).text)
    boris = await join(emulator, "Boris")  # keeps the network's default: every case

    await publish(bot, emulator, case_named("kz-first"), case_named("kz-second"),
                  case_named("kz-third"))  # fmt: skip
    await emulator.wait_for(lambda: len(alerts(boris)) == 3)
    await emulator.wait_for(lambda: len(alerts(anna)) == 1)
    await settle(bot)
    assert len(alerts(anna)) == 1  # the other two wait for her next slot
    first = alerts(anna)[0]

    clock.advance(timedelta(days=6))
    await settle(bot)
    assert len(alerts(anna)) == 1  # six days on: not yet

    clock.advance(timedelta(days=1))
    await emulator.wait_for(lambda: len(alerts(anna)) == 2)
    await settle(bot)
    assert len(alerts(anna)) == 2
    assert alerts(anna)[1] != first
    assert len(alerts(boris)) == 3  # nobody gets a case twice


async def test_an_urgent_case_reaches_everyone_whose_filters_accept_it_whatever_their_allowance(
    bot: UrgentActionApp, emulator: TelegramEmulator
) -> None:
    anna = await join(emulator, "Anna")
    await choose(anna, "1 a week")
    chen = await join(emulator, "Chen")
    await choose(chen, "2 a month")
    services = services_of(bot)
    # Chen follows only cases from Belarus.
    await services.subscribers.set_countries(chen.chat_id, ["BY"], services.clock())

    await publish(bot, emulator, case_named("kz-first"))
    await emulator.wait_for(lambda: alerts(anna) == ["First case"])
    await publish(bot, emulator, case_named("kz-second", urgent=True))
    # Her week's case is spent, and the urgent one still comes.
    await emulator.wait_for(lambda: alerts(anna) == ["First case", "Second case"])
    await settle(bot)
    assert alerts(chen) == []  # it is not about the countries Chen follows


async def test_the_weekly_digest_lists_the_open_cases_that_fit_with_a_button_each(
    bot: UrgentActionApp, emulator: TelegramEmulator, clock: MovableClock
) -> None:
    dana = await join(emulator, "Dana")
    screen = await choose(dana, "1 a week")
    assert SEED.deadline is not None
    deadline = dataclasses.replace(SEED.deadline, on=date(2022, 6, 1))
    await publish(
        bot,
        emulator,
        case_named("kz-first"),
        case_named("kz-second", key_dates=(deadline,)),
        case_named("kz-third"),
    )
    # The first case published is her week's case.
    await emulator.wait_for(lambda: alerts(dana) == ["First case"])
    answer, _ = await dana.press(screen, "One weekly digest instead")
    assert answer is not None

    def digests() -> list[RecordedMessage]:
        return [m for m in emulator.bot_messages(dana.chat_id) if "Your weekly digest" in m.text]

    await emulator.wait_for(lambda: len(digests()) == 1)
    (digest,) = digests()
    # The open cases she has not had, soonest deadline first, each with its deadline and a
    # button to its appeal.
    assert digest.text.index("Second case") < digest.text.index("Third case")
    assert "First case" not in digest.text
    assert "until 1 June 2022" in digest.text
    assert digest.text.count("\n• ") == 2  # a line each
    assert [b["callback_data"] for b in digest.buttons] == ["ap:kz-second", "ap:kz-third"]
    assert alerts(dana) == ["First case"]  # the digest instead of single cases

    clock.advance(timedelta(days=3))
    await settle(bot)
    assert len(digests()) == 1
    clock.advance(timedelta(days=4))
    await emulator.wait_for(lambda: len(digests()) == 2)

    # It counts as one alert, and /mydata shows it.
    (file,) = await dana.say("/mydata")
    assert file.document is not None
    chosen = json.loads(file.document.data)["cases_chosen"]
    assert chosen["allowance"] == "1-week"
    assert chosen["weekly_digest"] is True
    assert len(chosen["digests_sent"]) == 2


async def test_organizers_see_whom_a_case_was_offered_to_and_why_not_the_others(
    bot: UrgentActionApp, emulator: TelegramEmulator
) -> None:
    anna = await join(emulator, "Anna")
    await choose(anna, "1 a week")
    boris = await join(emulator, "Boris")
    chen = await join(emulator, "Chen")
    services = services_of(bot)
    await services.subscribers.set_countries(chen.chat_id, ["BY"], services.clock())

    await publish(bot, emulator, case_named("kz-first"), case_named("kz-second"))
    await emulator.wait_for(lambda: len(alerts(boris)) == 2 and len(alerts(anna)) == 1)
    second = "kz-second" if alerts(anna) == ["First case"] else "kz-first"
    (listing,) = await olga(emulator).say("/cases")
    mark = emulator.last_id(ORGANIZER_ID)
    await emulator.tap(ORGANIZER_ID, listing, f"ors:{second}", forge=True)
    (results,) = await emulator.replies(ORGANIZER_ID, after=mark, count=1)
    lines = results.text.splitlines()
    # One count of whom the case went to, said once; each reason on a line of its own.
    assert "Offered to: 1" in lines
    assert "Reached" not in results.text
    assert "Not offered when first considered:" in lines
    assert "• their allowance was used up or went to other cases: 1" in lines
    assert "• they follow other countries: 1" in lines


async def test_organizers_set_the_networks_default_allowance(
    bot: UrgentActionApp, emulator: TelegramEmulator
) -> None:
    organizer = olga(emulator)
    await organizer.say("/start")
    (screen,) = await organizer.say("/allowance")
    assert "📬 The network's default: every case." in screen.text
    answer, _ = await organizer.press(screen, "2 a month")
    assert answer is not None
    services = services_of(bot)
    assert await ChoiceRepository(services.db).network_allowance() is Allowance.TWO_A_MONTH
    # Anyone else gets the ordinary help, and the default stays.
    anna = await join(emulator, "Anna")
    (reply,) = await anna.say("/allowance")
    assert "/start" in reply.text
    # Those who have not chosen now get two a month: one of two cases now.
    await publish(bot, emulator, case_named("kz-first"), case_named("kz-second"))
    await emulator.wait_for(lambda: len(alerts(anna)) == 1)
    await settle(bot)
    assert len(alerts(anna)) == 1


async def test_a_newcomer_facing_several_cases_sees_one_and_is_asked_how_many(
    bot: UrgentActionApp, emulator: TelegramEmulator
) -> None:
    services = services_of(bot)
    # The network gives one a week to those who do not choose.
    await ChoiceRepository(services.db).set_network_allowance(
        Allowance.ONE_A_WEEK, ORGANIZER_ID, services.clock()
    )
    await publish(bot, emulator, case_named("kz-first"), case_named("kz-second"))
    someone = emulator.create_person("Eva", language_code="en")
    eva = Chatter(emulator, someone, someone.id)
    # The welcome, one card (shown, or queued by a sweep that reached her first), the question.
    replies = await eva.say("/start", replies=3)
    (ask,) = [m for m in replies if "How many would you like?" in m.text]
    assert alerts(eva) == ["First case"]
    answer, _ = await eva.press(ask, "Every case")
    assert answer is not None
    # Her answer makes the other case due at once.
    await emulator.wait_for(lambda: alerts(eva) == ["First case", "Second case"])
    choice = await ChoiceRepository(services.db).of(eva.chat_id)
    assert choice.allowance is Allowance.EVERY


async def test_one_reminder_a_day_across_cases(
    bot: UrgentActionApp, emulator: TelegramEmulator, clock: MovableClock
) -> None:
    boris = await join(emulator, "Boris")
    services = services_of(bot)
    # Two cases whose last-day reminders fall due at the same moment.
    start = clock()
    assert SEED.deadline is not None
    deadline = dataclasses.replace(
        SEED.deadline,
        on=(start + timedelta(days=1)).date(),
        time=time(18, 0),
        timezone="UTC",
    )
    plan = (timedelta(hours=15),)
    await publish(
        bot,
        emulator,
        case_named("kz-first", key_dates=(deadline,), reminder_offsets=plan),
        case_named("kz-second", key_dates=(deadline,), reminder_offsets=plan),
    )
    await emulator.wait_for(lambda: len(alerts(boris)) == 2)
    subscriber = await services.subscribers.get(boris.chat_id)
    assert subscriber is not None
    due = {p.due for p in await services.reminders.pending(subscriber.id)}
    assert len(due) == 1
    clock.advance(next(iter(due)) - clock() + timedelta(minutes=1))

    def reminded() -> list[RecordedMessage]:
        return [
            m
            for m in emulator.bot_messages(boris.chat_id)
            if m.text.startswith("⏰") and "to help" in m.text
        ]

    await emulator.wait_for(lambda: len(reminded()) == 1)
    await settle(bot)
    assert len(reminded()) == 1
    # The other waits a day, and by then its deadline has passed: it is dropped, not sent.
    clock.advance(timedelta(days=1))
    await settle(bot)
    assert len(reminded()) == 1


def _current(person: Chatter, message: RecordedMessage) -> RecordedMessage:
    (found,) = [
        m
        for m in person.emulator.bot_messages(person.chat_id)
        if m.message_id == message.message_id
    ]
    return found


async def test_themes_and_channels_narrow_the_cases_and_forget_deletes_the_choice(
    bot: UrgentActionApp, emulator: TelegramEmulator
) -> None:
    anna = await join(emulator, "Anna")
    screen = await choose(anna, "Torture", "Fax")
    await emulator.wait_for(
        lambda: (
            "Themes: torture" in _current(anna, screen).text  # a label, lower case mid-sentence
            and "You can write by: email and post" in _current(anna, screen).text
        )
    )
    services = services_of(bot)
    repository = ChoiceRepository(services.db)
    choice = await repository.of(anna.chat_id)
    assert choice.themes == ("torture",)
    assert choice.channels is not None
    assert set(choice.channels) == {Channel.EMAIL, Channel.POST}

    await publish(
        bot,
        emulator,
        case_named("kz-first", themes=("death-penalty",)),
        case_named("kz-second", themes=("torture", "unfair-trial")),
        case_named("kz-third"),  # about nothing in particular: reaches every theme
    )
    await emulator.wait_for(lambda: len(alerts(anna)) == 2)
    await settle(bot)
    assert sorted(alerts(anna)) == ["Second case", "Third case"]

    (ask,) = await anna.say("/forget")
    await anna.press(ask, "Yes, delete everything")
    await emulator.wait_for(lambda: "deleted" in _current(anna, ask).text)
    assert await services.subscribers.get(anna.chat_id) is None
    assert await repository.of(anna.chat_id) == Choice()


async def test_a_groups_admins_choose_for_the_group_and_nobody_else(
    bot: UrgentActionApp, emulator: TelegramEmulator
) -> None:
    admin = emulator.create_person("Gulnara", language_code="en")
    member = emulator.create_person("Marat", language_code="en")
    group = await emulator.create_group("Almaty", members=[member.id], admins=[admin.id])
    gulnara = Chatter(emulator, admin, group.id)
    marat = Chatter(emulator, member, group.id)
    await gulnara.say("/start")
    screen = await choose(gulnara, "2 a month")
    await emulator.wait_for(lambda: "For this group: 2 a month" in _current(gulnara, screen).text)
    assert "You can write by" not in _current(gulnara, screen).text  # letters are private

    answer, _ = await marat.press(screen, "Every case")
    assert answer is not None
    assert answer == "Only an admin of this group can do that."
    choice = await ChoiceRepository(services_of(bot).db).of(group.id)
    assert choice.allowance is Allowance.TWO_A_MONTH


async def test_a_case_offered_in_the_persons_night_arrives_in_their_morning(
    bot: UrgentActionApp, emulator: TelegramEmulator, clock: MovableClock
) -> None:
    fay = await join(emulator, "Fay")
    services = services_of(bot)
    # 09:00 UTC is 02:00 in Los Angeles.
    await services.subscribers.set_timezone(fay.chat_id, "America/Los_Angeles", clock())
    await publish(bot, emulator, case_named("kz-first"))
    await settle(bot)
    assert alerts(fay) == []
    # It waits in the outbox for 08:00 there.
    morning = datetime(2022, 5, 20, 15, 0, tzinfo=UTC)
    assert await OutboxRepository(services.db).next_due() == morning

    clock.advance(morning - clock() + timedelta(seconds=1))
    services.wake_delivery()
    await emulator.wait_for(lambda: alerts(fay) == ["First case"])


async def test_the_preview_counts_whom_publishing_reaches_now_within_their_allowances(
    bot: UrgentActionApp, emulator: TelegramEmulator
) -> None:
    anna = await join(emulator, "Anna")
    await choose(anna, "1 a week")
    await join(emulator, "Boris")  # every case
    await publish(bot, emulator, case_named("kz-first"))
    await emulator.wait_for(lambda: alerts(anna) == ["First case"])
    services = services_of(bot)
    await services.cases.seed([(case_named("kz-second"), "test")], services.clock())
    organizer = olga(emulator)
    (listing,) = await organizer.say("/cases")
    mark = emulator.last_id(ORGANIZER_ID)
    await emulator.tap(ORGANIZER_ID, listing, "op:kz-second", forge=True)
    _, confirm = await emulator.replies(ORGANIZER_ID, after=mark, count=2)
    # Boris now; Anna's week is spent, so she is not counted.
    assert "alerts 1 person and 0 groups now" in confirm.text


async def test_start_shows_again_only_the_open_cases_that_fit_the_persons_themes(
    bot: UrgentActionApp, emulator: TelegramEmulator
) -> None:
    anna = await join(emulator, "Anna")
    await choose(anna, "Torture")
    await publish(
        bot,
        emulator,
        case_named("kz-first", themes=("death-penalty",)),
        case_named("kz-second", themes=("torture",)),
    )
    await emulator.wait_for(lambda: alerts(anna) == ["Second case"])
    # Asked again, the bot shows the open case that fits her, and only that one.
    _, card = await anna.say("/start", replies=2)
    assert "Second case" in card.text
    await settle(bot)
    assert alerts(anna) == ["Second case", "Second case"]


async def test_start_and_the_sweep_agree_on_countries_and_channels(
    bot: UrgentActionApp, emulator: TelegramEmulator
) -> None:
    anna = await join(emulator, "Anna")
    await choose(anna, "Post", "Fax")  # email only: no printer, no fax
    services = services_of(bot)
    await services.subscribers.set_countries(anna.chat_id, ["KZ"], services.clock())
    post_only = tuple(dataclasses.replace(t, emails=(), fax=None) for t in SEED.targets)
    await publish(
        bot,
        emulator,
        case_named("kz-first", targets=post_only),  # answered by post only
        case_named("kz-second", country_code="BY", country="Belarus"),  # another country
        case_named("kz-third"),
    )
    await emulator.wait_for(lambda: alerts(anna) == ["Third case"])
    # Asked again, /start shows what the sweep offered her, nothing it did not.
    _, card = await anna.say("/start", replies=2)
    assert "Third case" in card.text
    await settle(bot)
    assert alerts(anna) == ["Third case", "Third case"]


EVERY_CASE_MID_SENTENCE = {
    "en": "every case",
    "es": "todos los casos",
    "fr": "tous les dossiers",
    "ru": "все дела",
    "de": "alle Fälle",
    "ar": "كل القضايا",
}


@pytest.mark.parametrize(
    ("language", "comma"), [(c, ", ") for c in ("en", "es", "fr", "ru", "de")] + [("ar", "، ")]
)
async def test_the_allowance_screen_joins_its_lists_as_each_language_does(
    bot: UrgentActionApp, emulator: TelegramEmulator, language: str, comma: str
) -> None:
    someone = emulator.create_person("Anna", language_code=language)
    anna = Chatter(emulator, someone, someone.id)
    await anna.say("/start")
    (settings,) = await anna.say("/settings")
    words = labels(services_of(bot).renderer, language)
    # The button's label continues its sentence: "📬 Combien de dossiers : tous les dossiers".
    button = words["settings_button"].format(allowance=EVERY_CASE_MID_SENTENCE[language])
    assert button in [b["text"] for b in settings.buttons]
    _, (screen,) = await anna.press(settings, "📬", replies=1)
    for label in (words["death-penalty"], words["torture"], words["digest_off"]):
        await anna.press(screen, label)
    renderer = services_of(bot).renderer
    # Lists read as the language joins them ("A and B", "A وB"); the digest takes the comma.
    # Labels inside a sentence are lower case where the language writes them so.
    themes = renderer.listed(
        [mid_sentence(words["death-penalty"], language), mid_sentence(words["torture"], language)],
        language,
    )
    await emulator.wait_for(
        lambda: (
            themes in _current(anna, screen).text
            and _current(anna, screen).text.splitlines()[1].startswith(words["every"] + comma)
        )
    )
    lines = _current(anna, screen).text.splitlines()
    assert lines[2].endswith(themes)
    # The digest joins the allowance with the same comma; no Latin comma in Arabic.
    assert lines[1].startswith(words["every"] + comma)
    channels = renderer.listed([mid_sentence(words[str(c)], language) for c in Channel], language)
    assert lines[3].endswith(channels)
    if language == "ar":
        assert "," not in "".join(lines[1:4])
