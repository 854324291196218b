"""A case's card and what its buttons show: the background in pages."""

from __future__ import annotations

from dataclasses import dataclass

from telegram import Update
from telegram.ext import CallbackQueryHandler

from bot.context import BotContext
from bot.domain.cases import CaseStatus, UrgentAction
from bot.domain.subscribers import Subscriber
from bot.handlers.common import (
    decoded_tap,
    edit_text,
    language_of,
    send,
    subscriber_of,
    text,
)
from bot.handlers.rights import Right, guard
from bot.views.callbacks import Callback, pattern
from bot.views.cards import background_page, case_card


async def case_of(update: Update, context: BotContext) -> tuple[Callback, UrgentAction] | None:
    """Decode the tap and load its case; answer the tap and return None when it cannot be used.

    A forged or malformed button, or one naming a case that does not exist, gets a polite
    answer and changes nothing.
    """
    query = update.callback_query
    assert query is not None
    callback = await decoded_tap(update, context)
    if callback is None:
        return None
    language = await language_of(update, context)
    if not callback.args:
        await query.answer(text(context, language, "button_invalid.txt"), show_alert=True)
        return None
    case = await context.services.cases.get(callback.arg(0))
    if case is None or case.status is CaseStatus.DRAFT:
        await query.answer(text(context, language, "button_invalid.txt"), show_alert=True)
        return None
    return callback, case


@dataclass(frozen=True)
class PersonalTap:
    """A person's own tap on an open case's button: what the tap says, the case, the person
    and the language they read."""

    callback: Callback
    case: UrgentAction
    subscriber: Subscriber
    language: str


async def personal_tap(update: Update, context: BotContext) -> PersonalTap | None:
    """`case_of` for the buttons that plan a person's own reminders (a plan, a snooze): a group
    or an unknown chat is told the button is not for it, a closed case that it has closed;
    the tap is answered then, and None returned."""
    found = await case_of(update, context)
    query = update.callback_query
    if found is None or query is None:
        return None
    callback, case = found
    language = await language_of(update, context)
    subscriber = await subscriber_of(update, context)
    if subscriber is None or subscriber.is_group:
        await query.answer(text(context, language, "button_invalid.txt"), show_alert=True)
        return None
    if case.status is CaseStatus.CLOSED:
        await query.answer(text(context, language, "case_closed.txt"), show_alert=True)
        return None
    return PersonalTap(callback, case, subscriber, language)


@guard(Right.ANYONE)
async def show_case(update: Update, context: BotContext) -> None:
    """Show a case's card again (from a list or a reminder)."""
    found = await case_of(update, context)
    query, chat = update.callback_query, update.effective_chat
    if found is None or query is None or chat is None:
        return
    _, case = found
    await query.answer()
    services = context.services
    subscriber = await services.subscribers.get(chat.id)
    language = await language_of(update, context)
    await send(
        chat,
        case_card(
            case,
            language=language,
            renderer=services.renderer,
            now=services.clock(),
            acted=await services.actions.count_people(case.slug),
            bot_username=context.bot.username,
            in_group=subscriber.is_group if subscriber else False,
        ),
    )


@guard(Right.ANYONE)
async def background(update: Update, context: BotContext) -> None:
    """Show a page of the case's background; page turns edit the same message."""
    found = await case_of(update, context)
    query, chat = update.callback_query, update.effective_chat
    if found is None or query is None or chat is None:
        return
    callback, case = found
    language = await language_of(update, context)
    page = int(callback.arg(1))
    screen = background_page(
        case, page=page, language=language, renderer=context.services.renderer
    )
    if screen is None:
        await query.answer(text(context, language, "button_invalid.txt"), show_alert=True)
        return
    await query.answer()
    message = query.message
    if page > 0 and message is not None and message.get_bot() is not None:
        # Turning a page rewrites the page message instead of adding another one.
        await edit_text(query, screen.text, reply_markup=screen.markup)
    else:
        await send(chat, screen)


HANDLERS = [
    CallbackQueryHandler(show_case, pattern=pattern("c")),
    CallbackQueryHandler(background, pattern=pattern("bg")),
]
