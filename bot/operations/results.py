"""A case's results as one CSV file: the chat's 📊 CSV and the console's download alike."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable

from bot.context import Services
from bot.db.plans import PlanRepository
from bot.db.reminder_costs import reminder_costs
from bot.db.replies import ReplyRepository
from bot.db.results import Day, funnel, timeline
from bot.db.shares import ShareRepository
from bot.domain.cases import UrgentAction

DAILY_MEASURES: tuple[tuple[str, Callable[[Day], int]], ...] = (
    ("alerted_on_day", lambda d: d.alerted),
    ("opened_appeal_on_day", lambda d: d.opened),
    ("first_acted_on_day", lambda d: d.acted),
    ("subscribed_on_day", lambda d: d.joined),
    ("left_on_day", lambda d: d.left),
    ("active_at_end_of_day", lambda d: d.active),
)


async def results_csv(services: Services, case: UrgentAction) -> bytes:
    """The case's funnel and its subscribers day by day: counts of people, never who."""
    numbers = await funnel(services.db, case.slug)
    days = await timeline(services.db, case.slug, services.clock())
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["case", "measure", "key", "count"])
    writer.writerow([case.slug, "alerted", "", numbers.alerted])
    writer.writerow([case.slug, "opened_appeal", "", numbers.opened])
    writer.writerow([case.slug, "acted", "", numbers.acted])
    plans = await PlanRepository(services.db).counts(case.slug)
    writer.writerow([case.slug, "planned", "", plans.planned])
    writer.writerow([case.slug, "planned_and_acted", "", plans.done])
    writer.writerow([case.slug, "passed_on", "", plans.passed_on])
    shares = await ShareRepository(services.db).counts(case.slug)
    writer.writerow([case.slug, "joined_through_shares", "", shares.joined])
    writer.writerow([case.slug, "acted_through_shares", "", shares.acted])
    # Per reminder step (seconds before the deadline, "snooze" or "plan"): what followed it.
    for cost in await reminder_costs(services.db, case.slug):
        for measure in ("sent", "acted", "stopped", "blocked", "fewer", "muted"):
            writer.writerow([case.slug, f"reminder_{measure}", cost.step, getattr(cost, measure)])
    # Per official (index in the case's targets): "Did anyone reply?" asked and answered.
    for counts in await ReplyRepository(services.db, services.settings.default_timezone).counts(
        case.slug
    ):
        for measure in ("asked", "yes", "no", "later", "files"):
            key = str(counts.target)
            writer.writerow([case.slug, f"reply_{measure}", key, getattr(counts, measure)])
    for channel, count in numbers.by_channel.items():
        writer.writerow([case.slug, "acted_by_channel", channel, count])
    # Days are UTC; "left" and "active" carry the caveats of bot.db.results.timeline.
    for measure, value in DAILY_MEASURES:
        for day in days:
            writer.writerow([case.slug, measure, day.day.isoformat(), value(day)])
    return out.getvalue().encode()
