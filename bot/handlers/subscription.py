"""Subscribing and unsubscribing: /start (with deep links), /stop and its undo."""

from __future__ import annotations

import logging
import re

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ChatType as TelegramChatType
from telegram.ext import CallbackQueryHandler, CommandHandler

from bot.context import BotContext
from bot.domain.cases import CaseStatus, UrgentAction
from bot.domain.shares import read_share
from bot.domain.subscribers import ChatType, Subscriber, SubscriberStatus
from bot.handlers import allowance, sharing
from bot.handlers.common import edit_text, language_of, send, text
from bot.handlers.rights import Right, guard
from bot.views import Screen
from bot.views.callbacks import SLUG, encode, pattern
from bot.views.cards import case_card

log = logging.getLogger(__name__)


@guard(Right.CHAT_ADMIN)
async def start(update: Update, context: BotContext) -> None:
    """Subscribe this chat and show the active cases (or the one a deep link names)."""
    chat, message = update.effective_chat, update.effective_message
    if chat is None or message is None:
        return
    services = context.services
    language = await language_of(update, context)
    in_group = chat.type != TelegramChatType.PRIVATE
    now = services.clock()
    chat_type = ChatType(chat.type) if chat.type in set(ChatType) else ChatType.GROUP
    subscriber, newly = await services.subscribers.subscribe(chat.id, chat_type, language, now)
    payload = context.args[0] if context.args else None
    active = await services.cases.active()
    await message.reply_text(
        text(
            context,
            subscriber.language,
            "welcome.html",
            newly=newly,
            in_group=in_group,
            cases=len(active),
        )
    )
    if payload is not None:
        share = read_share(payload)
        slug = share.slug if share is not None else payload
        case = await services.cases.get(slug) if _is_slug(slug) else None
        if case is None or case.status is CaseStatus.DRAFT:
            await message.reply_text(text(context, subscriber.language, "unknown_case.html"))
        else:
            if share is not None and not subscriber.is_group:
                await sharing.arrived(services, case, subscriber, newly=newly)
            await show_card(update, context, subscriber, case)
            return
    await allowance.show_first_cases(update, context, subscriber, active, newly, show_card)


async def show_card(
    update: Update,
    context: BotContext,
    subscriber: Subscriber,
    case: UrgentAction,
    *,
    unless_had: bool = False,
) -> None:
    """Send the case's card to the subscriber's chat and record that it reached them."""
    chat = update.effective_chat
    assert chat is not None
    services = context.services
    now = services.clock()
    screen = case_card(
        case,
        language=subscriber.language,
        renderer=services.renderer,
        now=now,
        acted=await services.actions.count_people(case.slug),
        bot_username=context.bot.username,
        in_group=subscriber.is_group,
    )
    # Recorded first: the offer sweep may reach this person at the same moment, and a case
    # already on its way to them (`unless_had`) is not shown twice.
    recorded = await services.alerts.record(case, subscriber.id, now)
    if unless_had and not recorded:
        return
    await send(chat, screen)


@guard(Right.CHAT_ADMIN)
async def stop(update: Update, context: BotContext) -> None:
    """Unsubscribe this chat, keeping its history, with a button to undo."""
    chat, message = update.effective_chat, update.effective_message
    if chat is None or message is None:
        return
    language = await language_of(update, context)
    services = context.services
    known = await services.subscribers.set_status(
        chat.id, SubscriberStatus.STOPPED, services.clock()
    )
    if not known:
        await message.reply_text(text(context, language, "not_subscribed.html"))
        return
    group = chat.type != TelegramChatType.PRIVATE
    undo = InlineKeyboardButton(
        services.renderer.button(language, "undo_stop_group" if group else "undo_stop"),
        callback_data=encode("sub"),
    )
    await send(
        chat,
        Screen(
            text(context, language, "stopped.html", group=group), InlineKeyboardMarkup([[undo]])
        ),
    )


@guard(Right.CHAT_ADMIN)
async def undo_stop(update: Update, context: BotContext) -> None:
    """Subscribe again after /stop, from the undo button."""
    query, chat = update.callback_query, update.effective_chat
    if query is None or chat is None:
        return
    language = await language_of(update, context)
    services = context.services
    subscriber = await services.subscribers.get(chat.id)
    if subscriber is None:
        await query.answer()
        await chat.send_message(text(context, language, "not_subscribed.html"))
        return
    await services.subscribers.subscribe(
        chat.id, subscriber.chat_type, subscriber.language, services.clock()
    )
    await query.answer(text(context, language, "resubscribed_short.txt"))
    await edit_text(query, text(context, language, "resubscribed.html"))


def _is_slug(value: str) -> bool:
    return re.fullmatch(SLUG, value) is not None


HANDLERS = [
    CommandHandler("start", start),
    CommandHandler("stop", stop),
    CallbackQueryHandler(undo_stop, pattern=pattern("sub")),
]
