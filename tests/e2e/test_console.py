"""The console from the chat: the organizer's menu button, /console's buttons and its one-time
link, against the real bot and its own web server; and a chat without the console."""

from __future__ import annotations

import dataclasses
import socket
from urllib.parse import urlsplit

import aiohttp

from bot.config import Settings
from bot.emulator import TelegramEmulator
from tests.conftest import ORGANIZER_ID, Chatter, MovableClock, running_bot

URL = "https://console.example.org/console"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def test_an_organizer_gets_the_menu_button_and_a_link_that_signs_in_once(
    settings: Settings, clock: MovableClock, emulator: TelegramEmulator, person: Chatter
) -> None:
    port = free_port()
    with_console = dataclasses.replace(settings, console_url=URL, console_port=port)
    olga_person = emulator.create_person("Olga", user_id=ORGANIZER_ID)
    olga = Chatter(emulator, olga_person, olga_person.id)
    async with running_bot(with_console, clock):
        await olga.say("/help")
        menu = emulator.menu_button_of(ORGANIZER_ID)
        assert menu == {"type": "web_app", "text": "Console", "web_app": {"url": f"{URL}/"}}
        assert emulator.menu_button_of(person.id) == {"type": "commands"}

        (answer,) = await olga.say("/console")
        assert "The organizers' console" in answer.text
        assert answer.reply_markup is not None
        rows = answer.reply_markup["inline_keyboard"]
        assert rows[0][0]["web_app"] == {"url": f"{URL}/"}
        link = rows[1][0]["url"]
        assert link.startswith(f"{URL}/link/")
        local = f"http://127.0.0.1:{port}{urlsplit(link).path}"
        async with aiohttp.ClientSession() as browser:
            first = await browser.get(local, allow_redirects=False)
            assert first.status == 303
            assert "console_session=" in first.headers["Set-Cookie"]
            again = await browser.get(local, allow_redirects=False)
            assert again.status == 403
            assert "Set-Cookie" not in again.headers

        (refused,) = await person.say("/console")
        assert not refused.reply_markup
        assert "/console" not in refused.text


async def test_without_a_console_url_the_console_is_off_and_the_chat_says_so(
    bot: object, emulator: TelegramEmulator
) -> None:
    olga_person = emulator.create_person("Olga", user_id=ORGANIZER_ID)
    olga = Chatter(emulator, olga_person, olga_person.id)
    (answer,) = await olga.say("/console")
    assert "not set up on this bot" in answer.text
    assert emulator.menu_button_of(ORGANIZER_ID) == {"type": "commands"}
