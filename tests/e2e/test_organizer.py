"""Organizers end to end: roles (with forged taps), publishing a case, closing it, results."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

import pytest

from bot.context import UrgentActionApp
from bot.db.organizers import OrganizerRepository
from bot.domain.cases import CaseStatus
from bot.emulator import RecordedMessage, TelegramEmulator
from tests.conftest import ORGANIZER_ID, Chatter, services_of

SLUG = "kz-zhanbolat-mamay"


async def draft_case(bot: UrgentActionApp) -> None:
    """Turn the seed case back into a draft, as a freshly imported case would be."""
    services = services_of(bot)
    case = await services.cases.get(SLUG)
    assert case is not None
    await services.cases.save(dataclasses.replace(case, status=CaseStatus.DRAFT), services.clock())


def organizer(emulator: TelegramEmulator) -> Chatter:
    olga = emulator.create_person("Olga", user_id=ORGANIZER_ID)
    return Chatter(emulator, olga, olga.id)


async def news_for(emulator: TelegramEmulator, person: Chatter, after: int, word: str) -> str:
    """The outcome message once it has reached the person: the first after message `after`
    with `word` in it (the card itself may hold the word too)."""

    def news() -> list[RecordedMessage]:
        return [
            m
            for m in emulator.bot_messages(person.chat_id)
            if m.message_id > after and word in m.text
        ]

    await emulator.wait_for(lambda: bool(news()))
    return news()[0].text


async def test_publishing_alerts_every_subscriber_once_through_the_delivery_engine(
    bot: UrgentActionApp, emulator: TelegramEmulator
) -> None:
    await draft_case(bot)
    people = []
    for name, language in (("Anna", "en"), ("Boris", "ru"), ("Chen", "en")):
        someone = emulator.create_person(name, language_code=language)
        chatter = Chatter(emulator, someone, someone.id)
        (welcome,) = await chatter.say("/start")  # no open case yet: the welcome alone
        assert "no open case" in welcome.text or "открытых дел нет" in welcome.text
        people.append(chatter)
    olga = organizer(emulator)
    await olga.say("/start")
    (listing,) = await olga.say("/cases")
    assert "draft" in listing.text
    _, (card, confirm) = await olga.press(listing, "Preview", replies=2)
    assert "Zhanbolat Mamay" in card.text  # exactly the subscribers' card
    assert "alerts 4 people and 0 groups" in confirm.text
    # Olga subscribed too: her alert is awaited with the others', so that it cannot arrive as
    # the answer to her /cases below.
    marks = {chatter.chat_id: emulator.last_id(chatter.chat_id) for chatter in [*people, olga]}
    answer, _ = await olga.press(confirm, "Publish now")
    assert answer is None or answer == ""
    for chatter in [*people, olga]:
        (alert,) = await emulator.replies(chatter.chat_id, after=marks[chatter.chat_id], count=1)
        assert alert.buttons
    boris = people[1]
    assert "Жанболат Мамай" in emulator.bot_messages(boris.chat_id)[-1].text
    services = services_of(bot)
    case = await services.cases.get(SLUG)
    assert case is not None
    assert case.status is CaseStatus.ACTIVE
    # Publishing again reaches nobody twice.
    (listing,) = await olga.say("/cases")
    assert "4 alerted" in listing.text


async def test_a_forged_organizer_tap_from_anyone_else_changes_nothing(
    bot: UrgentActionApp, emulator: TelegramEmulator, person: Chatter
) -> None:
    await draft_case(bot)
    (welcome,) = await person.say("/start")
    for forged in (f"opc:{SLUG}", f"ocl:{SLUG}:released:notify", f"ors:{SLUG}"):
        answer = await emulator.tap(person.id, welcome, forged, forge=True)
        assert answer is not None
        assert answer.text == "This button no longer works. Send /start to see the open cases."
    case = await services_of(bot).cases.get(SLUG)
    assert case is not None
    assert case.status is CaseStatus.DRAFT
    (reply,) = await person.say("/organizers add 12345")
    assert "/start" in reply.text  # the ordinary help, nothing more
    assert 12345 not in await _added(bot)


async def _added(bot: UrgentActionApp) -> list[int]:
    return await OrganizerRepository(services_of(bot).db).added()


@pytest.mark.refusals_expected  # deleteMyCommands for a chat never seen: 400
async def test_organizers_add_and_remove_organizers_in_the_audit_log(
    bot: UrgentActionApp, emulator: TelegramEmulator
) -> None:
    olga = organizer(emulator)
    (done,) = await olga.say("/organizers add 555")
    assert "555 is now an organizer" in done.text
    (listing,) = await olga.say("/organizers")
    assert "555 (added in the chat)" in listing.text
    (fixed,) = await olga.say(f"/organizers remove {ORGANIZER_ID}")
    assert "BOT_ORGANIZERS" in fixed.text
    (removed,) = await olga.say("/organizers remove 555")
    assert "no longer an organizer" in removed.text
    log = await OrganizerRepository(services_of(bot).db).log()
    assert [entry[2] for entry in log] == ["organizer_removed", "organizer_added"]
    assert all(entry[1] == ORGANIZER_ID for entry in log)


async def emailed_the_president(person: Chatter) -> RecordedMessage:
    """The person starts the bot and records an email to the President; their card."""
    _, card = await person.say("/start", replies=2)
    _, (checklist,) = await person.press(card, "I've acted", replies=1)
    await person.press(checklist, "President of Kazakhstan · email", replies=1)
    return card


async def asked_how_to_close(
    emulator: TelegramEmulator, outcome: str
) -> tuple[Chatter, RecordedMessage]:
    """Olga closes the case with `outcome`; she, and the bot's question: tell everyone, or not."""
    olga = organizer(emulator)
    (listing,) = await olga.say("/cases")
    _, (choose,) = await olga.press(listing, "Close", replies=1)
    await olga.press(choose, outcome)
    await emulator.wait_for(
        lambda: "Tell everyone" in emulator.bot_messages(olga.chat_id)[-1].text
    )
    return olga, emulator.bot_messages(olga.chat_id)[-1]


