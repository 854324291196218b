"""Whatever file an organizer sends as a case file, they hear why it was not taken; nothing
changes and nothing fails."""

from __future__ import annotations

import logging

import pytest

from bot.context import UrgentActionApp
from bot.emulator import TelegramEmulator
from tests.conftest import ORGANIZER_ID, Chatter, services_of
from tests.e2e.test_editing import send_file

SLUG = "kz-zhanbolat-mamay"
DEEP = 5000

FILES = {
    "nested": (b"slug = " + b"[" * DEEP + b"]" * DEEP, "nested too deeply"),
    "tables": (b"a = " + b"{b = " * DEEP + b"1" + b"}" * DEEP, "nested too deeply"),
    "binary": (b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8, "not text"),
    "huge": (b"# " + b"x" * (300 * 1024) + b"\n", "too large"),
}


@pytest.mark.parametrize("kind", list(FILES))
async def test_an_organizers_file_that_is_no_case_file_is_refused_clearly(
    bot: UrgentActionApp,
    emulator: TelegramEmulator,
    caplog: pytest.LogCaptureFixture,
    kind: str,
) -> None:
    account = emulator.create_person("Olga", user_id=ORGANIZER_ID)
    olga = Chatter(emulator, account, account.id)
    before = await services_of(bot).cases.get(SLUG)
    data, why = FILES[kind]
    answer = await send_file(olga, f"{SLUG}.toml", data)
    assert "That file was not saved: nothing has changed." in answer.text
    assert f"It is not a case file ({why})." in answer.text
    assert await services_of(bot).cases.get(SLUG) == before
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR] == []
