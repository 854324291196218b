"""Recording appeals: "I've acted" asks which channel and official, and records each once."""

from __future__ import annotations

from telegram import Update
from telegram.ext import CallbackQueryHandler

from bot.context import BotContext
from bot.domain.cases import CaseStatus, Channel
from bot.handlers import sharing
from bot.handlers.cases import case_of
from bot.handlers.common import edit_text, language_of, send, text
from bot.handlers.rights import Right, guard
from bot.views.callbacks import pattern
from bot.views.cards import deep_link
from bot.views.checklist import checklist


@guard(Right.PERSON)
async def acted(update: Update, context: BotContext) -> None:
    """Show the checklist of the case: which appeals the person has sent."""
    found = await case_of(update, context)
    query, chat = update.callback_query, update.effective_chat
    if found is None or query is None or chat is None:
        return
    _, case = found
    services = context.services
    language = await language_of(update, context)
    subscriber = await services.subscribers.get(chat.id)
    if subscriber is None or subscriber.is_group:
        await query.answer(text(context, language, "start_first.txt"), show_alert=True)
        return
    if case.status is CaseStatus.CLOSED:
        await query.answer(text(context, language, "case_closed.txt"), show_alert=True)
        return
    await query.answer()
    done = await services.actions.done(case.slug, subscriber.actor)
    await send(
        chat,
        checklist(
            case,
            done,
            language=language,
            renderer=services.renderer,
            writer_country=subscriber.home_country,
        ),
    )


@guard(Right.PERSON)
async def record(update: Update, context: BotContext) -> None:
    """Record one appeal (case, channel, official) once; thank the person the first time."""
    found = await case_of(update, context)
    query, chat = update.callback_query, update.effective_chat
    if found is None or query is None or chat is None:
        return
    callback, case = found
    services = context.services
    language = await language_of(update, context)
    channel, index = Channel(callback.arg(1)), int(callback.arg(2))
    if index >= len(case.targets) or not case.targets[index].reaches_by(channel):
        await query.answer(text(context, language, "button_invalid.txt"), show_alert=True)
        return
    subscriber = await services.subscribers.get(chat.id)
    if subscriber is None or subscriber.is_group:
        await query.answer(text(context, language, "start_first.txt"), show_alert=True)
        return
    if case.status is CaseStatus.CLOSED:
        await query.answer(text(context, language, "case_closed.txt"), show_alert=True)
        return
    before = await services.actions.done(case.slug, subscriber.actor)
    recorded = await services.actions.record(
        case.slug, subscriber.actor, channel, index, services.clock()
    )
    await query.answer(text(context, language, "recorded.txt", recorded=recorded))
    if not recorded:
        return
    done = before | {(channel, index)}
    screen = checklist(
        case,
        done,
        language=language,
        renderer=services.renderer,
        writer_country=subscriber.home_country,
    )
    await edit_text(query, screen.text, reply_markup=screen.markup)
    if not before:
        await chat.send_message(
            text(
                context,
                language,
                "thanks.html",
                case=case,
                acted=await services.actions.count_people(case.slug),
                link=deep_link(context.bot.username, case.slug),
            ),
            reply_markup=sharing.ask_friend(context, language, case),
        )


HANDLERS = [
    CallbackQueryHandler(acted, pattern=pattern("ac")),
    CallbackQueryHandler(record, pattern=pattern("rec")),
]
