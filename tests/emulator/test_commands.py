"""The command menu: setMyCommands with the service's rules, per scope and language."""

from __future__ import annotations

from typing import Any

import pytest

from bot.emulator import TelegramEmulator
from tests.emulator.conftest import Api

START = {"command": "start", "description": "Subscribe to Urgent Actions"}


@pytest.mark.parametrize(
    "command",
    [
        {"command": "Start", "description": "x"},
        {"command": "start!", "description": "x"},
        {"command": "", "description": "x"},
        {"command": "a" * 33, "description": "x"},
        {"command": "start", "description": ""},
        {"command": "start", "description": "x" * 257},
        {"command": "start"},
    ],
)
async def test_an_invalid_command_is_refused(api: Api, command: dict[str, Any]) -> None:
    reply = await api("setMyCommands", commands=[START, command])
    assert (reply.status, reply.description) == (400, "Bad Request: BOT_COMMAND_INVALID")
    assert (await api("getMyCommands")).result == []


async def test_the_longest_valid_command_and_description_go(api: Api) -> None:
    command = {"command": "a_1" * 10 + "zz", "description": "d" * 256}
    assert (await api("setMyCommands", commands=[command])).result is True
    assert (await api("getMyCommands")).result == [command]


async def test_menus_are_kept_per_scope_and_language(emu: TelegramEmulator, api: Api) -> None:
    groups = {"type": "all_group_chats"}
    russian = {"command": "start", "description": "Подписаться"}
    await api("setMyCommands", commands=[START])
    await api("setMyCommands", commands=[russian], language_code="ru")
    await api("setMyCommands", commands=[START], scope=groups)
    assert emu.bot.commands_for() == [START]
    assert emu.bot.commands_for(language="ru") == [russian]
    assert emu.bot.commands_for("all_group_chats") == [START]
    assert (await api("getMyCommands", language_code="ru")).result == [russian]
    assert (await api("deleteMyCommands", scope=groups)).result is True
    assert (await api("getMyCommands", scope=groups)).result == []
    reply = await api("setMyCommands", commands=[START], scope={"type": "chat", "chat_id": 5})
    assert reply.description == "Bad Request: chat not found"
