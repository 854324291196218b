"""Fixtures: the Telegram emulator on 127.0.0.1, the real bot running against it over HTTP with
a fresh, migrated database and a clock the test can move, and a database on its own.

The database is a SQLite file, or, when BOT_TEST_DATABASE_URL names a PostgreSQL database
(`.ci/run` runs the whole suite both ways), a schema of its own in that database for each test.
"""

from __future__ import annotations

import asyncio
import logging
import os
import secrets
import time
from collections.abc import AsyncIterator, Iterator, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot import eventloop
from bot.app import build_application, running
from bot.clock import REAL_PACE, Pace
from bot.config import Secret, Settings
from bot.context import Services, UrgentActionApp
from bot.db.connection import Database, is_postgresql
from bot.db.migrations import migrate
from bot.emulator import EmulatorLimits, Person, RecordedMessage, TelegramEmulator
from bot.emulator.world import PATIENCE

ROOT = Path(__file__).resolve().parent.parent
TOKEN = "123456:TEST-token-ABCDEFGHIJKLMNOPQRSTUV"
ORGANIZER_ID = 42
# Seconds a person takes between two taps: the flood limits apply at that pace.
HUMAN_PACE = 1.5


def pytest_asyncio_loop_factories(
    config: pytest.Config, item: pytest.Item
) -> Mapping[str, eventloop.LoopFactory]:
    """Tests run on the loop the bot runs on; the delivery engine's on asyncio's own as well, as
    on a machine without uvloop."""
    if eventloop.NAME != "asyncio" and "delivery" in item.path.parts:
        return {eventloop.NAME: eventloop.new_event_loop, "asyncio": asyncio.new_event_loop}
    return {eventloop.NAME: eventloop.new_event_loop}


@dataclass
class MovableClock:
    """The bot's clock in tests: it starts at a fixed moment, runs in real time, and jumps
    forward when told (a day passes without waiting a day)."""

    start: datetime = field(default_factory=lambda: datetime(2022, 5, 20, 9, 0, tzinfo=UTC))
    skipped: timedelta = timedelta(0)
    _origin: float = field(default_factory=time.monotonic)

    def __call__(self) -> datetime:
        return self.start + self.skipped + timedelta(seconds=time.monotonic() - self._origin)

    def advance(self, delta: timedelta) -> None:
        """Move the clock forward."""
        self.skipped += delta


# A PostgreSQL database the tests may use (a schema of their own each), or nothing: SQLite.
TEST_DATABASE_URL = os.environ.get("BOT_TEST_DATABASE_URL", "").strip() or None
if TEST_DATABASE_URL is not None and not is_postgresql(TEST_DATABASE_URL):
    raise RuntimeError("BOT_TEST_DATABASE_URL must be a postgresql:// URL")


def database_env(target: Path | Secret) -> dict[str, str]:
    """The environment that points a bot process at `target` (a SQLite file or a URL)."""
    if isinstance(target, Secret):
        return {"BOT_DATABASE_URL": target.reveal()}
    return {"BOT_DB_PATH": str(target)}


@pytest.fixture
async def database(tmp_path: Path) -> AsyncIterator[Path | Secret]:
    """Where a fresh database is: a SQLite file in the test's folder, or a new, empty schema
    in the PostgreSQL database of BOT_TEST_DATABASE_URL, dropped after the test."""
    if TEST_DATABASE_URL is None:
        yield tmp_path / "bot.sqlite3"
        return
    import asyncpg  # noqa: PLC0415

    schema = f"test_{secrets.token_hex(6)}"
    admin = await asyncpg.connect(TEST_DATABASE_URL)
    try:
        await admin.execute(f"CREATE SCHEMA {schema}")
        separator = "&" if "?" in TEST_DATABASE_URL else "?"
        yield Secret(f"{TEST_DATABASE_URL}{separator}search_path={schema}")
    finally:
        await admin.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
        await admin.close()


@pytest.fixture
async def db(database: Path | Secret) -> AsyncIterator[Database]:
    """A fresh, migrated database, for tests of the repositories without the bot."""
    opened = await Database.open(database)
    await migrate(opened)
    yield opened
    await opened.close()


@pytest.fixture
def limits() -> EmulatorLimits:
    """Telegram's limits as the service applies them (tests may override this fixture)."""
    return EmulatorLimits()


# The pace of the bots started against each running emulator (by its api_url): its own clock.
_PACES: dict[str, Pace] = {}


@pytest.fixture
async def emulator(
    limits: EmulatorLimits, request: pytest.FixtureRequest
) -> AsyncIterator[TelegramEmulator]:
    """A running emulator with the bot registered.

    A bot started against it (`running_bot`) paces its sends on the emulator's clock, whose
    waits pass ten times faster: a reply a second after the last costs the suite a tenth, and the
    emulator still refuses one sent too soon. A test marked `real_pace` keeps real seconds
    (the flood tests, which race a flooder's replies against another person's).
    """
    emu = TelegramEmulator(limits)
    emu.create_bot(TOKEN, "UrgentActionBot")
    await emu.start()
    if request.node.get_closest_marker("real_pace") is None:
        _PACES[emu.api_url] = Pace(monotonic=emu.clock, sleep=emu.sleep)
    try:
        yield emu
    finally:
        _PACES.pop(emu.api_url, None)
        await emu.stop()


