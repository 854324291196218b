"""The demo: the emulator, the real bot against it, and a web chat, all on 127.0.0.1.

`python -m bot demo` needs no token and no network. It runs the same handlers, database,
scheduler and delivery as production; only the server at BOT_API_URL is local. The web page
(templates/demo/index.html) talks to the emulator's /_emulator/ routes, as simulated people.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import errno
import logging
import signal
import tempfile
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from aiohttp import web

from bot.app import build_application, running
from bot.catalogue import load_catalogue
from bot.clock import Clock
from bot.config import Secret, Settings
from bot.console.routes import mount
from bot.console.web import ConsoleSite
from bot.context import Services, UrgentActionApp
from bot.db.cases import CaseRepository
from bot.db.startup import open_database
from bot.domain.cases import UrgentAction
from bot.domain.deadlines import countdown
from bot.emulator import TelegramEmulator
from bot.handlers import broadcast
from bot.rendering import ROOT, TEMPLATES_DIR

# The shipped cases, found beside the package whatever folder the demo is started from.
SHIPPED_ACTIONS = ROOT / "actions"

log = logging.getLogger(__name__)

# Not a secret: the emulator accepts any token it is told about, and nothing else uses it.
DEMO_TOKEN = "100200300:DEMO-token-local-emulator-only"  # noqa: S105
DEMO_ORGANIZER = 900001
# In rehearsal, the deadline of each case lies this far ahead.
REHEARSAL_DAYS_AHEAD = 10
# Where the organizers' console is served, beside the emulator and the web chat.
CONSOLE_PATH = "/console"


@dataclass(frozen=True)
class TimeLapse:
    """A clock that runs `factor` times faster than real time from the moment it starts."""

    started: datetime
    factor: float
    real: Clock

    def __call__(self) -> datetime:
        return self.started + (self.real() - self.started) * self.factor


def shift_dates(case: UrgentAction, days: int) -> UrgentAction:
    """The case with every date moved by `days` (for rehearsals of old cases)."""
    delta = timedelta(days=days)
    return dataclasses.replace(
        case,
        issued=case.issued + delta if case.issued else None,
        key_dates=tuple(dataclasses.replace(d, on=d.on + delta) for d in case.key_dates),
    )


def rehearsal_shift(case: UrgentAction, now: datetime) -> int:
    """How many days to move a case so it shows REHEARSAL_DAYS_AHEAD days left at `now`.

    Counted as the bot counts them, in the case's time zone: near midnight UTC the case's
    today may already be tomorrow.
    """
    left = countdown(case, now)
    if left is None:
        return 0
    return REHEARSAL_DAYS_AHEAD - left.days_left


@dataclass(frozen=True)
class Rehearsal:
    """A case whose dates the demo moved: by `days`, so that its deadline is `deadline`."""

    slug: str
    names: tuple[str, ...]  # the people at risk, so the page can say which case it is
    days: int
    deadline: date | None

    def as_json(self) -> dict[str, object]:
        """The page's view of it."""
        return {
            "slug": self.slug,
            "names": list(self.names),
            "days": self.days,
            "deadline": self.deadline.isoformat() if self.deadline else None,
        }


@dataclass
class Demo:
    """A running demo: where to open it, and what it runs."""

    url: str
    emulator: TelegramEmulator
    app: UrgentActionApp
    rehearsals: tuple[Rehearsal, ...]

    @property
    def shifted_days(self) -> int:
        """The largest shift of any case's dates (0 without a rehearsal)."""
        return max((r.days for r in self.rehearsals), default=0)


@dataclass
class _PageState:
    """What the page asks /_demo/info for: the rehearsal and the bot's clock."""

    clock: Clock
    time_lapse: float | None
    rehearsals: tuple[Rehearsal, ...] = ()
    bot: UrgentActionApp | None = None  # the bot, once built: the console reads its services

    def bot_username(self) -> str:
        """The bot's @username, for the console's previews of cards."""
        return self.bot.bot.username if self.bot is not None else "bot"

    def follow_broadcast(self, broadcast_id: int) -> None:
        """Follow a broadcast queued in the console to its end, as the chat's are."""
        if self.bot is not None:
            broadcast.follow(self.bot.job_queue, broadcast_id)

    def services(self) -> Services | None:
        """The running bot's services, for the console (None until it has started)."""
        return self.bot.bot_data.services if self.bot is not None else None

    def as_json(self) -> dict[str, object]:
        """The answer to /_demo/info, with the bot's clock read now."""
        return {
            "rehearsals": [r.as_json() for r in self.rehearsals],
            "time_lapse": self.time_lapse,
            "bot_now": self.clock().isoformat(),
        }


class PortBusyError(Exception):
    """Another program listens on the port the demo's web chat asked for."""

    def __init__(self, port: int) -> None:
        super().__init__(f"port {port} is busy: try another one, such as --port {port + 1}")
        self.port = port


