"""A local Telegram Bot API server with simulated people, as strict as the service."""

from __future__ import annotations

from bot.emulator.errors import ApiError
from bot.emulator.limits import EmulatorLimits, Rate
from bot.emulator.server import TelegramEmulator
from bot.emulator.state import (
    Button,
    CallbackAnswer,
    Chat,
    Person,
    RecordedMessage,
    Stats,
    StoredFile,
)
from bot.emulator.world import BotAccount

__all__ = [
    "ApiError",
    "BotAccount",
    "Button",
    "CallbackAnswer",
    "Chat",
    "EmulatorLimits",
    "Person",
    "Rate",
    "RecordedMessage",
    "Stats",
    "StoredFile",
    "TelegramEmulator",
]
