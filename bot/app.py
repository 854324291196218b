"""The one place where the Application is built and its handlers are wired, in order."""

from __future__ import annotations

import logging
import os
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AsyncExitStack, asynccontextmanager
from datetime import timedelta

from telegram import BotCommand, BotCommandScopeAllGroupChats, LinkPreviewOptions
from telegram.constants import ParseMode
from telegram.ext import ApplicationBuilder, Defaults, JobQueue

from bot import polling
from bot.catalogue import load_catalogue
from bot.clock import REAL_PACE, Clock, Pace, system_clock
from bot.config import Settings
from bot.console import serving as console
from bot.context import CONTEXT_TYPES, BotContext, Services, UrgentActionApp
from bot.db.dialect import Dialect
from bot.db.startup import PollingRight, open_migrated
from bot.delivery.engine import DeliveryConfig, DeliveryEngine
from bot.delivery.limits import SendLimiter
from bot.delivery.replies import ReplyTracker
from bot.delivery.transport import AiohttpRequest
from bot.handlers import (
    allowance,
    broadcast,
    flows,
    menus,
    organizer,
    plans,
    register_handlers,
    reminders,
    retention,
    sharing,
)
from bot.handlers import replies as authorities_replies
from bot.handlers.errors import TapAnswers
from bot.inbound import ReadableUpdates, TapsFirst
from bot.rendering import Renderer, base_language
from bot.views.cards import card_problems

log = logging.getLogger(__name__)
# Connections for the handlers' calls, PTB's default: many taps are answered at once.
REPLY_CONNECTIONS = 256


def build_application(
    settings: Settings,
    *,
    clock: Clock = system_clock,
    renderer: Renderer | None = None,
    pace: Pace = REAL_PACE,
) -> UrgentActionApp:
    """Build the bot: settings in, a ready Application out (not yet started). `pace`: the
    seconds its flood limits count and wait (tests give it the emulator's)."""
    renderer = renderer or Renderer(languages=settings.languages)
    # PTB 22 gives a 429's retry_after as a timedelta once opted in, and otherwise warns each
    # time it builds one; the bot reads either form (bot/delivery/replies.py).
    os.environ.setdefault("PTB_TIMEDELTA", "1")
    # One limiter for the whole bot: the engine's sends and the handlers' replies share it.
    config = DeliveryConfig.from_settings(settings)
    limiter = SendLimiter(config.rate, chats=config.chats, monotonic=pace.monotonic)
    replies = ReplyTracker(limiter, monotonic=pace.monotonic, sleep=pace.sleep)
    held = AsyncExitStack()  # what the running bot holds: the polling lock, the console's server

    async def post_init(app: UrgentActionApp) -> None:
        db, applied = await open_migrated(settings.database)
        if settings.database_url is not None and not (
            settings.webhook_url and settings.webhook_secret
        ):
            # One process polls over a PostgreSQL database (webhook mode may run several);
            # held until shutdown, and taken again after a server restart (bot/polling.py).
            # A SQLite file is held by its lock file (bot/__main__.py).
            right = PollingRight(db)
            try:
                await right.take()
            except BaseException:
                await db.close()
                raise
            held.push_async_callback(right.release)
            polling.keep(app, right)
        if applied:
            log.info("applied migrations: %s", ", ".join(f"{m.version:04d}" for m in applied))
        services = Services.over(settings, clock, renderer, db)
        app.bot_data.services = services
        await seed_cases(services)
        await set_commands(app, renderer)
        await menus.show_organizer_menus(app)
        engine = DeliveryEngine.for_settings(db, settings, limiter=limiter, clock=clock)
        await engine.start()
        services.delivery = engine
        if db.dialect is Dialect.POSTGRESQL:
            # Several processes may reply at once: their replies share the bot's rate too.
            replies.shared = engine.outbox.take_for_reply
            replies.pause_all = engine.outbox.pause_all
        replies.migrated = lambda old, new: services.subscribers.migrate_chat(old, new, clock())
        services.personal_data_exporters["reminders"] = reminders_of(services)
        services.personal_data_exporters["cases_chosen"] = allowance.exporter(services)
        services.personal_data_exporters["plans"] = plans.exporter(services)
        services.personal_data_exporters["came_through_shares"] = sharing.exporter(services)
        services.personal_data_exporters["replies"] = authorities_replies.exporter(services)
        await broadcast.follow_unfinished(app)
        await organizer.finish_publishing(app)
        reminders.schedule_sweeps(app)
        broadcast.schedule_sweeps(app)
        allowance.schedule_sweeps(app)
        flows.schedule_sweeps(app)
        authorities_replies.schedule_sweeps(app)
        retention.schedule_purges(app)
        if (runner := await console.start(app)) is not None:
            held.push_async_callback(runner.cleanup)

    async def post_shutdown(app: UrgentActionApp) -> None:
        services = app.bot_data.services
        if services is not None:
            if services.delivery is not None:
                await services.delivery.stop()
                services.delivery = None
            await held.aclose()
            await services.db.close()
            app.bot_data.services = None

    app: UrgentActionApp = (
        ApplicationBuilder()
        .token(settings.token.reveal())
        .base_url(settings.bot_base_url)
        .base_file_url(settings.file_base_url)
        # PTB's own calls (replies, files, getUpdates) go over aiohttp: a reply costs a third
        # to an eighth of the CPU it costs over HTTPX (bench/README.md). getUpdates keeps one
        # long-polling connection of its own; an update PTB cannot read is dropped from its
        # batch, not fetched again forever.
        .request(AiohttpRequest(connection_pool_size=REPLY_CONNECTIONS))
        .get_updates_request(ReadableUpdates(AiohttpRequest(connection_pool_size=1)))
        .context_types(CONTEXT_TYPES)
        .job_queue(JobQueue[BotContext]())
        .defaults(
            Defaults(
                parse_mode=ParseMode.HTML,
                link_preview_options=LinkPreviewOptions(is_disabled=True),
            )
        )
        # Several people tap at once; each update is handled on its own task, and taps have
        # places of their own, so a burst of messages never holds up a tap's answer.
        .concurrent_updates(TapsFirst())
        # Direct replies go at once and take their share of the limits the engine keeps; a
        # short 429 is waited out and retried instead of failing the person's tap. The taps
        # answered are noted, so the error handler never answers one twice.
        .rate_limiter(TapAnswers(replies))
        .post_init(post_init)
        .post_shutdown(post_shutdown)
        .build()
    )
    register_handlers(app)
    return app


