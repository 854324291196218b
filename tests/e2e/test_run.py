"""`python -m bot run` as an operator runs it: a real process against the emulator."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import socket
import sys
from pathlib import Path

import aiohttp

from bot import eventloop
from bot.config import Secret
from bot.emulator import TelegramEmulator
from tests.conftest import ROOT, TOKEN, database_env

SECRET = "the-webhook-secret_1-0123456789abcdefghij"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def start_bot(env: dict[str, str]) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "run",
        cwd=ROOT,
        env={"PATH": os.environ.get("PATH", ""), **env},
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )


async def until(condition_met: object, timeout: float = 20.0) -> None:
    assert callable(condition_met)
    for _ in range(int(timeout / 0.05)):
        if condition_met():
            return
        await asyncio.sleep(0.05)
    raise TimeoutError("the bot did not get there in time")


async def until_listening(port: int, timeout: float = 20.0) -> None:
    """PTB sets the webhook before its server listens, so wait for the port itself."""
    for _ in range(int(timeout / 0.05)):
        try:
            _, writer = await asyncio.open_connection("127.0.0.1", port)
        except OSError:
            await asyncio.sleep(0.05)
            continue
        writer.close()
        await writer.wait_closed()
        return
    raise TimeoutError("the webhook server did not start listening in time")


async def status_of(port: int, body: bytes, secret: str | None, length: int = 0) -> int:
    """The status of a webhook POST, read as soon as the server answers (the body may not
    have been sent whole: a refused request is answered on its headers)."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    head = (
        "POST /telegram HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        f"Content-Length: {length or len(body)}\r\n"
    )
    if secret is not None:
        head += f"X-Telegram-Bot-Api-Secret-Token: {secret}\r\n"
    writer.write(head.encode() + b"\r\n" + body)
    await writer.drain()
    status = await asyncio.wait_for(reader.readline(), 10)
    writer.close()
    return int(status.split()[1])


async def test_sigterm_stops_the_bot_cleanly_and_the_token_never_reaches_the_log(
    emulator: TelegramEmulator, database: Path | Secret
) -> None:
    process = await start_bot(
        {"BOT_TOKEN": TOKEN, "BOT_API_URL": emulator.api_url, **database_env(database)}
    )
    try:
        await until(lambda: emulator.stats.requests.get("getUpdates", 0) > 0)
        person = emulator.create_person("Anna")
        mark = emulator.last_id(person.id)
        await emulator.send_text(person.id, "/start")
        await emulator.replies(person.id, after=mark, count=2, timeout=20)
        process.send_signal(signal.SIGTERM)
        _, stderr = await asyncio.wait_for(process.communicate(), 20)
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
    log = stderr.decode()
    assert process.returncode == 0, log
    assert "stopped" in log
    assert f"({eventloop.NAME})" in log  # on uvloop wherever it is installed
    assert TOKEN not in log
    assert TOKEN.split(":")[1] not in log


async def test_a_missing_setting_is_named_and_the_bot_does_not_start(tmp_path: Path) -> None:
    process = await start_bot({"BOT_DB_PATH": str(tmp_path / "b.sqlite3")})
    _, stderr = await asyncio.wait_for(process.communicate(), 20)
    assert process.returncode == 2
    assert "BOT_TOKEN is missing" in stderr.decode()


