"""The security review's findings, each as the attacker (or the careless person) would meet it:
forwarded commands, typed signatures in the log, channels in groups, forged country taps."""

from __future__ import annotations

import json
import logging

import pytest

from bot.context import UrgentActionApp
from bot.db.organizers import OrganizerRepository
from bot.emulator import TelegramEmulator
from bot.emulator.people import text_entities
from tests.conftest import ORGANIZER_ID, Chatter, services_of
from tests.e2e.test_broadcast import choose
from tests.e2e.test_journey import open_card
from tests.e2e.test_rights import settled, subscribed_group
from tests.waiting import handled

SLUG = "kz-zhanbolat-mamay"


async def signing(person: Chatter, how: str) -> None:
    """From the card to the bot waiting for the typed signature."""
    card = await open_card(person)
    _, (channels,) = await person.press(card, "Write", replies=1)
    _, (sign,) = await person.press(channels, "Email", replies=1)
    await person.press(sign, how, replies=1)


@pytest.mark.parametrize(
    ("how", "typed", "shown"),
    [
        ("My full name", "Anna Petrova\nToronto", "Anna Petrova Toronto"),
        ("My full name", "Aigul\x85Nurlanovna", "Aigul Nurlanovna"),
        ("Initials and city", "A.\tP.,\nToronto", "A. P., Toronto"),
    ],
)
async def test_a_signature_typed_on_two_lines_is_taken_as_one_and_never_logged(
    bot: UrgentActionApp,
    person: Chatter,
    caplog: pytest.LogCaptureFixture,
    how: str,
    typed: str,
    shown: str,
) -> None:
    await signing(person, how)
    with caplog.at_level(logging.DEBUG, logger="bot"):
        (personal,) = await person.say(typed)
    assert shown in personal.text
    assert "went wrong" not in personal.text
    for word in ("Petrova", "Toronto", "Nurlanovna"):
        assert word not in caplog.text
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


async def test_a_forwarded_command_is_not_run_as_the_forwarders(
    bot: UrgentActionApp, emulator: TelegramEmulator
) -> None:
    """Mallory posts `/organizers add <her id>` in a group; Olga, an organizer, forwards it to
    the bot. Mallory must not become an organizer: a command counts only when typed."""
    olga = emulator.create_person("Olga", user_id=ORGANIZER_ID)
    mallory = emulator.create_person("Mallory")
    group = await emulator.create_group("Chat", members=[mallory.id, olga.id])
    bait = await emulator.send_text(mallory.id, f"/organizers add {mallory.id}", chat_id=group.id)
    organizer = Chatter(emulator, olga, olga.id)
    await organizer.say("/start", replies=2)
    mark = emulator.last_id(olga.id)
    await emulator.forward(olga.id, bait)
    (answer,) = await emulator.replies(olga.id, after=mark, count=1)
    assert "is now an organizer" not in answer.text
    await handled(bot, emulator)
    assert not await OrganizerRepository(services_of(bot).db).is_added(mallory.id)
    # Typed, the same command still works.
    (done,) = await organizer.say(f"/organizers add {mallory.id}")
    assert "is now an organizer" in done.text


async def test_a_forwarded_command_becomes_the_broadcasts_text(
    bot: UrgentActionApp, emulator: TelegramEmulator
) -> None:
    olga = emulator.create_person("Olga", user_id=ORGANIZER_ID)
    mallory = emulator.create_person("Mallory")
    group = await emulator.create_group("Chat", members=[mallory.id, olga.id])
    post = await emulator.send_text(mallory.id, "/stop the detentions", chat_id=group.id)
    organizer = Chatter(emulator, olga, olga.id)
    await organizer.say("/start", replies=2)
    await organizer.say("/broadcast")
    mark = emulator.last_id(olga.id)
    await emulator.forward(olga.id, post)
    (question,) = await emulator.replies(olga.id, after=mark, count=1)
    preview, _ = await choose(organizer, question, "Everyone subscribed")
    assert preview.text == "/stop the detentions"
    olgas = await services_of(bot).subscribers.get(olga.id)
    assert olgas is not None and olgas.is_active


async def test_an_organizer_id_that_is_not_ascii_digits_gets_the_usage(
    bot: UrgentActionApp, emulator: TelegramEmulator
) -> None:
    olga = emulator.create_person("Olga", user_id=ORGANIZER_ID)
    organizer = Chatter(emulator, olga, olga.id)
    await organizer.say("/start", replies=2)
    (answer,) = await organizer.say("/organizers add ²")
    assert "went wrong" not in answer.text
    assert "/organizers add" in answer.text


