"""End to end: the real bot against the emulator over HTTP."""

from __future__ import annotations

from bot.context import UrgentActionApp
from bot.emulator import TelegramEmulator
from tests.conftest import Chatter, services_of


async def test_start_welcomes_and_shows_the_active_case(
    bot: UrgentActionApp, emulator: TelegramEmulator, person: Chatter
) -> None:
    welcome, card = await person.say("/start", replies=2)
    assert "Welcome to the Urgent Action network" in welcome.text
    assert "/privacy" in welcome.text
    assert "Zhanbolat Mamay" in card.text
    assert "12 June 2022" in card.text
    assert "23 days left" in card.text
    assert [b["text"] for b in card.buttons] == [
        "✍️ Write the appeal",
        "📖 Background",
        "✅ I've acted",
        "🌙 Tonight",
        "📅 Tomorrow",
        "🗓 This weekend",
        "🙅 I can't take this one",
    ]
    subscriber = await services_of(bot).subscribers.get(person.chat_id)
    assert subscriber is not None and subscriber.is_active


async def test_help_lists_the_commands_and_the_menu_is_set(
    bot: UrgentActionApp, emulator: TelegramEmulator, person: Chatter
) -> None:
    (reply,) = await person.say("/help")
    for command in ("/start", "/privacy", "/mydata", "/forget", "/stop"):
        assert command in reply.text
    assert {c["command"] for c in emulator.bot.commands["default:"]} >= {
        "start",
        "help",
        "privacy",
    }
    assert emulator.bot.commands["default:ru"][0]["description"].startswith("Подписаться")
