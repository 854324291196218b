"""Where the writer lives, end to end: chosen in /settings, it decides which embassy the letter
copies and how fax numbers read; /mydata shows it and /forget deletes it."""

from __future__ import annotations

import json

from bot.context import UrgentActionApp
from bot.domain.cases import Channel
from bot.emulator import RecordedMessage, TelegramEmulator
from tests.conftest import Chatter, services_of
from tests.e2e.test_journey import edited_text, eml, live_in, open_card, write_appeal

SLUG = "kz-zhanbolat-mamay"


async def country_screen(person: Chatter, label: str) -> RecordedMessage:
    """/settings, then the button `label`: the settings message as that button turned it."""
    (settings,) = await person.say("/settings")
    await person.press(settings, label)
    await person.emulator.wait_for(lambda: bool(edited_text(person, settings)))
    (shown,) = [
        m
        for m in person.emulator.bot_messages(person.chat_id)
        if m.message_id == settings.message_id
    ]
    return shown


async def test_a_person_picks_canada_in_the_list_and_copies_the_embassy_in_ottawa(
    bot: UrgentActionApp, emulator: TelegramEmulator, person: Chatter
) -> None:
    card = await open_card(person)
    picker = await country_screen(person, "🏠 Where you live: not said")
    assert "Where you live" in picker.text
    assert "(1/" in picker.text
    # The list goes page by page in the order of the names: Canada is on the second.
    assert "Brazil" in [b["text"] for b in picker.buttons]
    await person.press(picker, "▶️")
    await emulator.wait_for(lambda: "(2/" in edited_text(person, picker))
    answer, _ = await person.press(picker, "Canada")
    assert answer == "Saved."
    await emulator.wait_for(lambda: "You live in Canada" in edited_text(person, picker))
    services = services_of(bot)
    subscriber = await services.subscribers.get(person.chat_id)
    assert subscriber is not None
    assert subscriber.home_country == "CA"
    (settings,) = await person.say("/settings")
    assert "Where you live: Canada" in settings.text
    personal = await write_appeal(person, card, "Fax", "My full name", "Anna Petrova")
    _, (president, embassy) = await person.press(personal, "Skip", replies=2)
    assert "011 7 7172 74 56 31 from Canada" in president.text
    assert "Ambassador (copy)" in embassy.text
    assert president.document is not None
    page = president.document.data.decode()
    assert "as dialled from Canada: <b>011 7 7172 74 56 31</b>" in page
    assert "Copy: His Excellency Akylbek Kamaldinov, Ambassador" in page
    assert "A copy for the embassy" not in embassy.text  # nothing to look for: it is named


async def test_a_person_in_france_types_their_country_and_is_told_how_to_find_the_embassy(
    bot: UrgentActionApp, emulator: TelegramEmulator
) -> None:
    someone = emulator.create_person("Айгуль", language_code="ru")
    person = Chatter(emulator, someone, someone.id)
    card = await open_card(person)
    await country_screen(person, "🏠 Где вы живёте: не указано")
    (unknown,) = await person.say("Атлантида")
    assert "Страны «Атлантида» я не знаю" in unknown.text
    assert unknown.buttons  # the list again
    (confirmed,) = await person.say("Франция")
    assert "Ваша страна: Франция" in confirmed.text
    (settings,) = await person.say("/settings")
    assert "Где вы живёте: Франция" in settings.text

    _, (channels,) = await person.press(card, "Написать обращение", replies=1)
    _, (signing,) = await person.press(channels, "Эл. почта", replies=1)
    _, _ = await person.press(signing, "Полное имя", replies=1)
    (personal,) = await person.say("Айгуль Серикова")
    _, (shown, draft) = await person.press(personal, "Пропустить", replies=2)
    # No embassy in Ottawa for a writer in France, and the way to find their own.
    assert "ottawa@mfa.kz" not in (shown.html or "")
    assert eml(draft)["Cc"] is None
    assert draft.caption is not None
    assert "в этом деле нет посольства для вашей страны (Франция)" in draft.caption
    assert "«посольство Казахстан Франция»" in draft.caption
    # The facts, in Russian, between the opening and the asks.
    assert "6 мая на онлайн-заседании суд продлил срок его содержания под стражей до 12 июня" in (
        shown.text
    )
    # The checklist lists the officials this person wrote to: the president alone.
    _, (checklist, _) = await person.press(draft, "Отправлено", replies=2)
    assert "Ambassador" not in checklist.text and "Посол" not in checklist.text

    services = services_of(bot)
    (file,) = await person.say("/mydata")
    assert file.document is not None
    assert json.loads(file.document.data)["subscriber"]["home_country"] == "FR"
    (ask,) = await person.say("/forget")
    await person.press(ask, "Да, удалить всё")
    await emulator.wait_for(lambda: bool(edited_text(person, ask)))
    assert await services.subscribers.get(person.chat_id) is None


