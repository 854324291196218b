"""The engine's HTTP client against a small scripted server: kept-alive connections, every way
an answer can be framed, and every way a call can fail, without the token in any error."""

from __future__ import annotations

import asyncio
import contextlib
import ssl
from collections import deque
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from bot.config import Secret
from bot.delivery.http_client import HttpClient, HttpError, HttpTimeoutError
from bot.delivery.transport import BotApiClient, TransportError

TOKEN = "123456:SECRET-token_value"
OK = b'{"ok":true,"result":{"message_id":7}}'
# A self-signed certificate for localhost and 127.0.0.1, made for these tests only.
TLS = Path(__file__).parent.parent / "fixtures" / "tls"


def kept_alive(body: bytes = OK, status: int = 200) -> bytes:
    return (
        f"HTTP/1.1 {status} X\r\nContent-Type: application/json\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
    ).encode() + body


def chunked(body: bytes = OK) -> bytes:
    half = len(body) // 2
    parts = [body[:half], body[half:]]
    chunks = b"".join(f"{len(p):x}\r\n".encode() + p + b"\r\n" for p in parts)
    return b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" + chunks + b"0\r\n\r\n"


def until_close(body: bytes = OK) -> bytes:
    return b"HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n" + body


@dataclass
class Server:
    """Answers each request with the next scripted reply (default: a kept-alive OK).

    A reply is bytes to write, then "close" closes the connection, "silent" writes nothing,
    and "hang up" closes without answering."""

    port: int = 0
    script: deque[bytes | str] = field(default_factory=deque)
    connections: int = 0
    requests: list[bytes] = field(default_factory=list)
    writers: list[asyncio.StreamWriter] = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/bot{TOKEN}/"

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        self.writers.append(writer)
        with contextlib.suppress(ConnectionError, asyncio.IncompleteReadError):
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                length = next(
                    int(line.split(b":", 1)[1])
                    for line in head.split(b"\r\n")
                    if line.lower().startswith(b"content-length:")
                )
                self.requests.append(head + await reader.readexactly(length))
                reply = self.script.popleft() if self.script else kept_alive()
                if reply == "silent":
                    continue
                if reply == "hang up":
                    break
                assert isinstance(reply, bytes)
                writer.write(reply)
                await writer.drain()
                if reply.startswith(b"HTTP/1.1 200 OK\r\nConnection: close"):
                    break
        writer.close()

    def close_idle(self) -> None:
        """Close every connection from the server's side, as a keep-alive timeout does."""
        for writer in self.writers:
            writer.close()


@pytest.fixture
async def server() -> AsyncIterator[Server]:
    scripted = Server()
    listening = await asyncio.start_server(scripted.handle, "127.0.0.1", 0)
    scripted.port = listening.sockets[0].getsockname()[1]
    async with listening:
        yield scripted
        scripted.close_idle()


@pytest.fixture
async def client(server: Server) -> AsyncIterator[HttpClient]:
    http = HttpClient(server.url, connections=3, timeout=1.0)
    yield http
    await http.close()


async def test_calls_one_after_another_share_one_connection(
    server: Server, client: HttpClient
) -> None:
    for _ in range(5):
        assert await client.post("sendMessage", b'{"chat_id":1}') == (200, OK)
    assert server.connections == 1
    first = server.requests[0]
    assert first.startswith(f"POST /bot{TOKEN}/sendMessage HTTP/1.1\r\n".encode())
    assert b"Content-Type: application/json\r\n" in first
    assert first.endswith(b'\r\n\r\n{"chat_id":1}')


async def test_concurrent_calls_stay_within_the_connection_limit(
    server: Server, client: HttpClient
) -> None:
    answers = await asyncio.gather(*(client.post("sendMessage", b"{}") for _ in range(20)))
    assert answers == [(200, OK)] * 20
    assert server.connections <= 3
    assert len(server.requests) == 20


@pytest.mark.parametrize("reply", [chunked(), until_close()], ids=["chunked", "until close"])
async def test_answers_framed_any_way_are_read_whole(
    server: Server, client: HttpClient, reply: bytes
) -> None:
    server.script.append(reply)
    assert await client.post("sendMessage", b"{}") == (200, OK)
    # The next call works whether or not the connection could be kept.
    assert await client.post("sendMessage", b"{}") == (200, OK)


