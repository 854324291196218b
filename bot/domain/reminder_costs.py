"""What each reminder step of a case gains and costs: who acted after it, and who left.

Reminders raise action and also unsubscribes; counting only the first overstates them. For
each step of a case's plan, of the people who got that reminder, this counts those who then
acted, stopped the bot, blocked it, asked for fewer cases, or asked for no more reminders
about the case, each within the reminder's window: until the person's next reminder about the
case, and at most a week.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.domain.reminders import PLAN_STEP, SNOOZE_STEP

WINDOW = timedelta(days=7)


@dataclass(frozen=True)
class SentReminder:
    """A reminder that went to a person about the case."""

    subscriber_id: int
    step: str  # the step's key (bot.domain.reminders.step_key), "snooze" or "plan"
    at: datetime


@dataclass(frozen=True)
class Aftermath:
    """What a person did on the case and with the bot, with when."""

    acted_at: datetime | None = None  # their first appeal on the case
    left_at: datetime | None = None  # when they stopped or blocked the bot (their last change)
    blocked: bool = False  # left by blocking the bot, not by /stop
    muted_at: datetime | None = None  # "stop reminding me about this case"
    cuts: tuple[datetime, ...] = ()  # when they asked for fewer cases


@dataclass(frozen=True)
class StepCost:
    """One step of the plan: reminders sent, and what followed within their windows."""

    step: str  # "plan", "snooze", or the offset before the deadline in seconds, as text
    sent: int = 0
    acted: int = 0
    stopped: int = 0
    blocked: int = 0
    fewer: int = 0
    muted: int = 0

    @property
    def before_deadline(self) -> timedelta | None:
        """The step's offset before the deadline; None for a snooze or a person's own plan."""
        return None if self.step in (PLAN_STEP, SNOOZE_STEP) else timedelta(seconds=int(self.step))


def step_of(key: str) -> str:
    """The step a reminder's key belongs to, whatever deadline it counted from."""
    return key.split("s@", 1)[0] if "s@" in key else key


def step_costs(
    sent: Iterable[SentReminder],
    people: Mapping[int, Aftermath],
    totals: Mapping[str, int] | None = None,
) -> list[StepCost]:
    """Per step, earliest first (then snoozes, then plans): what followed its reminders.

    `totals` gives the reminders sent per step key when `sent` holds only those of the people
    something happened to (the others only count as sent).
    """
    by_person: dict[int, list[SentReminder]] = {}
    for reminder in sent:
        by_person.setdefault(reminder.subscriber_id, []).append(reminder)
    counts: dict[str, dict[str, int]] = {}
    for key, number in (totals or {}).items():
        counts.setdefault(step_of(key), dict.fromkeys(_MEASURES, 0))["sent"] += number
    for subscriber_id, reminders in by_person.items():
        after = people.get(subscriber_id, Aftermath())
        reminders.sort(key=lambda r: r.at)
        for index, reminder in enumerate(reminders):
            end = reminder.at + WINDOW
            if index + 1 < len(reminders):
                end = min(end, reminders[index + 1].at)
            tally = counts.setdefault(step_of(reminder.step), dict.fromkeys(_MEASURES, 0))
            tally["sent"] += int(totals is None)
            for measure, happened in _followed(after, reminder.at, end).items():
                tally[measure] += int(happened)
    return sorted((StepCost(step, **tally) for step, tally in counts.items()), key=_order)


_MEASURES = ("sent", "acted", "stopped", "blocked", "fewer", "muted")


def _followed(after: Aftermath, start: datetime, end: datetime) -> dict[str, bool]:
    def within(moment: datetime | None) -> bool:
        return moment is not None and start <= moment < end

    left = within(after.left_at)
    return {
        "acted": within(after.acted_at),
        "stopped": left and not after.blocked,
        "blocked": left and after.blocked,
        "fewer": any(within(cut) for cut in after.cuts),
        "muted": within(after.muted_at),
    }


def _order(cost: StepCost) -> tuple[int, float]:
    offset = cost.before_deadline
    if offset is not None:
        return (0, -offset.total_seconds())
    return (1 if cost.step == SNOOZE_STEP else 2, 0.0)