async def test_closing_tells_everyone_alerted_and_thanks_those_who_acted(
    bot: UrgentActionApp, emulator: TelegramEmulator, person: Chatter
) -> None:
    card = await emailed_the_president(person)
    other = emulator.create_person("Boris")
    bystander = Chatter(emulator, other, other.id)
    await bystander.say("/start", replies=2)
    olga, ask = await asked_how_to_close(emulator, "Released")
    marks = {chatter.chat_id: emulator.last_id(chatter.chat_id) for chatter in (person, bystander)}
    await olga.press(ask, "tell everyone")
    # The news after each one's card, which may hold the word "released" too.
    news = await news_for(emulator, person, marks[person.chat_id], "released")
    assert "Thank you: your appeal was part of this" in news
    news = await news_for(emulator, bystander, marks[bystander.chat_id], "released")
    assert "Thank you" not in news
    services = services_of(bot)
    case = await services.cases.get(SLUG)
    assert case is not None
    assert case.status is CaseStatus.CLOSED
    # Old buttons now say the case is closed.
    answer, _ = await person.press(card, "Write")
    assert answer == "This case is closed: no more appeals are needed."
    assert news is not None


async def test_a_case_closed_as_an_execution_grieves_rather_than_claims_a_part_in_it(
    bot: UrgentActionApp, emulator: TelegramEmulator, person: Chatter
) -> None:
    await emailed_the_president(person)
    olga, ask = await asked_how_to_close(emulator, "Executed")
    mark = emulator.last_id(person.chat_id)
    await olga.press(ask, "tell everyone")
    news = await news_for(emulator, person, mark, "execution was carried out")
    assert "Zhanbolat Mamay: executed." in news
    assert "despite appeals from around the world, the execution was carried out" in news
    assert "your appeal was part of this" not in news


async def test_results_show_the_funnel_and_export_csv(
    bot: UrgentActionApp, emulator: TelegramEmulator, person: Chatter
) -> None:
    _, card = await person.say("/start", replies=2)
    _, (channels,) = await person.press(card, "Write", replies=1)
    _, (checklist,) = await person.press(card, "I've acted", replies=1)
    await person.press(checklist, "President of Kazakhstan · fax", replies=1)
    olga = organizer(emulator)
    (listing,) = await olga.say("/cases")
    _, (results,) = await olga.press(listing, "Results", replies=1)
    assert "Offered to: 1" in results.text
    assert "Reached" not in results.text
    assert "Opened the appeal: 1" in results.text
    assert "Acted: 1" in results.text
    assert "By channel: Fax 1" in results.text
    _, (export,) = await olga.press(results, "CSV", replies=1)
    assert export.document is not None
    rows = export.document.data.decode().splitlines()
    assert rows[0] == "case,measure,key,count"
    assert f"{SLUG},acted_by_channel,fax,1" in rows
    assert channels is not None
    _ = timedelta
