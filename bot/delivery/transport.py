"""HTTP to the Bot API: a lean client for the engine, and an aiohttp transport for PTB.

The engine posts prebuilt JSON bodies through `BotApiClient` (on `HttpClient`), which costs a
fraction of PTB's HTTPX path per call. `AiohttpRequest` carries all of PTB's own calls (the
handlers' replies, file uploads and downloads, getUpdates; see `bot.app`): a whole
`Bot.send_message` over it costs a third to an eighth of the CPU it costs over PTB's default
HTTPX transport (bench/README.md), and it logs no URL (HTTPX logs each, token included).

The URL of every call carries the bot's token, so neither class ever logs or raises a URL: errors
name the method and the kind of failure, and aiohttp's own exception (whose text may hold the
URL) is not chained.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from types import TracebackType

import aiohttp
from telegram._utils.defaultvalue import DefaultValue
from telegram._utils.types import ODVInput
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData

from bot.config import Secret
from bot.delivery.http_client import HttpClient, HttpError, HttpTimeoutError

_JSON_HEADERS = {"Content-Type": "application/json"}
_TOKEN_IN_TEXT = re.compile(r"bot\d+:[A-Za-z0-9_-]+")


def redact(text: str) -> str:
    """`text` with any bot token replaced, for log lines and error messages."""
    return _TOKEN_IN_TEXT.sub("bot<token>", text)


# The start of a sent message's answer as the Bot API writes it: its id is the result's first
# field. Reading it from the prefix skips decoding the whole message the answer echoes back.
_SENT = re.compile(
    rb'\{\s*"ok"\s*:\s*true\s*,\s*"result"\s*:\s*\{\s*"message_id"\s*:\s*(\d+)\s*[,}]'
)


@dataclass(frozen=True)
class ApiResponse:
    """One answer of the Bot API: the HTTP status and the fields of its JSON body."""

    status: int
    ok: bool
    message_id: int | None = None  # when the result is a Message
    description: str = ""
    retry_after: float | None = None
    migrate_to_chat_id: int | None = None

    @classmethod
    def parse(cls, status: int, body: bytes) -> ApiResponse:
        """Read an answer; a body that is not the Bot API's JSON (a proxy's page) is an error."""
        if status == 200:
            sent = _SENT.match(body)
            if sent is not None:
                return cls(status, True, message_id=int(sent[1]))
        try:
            data = json.loads(body)
        except ValueError:
            data = None
        if not isinstance(data, dict):
            return cls(status, False, description=f"HTTP {status} without a Bot API answer")
        parameters = data.get("parameters")
        if not isinstance(parameters, dict):
            parameters = {}
        retry_after = parameters.get("retry_after")
        migrate_to = parameters.get("migrate_to_chat_id")
        result = data.get("result")
        message_id = result.get("message_id") if isinstance(result, dict) else None
        return cls(
            status=status,
            ok=data.get("ok") is True,
            message_id=message_id if isinstance(message_id, int) else None,
            description=str(data.get("description") or ""),
            retry_after=float(retry_after) if isinstance(retry_after, int | float) else None,
            migrate_to_chat_id=migrate_to if isinstance(migrate_to, int) else None,
        )


class TransportError(Exception):
    """No answer from the Bot API: the network failed or the call timed out."""

    def __init__(self, message: str, *, timed_out: bool = False) -> None:
        super().__init__(message)
        self.timed_out = timed_out


class BotApiClient:
    """Posts JSON to `{api_url}/bot{token}/{method}` on kept-alive connections."""

    def __init__(
        self,
        api_url: str,
        token: Secret,
        *,
        connections: int = 64,
        timeout: float = 10.0,
        connect_timeout: float = 5.0,
    ) -> None:
        self._base = f"{api_url.rstrip('/')}/bot{token.reveal()}/"
        self._connections = connections
        self._timeout = timeout
        self._connect_timeout = connect_timeout
        self._http: HttpClient | None = None

    def __repr__(self) -> str:
        return f"BotApiClient({redact(self._base)!r})"

    async def open(self) -> None:
        """Get ready to post (inside the running event loop)."""
        if self._http is None:
            self._http = HttpClient(
                self._base,
                connections=self._connections,
                timeout=self._timeout,
                connect_timeout=self._connect_timeout,
            )

    async def close(self) -> None:
        """Close the connections."""
        if self._http is not None:
            await self._http.close()
            self._http = None

    async def __aenter__(self) -> BotApiClient:
        await self.open()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.close()

    async def post(self, method: str, body: bytes) -> ApiResponse:
        """Call `method` with a JSON `body`; raise TransportError when no answer comes."""
        if self._http is None:
            raise RuntimeError("BotApiClient.post before open()")
        try:
            status, raw = await self._http.post(method, body)
        except HttpTimeoutError as error:
            raise TransportError(f"{method}: {error}", timed_out=True) from None
        except HttpError as error:
            raise TransportError(redact(f"{method}: {error}")) from None
        return ApiResponse.parse(status, raw)


def _describe(method: str, error: BaseException) -> str:
    return redact(f"{method}: aiohttp.{type(error).__name__}: {error}")


class AiohttpRequest(BaseRequest):
    """PTB's `BaseRequest` over aiohttp: `ApplicationBuilder().request(AiohttpRequest())`."""

    def __init__(
        self,
        *,
        connection_pool_size: int = 64,
        read_timeout: float | None = 5.0,
        write_timeout: float | None = 5.0,
        connect_timeout: float | None = 5.0,
        pool_timeout: float | None = 1.0,
        media_write_timeout: float | None = 20.0,
    ) -> None:
        self._pool_size = connection_pool_size
        self._read_timeout = read_timeout
        self._write_timeout = write_timeout
        self._connect_timeout = connect_timeout
        self._pool_timeout = pool_timeout
        self._media_write_timeout = media_write_timeout
        self._session: aiohttp.ClientSession | None = None

    @property
    def read_timeout(self) -> float | None:
        """The read timeout used when a call does not set one."""
        return self._read_timeout

    async def initialize(self) -> None:
        """Open the session (PTB calls this from `Bot.initialize`)."""
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(limit=self._pool_size),
                headers={"User-Agent": self.USER_AGENT},
                # HTTP(S)_PROXY and NO_PROXY apply, as they did with PTB's HTTPX transport.
                trust_env=True,
            )

    async def shutdown(self) -> None:
        """Close the session and its connections."""
        if self._session is not None:
            await self._session.close()
            self._session = None

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        write_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        connect_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        pool_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        """Make the HTTP call; map aiohttp's failures to PTB's NetworkError and TimedOut."""
        if self._session is None or self._session.closed:
            raise RuntimeError("This AiohttpRequest is not initialized!")
        files = request_data is not None and request_data.contains_files
        timeout = self._timeout(
            read_timeout,
            write_timeout,
            connect_timeout,
            pool_timeout,
            uploading=files,
        )
        data: aiohttp.FormData | bytes | None = None
        headers: dict[str, str] | None = None
        if request_data is not None:
            if files:
                data = _form(request_data)
            else:
                data = json.dumps(request_data.parameters).encode()
                headers = _JSON_HEADERS
        endpoint = url.rsplit("/", 1)[-1]
        try:
            async with self._session.request(
                method, url, data=data, headers=headers, timeout=timeout
            ) as response:
                return response.status, await response.read()
        except TimeoutError:
            raise TimedOut(f"{endpoint}: timed out") from None
        except aiohttp.ClientError as error:
            raise NetworkError(_describe(endpoint, error)) from None

    def _timeout(
        self,
        read: ODVInput[float],
        write: ODVInput[float],
        connect: ODVInput[float],
        pool: ODVInput[float],
        *,
        uploading: bool,
    ) -> aiohttp.ClientTimeout:
        read_s = self._read_timeout if isinstance(read, DefaultValue) else read
        connect_s = self._connect_timeout if isinstance(connect, DefaultValue) else connect
        pool_s = self._pool_timeout if isinstance(pool, DefaultValue) else pool
        if isinstance(write, DefaultValue):
            write_s = self._media_write_timeout if uploading else self._write_timeout
        else:
            write_s = write
        # aiohttp's `connect` covers waiting for a pooled connection and opening one.
        acquire = None if connect_s is None or pool_s is None else connect_s + pool_s
        # aiohttp has no write timeout: the whole call is bounded by the sum of its phases
        # instead, so a stalled upload still ends.
        phases = (read_s, write_s, connect_s, pool_s)
        total = None if any(p is None for p in phases) else sum(p for p in phases if p)
        return aiohttp.ClientTimeout(
            total=total, connect=acquire, sock_connect=connect_s, sock_read=read_s
        )


def _form(request_data: RequestData) -> aiohttp.FormData:
    form = aiohttp.FormData(quote_fields=False)
    for name, value in request_data.json_parameters.items():
        form.add_field(name, value)
    for name, (filename, content, mime_type) in request_data.multipart_data.items():
        form.add_field(name, content, filename=filename, content_type=mime_type)
    return form
