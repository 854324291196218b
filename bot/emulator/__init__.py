"""A local Telegram Bot API server with simulated people, as strict as the service.

Where things live:
    limits.py   EmulatorLimits (every limit, configurable) and the flood buckets
    html.py     the HTML parse mode, with the service's error texts and UTF-16 offsets
    errors.py   ApiError and the service's wording of each error
    state.py    people, chats, recorded messages, files, counters
    updates.py  the update queue, long polls and webhook delivery
    world.py    the simulated world both sides act on, and its clock
    people.py   what simulated people do: write, tap, block, run groups, use inline mode
    inline.py   inline mode: answerInlineQuery's checks, chosen-chat buttons, t.me start links
    methods.py  the Bot API methods, each with its parameters named as in the spec
    server.py   TelegramEmulator: the HTTP server, parameter decoding, injected faults
    control.py  the /_emulator/ routes: the people's side over HTTP
"""

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
