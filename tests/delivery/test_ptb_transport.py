"""PTB's Bot over `AiohttpRequest`, the transport the bot's own calls go through: a call that
fails or times out raises PTB's own error, without the token in it; files go both ways."""

from __future__ import annotations

import asyncio
import contextlib
import socket
from collections.abc import AsyncIterator

import pytest
from telegram import Bot, InputFile
from telegram.error import NetworkError, TimedOut

from bot.delivery.transport import AiohttpRequest
from bot.emulator import TelegramEmulator

TOKEN = "123456:SECRET-token_value-abcdefghijk"


def ptb_bot(url: str, *, read_timeout: float = 5.0) -> Bot:
    return Bot(
        TOKEN,
        base_url=f"{url}/bot",
        base_file_url=f"{url}/file/bot",
        request=AiohttpRequest(read_timeout=read_timeout),
        get_updates_request=AiohttpRequest(connection_pool_size=1),
    )


@contextlib.asynccontextmanager
async def silent_server() -> AsyncIterator[str]:
    """A server that takes the connection and never answers."""
    held: list[asyncio.StreamWriter] = []

    async def hold(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        held.append(writer)

    server = await asyncio.start_server(hold, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        for writer in held:
            writer.close()
        server.close()
        await server.wait_closed()


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def test_an_unreachable_api_is_a_network_error_without_the_token() -> None:
    bot = ptb_bot(f"http://127.0.0.1:{closed_port()}")
    with pytest.raises(NetworkError) as raised:
        await bot.initialize()
    assert "getMe" in str(raised.value)
    assert TOKEN not in str(raised.value)
    assert TOKEN.split(":")[1] not in repr(raised.value)
    await bot.shutdown()


async def test_an_api_that_never_answers_times_out() -> None:
    async with silent_server() as url:
        bot = ptb_bot(url, read_timeout=0.2)
        with pytest.raises(TimedOut) as raised:
            await bot.initialize()
        assert TOKEN not in str(raised.value)
        await bot.shutdown()


async def test_a_bot_over_aiohttp_sends_uploads_and_downloads() -> None:
    emulator = TelegramEmulator()
    emulator.create_bot(TOKEN, "UrgentActionBot")
    await emulator.start()
    try:
        anna = emulator.create_person("Anna")
        await emulator.send_text(anna.id, "/start")
        async with ptb_bot(emulator.api_url) as bot:
            sent = await bot.send_message(anna.id, "<b>Hello</b>", parse_mode="HTML")
            assert sent.text == "Hello"
            document = await bot.send_document(
                anna.id, InputFile(b"line one\nline two\n", filename="letter.txt")
            )
            assert document.document is not None
            got = await bot.get_file(document.document.file_id)
            assert bytes(await got.download_as_bytearray()) == b"line one\nline two\n"
            updates = await bot.get_updates(timeout=0)
            assert updates[0].message is not None and updates[0].message.text == "/start"
        assert emulator.messages(anna.id)[-1].document is not None
    finally:
        await emulator.stop()