async def test_a_name_several_countries_begin_with_offers_each_and_none_can_be_chosen(
    bot: UrgentActionApp, emulator: TelegramEmulator, person: Chatter
) -> None:
    await open_card(person)
    await country_screen(person, "🏠 Where you live: not said")
    (chosen,) = await person.say("Guinea")  # Guinea itself, by its whole name
    assert "You live in Guinea" in chosen.text
    picker = await country_screen(person, "🏠 Where you live: Guinea")
    (several,) = await person.say("guin")
    assert "Several countries fit “guin”" in several.text
    assert [b["text"] for b in several.buttons] == ["Equatorial Guinea", "Guinea", "Guinea-Bissau"]
    answer, _ = await person.press(picker, "I'd rather not say")
    assert answer == "Saved."
    subscriber = await services_of(bot).subscribers.get(person.chat_id)
    assert subscriber is not None
    assert subscriber.home_country is None


async def test_time_zones_are_typed_as_cities_and_capitals_in_the_persons_language(
    bot: UrgentActionApp, emulator: TelegramEmulator
) -> None:
    someone = emulator.create_person("Айгуль", language_code="ru")
    person = Chatter(emulator, someone, someone.id)
    await open_card(person)
    services = services_of(bot)
    for typed, zone in [("Алматы", "Asia/Almaty"), ("Оттава", "America/Toronto")]:
        picker = await country_screen(person, "Часовой пояс")
        assert "Алматы" in picker.text  # the screen says Russian names are understood
        (confirmation,) = await person.say(typed)
        assert "Ваш часовой пояс" in confirmation.text
        subscriber = await services.subscribers.get(person.chat_id)
        assert subscriber is not None
        assert subscriber.timezone == zone


async def test_someone_who_has_not_said_where_they_live_copies_no_embassy_and_is_told_why(
    bot: UrgentActionApp, person: Chatter
) -> None:
    card = await open_card(person)
    personal = await write_appeal(person, card, "Post", "My full name", "Anna Petrova")
    _, (letter,) = await person.press(personal, "Skip", replies=1)
    assert letter.document is not None
    page = letter.document.data.decode()
    assert "Ottawa" not in page
    assert page.count("Envelope label") == 1  # the president's alone
    assert letter.caption is not None
    assert "A copy for the embassy: tell the bot where you live (/settings)" in letter.caption
    assert "“embassy of Kazakhstan in your country”" in letter.caption
    assert len(letter.caption) <= 1024


async def test_a_stale_sent_button_records_only_the_officials_its_letter_went_to(
    bot: UrgentActionApp, emulator: TelegramEmulator, person: Chatter
) -> None:
    card = await open_card(person)
    personal = await write_appeal(person, card, "Email", "My full name", "Anna Petrova")
    _, (_, draft) = await person.press(personal, "Skip", replies=2)
    assert eml(draft)["Cc"] is None  # written before she said where she lives: no embassy
    # She says she lives in Canada, then taps "I've sent it" under the letter written before.
    await live_in(person, "Canada")
    answer, (checklist, _) = await person.press(draft, "I've sent it", replies=2)
    assert answer == "Recorded. Thank you!"
    assert "President of Kazakhstan: email sent" in checklist.text
    assert "Ambassador (copy): email sent" not in checklist.text
    services = services_of(bot)
    subscriber = await services.subscribers.get(person.chat_id)
    assert subscriber is not None
    assert await services.actions.done(SLUG, subscriber.actor) == {(Channel.EMAIL, 0)}

    # A letter written from Canada copies the embassy, and its button records both.
    again = await write_appeal(person, card, "Email", "My full name", "Anna Petrova")
    _, (_, copied) = await person.press(again, "Skip", replies=2)
    assert eml(copied)["Cc"] == "ottawa@mfa.kz"
    await person.press(copied, "I've sent it", replies=1)
    assert await services.actions.done(SLUG, subscriber.actor) == {
        (Channel.EMAIL, 0),
        (Channel.EMAIL, 1),
    }
