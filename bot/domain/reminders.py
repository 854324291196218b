"""The reminder plan of a case, and the rules for when a reminder may reach a person.

A case's plan is a list of offsets before its deadline ("7d", "2d", ...). Each offset becomes a
step whose key names the deadline it counts from, so moving the deadline makes new steps and a
step already sent is never sent again for the same deadline.

Reminders arrive in the person's daytime: never from 22:00 to 08:00 in their timezone. A moment
that falls in the night moves to the next morning, or, when that would be past the deadline, to
the evening before the night.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.domain.cases import CaseStatus, UrgentAction

# Seven days before, two days before, and the morning of the deadline (15 hours before a
# deadline at the end of its day is 09:00 on the day).
DEFAULT_PLAN = (timedelta(days=7), timedelta(days=2), timedelta(hours=15))
# The plans organizers choose from, for the network's default and for a case: the default, two
# lighter ones, and none (bot/operations/reminder_plans.py; bench/plans.py weighs them).
PRESET_PLANS: tuple[tuple[timedelta, ...], ...] = (
    DEFAULT_PLAN,
    (timedelta(days=2), timedelta(hours=15)),
    (timedelta(hours=15),),
    (),
)
DAY_STARTS = time(8, 0)
NIGHT_STARTS = time(22, 0)
# The latest moment before the night: a reminder that cannot wait for the morning comes then.
LAST_CALL = time(21, 0)
SNOOZE_STEP = "snooze"
# The one reminder of a person's own plan (bot.domain.plans): it replaces the case's steps.
PLAN_STEP = "plan"


class Snooze(enum.StrEnum):
    """What a person asked for on an alert or a reminder."""

    TOMORROW = "1d"
    THREE_DAYS = "3d"
    OFF = "off"

    @property
    def delay(self) -> timedelta | None:
        """How long to wait; None for "stop reminding me about this case"."""
        return {"1d": timedelta(days=1), "3d": timedelta(days=3)}.get(self.value)


@dataclass(frozen=True)
class Step:
    """One reminder of the plan: its key and when it is due, for one timezone."""

    key: str
    due: datetime


def plan_of(
    case: UrgentAction, default: tuple[timedelta, ...] = DEFAULT_PLAN
) -> tuple[timedelta, ...]:
    """The offsets before the deadline the case reminds at: its own, or the network's default."""
    return case.reminder_offsets if case.reminder_offsets is not None else default


def stored_plan(offsets: tuple[timedelta, ...]) -> str:
    """A plan as the network's settings keep it: seconds before the deadline, comma-separated."""
    return ",".join(str(int(offset.total_seconds())) for offset in offsets)


def read_plan(value: str) -> tuple[timedelta, ...]:
    """The inverse of `stored_plan` ("" is the plan without reminders)."""
    return tuple(timedelta(seconds=int(part)) for part in value.split(",") if part)


def step_key(offset: timedelta, deadline: datetime) -> str:
    """The key of a step: the offset and the deadline it counts from, both exact."""
    seconds = int(offset.total_seconds())
    return f"{seconds}s@{deadline.astimezone(UTC).strftime('%Y-%m-%dT%H:%M:%SZ')}"


def steps(
    case: UrgentAction,
    timezone: str,
    now: datetime,
    default: tuple[timedelta, ...] = DEFAULT_PLAN,
) -> list[Step]:
    """The plan's steps still ahead for a person in `timezone`, in the order they come; a case
    without a plan of its own follows `default`, the network's."""
    deadline = case.deadline_moment()
    if deadline is None or deadline <= now:
        return []
    found = []
    for offset in plan_of(case, default):
        due = daytime(deadline - offset, timezone, deadline)
        if due is not None and due > now:
            found.append(Step(step_key(offset, deadline), due))
    return sorted(found, key=lambda step: step.due)


def is_night(moment: datetime, timezone: str) -> bool:
    """Whether `moment` lies in the quiet hours, 22:00 to 08:00 in `timezone`."""
    local = moment.astimezone(ZoneInfo(timezone)).time()
    return local >= NIGHT_STARTS or local < DAY_STARTS


