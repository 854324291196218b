"""Webhook mode with the console: one aiohttp server carries Telegram's updates and the console.

PTB's own webhook server (tornado) cannot carry other routes, so with BOT_CONSOLE_URL set the
bot runs the webhook the way PTB's custom-webhook examples do: its aiohttp server takes
Telegram's POSTs at /telegram (refusing any without the secret header), puts each update on the
Application's queue, and serves the console under its path beside it.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from urllib.parse import urlsplit

from aiohttp import web
from telegram import Update

from bot.config import Settings
from bot.console.routes import console_application
from bot.console.serving import site_for
from bot.context import UrgentActionApp
from bot.webhook import MAX_BODY, REFUSALS, SECRET_HEADER, secret_matches

log = logging.getLogger(__name__)
WEBHOOK_PATH = "/telegram"


def webhook_application(app: UrgentActionApp, settings: Settings) -> web.Application:
    """The server's routes: Telegram's updates at /telegram, the console under its path."""
    assert settings.webhook_secret is not None
    assert settings.console_url is not None
    secret = settings.webhook_secret.reveal()

    async def receive(request: web.Request) -> web.Response:
        # Refused on the headers, before the body is read, as PTB's server is (bot/webhook.py).
        if request.content_type != "application/json":
            REFUSALS.note("not JSON")
            return web.Response(status=403)
        if not secret_matches(request.headers.get(SECRET_HEADER), secret):
            REFUSALS.note("missing or wrong secret")
            return web.Response(status=403)
        try:
            update = Update.de_json(await request.json(), app.bot)
        except ValueError:
            return web.Response(status=400)
        await app.update_queue.put(update)
        return web.Response()

    root = web.Application(client_max_size=MAX_BODY)
    root.router.add_post(WEBHOOK_PATH, receive)
    root.add_subapp(site_path(settings.console_url), console_application(site_for(app)))
    return root


def site_path(url: str) -> str:
    """The path the console is served under on the webhook's server ("/console")."""
    return urlsplit(url).path.rstrip("/")


async def serve(app: UrgentActionApp, settings: Settings, allowed_updates: list[str]) -> None:
    """Run the bot in webhook mode with the console until SIGINT or SIGTERM."""
    assert settings.webhook_url is not None
    assert settings.webhook_secret is not None
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(sig, stop.set)
    await app.initialize()
    try:
        if app.post_init is not None:
            await app.post_init(app)
        runner = web.AppRunner(webhook_application(app, settings), access_log=None)
        await runner.setup()
        try:
            await web.TCPSite(runner, settings.webhook_listen, settings.webhook_port).start()
            await app.bot.set_webhook(
                settings.webhook_url,
                secret_token=settings.webhook_secret.reveal(),
                allowed_updates=allowed_updates,
            )
            await app.start()
            log.info("webhook and console served on %s", settings.webhook_port)
            await stop.wait()
            await app.stop()
        finally:
            await runner.cleanup()
    finally:
        if app.post_shutdown is not None:
            await app.post_shutdown(app)
        await app.shutdown()
