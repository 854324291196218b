""" "Ask a friend" end to end: a person who acted shares the case into a chat they pick, a friend
there taps the card's button, starts the bot on the case and acts; organizers see the counts.

The emulator plays Telegram's inline mode: the chosen-chat button, the inline query and its
answer, the card sent "via @bot" into the chat, and the t.me start link the friend opens.
"""

from __future__ import annotations

import csv
import json
import re

import pytest

from bot.context import UrgentActionApp
from bot.db.shares import ShareCounts, ShareRepository
from bot.emulator import RecordedMessage, TelegramEmulator
from tests.conftest import ORGANIZER_ID, Chatter, services_of
from tests.e2e.test_reminders import edited

SLUG = "kz-zhanbolat-mamay"


@pytest.fixture
def emulator(emulator: TelegramEmulator) -> TelegramEmulator:
    """The bot with inline mode and inline feedback on, as BotFather sets them."""
    emulator.bot.inline_placeholder = "Case or name"
    emulator.bot.inline_feedback = True
    return emulator


async def act(someone: Chatter, card: RecordedMessage, acted: str, fax: str) -> RecordedMessage:
    """Record a fax to the first official from the case's card; return the thanks."""
    _, (checklist,) = await someone.press(card, acted, replies=1)
    _, (thanks,) = await someone.press(checklist, fax, replies=1)
    return thanks


async def share_into(
    emulator: TelegramEmulator, sharer: Chatter, thanks: RecordedMessage, label: str, chat: int
) -> RecordedMessage:
    """Press "Ask a friend", pick the chat, send the case's card there."""
    answer = await emulator.switch_to_chosen_chat(sharer.id, thanks, label, chat)
    assert answer.is_personal
    (result,) = answer.results
    return await emulator.send_inline_result(sharer.id, answer, result.id)


async def test_a_friend_joins_through_a_shared_card_acts_and_the_organizer_counts_it(
    bot: UrgentActionApp, emulator: TelegramEmulator, person: Chatter
) -> None:
    _, card = await person.say("/start", replies=2)
    thanks = await act(person, card, "I've acted", "President of Kazakhstan · fax")
    assert [b["text"] for b in thanks.buttons] == ["📣 Ask a friend"]
    chooser = thanks.button("Ask a friend")["switch_inline_query_chosen_chat"]
    assert chooser["query"] == SLUG
    assert chooser["allow_user_chats"] and chooser["allow_group_chats"]

    someone = emulator.create_person("Boris", language_code="en")
    boris = Chatter(emulator, someone, someone.id)
    friends = await emulator.create_group("Friends", members=[person.id, boris.id])
    shared = await share_into(emulator, person, thanks, "Ask a friend", friends.id)
    # In the friends' chat: the case, from Anna via the bot, and nothing about who acted.
    assert shared.via_bot and shared.user_id == person.id
    assert shared.text.startswith("🚨 Activist’s detention extended")
    assert "⏳ Deadline: 12 June 2022" in shared.text
    assert "✊ 1 person has acted on this case." in shared.text
    assert "Anna" not in shared.text and "Boris" not in shared.text
    (button,) = shared.buttons
    assert button["text"] == "✍️ Write your appeal (private chat)"
    link = button["url"]
    payload = link.split("?start=", 1)[1]
    # The start payload names the case and a random code, not Anna.
    assert re.fullmatch(rf"s_{SLUG}_[A-Za-z0-9]{{10}}", payload)
    assert len(payload) <= 64 and str(person.id) not in payload
    # The bot does not ask for chosen_inline_result updates: it counts arrivals, not cards sent.
    assert not emulator.updates

    mark = emulator.last_id(boris.chat_id)
    await emulator.open_link(boris.id, link)
    welcome, boris_card = await emulator.replies(boris.chat_id, after=mark, count=2)
    assert welcome.text.startswith("✊ Welcome to the Urgent Action network.")
    assert boris_card.text.startswith("🚨 Activist’s detention extended")
    services = services_of(bot)
    shares = ShareRepository(services.db)
    assert await shares.counts(SLUG) == ShareCounts(joined=1, acted=0)
    await act(boris, boris_card, "I've acted", "President of Kazakhstan · fax")
    assert await shares.counts(SLUG) == ShareCounts(joined=1, acted=1)

    # The organizer sees the counts in /results and in the CSV, and nobody's name.
    organizer = emulator.create_person("Olga", user_id=ORGANIZER_ID)
    olga = Chatter(emulator, organizer, organizer.id)
    (listing,) = await olga.say("/cases")
    _, (results,) = await olga.press(listing, "Results", replies=1)
    assert "📣 Through friends' shares: joined 1, acted 1." in results.text.splitlines()
    assert "Anna" not in results.text and "Boris" not in results.text
    _, (export,) = await olga.press(results, "CSV", replies=1)
    assert export.document is not None
    rows = list(csv.reader(export.document.data.decode().splitlines()))
    assert [SLUG, "joined_through_shares", "", "1"] in rows
    assert [SLUG, "acted_through_shares", "", "1"] in rows

    # Boris's arrival is his own data: /mydata shows it, /forget deletes it.
    (file,) = await boris.say("/mydata")
    assert file.document is not None
    (came,) = json.loads(file.document.data)["came_through_shares"]
    assert (came["case"], came["subscribed_by_it"]) == (SLUG, True)
    (ask,) = await boris.say("/forget")
    await boris.press(ask, "Yes, delete everything")
    await edited(boris, ask)
    assert await shares.counts(SLUG) == ShareCounts()


