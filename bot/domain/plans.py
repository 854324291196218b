"""A person's plan for a case: when they will write, or that they pass it on.

Asking people *when* they will act raises follow-through more than a fixed reminder plan does.
A plan replaces the case's usual reminders for that person with one reminder at the time they
chose, in their time zone and never in the quiet hours (bot.domain.reminders.daytime).
"""

from __future__ import annotations

import enum
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.domain.reminders import daytime

# "Tonight" and "tomorrow" mean the evening, when most people write; "this weekend" the morning.
EVENING = time(19, 0)
WEEKEND_MORNING = time(10, 0)
# A plan made later than the evening's hour still gets a moment to write first.
AT_LEAST = timedelta(hours=1)
SATURDAY = 5


class PlanChoice(enum.StrEnum):
    """What a person answered to "When will you write?"; the values go into callback data."""

    TONIGHT = "tn"
    TOMORROW = "tm"
    WEEKEND = "we"
    CANNOT = "no"  # "I can't take this one": the case goes back

    @property
    def stored(self) -> str:
        """The word kept in the database for organizers' counts."""
        return _STORED[self]


_STORED = {
    PlanChoice.TONIGHT: "tonight",
    PlanChoice.TOMORROW: "tomorrow",
    PlanChoice.WEEKEND: "weekend",
    PlanChoice.CANNOT: "passed",
}


def planned_reminder(now: datetime, choice: PlanChoice, timezone: str) -> datetime | None:
    """When the one reminder of a plan comes, in UTC; None for "I can't".

    The chosen moment is moved out of the night to the next morning, like every reminder.
    """
    tz = ZoneInfo(timezone)
    local = now.astimezone(tz)
    soonest = now + AT_LEAST
    if choice is PlanChoice.TONIGHT:
        wanted = max(datetime.combine(local.date(), EVENING, tzinfo=tz), soonest)
    elif choice is PlanChoice.TOMORROW:
        wanted = datetime.combine(local.date() + timedelta(days=1), EVENING, tzinfo=tz)
    elif choice is PlanChoice.WEEKEND:
        wanted = _weekend(local, soonest)
    else:
        return None
    return daytime(wanted.astimezone(now.tzinfo), timezone, None)


def _weekend(local: datetime, soonest: datetime) -> datetime:
    """Saturday morning, or Sunday's if Saturday's has gone; late on a Sunday, soon."""
    saturday = local.date() + timedelta(days=(SATURDAY - local.weekday()) % 7)
    if local.weekday() == SATURDAY + 1:
        saturday -= timedelta(days=7)
    for day in (saturday, saturday + timedelta(days=1)):
        moment = datetime.combine(day, WEEKEND_MORNING, tzinfo=local.tzinfo)
        if moment >= soonest:
            return moment
    return soonest.astimezone(local.tzinfo)
