"""Closing a case tells each person their part; case news reaches those who acted or planned."""

from __future__ import annotations

from bot.context import UrgentActionApp
from bot.emulator import RecordedMessage, TelegramEmulator
from tests.conftest import Chatter
from tests.e2e.test_organizer import news_for, organizer


async def subscribed(
    emulator: TelegramEmulator, name: str, language: str
) -> tuple[Chatter, RecordedMessage]:
    """A person who started the bot, and the case's card they got."""
    someone = emulator.create_person(name, language_code=language)
    chatter = Chatter(emulator, someone, someone.id)
    _, card = await chatter.say("/start", replies=2)
    return chatter, card


async def acted(person: Chatter, card: RecordedMessage, acted_label: str, *targets: str) -> None:
    """Record appeals through the card's "I've acted" checklist."""
    _, (checklist,) = await person.press(card, acted_label, replies=1)
    for number, label in enumerate(targets):
        # The first appeal recorded brings a thank-you; the others edit the checklist.
        await person.press(checklist, label, replies=1 if number == 0 else 0)


async def test_closing_tells_each_person_their_own_part_beside_everyones(
    bot: UrgentActionApp, emulator: TelegramEmulator
) -> None:
    anna, anna_card = await subscribed(emulator, "Anna", "en")
    await acted(
        anna,
        anna_card,
        "I've acted",
        "President of Kazakhstan · email",
        "President of Kazakhstan · post",
    )
    irina, irina_card = await subscribed(emulator, "Irina", "ru")
    _, (checklist,) = await irina.press(irina_card, "Уже сделано", replies=1)
    email = next(b["text"] for b in checklist.buttons if b["text"].endswith("· эл. почта"))
    await irina.press(checklist, email, replies=1)
    boris, _ = await subscribed(emulator, "Boris", "en")

    marks = {p.chat_id: emulator.last_id(p.chat_id) for p in (anna, irina, boris)}
    olga = organizer(emulator)
    (listing,) = await olga.say("/cases")
    _, (choose,) = await olga.press(listing, "Close", replies=1)
    await olga.press(choose, "Released")
    await emulator.wait_for(
        lambda: "Tell everyone" in emulator.bot_messages(olga.chat_id)[-1].text
    )
    await olga.press(emulator.bot_messages(olga.chat_id)[-1], "tell everyone")

    anna_news = await news_for(emulator, anna, marks[anna.chat_id], "released")
    assert "Zhanbolat Mamay: released." in anna_news
    assert (
        "Your letters:\n• President of Kazakhstan — by email\n• President of Kazakhstan — by post"
        in anna_news
    )
    assert "2 people wrote, 3 letters in all." in anna_news
    assert "Thank you: your appeal was part of this." in anna_news

    irina_news = await news_for(emulator, irina, marks[irina.chat_id], "освобожд")
    assert "Ваши письма:" in irina_news
    assert "— по электронной почте" in irina_news
    assert "обычной почтой" not in irina_news
    assert "Написали 2 человека, всего 3 письма." in irina_news

    # Alerted, not acted: the short version, with no part and no thanks for a letter.
    boris_news = await news_for(emulator, boris, marks[boris.chat_id], "released")
    assert "Your letters" not in boris_news
    assert "Thank you" not in boris_news
    assert "The case is closed; no more appeals are needed." in boris_news