def reminders_of(services: Services) -> Callable[[int], Awaitable[dict[str, object]]]:
    """What /mydata shows of a person's reminders: those still to come, and the cases they
    asked not to be reminded about."""

    async def export(subscriber_id: int) -> dict[str, object]:
        pending = await services.reminders.pending(subscriber_id)
        return {
            "pending": [{"case": p.case_slug, "due": p.due.isoformat()} for p in pending],
            "stopped_for_cases": await services.reminders.stopped(subscriber_id),
        }

    return export


async def seed_cases(services: Services) -> None:
    """Load the case files and store those the database does not hold yet."""
    result = load_catalogue(services.settings.actions_dir)
    for problem in result.problems:
        log.warning("case file refused: %s", problem)
    fitting = []
    for case, path in result.cases_with_paths():
        if problems := card_problems(case, services.renderer, services.clock()):
            log.warning("case file refused: %s: %s", path, "; ".join(problems))
        else:
            fitting.append((case, str(path)))
    added = await services.cases.seed(fitting, services.clock())
    if added:
        log.info("cases added from %s: %s", services.settings.actions_dir, ", ".join(added))


async def set_commands(app: UrgentActionApp, renderer: Renderer) -> None:
    """Set the command menu in every language the templates speak, for chats and groups."""
    menus: set[str | None] = set()
    for language in renderer.languages:
        # Telegram takes a two-letter code: a region's menu ("pt_BR") is its language's, once.
        code = None if language == renderer.languages[0] else base_language(language)
        if code in menus:
            continue
        menus.add(code)
        private = [BotCommand(c, d) for c, d in renderer.commands(language, "private")]
        group = [BotCommand(c, d) for c, d in renderer.commands(language, "group")]
        await app.bot.set_my_commands(private, language_code=code)
        await app.bot.set_my_commands(
            group, scope=BotCommandScopeAllGroupChats(), language_code=code
        )


POLL_TIMEOUT = timedelta(seconds=10)
# inline_query: "Ask a friend" shares a case through inline mode (bot/handlers/sharing.py).
ALLOWED_UPDATES = ["message", "callback_query", "my_chat_member", "inline_query"]


@asynccontextmanager
async def running(
    app: UrgentActionApp, *, poll_timeout: timedelta = POLL_TIMEOUT
) -> AsyncIterator[UrgentActionApp]:
    """Run the bot with long polling inside the caller's event loop (the demo, the tests).

    The same steps as `run_polling`, which owns its loop: initialize, post_init, poll, start;
    and on the way out stop polling, stop, post_shutdown, shutdown.
    """
    await app.initialize()
    try:
        if app.post_init is not None:
            await app.post_init(app)
        assert app.updater is not None
        await app.updater.start_polling(
            poll_interval=0, timeout=poll_timeout, allowed_updates=ALLOWED_UPDATES
        )
        await app.start()
        try:
            yield app
        finally:
            if app.updater.running:
                await app.updater.stop()
            await app.stop()
            if app.post_stop is not None:
                await app.post_stop(app)
    finally:
        if app.post_shutdown is not None:
            await app.post_shutdown(app)
        await app.shutdown()