@asynccontextmanager
async def demo(
    *,
    port: int = 8080,
    rehearsal: bool = True,
    time_lapse: float | None = None,
    actions_dir: Path = SHIPPED_ACTIONS,
    data_dir: Path | None = None,
    clock: Clock | None = None,
) -> AsyncIterator[Demo]:
    """Start the emulator with the web chat, and the bot against it, on a fresh database;
    PortBusyError if the web chat's port is taken. `clock`: the demo's time, the real one
    unless given (a test's, kept away from a midnight the rehearsal's days would cross)."""
    with contextlib.ExitStack() as stack:
        folder = data_dir or Path(stack.enter_context(tempfile.TemporaryDirectory()))
        real: Clock = clock or (lambda: datetime.now(UTC))
        clock = TimeLapse(real(), time_lapse, real) if time_lapse else real
        # The emulator's time is the bot's (message dates, a Mini App's launch signed "now"),
        # as Telegram's and a bot's are the same real time.
        emulator = TelegramEmulator(wall_clock=lambda: clock().timestamp())
        emulator.create_bot(DEMO_TOKEN, "UrgentActionBot")
        # Inline mode on, as BotFather's /setinline sets it: "Ask a friend" shares a case.
        emulator.bot.inline_placeholder = "Case or name"
        state = _PageState(clock, time_lapse)
        try:
            url = await emulator.start(port=port, extra_routes=_page_routes(state))
        except OSError as error:
            await emulator.stop()
            if error.errno == errno.EADDRINUSE:
                raise PortBusyError(port) from error
            raise
        try:
            settings = Settings(
                token=Secret(DEMO_TOKEN),
                api_url=url,
                db_path=folder / "demo.sqlite3",
                organizers=frozenset({DEMO_ORGANIZER}),
                actions_dir=actions_dir,
                # A demo day may pass in seconds (--time-lapse): look for due reminders often.
                reminder_check=timedelta(seconds=1),
                # The organizers' console, beside the emulator on its own server (port 0: the
                # bot serves none of its own); Olga opens it from her chat's menu button.
                console_url=f"{url}{CONSOLE_PATH}",
                console_port=0,
            )
            state.rehearsals = await _seed(settings, rehearsal, clock())
            _people(emulator)
            app = build_application(settings, clock=clock)
            state.bot = app
            async with running(app, poll_timeout=timedelta(seconds=10)):
                yield Demo(url, emulator, app, state.rehearsals)
        finally:
            await emulator.stop()


async def _seed(settings: Settings, rehearsal: bool, now: datetime) -> tuple[Rehearsal, ...]:
    """Store the cases before the bot starts, their dates shifted for a rehearsal."""
    result = load_catalogue(settings.actions_dir)
    rehearsals = []
    cases = []
    for case, path in result.cases_with_paths():
        shift = rehearsal_shift(case, now) if rehearsal else 0
        if shift:
            case = shift_dates(case, shift)  # noqa: PLW2901
            names = tuple(p.name for p in case.people)
            deadline = case.deadline.on if case.deadline else None
            rehearsals.append(Rehearsal(case.slug, names, shift, deadline))
        cases.append((case, str(path)))
    db = await open_database(settings.db_path)
    try:
        await CaseRepository(db).seed(cases, datetime.now(UTC))
    finally:
        await db.close()
    return tuple(rehearsals)


def _people(emulator: TelegramEmulator) -> None:
    """The cast the demo starts with: volunteers in five languages, and an organizer."""
    emulator.create_person("Anna", language_code="en")
    emulator.create_person("Айгуль", language_code="ru")
    # The organizer's id is the one in BOT_ORGANIZERS. She has written to the bot before (her
    # chat exists), so the bot gives it the console's menu button as it starts.
    emulator.create_person(
        "Olga (organizer)", language_code="en", user_id=DEMO_ORGANIZER, started=True
    )
    # Readers of two of Amnesty's other working languages, one of them right to left.
    emulator.create_person("Camille", language_code="fr")
    emulator.create_person("ليلى", language_code="ar")
    # A reader of a section's language: the German-speaking sections run large letter networks.
    emulator.create_person("Lena", language_code="de")


def _page_routes(state: _PageState) -> Callable[[web.Application], None]:
    page = (TEMPLATES_DIR / "demo" / "index.html").read_text(encoding="utf-8")

    async def index(request: web.Request) -> web.Response:
        return web.Response(text=page, content_type="text/html")

    async def info(request: web.Request) -> web.Response:
        return web.json_response(state.as_json())

    def add(app: web.Application) -> None:
        app.router.add_get("/", index)
        app.router.add_get("/_demo/info", info)
        mount(
            app,
            CONSOLE_PATH,
            ConsoleSite(state.services, state.bot_username, state.follow_broadcast),
        )

    return add


async def serve_demo(port: int, rehearsal: bool, time_lapse: float | None) -> int:
    """Run the demo until Ctrl-C or SIGTERM."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(sig, stop.set)
    async with demo(port=port, rehearsal=rehearsal, time_lapse=time_lapse) as running_demo:
        note = (
            f" Dates are shifted by {running_demo.shifted_days} days for a rehearsal."
            if running_demo.shifted_days
            else ""
        )
        print(
            f"\nThe demo is running. Open {running_demo.url}/ in your browser.{note}\n"
            "Press Ctrl-C to stop.\n",
            flush=True,
        )
        await stop.wait()
    return 0
