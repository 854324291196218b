"""What a person controls: /mydata, /forget, /settings, and taps that count once and fast."""

from __future__ import annotations

import dataclasses
import json

from bot.context import UrgentActionApp
from bot.db.offers import sweep_offers
from bot.delivery.messages import OutboundMessage
from bot.domain.cases import CaseStatus
from bot.emulator import RecordedMessage, TelegramEmulator
from tests.conftest import Chatter, services_of
from tests.e2e.test_broadcast import NEWS, compose, organizer
from tests.e2e.test_journey import write_appeal
from tests.importer.conftest import SHEETS
from tests.waiting import handled

SLUG = "kz-zhanbolat-mamay"


async def edited(person: Chatter, message: RecordedMessage, edits: int = 1) -> RecordedMessage:
    """The message once the bot has edited it `edits` times."""

    def current() -> RecordedMessage:
        (found,) = [
            m
            for m in person.emulator.bot_messages(person.chat_id)
            if m.message_id == message.message_id
        ]
        return found

    await person.emulator.wait_for(lambda: current().edits >= edits)
    return current()


async def act(person: Chatter, card: RecordedMessage) -> RecordedMessage:
    """Record an email to the President through the card's buttons; return the checklist."""
    _, (checklist,) = await person.press(card, "I've acted", replies=1)
    await person.press(checklist, "President of Kazakhstan · email", replies=1)
    return checklist


async def test_mydata_sends_everything_kept_as_a_file(
    bot: UrgentActionApp, person: Chatter
) -> None:
    _, card = await person.say("/start", replies=2)
    await act(person, card)
    (file,) = await person.say("/mydata")
    assert file.document is not None
    assert file.document.file_name == "my-urgent-action-data.json"
    data = json.loads(file.document.data)
    assert data["subscriber"]["chat_id"] == person.chat_id
    assert data["subscriber"]["language"] == "en"
    assert [c["case"] for c in data["cases_received"]] == [SLUG]
    assert [(a["case"], a["channel"]) for a in data["appeals_sent"]] == [(SLUG, "email")]
    # Acting ended the reminders: none is left to show.
    assert data["reminders"] == {"pending": [], "stopped_for_cases": []}
    # Nothing from the person's Telegram profile is kept.
    assert "Anna" not in json.dumps(data)


async def test_mydata_lists_a_letter_being_written_until_it_is_sent(
    bot: UrgentActionApp, person: Chatter
) -> None:
    _, card = await person.say("/start", replies=2)
    personal = await write_appeal(person, card, "Email", "My full name", "Anna Petrova")
    # Half-way: the typed name is kept for the letter, and /mydata says so.
    (file,) = await person.say("/mydata")
    assert file.document is not None
    steps = json.loads(file.document.data)["unfinished_steps"]
    assert steps["appeal"]["signer"]["full_name"] == "Anna Petrova"
    assert steps["appeal"]["slug"] == SLUG
    _, (_, draft) = await person.press(personal, "Skip", replies=2)
    await person.press(draft, "I've sent it", replies=2)
    # Sent: what was typed for it is gone.
    (file,) = await person.say("/mydata")
    assert file.document is not None
    data = json.loads(file.document.data)
    assert data["unfinished_steps"] == {}
    assert "Anna Petrova" not in json.dumps(data)


async def test_forget_deletes_the_person_and_keeps_the_anonymous_count(
    bot: UrgentActionApp, emulator: TelegramEmulator, person: Chatter
) -> None:
    _, card = await person.say("/start", replies=2)
    await act(person, card)
    services = services_of(bot)
    (ask,) = await person.say("/forget")
    await person.press(ask, "Cancel")
    kept = await edited(person, ask)
    assert kept.text == "Nothing was deleted."
    assert await services.subscribers.get(person.chat_id) is not None

    (ask,) = await person.say("/forget")
    await person.press(ask, "Yes, delete everything")
    done = await edited(person, ask)
    assert "everything the bot kept about you is deleted" in done.text
    assert await services.subscribers.get(person.chat_id) is None
    # The appeal still counts, with nothing that leads back to Anna.
    assert await services.actions.count_people(SLUG) == 1
    other = emulator.create_person("Boris")
    _, other_card = await Chatter(emulator, other, other.id).say("/start", replies=2)
    assert "1 person has acted" in other_card.text
    (nothing,) = await person.say("/mydata")
    assert nothing.document is None


