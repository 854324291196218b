"""Reminders: the sweep the scheduler wakes, and the snooze buttons.

The schedule lives in the database (bot.db.reminders). The JobQueue only wakes `sweep` every
BOT_REMINDER_CHECK seconds; the sweep reads what is due and hands it to the delivery engine.
"""

from __future__ import annotations

import logging
from datetime import datetime
from zoneinfo import ZoneInfo

from telegram import CallbackQuery, InlineKeyboardMarkup, Message, Update
from telegram.ext import CallbackQueryHandler

from bot import sweeps
from bot.context import BotContext, UrgentActionApp
from bot.delivery.messages import OutboundMessage
from bot.domain.cases import CaseStatus, UrgentAction
from bot.domain.reminders import Snooze, snoozed_until
from bot.handlers.cases import case_of, personal_tap
from bot.handlers.common import edit_markup, language_of, send, subscriber_of, text
from bot.handlers.rights import Right, guard
from bot.rendering import Renderer
from bot.views import Screen
from bot.views.callbacks import pattern
from bot.views.reminders import reminder_screen, snooze_rows

log = logging.getLogger(__name__)

JOB_NAME = "reminders"


def schedule_sweeps(app: UrgentActionApp) -> None:
    """Wake the sweep now (what fell due while the bot was down) and then regularly."""
    assert app.job_queue is not None
    services = app.bot_data.services
    assert services is not None
    sweeps.every(app, sweep, services.settings.reminder_check, JOB_NAME)


async def sweep(context: BotContext) -> None:
    """Send the reminders that have come due, through the delivery engine."""
    services = context.services
    now = services.clock()
    renderer = services.renderer
    cases = {case.slug: case for case in await services.cases.all()}

    def message_for(case: UrgentAction, language: str) -> OutboundMessage:
        screen = reminder_screen(case, language, renderer, now)
        markup = screen.markup.to_dict() if screen.markup else None
        return OutboundMessage.text(screen.text, reply_markup=markup)

    report = await services.reminders.send_due(
        now, cases, message_for, grace=services.settings.reminder_grace
    )
    if report.sent:
        services.wake_delivery()
    if report.sent or report.dropped or report.cancelled or report.merged:
        log.info(
            "reminders: %d queued, %d cancelled, %d dropped as too late, %d merged,"
            " %d postponed to the morning",
            report.sent,
            report.cancelled,
            report.dropped,
            report.merged,
            report.postponed,
        )


@guard(Right.PERSON)
async def snooze(update: Update, context: BotContext) -> None:
    """Remind me tomorrow, in 3 days, or stop reminding me about this case."""
    tap = await personal_tap(update, context)
    query = update.callback_query
    if tap is None or query is None:
        return
    callback, case, subscriber, language = tap.callback, tap.case, tap.subscriber, tap.language
    services = context.services
    now = services.clock()
    choice = Snooze(callback.arg(1))
    timezone = subscriber.timezone or services.settings.default_timezone
    until = snoozed_until(now, choice, timezone)
    deadline = case.deadline_moment()
    if until is None:
        await services.reminders.stop(case.slug, subscriber.id, now)
        await query.answer(text(context, language, "reminders_off.txt", case=case))
    elif deadline is not None and until >= deadline:
        await refuse_after_deadline(query, context, language, deadline, timezone)
        return
    else:
        await services.reminders.snooze(case, subscriber.id, until, now)
        when = local_moment(until, timezone, services.renderer, language)
        await query.answer(text(context, language, "snoozed.txt", when=when))
    # The snooze buttons have done their work on this message.
    await drop_buttons(query, "sz")


async def refuse_after_deadline(
    query: CallbackQuery, context: BotContext, language: str, deadline: datetime, timezone: str
) -> None:
    """Answer a tap that asks to be reminded after the case's deadline: it says when that is."""
    when = local_moment(deadline, timezone, context.services.renderer, language)
    await query.answer(
        text(context, language, "snooze_after_deadline.txt", deadline=when), show_alert=True
    )


async def drop_buttons(query: CallbackQuery, verb: str) -> None:
    """Take the rows holding `verb`'s buttons off the tapped message: they have done their work."""
    message = query.message
    if isinstance(message, Message) and message.reply_markup is not None:
        keep = [
            row
            for row in message.reply_markup.inline_keyboard
            if not any(str(b.callback_data or "").startswith(f"{verb}:") for b in row)
        ]
        await edit_markup(query, InlineKeyboardMarkup(keep) if keep else None)


@guard(Right.PERSON)
async def not_now(update: Update, context: BotContext) -> None:
    """ "Not now" on a card: the plan will bring the case back; or choose when."""
    found = await case_of(update, context)
    query = update.callback_query
    chat = update.effective_chat
    if found is None or query is None or chat is None:
        return
    _, case = found
    language = await language_of(update, context)
    closed = case.status is CaseStatus.CLOSED
    subscriber = await subscriber_of(update, context)
    if closed or subscriber is None or subscriber.is_group:
        await query.answer(text(context, language, "not_now.txt", closed=closed))
        return
    await query.answer()
    services = context.services
    timezone = subscriber.timezone or services.settings.default_timezone
    upcoming = [
        p for p in await services.reminders.pending(subscriber.id) if p.case_slug == case.slug
    ]
    next_at = (
        local_moment(upcoming[0].due, timezone, services.renderer, language) if upcoming else None
    )
    body = text(context, language, "not_now.html", case=case, next_at=next_at)
    await send(
        chat,
        Screen(body, InlineKeyboardMarkup(snooze_rows(services.renderer, language, case.slug))),
    )


def local_moment(moment: datetime, timezone: str, renderer: Renderer, language: str) -> str:
    """A moment as the person reads it: "5 June 2022, 09:00" in their timezone."""
    return renderer.moment(moment.astimezone(ZoneInfo(timezone)), language)


HANDLERS = [
    CallbackQueryHandler(snooze, pattern=pattern("sz")),
    CallbackQueryHandler(not_now, pattern=pattern("nn")),
]
