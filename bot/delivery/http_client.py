"""A lean HTTP/1.1 client for the engine's posts: small bodies to one origin, kept alive.

The engine makes hundreds of calls a second, each a small JSON body to the same host. aiohttp's
`ClientSession` builds a request object, a header multidict, a payload, timers and a response
object for each, which costs more CPU than the rest of a send together (bench/README.md). This
client writes each request with one `write` on a kept-alive connection and parses the answer
with httptools (llhttp, the parser of Node.js): parsing HTTP is the part worth a library.

It never puts the URL in an exception: the path holds the bot's token.
"""

from __future__ import annotations

import asyncio
import ssl
from collections import deque
from typing import cast
from urllib.parse import urlsplit

import httptools


class HttpError(Exception):
    """No complete answer came: the connection failed or closed, or the answer was not HTTP."""


class HttpTimeoutError(HttpError):
    """No answer within the time allowed."""


class _Connection(asyncio.Protocol):
    """One kept-alive connection; one request at a time, and its answer parsed as it arrives."""

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self._loop = loop
        self._parser = httptools.HttpResponseParser(self)
        self._transport: asyncio.Transport | None = None
        self._answer: asyncio.Future[tuple[int, bytes]] | None = None
        self._body: list[bytes] = []
        self._headers_done = False
        self._length_known = False  # Content-Length or chunked: the answer ends by itself
        self._keep_alive = True
        self.closed = False
        self.idle_since = 0.0

    # asyncio.Protocol

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        # A stream transport, though not always a subclass of asyncio.Transport (uvloop's).
        self._transport = cast(asyncio.Transport, transport)

    def connection_lost(self, exc: Exception | None) -> None:
        self.closed = True
        answer = self._answer
        if answer is None or answer.done():
            return
        if self._headers_done and not self._length_known:
            # An answer whose body runs until the connection closes.
            answer.set_result((self._parser.get_status_code(), b"".join(self._body)))
        else:
            answer.set_exception(HttpError("the connection closed before the answer"))

    def data_received(self, data: bytes) -> None:
        if self._answer is None:
            # Bytes nobody asked for: the connection is out of step; drop it.
            self.close()
            return
        try:
            self._parser.feed_data(data)
        except httptools.HttpParserError:
            self._fail(HttpError("the answer is not valid HTTP"))

    # httptools callbacks

    def on_message_begin(self) -> None:
        self._body = []
        self._headers_done = False
        self._length_known = False

    def on_header(self, name: bytes, value: bytes) -> None:
        lowered = name.lower()
        if lowered == b"content-length" or (
            lowered == b"transfer-encoding" and b"chunked" in value.lower()
        ):
            self._length_known = True

    def on_headers_complete(self) -> None:
        self._headers_done = True

    def on_body(self, body: bytes) -> None:
        self._body.append(body)

    def on_message_complete(self) -> None:
        self._keep_alive = self._parser.should_keep_alive()
        answer, self._answer = self._answer, None
        if answer is not None and not answer.done():
            answer.set_result((self._parser.get_status_code(), b"".join(self._body)))
        self._body = []

    # the client's side

    @property
    def reusable(self) -> bool:
        """Open, kept alive, and not waiting for an answer."""
        return not self.closed and self._keep_alive and self._answer is None

    def request(self, data: bytes) -> asyncio.Future[tuple[int, bytes]]:
        """Write one whole request; the future holds (status, body) of its answer."""
        assert self._transport is not None
        assert self._answer is None
        self._answer = self._loop.create_future()
        self._transport.write(data)
        return self._answer

    def time_out(self) -> None:
        """The answer took too long: fail it and drop the connection."""
        self._fail(HttpTimeoutError("no answer in time"))

    def _fail(self, error: HttpError) -> None:
        answer, self._answer = self._answer, None
        if answer is not None and not answer.done():
            answer.set_exception(error)
        self.close()

    def close(self) -> None:
        """Close the connection at once."""
        self.closed = True
        if self._transport is not None:
            self._transport.abort()