class _Apologies(logging.Handler):
    """Collects what the error handler logs each time the bot apologises to someone."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.failures: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.failures.append(f"{record.getMessage()}: {record.exc_info and record.exc_info[1]!r}")


@pytest.fixture(autouse=True)
def nothing_refused_nobody_apologised(request: pytest.FixtureRequest) -> Iterator[None]:
    """An end-to-end test fails when the emulator refused one of the bot's calls (an error
    answer the test did not inject) or the bot apologised to someone, so that a reply a test
    waits for is never the bot's apology. A test that means it says so with the markers
    `refusals_expected` / `apology_expected`."""
    if "emulator" not in request.fixturenames or "emulator" in request.path.parts:
        yield
        return
    emulator: TelegramEmulator = request.getfixturevalue("emulator")
    apologies = _Apologies()
    errors_logger = logging.getLogger("bot.handlers.errors")
    errors_logger.addHandler(apologies)
    try:
        yield
    finally:
        errors_logger.removeHandler(apologies)
    # Three answers are part of the bot's normal course, not refusals: when a bot stops, PTB
    # confirms the last update with one more getUpdates while its long poll is still open
    # (409); an edit that changes nothing, which the bot takes as done (a status message
    # whose numbers have not moved); and a 429, which says "later", not "no": the bot waits
    # and sends again (tests of the limits count 429s themselves).
    refusals = [
        r
        for r in emulator.stats.refusals
        if not r.startswith("getUpdates: 409")
        and "message is not modified" not in r
        and ": 429 " not in r
    ]
    if request.node.get_closest_marker("refusals_expected") is None:
        assert not refusals, f"Telegram refused the bot: {refusals}"
    if request.node.get_closest_marker("apology_expected") is None:
        assert not apologies.failures, f"the bot apologised: {apologies.failures}"


@pytest.fixture
def clock() -> MovableClock:
    """The bot's clock: 20 May 2022, 09:00 UTC, 23 days before the seed case's deadline."""
    return MovableClock()


@pytest.fixture
def settings(emulator: TelegramEmulator, tmp_path: Path, database: Path | Secret) -> Settings:
    """Settings pointing the bot at the emulator, with a fresh database."""
    return Settings(
        token=Secret(TOKEN),
        api_url=emulator.api_url,
        db_path=tmp_path / "bot.sqlite3",
        database_url=database if isinstance(database, Secret) else None,
        organizers=frozenset({ORGANIZER_ID}),
        actions_dir=ROOT / "actions",
    )


@asynccontextmanager
async def running_bot(settings: Settings, clock: MovableClock) -> AsyncIterator[UrgentActionApp]:
    """The real bot polling the emulator until the block ends; a test that opens it again over
    the same settings restarts the bot over the same database."""
    app = build_application(settings, clock=clock, pace=_PACES.get(settings.api_url, REAL_PACE))
    async with running(app, poll_timeout=timedelta(seconds=1)):
        yield app


@pytest.fixture
async def bot(settings: Settings, clock: MovableClock) -> AsyncIterator[UrgentActionApp]:
    """The real bot, polling the emulator."""
    async with running_bot(settings, clock) as app:
        yield app


async def run_job(app: UrgentActionApp, name: str) -> None:
    """Run the bot's scheduled job `name` now, as its schedule would: a sweep on the test's
    word instead of a wait for its interval."""
    assert app.job_queue is not None
    (job,) = app.job_queue.get_jobs_by_name(name)
    await job.run(app)


def services_of(app: UrgentActionApp) -> Services:
    """The running bot's services."""
    services = app.bot_data.services
    assert services is not None
    return services


@dataclass
class Chatter:
    """A simulated person talking to the bot, for tests that read like a conversation."""

    emulator: TelegramEmulator
    person: Person
    chat_id: int

    @property
    def id(self) -> int:
        return self.person.id

    async def say(
        self, text: str, *, replies: int = 1, timeout: float = PATIENCE
    ) -> list[RecordedMessage]:
        """Send `text` and wait for `replies` messages from the bot."""
        self.emulator.elapse(HUMAN_PACE)
        mark = self.emulator.last_id(self.chat_id)
        await self.emulator.send_text(self.person.id, text, chat_id=self.chat_id)
        return await self.emulator.replies(
            self.chat_id, after=mark, count=replies, timeout=timeout
        )

    async def press(
        self, message: RecordedMessage, label: str, *, replies: int = 0, timeout: float = PATIENCE
    ) -> tuple[str | None, list[RecordedMessage]]:
        """Tap the button labelled `label`; return the answer's text and `replies` new messages."""
        self.emulator.elapse(HUMAN_PACE)
        mark = self.emulator.last_id(self.chat_id)
        answer = await self.emulator.press(self.person.id, message, label, timeout=timeout)
        assert answer is not None, f"the bot never answered the tap on {label!r}"
        got = (
            await self.emulator.replies(self.chat_id, after=mark, count=replies, timeout=timeout)
            if replies
            else []
        )
        return answer.text, got


@pytest.fixture
def person(emulator: TelegramEmulator) -> Chatter:
    """An English-speaking person with a private chat."""
    someone = emulator.create_person("Anna", language_code="en")
    return Chatter(emulator, someone, someone.id)
