"""Fixtures for the emulator's own tests: a running emulator whose clock moves only when told,
an HTTP client, and a small helper that calls the Bot API the way any client does."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from bot.emulator import EmulatorLimits, TelegramEmulator

TOKEN = "777000:EMULATOR-test-token-abcdefghijkl"
# The machine-readable Bot API (PaulSonOfLars/telegram-bot-api-spec, MIT: see the LICENSE beside
# it), kept with the tests so that they run wherever the project is cloned.
SPEC_PATH = Path(__file__).resolve().parents[1] / "fixtures" / "telegram" / "bot-api-spec.json"


def load_spec() -> dict[str, Any]:
    """The Bot API as the spec file describes it."""
    spec: dict[str, Any] = json.loads(SPEC_PATH.read_text(encoding="utf-8"))
    return spec


@dataclass
class Reply:
    """One answer of the Bot API."""

    status: int
    body: dict[str, Any]

    @property
    def ok(self) -> bool:
        """Whether the call succeeded."""
        return self.status == 200 and self.body.get("ok") is True

    @property
    def result(self) -> Any:
        """The result of a successful call."""
        assert self.ok, self.body
        return self.body["result"]

    @property
    def description(self) -> str:
        """The error's description."""
        return str(self.body.get("description"))


@dataclass
class Api:
    """Calls the emulator's Bot API over real HTTP, with a JSON body."""

    http: aiohttp.ClientSession
    emulator: TelegramEmulator
    token: str = TOKEN

    async def __call__(self, method: str, **params: Any) -> Reply:
        url = f"{self.emulator.api_url}/bot{self.token}/{method}"
        async with self.http.post(url, json=params) as response:
            return Reply(response.status, await response.json())

    async def form(self, method: str, data: aiohttp.FormData | dict[str, str]) -> Reply:
        """Call with a form body (url-encoded, or multipart when it holds a file)."""
        url = f"{self.emulator.api_url}/bot{self.token}/{method}"
        async with self.http.post(url, data=data) as response:
            return Reply(response.status, await response.json())


class FrozenClock:
    """A clock that stands still; the emulator's `elapse` moves its time on."""

    def __call__(self) -> float:
        return 1000.0


MakeEmulator = Callable[..., Awaitable[TelegramEmulator]]


@pytest.fixture
async def make_emulator() -> AsyncIterator[MakeEmulator]:
    """Start emulators with the limits a test asks for; all are stopped after the test."""
    running: list[TelegramEmulator] = []

    async def make(limits: EmulatorLimits | None = None, **kwargs: Any) -> TelegramEmulator:
        emulator = TelegramEmulator(limits, clock=FrozenClock())
        emulator.create_bot(TOKEN, "UrgentActionBot", **kwargs)
        await emulator.start()
        running.append(emulator)
        return emulator

    yield make
    for emulator in running:
        await emulator.stop()


@pytest.fixture
async def emu(make_emulator: MakeEmulator) -> TelegramEmulator:
    """A running emulator with the service's limits."""
    return await make_emulator()


@pytest.fixture
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    """An HTTP client."""
    async with aiohttp.ClientSession() as session:
        yield session


@pytest.fixture
def api(http: aiohttp.ClientSession, emu: TelegramEmulator) -> Api:
    """The Bot API of `emu`."""
    return Api(http, emu)


async def started(emulator: TelegramEmulator, name: str = "Anna", language: str = "en") -> int:
    """A person who pressed Start; their chat id. The Start update is taken off the queue."""
    person = emulator.create_person(name, language_code=language)
    await emulator.send_text(person.id, "/start")
    emulator.bot.updates.clear()
    return person.id