class HttpClient:
    """POSTs to paths under one base URL, on up to `connections` kept-alive connections."""

    def __init__(
        self,
        base_url: str,
        *,
        connections: int = 64,
        timeout: float = 10.0,
        connect_timeout: float = 5.0,
        idle_timeout: float = 30.0,
        user_agent: str = "urgent-action-bot",
        tls: ssl.SSLContext | None = None,
    ) -> None:
        parts = urlsplit(base_url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError("the base URL must be http:// or https:// with a host")
        self._host = parts.hostname
        self._tls = parts.scheme == "https"
        self._port = parts.port or (443 if self._tls else 80)
        self._prefix = parts.path.rstrip("/") + "/"
        host_header = parts.netloc.rsplit("@", 1)[-1]
        self._head = f"HTTP/1.1\r\nHost: {host_header}\r\nUser-Agent: {user_agent}\r\n"
        self._limit = connections
        self._timeout = timeout
        self._connect_timeout = connect_timeout
        self._idle_timeout = idle_timeout
        # https checks the server's certificate against the system's authorities by default.
        self._ssl = (tls or ssl.create_default_context()) if self._tls else None
        self._idle: deque[_Connection] = deque()
        self._opened = 0  # connections open or opening
        self._waiters: deque[asyncio.Future[_Connection | None]] = deque()
        self._closed = False

    def __repr__(self) -> str:
        return f"HttpClient({'https' if self._tls else 'http'}://{self._host}:{self._port})"

    async def post(
        self, path: str, body: bytes, content_type: str = "application/json"
    ) -> tuple[int, bytes]:
        """POST `body` to the base URL's path + `path`; (status, body) of the answer."""
        request = (
            f"POST {self._prefix}{path} {self._head}Content-Type: {content_type}\r\n"
            f"Content-Length: {len(body)}\r\n\r\n"
        ).encode("latin-1") + body
        connection = await self._acquire()
        timer = asyncio.get_running_loop().call_later(self._timeout, connection.time_out)
        try:
            answer = await connection.request(request)
        except BaseException:
            connection.close()
            self._release(connection)
            raise
        finally:
            timer.cancel()
        self._release(connection)
        return answer

    async def close(self) -> None:
        """Close every connection; later posts fail."""
        self._closed = True
        while self._idle:
            self._idle.pop().close()
        while self._waiters:
            waiter = self._waiters.popleft()
            if not waiter.done():
                waiter.set_exception(HttpError("the client was closed"))

    async def _acquire(self) -> _Connection:
        loop = asyncio.get_running_loop()
        while True:
            if self._closed:
                raise HttpError("the client was closed")
            stale_before = loop.time() - self._idle_timeout
            while self._idle:
                # The most recently used first: the others may go stale and close.
                connection = self._idle.pop()
                if connection.reusable and connection.idle_since > stale_before:
                    return connection
                connection.close()
                self._opened -= 1
            if self._opened < self._limit:
                self._opened += 1
                try:
                    return await self._connect(loop)
                except BaseException:
                    self._opened -= 1
                    self._wake_one(None)
                    raise
            waiter: asyncio.Future[_Connection | None] = loop.create_future()
            self._waiters.append(waiter)
            try:
                async with asyncio.timeout(self._timeout):
                    handed = await waiter
            except BaseException:
                if waiter.done() and not waiter.cancelled() and waiter.exception() is None:
                    # A connection was handed over just as this waiter gave up: pass it on.
                    self._release_ready(waiter.result())
                else:
                    waiter.cancel()
                raise
            if handed is not None:
                return handed

    async def _connect(self, loop: asyncio.AbstractEventLoop) -> _Connection:
        try:
            async with asyncio.timeout(self._connect_timeout):
                _, connection = await loop.create_connection(
                    lambda: _Connection(loop),
                    self._host,
                    self._port,
                    ssl=self._ssl,
                    server_hostname=self._host if self._tls else None,
                )
        except TimeoutError:
            raise HttpTimeoutError("could not connect in time") from None
        except (OSError, ssl.SSLError) as error:
            raise HttpError(f"could not connect: {type(error).__name__}: {error}") from None
        return connection

    def _release(self, connection: _Connection) -> None:
        if connection.reusable and not self._closed:
            self._release_ready(connection)
            return
        connection.close()
        self._opened -= 1
        self._wake_one(None)

    def _release_ready(self, connection: _Connection | None) -> None:
        if connection is None:
            self._wake_one(None)
            return
        if self._wake_one(connection):
            return
        connection.idle_since = asyncio.get_running_loop().time()
        self._idle.append(connection)

    def _wake_one(self, connection: _Connection | None) -> bool:
        """Hand `connection` (None: room for one) to the first waiter; False if none waits."""
        while self._waiters:
            waiter = self._waiters.popleft()
            if not waiter.done():
                waiter.set_result(connection)
                return True
        return False
