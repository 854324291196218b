"""When something fails: a log line with the whole story for operators, a short apology for
the person, never a traceback in a chat. Also the answer to buttons nobody understands."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import Forbidden, TelegramError
from telegram.ext import CallbackQueryHandler

from bot.context import BotContext
from bot.handlers.common import language_of, text
from bot.handlers.rights import Right, guard

log = logging.getLogger(__name__)


async def on_error(update: object, context: BotContext) -> None:
    """Log the failure for the operator and apologise to the person."""
    log.error("handling an update failed", exc_info=context.error)
    if not isinstance(update, Update) or update.effective_chat is None:
        return
    if isinstance(context.error, Forbidden):
        return  # the person blocked the bot: nothing can reach them
    try:
        language = await language_of(update, context)
        if update.callback_query is not None:
            apology = text(context, language, "error.txt")
            await update.callback_query.answer(apology, show_alert=True)
        else:
            await update.effective_chat.send_message(text(context, language, "error.html"))
    except (TelegramError, RuntimeError):
        log.warning("could not apologise in chat %s", update.effective_chat.id, exc_info=True)


@guard(Right.ANYONE)
async def unknown_button(update: Update, context: BotContext) -> None:
    """Answer a tap on a button no handler knows: old, malformed or forged."""
    query = update.callback_query
    if query is None:
        return
    language = await language_of(update, context)
    await query.answer(text(context, language, "button_invalid.txt"), show_alert=True)


# Registered last: catches what every other callback handler let through.
FALLBACK = CallbackQueryHandler(unknown_button)