async def test_webhook_mode_refuses_requests_without_the_secret(
    emulator: TelegramEmulator, database: Path | Secret
) -> None:
    port = free_port()
    process = await start_bot(
        {
            "BOT_TOKEN": TOKEN,
            "BOT_API_URL": emulator.api_url,
            **database_env(database),
            "BOT_WEBHOOK_URL": "https://bot.example.org/telegram",
            "BOT_WEBHOOK_SECRET": SECRET,
            "BOT_WEBHOOK_LISTEN": "127.0.0.1",
            "BOT_WEBHOOK_PORT": str(port),
        }
    )
    try:
        await until(lambda: emulator.bot.webhook_url is not None)
        assert emulator.bot.webhook_url == "https://bot.example.org/telegram"
        assert emulator.bot.webhook_secret == SECRET
        await until_listening(port)
        person = emulator.create_person("Anna")
        await emulator.send_text(person.id, "/start")  # opens the chat for replies
        update = emulator.updates[-1]
        url = f"http://127.0.0.1:{port}/telegram"
        body = json.dumps(update).encode()
        assert await status_of(port, body, None) == 403
        assert await status_of(port, body, "guess") == 403
        near = "the-webhook-secret_1-0123456789abcdefghiX"
        assert await status_of(port, body, near) == 403
        assert emulator.bot_messages(person.id) == []
        # A 64 MiB body without the secret is refused on its headers: the server answers
        # before the body is sent (it used to read all of it first).
        assert await status_of(port, b"{", "guess", length=64 * 1024 * 1024) == 403
        async with aiohttp.ClientSession() as http:
            right = {"X-Telegram-Bot-Api-Secret-Token": SECRET}
            async with http.post(url, json=update, headers=right) as response:
                assert response.status == 200
        await emulator.replies(person.id, after=0, count=2, timeout=20)
        process.send_signal(signal.SIGTERM)
        _, stderr = await asyncio.wait_for(process.communicate(), 20)
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
    assert process.returncode == 0
    log = stderr.decode()
    assert SECRET not in log
    # The operator sees that requests were refused, without who sent them or what.
    refused = [line for line in log.splitlines() if "webhook: refused" in line]
    assert refused and "WARNING" in refused[0]
    assert "guess" not in log and "127.0.0.1" not in " ".join(refused)


async def test_webhook_mode_without_a_secret_makes_a_long_one_and_never_logs_it(
    emulator: TelegramEmulator, database: Path | Secret
) -> None:
    port = free_port()
    process = await start_bot(
        {
            "BOT_TOKEN": TOKEN,
            "BOT_API_URL": emulator.api_url,
            **database_env(database),
            "BOT_WEBHOOK_URL": "https://bot.example.org/telegram",
            "BOT_WEBHOOK_LISTEN": "127.0.0.1",
            "BOT_WEBHOOK_PORT": str(port),
        }
    )
    try:
        await until(lambda: emulator.bot.webhook_url is not None)
        await until_listening(port)
        secret = emulator.bot.webhook_secret
        assert secret is not None and len(secret) >= 32
        update = json.dumps({"update_id": 1}).encode()
        assert await status_of(port, update, secret[:-1] + "!") == 403
        process.send_signal(signal.SIGTERM)
        _, stderr = await asyncio.wait_for(process.communicate(), 20)
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
    log = stderr.decode()
    assert process.returncode == 0, log
    assert "a random one was generated" in log
    assert secret not in log


async def test_webhook_mode_serves_the_console_on_the_webhooks_own_server(
    emulator: TelegramEmulator, database: Path | Secret
) -> None:
    port = free_port()
    process = await start_bot(
        {
            "BOT_TOKEN": TOKEN,
            "BOT_API_URL": emulator.api_url,
            **database_env(database),
            "BOT_WEBHOOK_URL": "https://bot.example.org/telegram",
            "BOT_WEBHOOK_SECRET": "the-webhook-secret_1-long-enough-to-guard",
            "BOT_WEBHOOK_LISTEN": "127.0.0.1",
            "BOT_WEBHOOK_PORT": str(port),
            "BOT_CONSOLE_URL": "https://bot.example.org/console",
        }
    )
    try:
        await until(lambda: emulator.bot.webhook_url is not None)
        await until_listening(port)
        person = emulator.create_person("Anna")
        await emulator.send_text(person.id, "/start")
        update = emulator.updates[-1]
        async with aiohttp.ClientSession() as http:
            url = f"http://127.0.0.1:{port}/telegram"
            async with http.post(url, json=update) as response:
                assert response.status == 403
            right = {
                "X-Telegram-Bot-Api-Secret-Token": "the-webhook-secret_1-long-enough-to-guard"
            }
            async with http.post(url, json=update, headers=right) as response:
                assert response.status == 200
            async with http.get(f"http://127.0.0.1:{port}/console/") as response:
                assert response.status == 200
                assert "Signing you in with Telegram" in await response.text()
                assert "default-src 'none'" in response.headers["Content-Security-Policy"]
        await emulator.replies(person.id, after=0, count=2, timeout=20)
        process.send_signal(signal.SIGTERM)
        _, stderr = await asyncio.wait_for(process.communicate(), 20)
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
    assert process.returncode == 0, stderr.decode()
    assert "the-webhook-secret_1-long-enough-to-guard" not in stderr.decode()
