"""The Telegram emulator: a local HTTP server that speaks the Bot API and holds simulated people.

It answers like the service: the same method and parameter names, the same limits and error
texts (../shared/telegram/LIMITS.md). Tests, the demo and the benchmarks drive the people through
the Python API (`send_text`, `tap`, `block_bot`, ...) or the same operations over HTTP under
`/_emulator/`, and read back what the bot sent.

    emulator = TelegramEmulator()
    emulator.create_bot("123456:ABC-token")
    await emulator.start()          # emulator.api_url == "http://127.0.0.1:<port>"
    ...
    await emulator.stop()
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from types import TracebackType
from typing import Any

from aiohttp import BodyPartReader, web

from bot.emulator import errors
from bot.emulator.control import add_control_routes
from bot.emulator.errors import ApiError
from bot.emulator.limits import EmulatorLimits
from bot.emulator.methods import BotApi, Params, Upload
from bot.emulator.people import SimulatedPeople

log = logging.getLogger(__name__)

_JSON = "application/json"


@dataclass
class _Fault:
    """A failure injected for tests: the next `left` matching calls fail this way."""

    method: str | None  # None: any method
    chat_id: int | None  # None: any chat
    left: int
    status: int
    description: str
    retry_after: int | None
    hang: float
    deliver: bool  # after hanging, answer the call normally (it took effect, the client gave up)
    page: bool = False  # answered by a gateway's HTML page instead of the Bot API's JSON

    def matches(self, method: str, params: Params) -> bool:
        if self.method is not None and self.method.lower() != method.lower():
            return False
        return self.chat_id is None or str(params.get("chat_id")) == str(self.chat_id)


class _GatewayPageError(Exception):
    """An injected fault answered by a gateway's HTML page rather than by the Bot API."""

    def __init__(self, status: int) -> None:
        super().__init__(status)
        self.status = status


