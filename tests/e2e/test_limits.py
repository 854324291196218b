"""What organizers write reaches people intact: case text is shown as written, never read as
markup, and a letter too long for a message goes whole as a file."""

from __future__ import annotations

from dataclasses import replace

from bot.context import UrgentActionApp
from bot.emulator import TelegramEmulator
from tests.conftest import Chatter, services_of
from tests.e2e.test_journey import eml, write_appeal

SLUG = "kz-zhanbolat-mamay"


async def test_case_text_on_the_card_is_shown_as_written_not_read_as_markup(
    bot: UrgentActionApp, emulator: TelegramEmulator, person: Chatter
) -> None:
    services = services_of(bot)
    case = await services.cases.get(SLUG)
    assert case is not None
    english = replace(
        case.texts["en"],
        title="Free Ali & Sara <now>",
        summary='Held since <b>May</b> & charged under "Article 5 < 6".',
    )
    await services.cases.save(replace(case, texts={**case.texts, "en": english}), services.clock())
    _, card = await person.say("/start", replies=2)
    assert "Free Ali & Sara <now>" in card.text
    assert 'Held since <b>May</b> & charged under "Article 5 < 6".' in card.text
    assert "Free Ali &amp; Sara &lt;now&gt;" in (card.html or "")


async def test_a_letter_too_long_for_a_message_is_sent_whole_as_a_file(
    bot: UrgentActionApp, emulator: TelegramEmulator, person: Chatter
) -> None:
    services = services_of(bot)
    case = await services.cases.get(SLUG)
    assert case is not None
    # Six asks of some 490 characters, each within an ask's limit: the card still fits a
    # message, the letter does not.
    asks = [
        f"consider request number {n} with due care, " + "which needs saying at length, " * 15
        for n in range(6)
    ]
    texts = {
        # The card says each ask again to the reader: the same six there.
        language: replace(
            written, asks=(*written.asks, *asks), card_asks=(*written.card_asks, *asks)
        )
        for language, written in case.texts.items()
    }
    await services.cases.save(replace(case, texts=texts), services.clock())
    _, card = await person.say("/start", replies=2)
    personal = await write_appeal(person, card, "Email", "My full name", "Anna Petrova")
    _, (shown, draft) = await person.press(personal, "Skip", replies=2)
    assert "longer than a message can hold" in shown.text
    assert "<code>udp@udp-rk.kz</code>" in (shown.html or "")
    body = eml(draft).get_content()
    assert len(body) > 4096
    assert len(card.text) < 4096
    assert "Dear Mr President," in body
    for n in range(4):
        assert f"consider request number {n}" in body
