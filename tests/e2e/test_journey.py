"""The subscriber's journey end to end: /start, the card, the appeal by each channel, recording.

A person taps buttons in the emulator; the real bot answers over HTTP. The letters are checked
against the Urgent Action sheet."""

from __future__ import annotations

import email
import email.policy
from email.message import EmailMessage

import pytest

from bot.context import UrgentActionApp
from bot.domain.phones import display
from bot.emulator import RecordedMessage, TelegramEmulator
from tests.conftest import Chatter, services_of
from tests.waiting import eventually

SLUG = "kz-zhanbolat-mamay"


async def open_card(person: Chatter) -> RecordedMessage:
    _, card = await person.say("/start", replies=2)
    return card


async def write_appeal(
    person: Chatter, card: RecordedMessage, channel_label: str, sign: str, typed: str
) -> RecordedMessage:
    """From the card to the signature prompt, typed signature and skipped personal line."""
    _, (channels,) = await person.press(card, "Write", replies=1)
    _, (signing,) = await person.press(channels, channel_label, replies=1)
    _, (prompt,) = await person.press(signing, sign, replies=1)
    assert prompt.text
    (personal,) = await person.say(typed)
    assert typed.split(",", maxsplit=1)[0] in personal.text
    return personal


def edited_text(person: Chatter, message: RecordedMessage) -> str:
    """The text of `message` as the bot has last edited it."""
    (found,) = [
        m
        for m in person.emulator.bot_messages(person.chat_id)
        if m.message_id == message.message_id
    ]
    return found.text if found.edits else ""


async def live_in(person: Chatter, country: str = "Canada") -> None:
    """Tell the bot in /settings where the person lives, by typing the country's name."""
    (settings,) = await person.say("/settings")
    await person.press(settings, "🏠 Where you live: not said")
    await person.emulator.wait_for(lambda: "Where you live" in edited_text(person, settings))
    (confirmed,) = await person.say(country)
    assert f"You live in {country}" in confirmed.text


def eml(message: RecordedMessage) -> EmailMessage:
    assert message.document is not None
    assert message.document.file_name.endswith(".eml")
    parsed = email.message_from_bytes(message.document.data, policy=email.policy.default)
    assert isinstance(parsed, EmailMessage)
    return parsed


async def test_email_appeal_from_start_to_recorded(
    bot: UrgentActionApp, emulator: TelegramEmulator, person: Chatter
) -> None:
    card = await open_card(person)
    await live_in(person)  # the sheet's readers: they copy the embassy in Ottawa
    personal = await write_appeal(person, card, "Email", "My full name", "Anna Petrova")
    _, (shown, draft) = await person.press(personal, "Skip", replies=2)
    # The fields to copy, each in a tap-to-copy span, and the body as a block.
    assert "<code>udp@udp-rk.kz</code>" in (shown.html or "")
    assert "<code>ottawa@mfa.kz</code>" in (shown.html or "")
    body = shown.text
    assert "Dear Mr President," in body
    assert (
        "take all necessary steps in your power to ensure that Zhanbolat Mamay is released" in body
    )
    assert "put a stop to his unfounded prosecution" in body
    assert "Anna Petrova" in body
    # The .eml draft opens in a mail app with everything filled in.
    message = eml(draft)
    assert message["To"] == "udp@udp-rk.kz"
    assert message["Cc"] == "ottawa@mfa.kz"
    assert message["X-Unsent"] == "1"
    assert "Zhanbolat Mamay" in message["Subject"]
    assert "Anna Petrova" in message.get_content()
    # "I've sent it" records the email to the President and the copy to the Embassy, once.
    answer, (checklist, thanks) = await person.press(draft, "I've sent it", replies=2)
    assert answer == "Recorded. Thank you!"
    assert "President of Kazakhstan: email sent" in checklist.text
    assert "Ambassador (copy): email sent" in checklist.text
    assert "1 person has acted" in thanks.text
    assert f"https://t.me/UrgentActionBot?start={SLUG}" in thanks.text
    again, _ = await person.press(draft, "I've sent it")
    assert again == "Already recorded: it counts once."
    services = services_of(bot)
    assert await services.actions.count_people(SLUG) == 1
    subscriber = await services.subscribers.get(person.chat_id)
    assert subscriber is not None
    assert await services.actions.opened_by(subscriber.actor)


