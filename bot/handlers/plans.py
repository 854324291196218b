"""A case's card asks "When will you write?": a plan with one reminder, or the case passed on.

The plan's reminder replaces the case's usual ones for this person (bot.db.plans); passing a
case on gives the person's allowance back, and the offer sweep offers them another case.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from telegram import Update
from telegram.ext import CallbackQueryHandler

from bot.context import BotContext, Services
from bot.db.plans import PlanRepository
from bot.domain.plans import PlanChoice, planned_reminder
from bot.handlers import allowance
from bot.handlers.cases import personal_tap
from bot.handlers.common import text
from bot.handlers.reminders import drop_buttons, local_moment, refuse_after_deadline
from bot.handlers.rights import Right, guard
from bot.views.callbacks import pattern

log = logging.getLogger(__name__)


@guard(Right.PERSON)
async def when(update: Update, context: BotContext) -> None:
    """Tonight, tomorrow, this weekend: one reminder then. "I can't": the case goes back."""
    tap = await personal_tap(update, context)
    query = update.callback_query
    if tap is None or query is None:
        return
    callback, case, subscriber, language = tap.callback, tap.case, tap.subscriber, tap.language
    services = context.services
    now = services.clock()
    choice = PlanChoice(callback.arg(1))
    plans = PlanRepository(services.db)
    timezone = subscriber.timezone or services.settings.default_timezone
    remind_at = planned_reminder(now, choice, timezone)
    deadline = case.deadline_moment()
    if remind_at is None:
        await plans.pass_on(case.slug, subscriber.id, now)
        await query.answer(text(context, language, "plan_passed.txt"), show_alert=True)
        report = await allowance.offer_now(services, context.bot.username)
        log.info("case %s passed on; %d new offers queued", case.slug, report.offered)
    elif deadline is not None and remind_at >= deadline:
        await refuse_after_deadline(query, context, language, deadline, timezone)
        return
    else:
        await plans.plan(case.slug, subscriber.id, choice, remind_at, now)
        when_text = local_moment(remind_at, timezone, services.renderer, language)
        await query.answer(text(context, language, "plan_set.txt", when=when_text))
    # The question is answered: its buttons leave the card.
    await drop_buttons(query, "wp")


def exporter(services: Services) -> Callable[[int], Awaitable[list[dict[str, str | None]]]]:
    """What /mydata shows of a person's plans, cases passed on and requests for fewer cases."""

    async def export(subscriber_id: int) -> list[dict[str, str | None]]:
        return await PlanRepository(services.db).of_subscriber(subscriber_id)

    return export


HANDLERS = [CallbackQueryHandler(when, pattern=pattern("wp"))]