def daytime(moment: datetime, timezone: str, deadline: datetime | None) -> datetime | None:
    """`moment`, or the nearest moment of daytime for a reminder that must come before the
    deadline; None when no daytime is left before it."""
    if not is_night(moment, timezone):
        return moment if deadline is None or moment < deadline else None
    tz = ZoneInfo(timezone)
    local = moment.astimezone(tz)
    morning_day = (
        local.date() + timedelta(days=1) if local.time() >= NIGHT_STARTS else local.date()
    )
    morning = datetime.combine(morning_day, DAY_STARTS, tzinfo=tz).astimezone(UTC)
    if deadline is None or morning < deadline:
        return morning
    evening = datetime.combine(morning_day - timedelta(days=1), LAST_CALL, tzinfo=tz)
    evening_utc = evening.astimezone(UTC)
    return evening_utc if evening_utc < deadline else None


def snoozed_until(now: datetime, snooze: Snooze, timezone: str) -> datetime | None:
    """When a snoozed reminder comes back: after the delay, in the person's daytime."""
    delay = snooze.delay
    if delay is None:
        return None
    return daytime(now + delay, timezone, None)


@dataclass(frozen=True)
class DueReminder:
    """A reminder whose time has come, with what decides whether it still goes."""

    id: int
    case_slug: str
    subscriber_id: int
    chat_id: int
    language: str
    timezone: str
    due: datetime
    reachable: bool  # the subscriber is active (not /stop, not blocked)
    acted: bool  # the person has recorded an appeal on the case
    stopped: bool  # the person asked for no more reminders about the case


class Fate(enum.StrEnum):
    """What becomes of a due reminder; the values are the statuses stored."""

    SEND = "sent"
    CANCEL = "cancelled"  # no longer wanted: acted, unsubscribed, case closed
    DROP = "dropped"  # too late to make sense
    MERGE = "merged"  # another reminder about the same case goes instead
    LATER = "later"  # night where the person is: wait for their morning


@dataclass(frozen=True)
class Decision:
    """A fate, why, and for LATER when."""

    fate: Fate
    note: str | None = None
    later: datetime | None = None


def decide(
    reminder: DueReminder, case: UrgentAction | None, now: datetime, grace: timedelta
) -> Decision:
    """Whether a due reminder goes now, later, or not at all."""
    if case is None or case.status is not CaseStatus.ACTIVE:
        return Decision(Fate.CANCEL, "the case is not active")
    if not reminder.reachable:
        return Decision(Fate.CANCEL, "unsubscribed")
    if reminder.acted:
        return Decision(Fate.CANCEL, "acted")
    if reminder.stopped:
        return Decision(Fate.CANCEL, "asked to stop")
    deadline = case.deadline_moment()
    if deadline is None or now >= deadline:
        return Decision(Fate.DROP, "the deadline has passed")
    if now - reminder.due > grace:
        return Decision(Fate.DROP, "too late")
    if is_night(now, reminder.timezone):
        later = daytime(now, reminder.timezone, deadline)
        if later is None or later <= now:
            return Decision(Fate.DROP, "no daytime left before the deadline")
        return Decision(Fate.LATER, later=later)
    return Decision(Fate.SEND)


def keep_latest(
    decided: list[tuple[DueReminder, Decision]],
) -> list[tuple[DueReminder, Decision]]:
    """Of several reminders about one case going to one person at once, send only the latest
    (after a downtime, the 7-day and 2-day reminders become one); the others are merged."""
    latest: dict[tuple[str, int], DueReminder] = {}
    for reminder, decision in decided:
        if decision.fate is Fate.SEND:
            key = (reminder.case_slug, reminder.subscriber_id)
            if key not in latest or reminder.due >= latest[key].due:
                latest[key] = reminder
    merged = Decision(Fate.MERGE, "merged into a later reminder")
    return [
        (
            reminder,
            merged
            if decision.fate is Fate.SEND
            and latest[(reminder.case_slug, reminder.subscriber_id)] is not reminder
            else decision,
        )
        for reminder, decision in decided
    ]