async def test_an_error_status_is_an_answer_not_a_failure(
    server: Server, client: HttpClient
) -> None:
    body = b'{"ok":false,"error_code":429,"parameters":{"retry_after":3}}'
    server.script.append(kept_alive(body, 429))
    assert await client.post("sendMessage", b"{}") == (429, body)


async def test_a_connection_closed_before_the_answer_fails_the_call_only(
    server: Server, client: HttpClient
) -> None:
    server.script.append("hang up")
    with pytest.raises(HttpError) as failure:
        await client.post("sendMessage", b"{}")
    assert not isinstance(failure.value, HttpTimeoutError)
    assert await client.post("sendMessage", b"{}") == (200, OK)
    assert server.connections == 2


async def test_a_call_with_no_answer_times_out_and_its_connection_is_dropped(
    server: Server, client: HttpClient
) -> None:
    server.script.append("silent")
    loop = asyncio.get_running_loop()
    started = loop.time()
    with pytest.raises(HttpTimeoutError):
        await client.post("sendMessage", b"{}")
    assert 0.9 <= loop.time() - started < 3
    # A late answer on that connection can never be taken for the next call's.
    assert await client.post("sendMessage", b"{}") == (200, OK)
    assert server.connections == 2


async def test_a_connection_the_server_closed_while_idle_is_not_used_again(
    server: Server, client: HttpClient
) -> None:
    assert await client.post("sendMessage", b"{}") == (200, OK)
    server.close_idle()
    await asyncio.sleep(0.05)
    assert await client.post("sendMessage", b"{}") == (200, OK)
    assert server.connections == 2


async def test_a_connection_idle_too_long_is_replaced(server: Server) -> None:
    http = HttpClient(server.url, idle_timeout=0.05)
    try:
        await http.post("sendMessage", b"{}")
        await asyncio.sleep(0.1)
        await http.post("sendMessage", b"{}")
    finally:
        await http.close()
    assert server.connections == 2


async def test_a_garbled_answer_is_a_failure(server: Server, client: HttpClient) -> None:
    server.script.append(b"this is not HTTP\r\n\r\n")
    with pytest.raises(HttpError):
        await client.post("sendMessage", b"{}")
    assert await client.post("sendMessage", b"{}") == (200, OK)


async def test_calls_after_close_fail(server: Server, client: HttpClient) -> None:
    await client.close()
    with pytest.raises(HttpError):
        await client.post("sendMessage", b"{}")


async def test_the_bot_api_client_never_shows_the_token(server: Server) -> None:
    """Failures and the client's repr name the method, never the URL that holds the token."""
    api = BotApiClient(f"http://127.0.0.1:{server.port}", Secret(TOKEN), timeout=0.5)
    async with api:
        server.script.extend(["hang up", "silent"])
        errors = []
        for _ in range(2):
            with pytest.raises(TransportError) as failure:
                await api.post("sendMessage", b"{}")
            errors.append(failure.value)
        assert [e.timed_out for e in errors] == [False, True]
        assert (await api.post("sendMessage", b"{}")).message_id == 7
    refused = BotApiClient("http://127.0.0.1:9", Secret(TOKEN))
    async with refused:
        with pytest.raises(TransportError) as failure:
            await refused.post("sendMessage", b"{}")
        errors.append(failure.value)
    for text in [*map(str, errors), repr(api), repr(refused)]:
        assert "SECRET" not in text and "123456" not in text
    assert all(str(e).startswith("sendMessage: ") for e in errors)


async def test_https_checks_the_certificate_and_reads_the_answer(server: Server) -> None:
    listening_tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    listening_tls.load_cert_chain(TLS / "localhost.crt", TLS / "localhost.key")
    secure = await asyncio.start_server(server.handle, "127.0.0.1", 0, ssl=listening_tls)
    port = secure.sockets[0].getsockname()[1]
    url = f"https://127.0.0.1:{port}/bot{TOKEN}/"
    async with secure:
        trusting = ssl.create_default_context(cafile=TLS / "localhost.crt")
        http = HttpClient(url, tls=trusting)
        try:
            for _ in range(2):
                assert await http.post("sendMessage", b"{}") == (200, OK)
        finally:
            await http.close()
        # The system's authorities do not vouch for this server: no request is made.
        requests = len(server.requests)
        untrusting = HttpClient(url)
        try:
            with pytest.raises(HttpError, match="could not connect"):
                await untrusting.post("sendMessage", b"{}")
        finally:
            await untrusting.close()
        assert len(server.requests) == requests
        server.close_idle()
