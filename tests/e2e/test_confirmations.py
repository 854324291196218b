"""End to end: the bot says what it did, and an old button never acts on something newer.

Remembering a signature is confirmed in the chat and not offered again; "Skip" left from an
earlier letter does not sign with a later one's signature; a sent broadcast's confirmation
loses its buttons; "Tomorrow 09:00" names its time zone and keeps to it."""

from __future__ import annotations

import json

from bot.context import UrgentActionApp
from bot.emulator import RecordedMessage, TelegramEmulator
from tests.conftest import Chatter, services_of
from tests.e2e.test_broadcast import NEWS, choose, compose, organizer, send, subscribed
from tests.e2e.test_journey import open_card, write_appeal


def current(person: Chatter, message: RecordedMessage) -> RecordedMessage:
    """The message as the chat shows it now (after the bot's edits)."""
    (found,) = [
        m
        for m in person.emulator.bot_messages(person.chat_id)
        if m.message_id == message.message_id
    ]
    return found


async def test_remember_my_signature_is_confirmed_and_the_next_letter_uses_it(
    bot: UrgentActionApp, person: Chatter
) -> None:
    card = await open_card(person)
    personal = await write_appeal(person, card, "Email", "My full name", "Anna Petrova")
    answer, _ = await person.press(personal, "Remember my signature")
    assert answer == "Remembered. /forget deletes it with everything else."
    await person.emulator.wait_for(lambda: current(person, personal).edited)
    confirmed = current(person, personal)
    assert "Remembered for your next letters" in confirmed.text
    assert [b["text"] for b in confirmed.buttons] == ["Skip: show my letter"]
    subscriber = await services_of(bot).subscribers.get(person.chat_id)
    assert subscriber is not None and subscriber.signature is not None
    assert json.loads(subscriber.signature)["full_name"] == "Anna Petrova"

    # The next letter offers the remembered signature, and does not offer to remember it again.
    _, (channels,) = await person.press(card, "Write", replies=1)
    _, (signing,) = await person.press(channels, "Post", replies=1)
    _, (next_personal,) = await person.press(signing, "Sign as Anna Petrova", replies=1)
    assert "Anna Petrova" in next_personal.text
    labels = [b["text"] for b in next_personal.buttons]
    assert labels == ["Skip: show my letter"]


async def test_a_stale_skip_never_signs_with_a_later_letters_signature(
    bot: UrgentActionApp, person: Chatter
) -> None:
    card = await open_card(person)
    first = await write_appeal(person, card, "Email", "My full name", "Anna Petrova")
    # A second letter, signed differently, is under way when the first one's Skip is tapped.
    second = await write_appeal(person, card, "Post", "Initials and city", "A. P., Almaty")
    answer, (afresh,) = await person.press(first, "Skip", replies=1)
    # The tap says the message is old and offers the case's appeal afresh, by any channel; it
    # does not sign anything, and does not ask for a signature out of the blue.
    assert answer == "That message is from an earlier letter."
    assert "That message is from an earlier letter" in afresh.text
    assert "How will you send it?" in afresh.text
    assert [b["text"] for b in afresh.buttons] == ["📧 Email", "📠 Fax", "✉️ Post"]
    assert "How do you want to sign?" not in afresh.text
    assert not any(m.document for m in person.emulator.bot_messages(person.chat_id))
    # The letter under way is untouched: its Skip shows it, signed as it was typed.
    _, (printable,) = await person.press(second, "Skip", replies=1)
    assert printable.document is not None
    assert "A. P., Almaty" in printable.document.data.decode()
    assert "Anna Petrova" not in printable.document.data.decode()
    # And from the fresh offer the first letter is made again with the signature typed for it.
    _, (signing,) = await person.press(afresh, "Email", replies=1)
    await person.press(signing, "My full name", replies=1)
    (personal,) = await person.say("Anna Petrova")
    _, (shown, draft) = await person.press(personal, "Skip", replies=2)
    assert draft.document is not None
    assert "Anna Petrova" in shown.text
    assert "A. P., Almaty" not in shown.text
    assert "A. P., Almaty" not in draft.document.data.decode()


async def test_another_channel_on_the_letter_keeps_its_signature_and_sentence(
    bot: UrgentActionApp, person: Chatter
) -> None:
    card = await open_card(person)
    personal = await write_appeal(person, card, "Email", "My full name", "Anna Petrova")
    (shown, letter) = await person.say("Free him now.", replies=2)
    assert "Free him now." in shown.text
    assert letter.document is not None  # the .eml, under which the buttons are
    # "Post" under the letter means this letter by post: no new signature asked for.
    _, (page,) = await person.press(letter, "Post", replies=1)
    assert "How do you want to sign?" not in page.text
    assert page.document is not None
    assert page.document.file_name.endswith("-post.html")
    printed = page.document.data.decode()
    assert "Anna Petrova" in printed and "Free him now." in printed
    del personal
    # Once another letter is begun, that old letter's buttons no longer act on it.
    await write_appeal(person, card, "Fax", "Initials and city", "A. P., Almaty")
    answer, (afresh,) = await person.press(letter, "Fax", replies=1)
    assert answer == "That message is from an earlier letter."
    assert "How will you send it?" in afresh.text


async def test_a_sent_broadcasts_confirmation_loses_its_buttons(
    bot: UrgentActionApp, emulator: TelegramEmulator
) -> None:
    await subscribed(emulator, "Anna")
    olga = organizer(emulator)
    _, confirm = await choose(olga, await compose(olga, NEWS), "Everyone subscribed")
    assert any("Send now" in b["text"] for b in confirm.buttons)
    await send(olga, confirm)
    await emulator.wait_for(lambda: current(olga, confirm).buttons == [])
    assert "It goes to <b>1</b> chat" in (current(olga, confirm).html or "")


async def test_tomorrow_names_its_time_zone_and_keeps_to_it(
    bot: UrgentActionApp, emulator: TelegramEmulator
) -> None:
    olga = organizer(emulator)
    _, confirm = await choose(olga, await compose(olga, NEWS), "Everyone subscribed")
    assert any(b["text"] == "Tomorrow 09:00 UTC" for b in confirm.buttons)

    # An organizer whose /settings say Almaty (UTC+6 in 2022) gets 09:00 there.
    await olga.say("/start", replies=2)
    services = services_of(bot)
    await services.subscribers.set_timezone(olga.chat_id, "Asia/Almaty", services.clock())
    _, confirm = await choose(olga, await compose(olga, NEWS), "Everyone subscribed")
    label = "Tomorrow 09:00 Asia/Almaty (UTC+6)"
    assert any(b["text"] == label for b in confirm.buttons)
    status = await send(olga, confirm, label)
    assert "at 2022-05-21 03:00 UTC" in status.text


async def test_a_skip_button_from_before_appeals_had_keys_offers_the_appeal_afresh(
    bot: UrgentActionApp, person: Chatter
) -> None:
    card = await open_card(person)
    personal = await write_appeal(person, card, "Email", "My full name", "Anna Petrova")
    person.emulator.elapse(1.5)
    mark = person.emulator.last_id(person.chat_id)
    old = "pl:kz-zhanbolat-mamay:email"
    answer = await person.emulator.tap(person.id, personal, old, forge=True)
    assert answer is not None and answer.text == "That message is from an earlier letter."
    (offered,) = await person.emulator.replies(person.chat_id, after=mark)
    assert "How will you send it?" in offered.text
    assert "How do you want to sign?" not in offered.text
