"""Each update is handled once, however many times it arrives.

Telegram posts an update again when a webhook answered late or failed, and behind a load
balancer the two posts may reach two processes. Ahead of every handler, the update's id is
recorded in the database (`bot.db.updates`); the process that finds it recorded already drops
the update, so a /start is welcomed once and a "Send now" queues its broadcast once.
"""

from __future__ import annotations

import hashlib
import json
import logging

from telegram import Update
from telegram.ext import ApplicationHandlerStop, TypeHandler

from bot.context import BotContext
from bot.db.updates import HandledUpdates

log = logging.getLogger(__name__)


def fingerprint(update: Update) -> str:
    """What tells a repeat of the update from another update with the same id."""
    body = json.dumps(update.to_dict(), sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(body.encode()).hexdigest()[:32]


async def drop_repeats(update: Update, context: BotContext) -> None:
    """Record the update as handled; stop here if it was handled already."""
    services = context.services
    handled = HandledUpdates(services.db)
    if not await handled.first_time(update.update_id, fingerprint(update), services.clock()):
        log.info("update %d arrived again; it was handled once already", update.update_id)
        raise ApplicationHandlerStop


# Registered ahead of every other handler (bot.handlers.register_handlers).
REPEATS = TypeHandler(Update, drop_repeats)