async def test_a_russian_speaker_shares_the_card_in_russian_and_a_subscriber_counts_once(
    bot: UrgentActionApp, emulator: TelegramEmulator
) -> None:
    someone = emulator.create_person("Ирина", language_code="ru")
    irina = Chatter(emulator, someone, someone.id)
    _, card = await irina.say("/start", replies=2)
    thanks = await act(irina, card, "Уже сделано", "факс")
    other = emulator.create_person("Дмитрий", language_code="ru")
    dmitri = Chatter(emulator, other, other.id)
    _, dmitri_card = await dmitri.say("/start", replies=2)  # subscribed already
    friends = await emulator.create_group("Друзья", members=[irina.id, dmitri.id])
    shared = await share_into(emulator, irina, thanks, "Позвать друга", friends.id)
    assert "⏳ Срок: 12 июня 2022" in shared.text
    assert "Ирина" not in shared.text
    await emulator.open_link(dmitri.id, shared.buttons[0]["url"])
    await emulator.replies(dmitri.chat_id, after=dmitri_card.message_id, count=2)
    await act(dmitri, dmitri_card, "Уже сделано", "факс")
    # He was subscribed before: he came through the share, he did not join through it.
    shares = ShareRepository(services_of(bot).db)
    assert await shares.counts(SLUG) == ShareCounts(joined=0, acted=1)
    # A second visit through a share does not count him twice.
    await emulator.open_link(dmitri.id, shared.buttons[0]["url"])
    await emulator.wait_for(lambda: len(emulator.bot_messages(dmitri.chat_id)) >= 8)
    assert await shares.counts(SLUG) == ShareCounts(joined=0, acted=1)
    # A Russian-speaking organizer reads the counts in Russian.
    organizer = emulator.create_person("Ольга", user_id=ORGANIZER_ID, language_code="ru")
    olga = Chatter(emulator, organizer, organizer.id)
    (listing,) = await olga.say("/cases")
    _, (results,) = await olga.press(listing, "Итоги", replies=1)
    assert "📣 По приглашению друзей: подписались — 0, откликнулись — 1." in results.text


async def test_typing_the_bots_name_in_a_chat_lists_the_active_cases(
    bot: UrgentActionApp, emulator: TelegramEmulator, person: Chatter
) -> None:
    await person.say("/start", replies=2)
    answer = await emulator.type_inline(person.id, "")
    assert [r.title for r in answer.results] == ["Activist’s detention extended"]
    assert (await emulator.type_inline(person.id, "zhanbolat")).results
    assert (await emulator.type_inline(person.id, "nobody-at-all")).results == []