async def test_fax_appeal_gives_each_official_a_fax_page(
    bot: UrgentActionApp, emulator: TelegramEmulator, person: Chatter
) -> None:
    card = await open_card(person)
    await live_in(person)
    personal = await write_appeal(person, card, "Fax", "Initials and city", "A. K., Toronto")
    _, (president, embassy) = await person.press(personal, "Skip", replies=2)
    # As dialled from Canada, and in international form.
    assert "011 7 7172 74 56 31 from Canada, +7 7172 74 56 31 in international form" in (
        president.text
    )
    assert display("+16136958755") in embassy.text
    assert "(copy)" in embassy.text
    assert president.document is not None
    page = president.document.data.decode()
    assert "+7 7172 74 56 31" in page
    assert "Kassym-Jomart Tokayev" in page
    assert "A. K., Toronto" in page
    assert "Anna" not in page  # the person's Telegram name never reaches a letter
    assert embassy.buttons  # the last file carries "I've sent it"
    _, (checklist, _) = await person.press(embassy, "I've sent it", replies=2)
    assert "President of Kazakhstan: fax sent" in checklist.text


async def test_post_appeal_is_a_printable_letter_with_envelope_labels(
    bot: UrgentActionApp, emulator: TelegramEmulator, person: Chatter
) -> None:
    card = await open_card(person)
    await live_in(person)
    personal = await write_appeal(person, card, "Post", "My full name", "Anna Petrova")
    (letter,) = await person.say("I stand with Zhanbolat & his family <always>.")
    assert letter.document is not None
    page = letter.document.data.decode()
    for line in (
        "Government House",
        "Mangilik Yel St, 6",
        "Nur-Sultan",
        "Republic of Kazakhstan",
        "150 Metcalfe Street, Suite 701",
        "Ottawa, ON K2P 1P1",
        "His Excellency Akylbek Kamaldinov",
        "Envelope label",
    ):
        assert line in page
    # The personal sentence is in the letter, escaped in HTML, never cut.
    assert "I stand with Zhanbolat &amp; his family &lt;always&gt;." in page
    assert "<always>" not in page
    assert personal.buttons


async def test_the_whole_journey_in_russian(
    bot: UrgentActionApp, emulator: TelegramEmulator
) -> None:
    someone = emulator.create_person("Айгуль", language_code="ru")
    person = Chatter(emulator, someone, someone.id)
    welcome, card = await person.say("/start", replies=2)
    assert "Добро пожаловать" in welcome.text
    # The name as the case writes it in Russian, never the Latin one.
    assert "Жанболат Мамай, журналист" in card.text
    assert "Zhanbolat" not in card.text
    assert "📍 Казахстан" in card.text
    assert "12 июня 2022\u202fг." in card.text
    assert "осталось 23 дня" in card.text
    _, (channels,) = await person.press(card, "Написать обращение", replies=1)
    assert "Жанболат Мамай: ваше обращение" in channels.text
    _, (signing,) = await person.press(channels, "Эл. почта", replies=1)
    # A sentence that needs no grammatical case for the country's name.
    assert "связывает с этой страной (Казахстан)" in signing.text
    assert "в стране «" not in signing.text
    _, (initials,) = await person.press(signing, "Инициалы и город", replies=1)
    # The example signs with a city outside the country the case is about.
    assert "А. К., Рига" in initials.text
    assert "Алматы" not in initials.text
    _, _ = await person.press(signing, "Полное имя", replies=1)
    (personal,) = await person.say("Айгуль Серикова")
    _, (shown, draft) = await person.press(personal, "Пропустить", replies=2)
    assert "Уважаемый господин Президент!" in shown.text
    assert "чтобы Жанболат Мамай был немедленно освобождён из-под стражи" in shown.text
    assert "положить конец его необоснованному уголовному преследованию" in shown.text
    assert "Айгуль Серикова" in shown.text
    message = eml(draft)
    assert "Жанболат Мамай" in message["Subject"]
    assert "Уважаемый господин Президент" in message.get_content()
    # The letter is offered in English too, the button naming it as Russian says it.
    assert draft.button("Письмо на английском")
    _, (english, file) = await person.press(draft, "Письмо на английском", replies=2)
    assert "Dear Mr President," in english.text
    # The letter changes language; the screens around it stay in the reader's.
    assert "Ваше письмо готово к отправке" in english.text
    assert "Кому:" in english.text and "Тема:" in english.text
    assert "Или откройте этот файл" in (file.caption or "")
    assert file.button("Письмо на русском")
    answer, (checklist, _) = await person.press(file, "Отправлено", replies=2)
    assert answer == "Записано. Спасибо!"
    # Officials by their titles in Russian, with the channel in Russian.
    assert "Президент Республики Казахстан: отправлено (эл. почта)" in checklist.text
    assert "President" not in checklist.text and "Ambassador" not in checklist.text


