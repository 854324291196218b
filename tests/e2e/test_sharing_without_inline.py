""" "Ask a friend" needs inline mode (BotFather /setinline): without it, no button is offered."""

from __future__ import annotations

from bot.context import UrgentActionApp
from bot.emulator import TelegramEmulator
from tests.conftest import Chatter


async def test_without_inline_mode_the_thanks_offers_no_share_button(
    bot: UrgentActionApp, emulator: TelegramEmulator, person: Chatter
) -> None:
    assert not bot.bot.supports_inline_queries
    _, card = await person.say("/start", replies=2)
    _, (checklist,) = await person.press(card, "I've acted", replies=1)
    _, (thanks,) = await person.press(checklist, "President of Kazakhstan · fax", replies=1)
    assert thanks.text.startswith("🙏 Thank you.")
    assert thanks.buttons == []
