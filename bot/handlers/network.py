"""Organizers set the network's default allowance: what everyone who has not chosen gets."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import CallbackQueryHandler, CommandHandler

from bot.context import BotContext
from bot.db.offers import ChoiceRepository
from bot.db.organizers import OrganizerRepository
from bot.domain.allowance import Allowance
from bot.handlers.allowance import labels
from bot.handlers.common import decoded_tap, edit_text, language_of, send, text
from bot.handlers.rights import Right, guard
from bot.views import Screen
from bot.views.callbacks import encode, pattern


@guard(Right.ORGANIZER)
async def network_default(update: Update, context: BotContext) -> None:
    """/allowance for organizers: the network's default allowance, with buttons to change it."""
    message, chat = update.effective_message, update.effective_chat
    if message is None or chat is None:
        return
    await send(chat, await _network_screen(context, await language_of(update, context)))


@guard(Right.ORGANIZER)
async def set_network_default(update: Update, context: BotContext) -> None:
    """An organizer's tap on /allowance: set the network's default (audited)."""
    query, user = update.callback_query, update.effective_user
    callback = await decoded_tap(update, context)
    if query is None or user is None or callback is None:
        return
    services = context.services
    now = services.clock()
    allowance = Allowance(callback.arg(0))
    await ChoiceRepository(services.db).set_network_allowance(allowance, user.id, now)
    await OrganizerRepository(services.db).record(
        user.id, "network_allowance_set", {"allowance": str(allowance)}, now
    )
    language = await language_of(update, context)
    await query.answer(text(context, language, "preferences_saved.txt"))
    screen = await _network_screen(context, language)
    await edit_text(query, screen.text, screen.markup)


async def _network_screen(context: BotContext, language: str) -> Screen:
    services = context.services
    words = labels(services, language)
    current = await ChoiceRepository(services.db).network_allowance()
    rows = [
        [
            InlineKeyboardButton(
                ("✓ " if a is current else "") + words[str(a)], callback_data=encode("oal", str(a))
            )
        ]
        for a in Allowance
    ]
    body = text(context, language, "org_allowance.html", allowance=words[str(current)])
    return Screen(body, InlineKeyboardMarkup(rows))


HANDLERS = [
    CommandHandler("allowance", network_default),
    CallbackQueryHandler(set_network_default, pattern=pattern("oal")),
]
