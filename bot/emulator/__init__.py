"""A local Telegram Bot API server with simulated people, as strict as the service."""

from __future__ import annotations

from bot.emulator.limits import EmulatorLimits, Rate
from bot.emulator.server import ApiError, CallbackAnswer, TelegramEmulator
from bot.emulator.state import Chat, Person, RecordedMessage

__all__ = [
    "ApiError",
    "CallbackAnswer",
    "Chat",
    "EmulatorLimits",
    "Person",
    "Rate",
    "RecordedMessage",
    "TelegramEmulator",
]
