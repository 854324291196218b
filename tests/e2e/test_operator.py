"""What an operator sees when the bot cannot start (one clear line, exit code 2, no secret),
and when an update cannot be read (one line, no personal data, and nobody held up)."""

from __future__ import annotations

import asyncio
import signal
from pathlib import Path

import aiohttp

from bot.emulator import TelegramEmulator
from tests.conftest import TOKEN
from tests.e2e.test_run import free_port, start_bot, until, until_listening

WRONG_TOKEN = "654321:WRONG-token-abcdefghijklmnopqrstu"


async def failed_start(env: dict[str, str]) -> str:
    """Run the bot until it gives up; return what it printed, after checking the exit code."""
    process = await start_bot(env)
    try:
        stdout, stderr = await asyncio.wait_for(process.communicate(), 30)
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
    printed = stdout.decode() + stderr.decode()
    assert process.returncode == 2, printed
    assert "Traceback" not in printed
    return printed


def assert_masked(printed: str, token: str) -> None:
    assert token not in printed
    assert token.split(":")[1] not in printed


async def test_a_rejected_token_is_one_line_without_the_token(
    emulator: TelegramEmulator, tmp_path: Path
) -> None:
    printed = await failed_start(
        {
            "BOT_TOKEN": WRONG_TOKEN,
            "BOT_API_URL": emulator.api_url,
            "BOT_DB_PATH": str(tmp_path / "b.sqlite3"),
        }
    )
    assert_masked(printed, WRONG_TOKEN)
    (line,) = [line for line in printed.splitlines() if "start-up failed" in line]
    assert "CRITICAL" in line
    assert "Telegram refused the bot token: check BOT_TOKEN" in line


async def test_an_error_page_that_echoes_the_url_is_one_line_without_the_token(
    emulator: TelegramEmulator, tmp_path: Path
) -> None:
    emulator.gateway_page_next("getMe", count=100)
    printed = await failed_start(
        {
            "BOT_TOKEN": TOKEN,
            "BOT_API_URL": emulator.api_url,
            "BOT_DB_PATH": str(tmp_path / "b.sqlite3"),
            "BOT_WEBHOOK_SECRET": "the-webhook-secret_1-0123456789abcdefghij",
        }
    )
    assert emulator.stats.errors[502] >= 1  # the page was served, and echoed the token
    assert_masked(printed, TOKEN)
    (line,) = [line for line in printed.splitlines() if "start-up failed" in line]
    assert f"Telegram could not be reached at {emulator.api_url}" in line
    assert "Bad Gateway (502)" in line
    assert "/bot********/getMe" in line


async def test_an_update_that_cannot_be_read_is_one_log_line_without_personal_data(
    emulator: TelegramEmulator, tmp_path: Path
) -> None:
    port = free_port()
    process = await start_bot(
        {
            "BOT_TOKEN": TOKEN,
            "BOT_API_URL": emulator.api_url,
            "BOT_DB_PATH": str(tmp_path / "b.sqlite3"),
            "BOT_WEBHOOK_URL": "https://bot.example.org/telegram",
            "BOT_WEBHOOK_SECRET": "the-webhook-secret_1-0123456789abcdefghij",
            "BOT_WEBHOOK_LISTEN": "127.0.0.1",
            "BOT_WEBHOOK_PORT": str(port),
        }
    )
    try:
        await until(lambda: emulator.bot.webhook_url is not None)
        await until_listening(port)
        person = emulator.create_person("Anastasia", last_name="Quibblesworth")
        update = await emulator.send_unreadable(person.id, "my address is 12 Elm Street")
        headers = {"X-Telegram-Bot-Api-Secret-Token": "the-webhook-secret_1-0123456789abcdefghij"}
        async with aiohttp.ClientSession() as http:
            url = f"http://127.0.0.1:{port}/telegram"
            async with http.post(url, json=update, headers=headers) as response:
                assert response.status == 400  # refused, so the service would send it again
        process.send_signal(signal.SIGTERM)
        _, stderr = await asyncio.wait_for(process.communicate(), 20)
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
    log = stderr.decode()
    assert process.returncode == 0, log
    (line,) = [line for line in log.splitlines() if "could not be read" in line]
    assert line.endswith("an update from Telegram could not be read and was dropped (TypeError)")
    for personal in ("Anastasia", "Quibblesworth", "Elm Street", str(person.id)):
        assert personal not in log
    assert "Traceback" not in log


async def test_an_update_that_cannot_be_read_by_polling_holds_up_no_one(
    emulator: TelegramEmulator, tmp_path: Path
) -> None:
    process = await start_bot(
        {
            "BOT_TOKEN": TOKEN,
            "BOT_API_URL": emulator.api_url,
            "BOT_DB_PATH": str(tmp_path / "b.sqlite3"),
        }
    )
    try:
        await until(lambda: emulator.stats.requests.get("getUpdates", 0) > 0)
        anastasia = emulator.create_person("Anastasia", last_name="Quibblesworth")
        polls = emulator.stats.requests["getUpdates"]
        await emulator.send_unreadable(anastasia.id, "my address is 12 Elm Street")
        await until(lambda: emulator.updates == [])  # confirmed, not fetched again and again
        assert emulator.stats.requests["getUpdates"] - polls < 10
        # Anna, who writes next, is answered: the unreadable update holds up no one.
        anna = emulator.create_person("Anna")
        await emulator.send_text(anna.id, "/start")
        await emulator.replies(anna.id, after=0, count=2, timeout=20)
        process.send_signal(signal.SIGTERM)
        _, stderr = await asyncio.wait_for(process.communicate(), 20)
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
    log = stderr.decode()
    assert process.returncode == 0, log
    lines = [line.split(" ", 2)[2] for line in log.splitlines() if "could not be read" in line]
    assert lines == [
        "CRITICAL telegram.ext.Updater: an update from Telegram could not be read and was"
        " dropped (TypeError)",
        "ERROR bot.inbound: an update from Telegram could not be read and was dropped"
        " (TypeError), update 1",
    ]
    for personal in ("Anastasia", "Quibblesworth", "Elm Street", str(anastasia.id)):
        assert personal not in log
    assert "Traceback" not in log