async def test_settings_switch_the_language_and_choose_countries(
    bot: UrgentActionApp, person: Chatter
) -> None:
    await person.say("/start", replies=2)
    (settings,) = await person.say("/settings")
    assert "Language: English" in settings.text
    # The six languages, each by its own name, whatever the reader's language.
    for name in ("✓ English", "Français", "Español", "العربية", "Русский", "Deutsch"):
        assert settings.button(name)
    answer, _ = await person.press(settings, "Русский")
    assert answer == "Сохранено."
    russian = await edited(person, settings)
    assert "Язык: русский" in russian.text
    assert russian.button("✓ Русский") and russian.button("Français")
    (help_text,) = await person.say("/help")
    assert "Срочные акции" in help_text.text

    await person.press(russian, "Казахстан")
    only_kazakhstan = await edited(person, settings, edits=2)
    assert "только Казахстан" in only_kazakhstan.text

    # A case from another country does not reach someone who chose only Kazakhstan.
    services = services_of(bot)
    seed = await services.cases.get(SLUG)
    assert seed is not None
    elsewhere = dataclasses.replace(
        seed, slug="eg-elsewhere", country="Egypt", country_code="EG", status=CaseStatus.ACTIVE
    )
    await services.cases.seed([(elsewhere, "test")], services.clock())
    report = await sweep_offers(
        services.db,
        [elsewhere],
        lambda *_: OutboundMessage.text("alert"),
        services.clock(),
        services.settings.default_timezone,
    )
    assert report.by_case.get(elsewhere.slug, 0) == 0


def answered_first(emulator: TelegramEmulator, since: int) -> bool:
    """Whether the bot answered the tap made after event `since` before it sent or edited
    anything: the answer does not wait behind the pace of the person's chat."""
    for event in emulator.events_since(since):
        if event["kind"] == "answer":
            return True
        if event["kind"] == "edited" or (
            event["kind"] == "message" and event["message"]["from_bot"]
        ):
            return False
    return False


async def test_taps_are_answered_first_and_count_once(
    bot: UrgentActionApp, emulator: TelegramEmulator, person: Chatter
) -> None:
    _, card = await person.say("/start", replies=2)
    # Telegram shows a spinner until the answer: each tap is answered before the bot sends or
    # edits anything for it (a time on the clock would be the machine's as much as the bot's).
    await handled(bot, emulator)  # what each tap does after its answer is done before the next
    since = emulator.last_event
    _, (checklist,) = await person.press(card, "I've acted", replies=1)
    assert answered_first(emulator, since)
    for _ in range(3):
        await handled(bot, emulator)
        since = emulator.last_event
        await person.press(checklist, "President of Kazakhstan · email")
        assert answered_first(emulator, since)
    for label in ("Write", "Background", "Tomorrow"):
        await handled(bot, emulator)
        since = emulator.last_event
        await person.press(card, label)
        assert answered_first(emulator, since), label
    assert await services_of(bot).actions.count_people(SLUG) == 1


async def test_an_organizers_unfinished_work_is_in_mydata_and_forget_deletes_it(
    bot: UrgentActionApp, emulator: TelegramEmulator, person: Chatter
) -> None:
    await person.say("/start", replies=2)
    olga = organizer(emulator)  # an organizer who never subscribed
    question = await compose(olga, NEWS)
    await olga.say("/import")
    sheet = (SHEETS / "egypt-adel.txt").read_text(encoding="utf-8")
    part = sheet[: sheet.index("TAKE ACTION")]
    (received,) = await olga.say(part)
    assert "Received 1 part" in received.text

    (file,) = await olga.say("/mydata")
    assert file.document is not None
    data = json.loads(file.document.data)
    assert "subscriber" not in data
    assert [(d["kind"], d["html"], d["audience"]) for d in data["drafts"][:1]] == [
        ("broadcast", NEWS, None)
    ]
    assert [(d["kind"], d["chunks"]) for d in data["drafts"][1:]] == [("import", [part])]

    (ask,) = await olga.say("/forget")
    await olga.press(ask, "Yes, delete everything")
    done = await edited(olga, ask)
    assert "everything the bot kept about you is deleted" in done.text
    # Nothing is left to continue: neither the broadcast nor the sheet.
    answer, _ = await olga.press(question, "Everyone subscribed")
    assert answer == "This broadcast draft is gone. Send /broadcast to start again."
    answer, _ = await olga.press(received, "Read it")
    assert answer == "This sheet is no longer waiting. Send it again to import it."
    (nothing,) = await olga.say("/mydata")
    assert nothing.document is None
    assert "keeps nothing about you" in nothing.text
    assert not [m for m in emulator.bot_messages(person.chat_id) if "Hearing moved" in m.text]