@pytest.mark.parametrize(
    ("stand_in", "sender_chat"),
    [
        # A channel's post, forwarded by Telegram into its discussion group.
        (777000, {"id": -1001234, "type": "channel", "title": "News"}),
        # Someone writing in the group "as their own channel".
        (136817688, {"id": -1005678, "type": "channel", "title": "Mine"}),
    ],
)
async def test_a_command_from_a_channel_in_a_group_gets_no_answer_there(
    bot: UrgentActionApp,
    emulator: TelegramEmulator,
    caplog: pytest.LogCaptureFixture,
    stand_in: int,
    sender_chat: dict[str, object],
) -> None:
    group, _, erik = await subscribed_group(emulator)
    mark = emulator.last_id(group.id)
    for command in ("/settings@UrgentActionBot", "/stop@UrgentActionBot"):
        message = emulator.record(
            group, from_bot=False, user_id=erik.id, text=command, entities=text_entities(command)
        )
        payload = emulator.message_json(message)
        payload["from"] = {"id": stand_in, "is_bot": False, "first_name": "Telegram"}
        payload["sender_chat"] = sender_chat
        if stand_in == 777000:
            payload["is_automatic_forward"] = True
        emulator.bot.updates.push("message", payload)
    await handled(bot, emulator)
    assert [m.text for m in emulator.bot_messages(group.id) if m.message_id > mark] == []
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
    subscriber = await services_of(bot).subscribers.get(group.id)
    assert subscriber is not None and subscriber.is_active


async def test_a_forged_country_code_is_not_saved(
    bot: UrgentActionApp, emulator: TelegramEmulator, person: Chatter
) -> None:
    await person.say("/start", replies=2)
    (screen,) = await person.say("/settings")
    before = await settled(bot, emulator)
    answer = await emulator.tap(person.id, screen, "ctry:ZZ", forge=True)
    assert answer is not None
    assert answer.text == "This button no longer works. Send /start to see the open cases."
    assert await settled(bot, emulator) == before
    saved = await emulator.tap(person.id, screen, "ctry:KZ", forge=True)
    assert saved is not None and saved.text != answer.text


async def test_a_refused_tap_is_logged_without_who_tapped(
    bot: UrgentActionApp, emulator: TelegramEmulator, caplog: pytest.LogCaptureFixture
) -> None:
    _, admin, erik = await subscribed_group(emulator)
    card = emulator.bot_messages(admin.chat_id)[-1]
    with caplog.at_level(logging.INFO, logger="bot.handlers.rights"):
        answer = await emulator.tap(erik.id, card, "lang:ru", forge=True)
    assert answer is not None
    (line,) = [r.getMessage() for r in caplog.records if r.name == "bot.handlers.rights"]
    assert "refused tap 'lang'" in line
    assert str(erik.id) not in line
    assert str(admin.chat_id) not in line


async def test_cases_from_anyone_counts_who_acted_without_the_organizers_funnel(
    bot: UrgentActionApp,
    emulator: TelegramEmulator,
    person: Chatter,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from bot.db.connection import Database  # noqa: PLC0415
    from bot.db.results import Funnel, funnel  # noqa: PLC0415

    counted: list[str] = []

    async def counting(db: Database, slug: str) -> Funnel:
        counted.append(slug)
        return await funnel(db, slug)

    monkeypatch.setattr("bot.handlers.organizer.funnel", counting)
    await person.say("/start", replies=2)
    (listing,) = await person.say("/cases")
    assert "0 people have acted" in listing.text
    assert counted == []
    olga = emulator.create_person("Olga", user_id=ORGANIZER_ID)
    (organizers_listing,) = await Chatter(emulator, olga, olga.id).say("/cases")
    assert "alerted" in organizers_listing.text
    assert counted == [SLUG]


async def test_a_long_broadcast_about_an_urgent_action_is_not_taken_for_a_sheet(
    bot: UrgentActionApp, emulator: TelegramEmulator
) -> None:
    olga = Chatter(emulator, emulator.create_person("Olga", user_id=ORGANIZER_ID), ORGANIZER_ID)
    await olga.say("/start", replies=2)
    await olga.say("/broadcast")
    news = "Thank you all. " + "Your urgent action letters reached the ministry. " * 14
    assert len(news) >= 600
    (question,) = await olga.say(news)
    preview, _ = await choose(olga, question, "Everyone subscribed")
    assert preview.text == news.strip()


async def test_an_organizers_record_is_in_mydata_and_privacy_says_it_outlives_forget(
    bot: UrgentActionApp, emulator: TelegramEmulator, person: Chatter
) -> None:
    from tests.e2e.test_broadcast import broadcast, organizer  # noqa: PLC0415

    await person.say("/start", replies=2)
    olga = organizer(emulator)
    await broadcast(olga, "The court hears the case <b>on Monday</b>.", "Everyone subscribed")
    (done,) = await olga.say(f"/organizers add {person.id}")
    assert "is now an organizer" in done.text
    (file,) = await olga.say("/mydata")
    assert file.document is not None
    data = json.loads(file.document.data)
    assert [b["text"] for b in data["organizer"]["broadcasts"]] == [
        "The court hears the case <b>on Monday</b>."
    ]
    assert "organizer_added" in {e["action"] for e in data["organizer"]["audit_log"]}
    (privacy,) = await olga.say("/privacy")
    assert "if you are an organizer, what you did for the network" in privacy.text
    assert "kept after /forget" in privacy.text
