"""Organizers choose reminder plans in the chat: the case's and the network's default.

The screen opens from a case's 📊 Results (⏰ Reminder plan) and shows the reminder cost figures
of the case beside the plans (bot/operations/reminder_plans.py does the choosing).
"""

from __future__ import annotations

from datetime import timedelta

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import CallbackQueryHandler

from bot.context import BotContext
from bot.db.reminder_costs import reminder_costs
from bot.domain.cases import CaseStatus, UrgentAction
from bot.domain.reminders import PRESET_PLANS
from bot.handlers.common import decoded_tap, edit_text, language_of, send, text
from bot.handlers.organizer import tapped_case
from bot.handlers.rights import Right, guard
from bot.operations.reminder_plans import (
    NETWORK,
    choose_case_plan,
    choose_network_plan,
    plans_of,
)
from bot.views import Screen
from bot.views.callbacks import encode, pattern


def describe(context: BotContext, language: str, offsets: tuple[timedelta, ...]) -> str:
    """A plan in words: "7 days, 2 days and 15 hours before the deadline"."""
    return text(context, language, "reminder_plan.txt", offsets=offsets)


async def screen(context: BotContext, language: str, case: UrgentAction) -> Screen:
    """The plans, the case's costs, and a button for each choice (✓ on the current ones)."""
    services = context.services
    chosen = await plans_of(services, case)
    button = services.renderer.button
    case_key, network_key = chosen.case_preset(), chosen.network_preset()
    rows = []
    if case.status is not CaseStatus.CLOSED:
        rows = [
            [
                InlineKeyboardButton(
                    ("✓ " if case_key == str(n) else "") + "📌 " + describe(context, language, p),
                    callback_data=encode("orc", case.slug, str(n)),
                )
            ]
            for n, p in enumerate(PRESET_PLANS)
        ]
        rows.append(
            [
                InlineKeyboardButton(
                    ("✓ " if case_key == NETWORK else "") + button(language, "org_plan_network"),
                    callback_data=encode("orc", case.slug, NETWORK),
                )
            ]
        )
    rows += [
        [
            InlineKeyboardButton(
                ("✓ " if network_key == str(n) else "") + "🌐 " + describe(context, language, p),
                callback_data=encode("orn", case.slug, str(n)),
            )
        ]
        for n, p in enumerate(PRESET_PLANS)
    ]
    body = text(
        context,
        language,
        "org_reminder_plan.html",
        texts=case.text(language),
        case_plan=None if chosen.case is None else describe(context, language, chosen.case),
        network_plan=describe(context, language, chosen.network),
        costs=await reminder_costs(services.db, case.slug),
    )
    return Screen(body, InlineKeyboardMarkup(rows))


@guard(Right.ORGANIZER)
async def show(update: Update, context: BotContext) -> None:
    """⏰ Reminder plan under a case's results: the plans and what the steps cost."""
    case = await tapped_case(update, context)
    query, chat = update.callback_query, update.effective_chat
    if case is None or query is None or chat is None:
        return
    await query.answer()
    await send(chat, await screen(context, await language_of(update, context), case))


@guard(Right.ORGANIZER)
async def choose(update: Update, context: BotContext) -> None:
    """A tap on a plan: the case's (📌) or the network's default (🌐); audited."""
    case = await tapped_case(update, context)
    query, user = update.callback_query, update.effective_user
    callback = await decoded_tap(update, context)
    if case is None or query is None or user is None or callback is None:
        return
    services = context.services
    language = await language_of(update, context)
    if callback.verb == "orc":
        if case.status is CaseStatus.CLOSED:
            await query.answer(text(context, language, "case_closed.txt"), show_alert=True)
            return
        case = await choose_case_plan(services, user.id, case, callback.arg(1))
    else:
        await choose_network_plan(services, user.id, callback.arg(1))
    await query.answer(text(context, language, "preferences_saved.txt"))
    shown = await screen(context, language, case)
    await edit_text(query, shown.text, reply_markup=shown.markup)


HANDLERS = [
    CallbackQueryHandler(show, pattern=pattern("orp")),
    CallbackQueryHandler(choose, pattern=pattern("orc")),
    CallbackQueryHandler(choose, pattern=pattern("orn")),
]