class TelegramEmulator(SimulatedPeople):
    """A Bot API server on 127.0.0.1 with simulated people, groups and the service's limits."""

    def __init__(
        self,
        limits: EmulatorLimits | None = None,
        *,
        clock: Callable[[], float] = time.monotonic,
        wall_clock: Callable[[], float] = time.time,
    ) -> None:
        super().__init__(limits, clock=clock, wall_clock=wall_clock)
        self.api = BotApi(self)
        self.api_url = ""
        self.closing = False
        self._faults: list[_Fault] = []
        self._runner: web.AppRunner | None = None
        self._stopping = asyncio.Event()

    # ---- lifecycle ---------------------------------------------------------------------------

    async def start(
        self,
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        extra_routes: Callable[[web.Application], None] | None = None,
    ) -> str:
        """Serve on `host`:`port` (0 picks a free port); return the API root URL.

        `extra_routes` adds routes of the caller's to the same server (the demo's page).
        """
        app = web.Application(client_max_size=self.limits.upload_bytes + 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._handle_api)
        app.router.add_get("/file/bot{token}/{path:.+}", self._handle_file)
        add_control_routes(app, self)
        if extra_routes is not None:
            extra_routes(app)
        # Long polls are released on stop, so nothing needs the default minute to finish.
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
        await self._runner.setup()
        site = web.TCPSite(self._runner, host, port)
        await site.start()
        bound = self._runner.addresses[0][1]
        shown = f"[{host}]" if ":" in host else host
        self.api_url = f"http://{shown}:{bound}"
        return self.api_url

    async def stop(self) -> None:
        """Stop serving; waiting polls, taps and event streams are released first."""
        self.closing = True
        self._stopping.set()
        for bot in self.bots.values():
            bot.updates.close()
            await bot.webhook.stop()
        for query in self.queries.values():
            if not query.answer.done():
                query.answer.set_result(None)
        self.changed()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> TelegramEmulator:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.stop()

    # ---- faults, for tests of the bot's retries ------------------------------------------------

    def fail_next(
        self,
        method: str | None = None,
        *,
        count: int = 1,
        status: int = 500,
        description: str | None = None,
        retry_after: int | None = None,
        chat_id: int | None = None,
    ) -> None:
        """Make the next `count` calls of `method` (any method if None; only to `chat_id` if
        given) fail with `status`: 500 Internal Server Error by default, or 429 with
        `retry_after`, or any other status and description."""
        if status == 429:
            wait = retry_after or 1
            retry_after = wait
            description = description or f"Too Many Requests: retry after {wait}"
        default = errors.INTERNAL if status >= 500 else f"Error {status}"
        self._faults.append(
            _Fault(
                method,
                chat_id,
                count,
                status,
                description or default,
                retry_after,
                hang=0.0,
                deliver=False,
            )
        )

    def hang_next(
        self,
        method: str | None = None,
        *,
        seconds: float,
        count: int = 1,
        deliver: bool = False,
        chat_id: int | None = None,
    ) -> None:
        """Make the next `count` calls hang for `seconds` (so the client times out); then
        answer normally if `deliver` (the send took effect) or with 502 Bad Gateway."""
        self._faults.append(
            _Fault(method, chat_id, count, 502, "Bad Gateway", None, seconds, deliver)
        )

    def gateway_page_next(
        self, method: str | None = None, *, status: int = 502, count: int = 1
    ) -> None:
        """Make the next `count` calls of `method` be answered by a reverse proxy's HTML error
        page (502 Bad Gateway by default) that echoes the requested path, token and all, as
        some gateways in front of the service do."""
        self._faults.append(
            _Fault(method, None, count, status, "Bad Gateway", None, 0.0, False, page=True)
        )

    def clear_faults(self) -> None:
        """Forget every injected fault."""
        self._faults.clear()

    async def _inject(self, method: str, params: Params) -> None:
        fault = next((f for f in self._faults if f.left > 0 and f.matches(method, params)), None)
        if fault is None:
            return
        fault.left -= 1
        if fault.left == 0:
            self._faults.remove(fault)
        self.stats.faults_injected += 1
        if fault.hang:
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(fault.hang):
                    await self._stopping.wait()
            if fault.deliver:
                return
        if fault.page:
            raise _GatewayPageError(fault.status)
        if fault.status == 429:
            self.stats.too_many_by_scope["injected"] += 1
        parameters = {"retry_after": fault.retry_after} if fault.retry_after else None
        raise ApiError(fault.status, fault.description, parameters)

    # ---- HTTP --------------------------------------------------------------------------------

    async def _handle_api(self, request: web.Request) -> web.Response:
        bot = self.bots.get(request.match_info["token"])
        if bot is None:
            return self._error(ApiError(401, errors.UNAUTHORIZED))
        name = request.match_info["method"]
        method = self.api.find(name)
        self.stats.requests[method.name if method else name] += 1
        if method is None:
            return self._error(ApiError(404, errors.NOT_FOUND))
        injected = False
        try:
            params = await self._params(request)
            if self._faults:
                injected = True
                await self._inject(method.name, params)
                injected = False
            result = await self.api.call(bot, method, params)
        except ApiError as error:
            log.debug("%s answered %s: %s", method.name, error.code, error.description)
            if not injected:
                self.stats.refusals.append(f"{method.name}: {error.code} {error.description}")
            return self._error(error)
        except _GatewayPageError as page:
            self.stats.errors[page.status] += 1
            body = (
                f"<html><head><title>{page.status} Bad Gateway</title></head><body>"
                f"<h1>Bad Gateway</h1><p>The upstream server did not answer {request.method} "
                f"{request.path}</p></body></html>"
            )
            return web.Response(text=body, status=page.status, content_type="text/html")
        return _json_response({"ok": True, "result": result})

    async def _handle_file(self, request: web.Request) -> web.Response:
        if request.match_info["token"] not in self.bots:
            return self._error(ApiError(401, errors.UNAUTHORIZED))
        stored = self.files_by_path.get(request.match_info["path"])
        if stored is None:
            return self._error(ApiError(404, errors.NOT_FOUND))
        return web.Response(body=stored.data, content_type=stored.mime_type)

    def _error(self, error: ApiError) -> web.Response:
        self.stats.errors[error.code] += 1
        return _json_response(error.as_json(), status=error.code)

    async def _params(self, request: web.Request) -> Params:
        """The call's parameters from the query string and the body, whatever its encoding."""
        params: Params = dict(request.query) if request.query_string else {}
        content_type = request.content_type
        if content_type == _JSON:
            raw = await request.read()
            if raw:
                try:
                    body = json.loads(raw)
                except ValueError:
                    raise errors.bad_request("can't parse JSON request body") from None
                if isinstance(body, dict):
                    params.update((k, v) for k, v in body.items() if v is not None)
        elif content_type == "application/x-www-form-urlencoded":
            form = await request.post()
            params.update((k, v) for k, v in form.items() if isinstance(v, str))
        elif content_type.startswith("multipart/"):
            await self._multipart(request, params)
        return params

    async def _multipart(self, request: web.Request, params: Params) -> None:
        reader = await request.multipart()
        while True:
            part = await reader.next()
            if part is None:
                break
            if not isinstance(part, BodyPartReader) or part.name is None:
                continue
            if part.filename is None:
                params[part.name] = await part.text()
                continue
            chunks: list[bytes] = []
            size = 0
            while chunk := await part.read_chunk(1024 * 1024):
                size += len(chunk)
                if size > self.limits.upload_bytes:
                    raise ApiError(413, "Request Entity Too Large")
                chunks.append(chunk)
            params[part.name] = Upload(
                part.filename,
                part.headers.get("Content-Type", "application/octet-stream"),
                b"".join(chunks),
            )


def _json_response(payload: Any, status: int = 200) -> web.Response:
    body = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()
    return web.Response(body=body, status=status, content_type=_JSON)