async def test_a_group_gets_the_card_and_members_write_privately(
    bot: UrgentActionApp, emulator: TelegramEmulator
) -> None:
    admin = emulator.create_person("Dana")
    member = emulator.create_person("Erik")
    group = await emulator.create_group(
        "Amnesty Almaty", members=[admin.id, member.id], admins=[admin.id]
    )
    in_group_member = Chatter(emulator, member, group.id)
    (refused,) = await in_group_member.say("/start@UrgentActionBot")
    assert "Only an admin" in refused.text
    assert await services_of(bot).subscribers.get(group.id) is None
    in_group_admin = Chatter(emulator, admin, group.id)
    welcome, card = await in_group_admin.say("/start@UrgentActionBot", replies=2)
    assert "This group now receives Urgent Actions" in welcome.text
    link = card.button("Write your appeal")
    assert link.get("url") == f"https://t.me/UrgentActionBot?start={SLUG}"
    # The member follows the link: a private chat opens on the case, and they are subscribed.
    private = Chatter(emulator, member, member.id)
    welcome, card = await private.say(f"/start {SLUG}", replies=2)
    assert "Zhanbolat Mamay" in card.text
    personal = await write_appeal(private, card, "Email", "My full name", "Erik Berg")
    _, (_, draft) = await private.press(personal, "Skip", replies=2)
    assert eml(draft)["To"] == "udp@udp-rk.kz"


async def test_deep_link_to_an_unknown_case_says_so_and_shows_the_open_ones(
    bot: UrgentActionApp, person: Chatter
) -> None:
    _, unknown, card = await person.say("/start no-such-case", replies=3)
    assert "does not know" in unknown.text
    assert "Zhanbolat Mamay" in card.text


async def test_stop_and_undo_keep_the_history(
    bot: UrgentActionApp, emulator: TelegramEmulator, person: Chatter
) -> None:
    await open_card(person)
    services = services_of(bot)
    before = await services.subscribers.get(person.chat_id)
    (stopped,) = await person.say("/stop")
    assert "no more alerts" in stopped.text
    after = await services.subscribers.get(person.chat_id)
    assert after is not None
    assert not after.is_active
    answer, _ = await person.press(stopped, "Undo")
    assert answer == "Subscribed again."
    await emulator.wait_for(
        lambda: "subscribed again" in emulator.messages(person.chat_id)[-1].text
    )
    again = await services.subscribers.get(person.chat_id)
    assert again is not None
    assert again.is_active
    assert before is not None
    assert again.actor == before.actor  # the same person, history kept


async def test_forged_and_stale_buttons_change_nothing(
    bot: UrgentActionApp, emulator: TelegramEmulator, person: Chatter
) -> None:
    card = await open_card(person)
    services = services_of(bot)
    for forged in (
        "rec:kz-zhanbolat-mamay:email:7",
        "rec:other-case:email:0",
        "sent:kz-zhanbolat-mamay:pigeon",
        "ap:kz-zhanbolat-mamay'--",
        "x" * 64,
        "fg:yes:now",
    ):
        answer = await emulator.tap(person.id, card, forged, forge=True)
        assert answer is not None, forged
        assert answer.text == "This button no longer works. Send /start to see the open cases.", (
            forged
        )
    assert await services.actions.count_people(SLUG) == 0
    assert await services.subscribers.get(person.chat_id) is not None


