"""Where the console runs: on the bot's own web server, in the bot's own process.

With BOT_CONSOLE_URL set, the bot serves the console on BOT_CONSOLE_LISTEN:BOT_CONSOLE_PORT
(the address the https proxy in front of it forwards to); the demo mounts it beside its
emulator instead (`bot.console.web.mount`), and tells the bot so with a port of 0.
"""

from __future__ import annotations

import logging
from urllib.parse import urlsplit

from aiohttp import web

from bot.console.routes import console_application
from bot.console.web import ConsoleSite
from bot.context import UrgentActionApp
from bot.handlers import broadcast

log = logging.getLogger(__name__)


def site_for(app: UrgentActionApp) -> ConsoleSite:
    """The console of this bot: its services, its @username, its job queue for broadcasts."""

    def follow_broadcast(broadcast_id: int) -> None:
        broadcast.follow(app.job_queue, broadcast_id)

    return ConsoleSite(lambda: app.bot_data.services, lambda: app.bot.username, follow_broadcast)


def site_of(app: UrgentActionApp) -> ConsoleSite | None:
    """The console of this bot, or None when BOT_CONSOLE_URL is not set."""
    services = app.bot_data.services
    url = services.settings.console_url if services is not None else None
    return None if url is None else site_for(app)


def root_application(site: ConsoleSite) -> web.Application:
    """The web server's application: the console at its URL's path (the root, or under it)."""
    console = console_application(site)
    if site.path == "/":
        return console
    root = web.Application()
    root.add_subapp(site.path.rstrip("/"), console)
    return root


async def start(app: UrgentActionApp) -> web.AppRunner | None:
    """Start the console's web server if the bot serves it itself; None if it does not."""
    services = app.bot_data.services
    site = site_of(app)
    if services is None or site is None or services.settings.console_port == 0:
        return None
    if services.settings.webhook_url is not None:
        return None  # the webhook's own server carries the console (bot/console/webhook.py)
    settings = services.settings
    runner = web.AppRunner(root_application(site), access_log=None, shutdown_timeout=2.0)
    await runner.setup()
    await web.TCPSite(runner, settings.console_listen, settings.console_port).start()
    log.info(
        "console served on %s:%s for %s",
        settings.console_listen,
        settings.console_port,
        urlsplit(site.url).netloc,
    )
    return runner