async def test_a_person_who_blocks_the_bot_is_marked_inactive(
    bot: UrgentActionApp, emulator: TelegramEmulator, person: Chatter
) -> None:
    await open_card(person)
    await emulator.block_bot(person.id)
    services = services_of(bot)

    async def inactive() -> bool:
        subscriber = await services.subscribers.get(person.chat_id)
        return subscriber is not None and subscriber.status == "blocked"

    await eventually(inactive)


async def test_an_upgraded_group_keeps_its_subscription(
    bot: UrgentActionApp, emulator: TelegramEmulator
) -> None:
    admin = emulator.create_person("Dana")
    group = await emulator.create_group("Amnesty Almaty", members=[admin.id], admins=[admin.id])
    await Chatter(emulator, admin, group.id).say("/start", replies=2)
    new_id = await emulator.upgrade_to_supergroup(group.id)
    services = services_of(bot)

    async def moved_over() -> bool:
        return await services.subscribers.get(new_id) is not None

    await eventually(moved_over)
    moved = await services.subscribers.get(new_id)
    assert moved is not None
    assert moved.is_active
    assert await services.subscribers.get(group.id) is None


@pytest.mark.parametrize("command", ["/privacy"])
async def test_privacy_says_what_is_kept(
    bot: UrgentActionApp, person: Chatter, command: str
) -> None:
    (reply,) = await person.say(command)
    for kept in ("your chat id", "your language and settings", "your signature"):
        assert kept in reply.text
    assert "/mydata" in reply.text
    assert "/forget" in reply.text


async def test_the_whole_journey_in_german(
    bot: UrgentActionApp, emulator: TelegramEmulator
) -> None:
    someone = emulator.create_person("Lena", language_code="de")
    person = Chatter(emulator, someone, someone.id)
    welcome, card = await person.say("/start", replies=2)
    assert "Willkommen im Urgent-Action-Netzwerk!" in welcome.text
    assert "Zhanbolat Mamay, Journalist und Vorsitzender" in card.text
    assert "📍 Kasachstan" in card.text
    assert "Wir fordern die Behörden auf:" in card.text
    assert "Frist: 12. Juni 2022 — noch 23 Tage." in card.text
    _, (channels,) = await person.press(card, "Appell schreiben", replies=1)
    assert "Ihr Appell für Zhanbolat Mamay" in channels.text
    _, (signing,) = await person.press(channels, "E-Mail", replies=1)
    assert "Wie möchten Sie unterschreiben?" in signing.text
    _, _ = await person.press(signing, "Mein vollständiger Name", replies=1)
    (personal,) = await person.say("Lena Hoffmann")
    assert "Möchten Sie einen eigenen Satz hinzufügen?" in personal.text
    _, (reading, shown, draft) = await person.press(personal, "Überspringen", replies=3)
    # The President's office reads Russian: the German letter comes first, to read. A German
    # letter: lower case after the salutation's comma, no comma after the closing.
    assert "Ihr Brief zum Mitlesen" in reading.text
    assert "Sehr geehrter Herr Präsident,\n\n" in reading.text
    assert "für die sofortige Freilassung von Zhanbolat Mamay einzusetzen" in reading.text
    assert "Lena Hoffmann" in reading.text
    assert "Уважаемый господин Президент!" in shown.text
    assert "Ihre E-Mail, versandfertig" in shown.text
    assert "An:" in shown.text and "Betreff:" in shown.text
    assert draft.button("Brief auf Deutsch")
    answer, (checklist, _) = await person.press(draft, "Abgeschickt", replies=2)
    assert answer == "Erfasst. Vielen Dank!"
    assert "Präsident der Republik Kasachstan: per E-Mail gesendet" in checklist.text
