"""How many cases reach each person, and which: the allowance and the choice of cases.

A section forwards 15-20 Urgent Actions a week; nobody writes that many letters. Each person
chooses how many cases they want (every case, up to 3 a week, 1 a week, 2 a month) and what
about (countries, themes, the channels they can use). When more cases are open than their
allowance, the bot picks for them:

1. cases whose deadline comes before the person's next slot: if they do not get it now, they
   never will;
2. within those, and then among the rest, the cases with the fewest appeals so far per person
   reached, so attention spreads across cases instead of piling onto the first one published
   (or onto the one closing soonest);
3. then the case reached by the fewest people, then the soonest deadline, then the oldest.

Never a case the person has already been offered, acted on or asked not to hear about. An urgent
case (an execution imminent) goes to everyone whose filters accept it, whatever their allowance,
and does not use it up.

Pure logic: no clock of its own (`now` is passed in), no I/O. The slots are instants in UTC; the
quiet hours in a person's time zone are applied by whoever schedules the send.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from bot.domain.cases import Channel


class Allowance(enum.StrEnum):
    """How many cases a person wants."""

    EVERY = "every"
    THREE_A_WEEK = "3-week"
    ONE_A_WEEK = "1-week"
    TWO_A_MONTH = "2-month"

    @property
    def window(self) -> timedelta:
        """The period the allowance counts over."""
        return timedelta(days=30) if self is Allowance.TWO_A_MONTH else timedelta(days=7)

    @property
    def per_window(self) -> int | None:
        """How many cases fit in one window; None: every case."""
        return _COUNTS[self]

    def fewer_than(self, other: Allowance) -> bool:
        """Whether this allowance lets fewer cases through than `other` does."""
        return _rate(self) < _rate(other)

    @property
    def spacing(self) -> timedelta:
        """The least time between two cases, so an allowance is spread over its window."""
        count = self.per_window
        return timedelta(0) if count is None else self.window / count


_COUNTS: Mapping[Allowance, int | None] = {
    Allowance.EVERY: None,
    Allowance.THREE_A_WEEK: 3,
    Allowance.ONE_A_WEEK: 1,
    Allowance.TWO_A_MONTH: 2,
}


def _rate(allowance: Allowance) -> float:
    """Cases a day the allowance lets through; every case counts as unlimited."""
    count = allowance.per_window
    return float("inf") if count is None else count / allowance.window.days


class NotOffered(enum.StrEnum):
    """Why a case was not offered to a person: what organizers see per case."""

    COUNTRY = "country"  # the person follows other countries
    THEME = "theme"  # the person follows other themes
    CHANNEL = "channel"  # the case can be answered only by channels the person cannot use
    ALLOWANCE = "allowance"  # the person's allowance went to other cases, or is spent
    DONE = "done"  # already offered, acted on, or muted by the person
    CLOSED = "closed"  # the deadline has passed


@dataclass(frozen=True)
class OpenCase:
    """A published case as the choice sees it: what it is about, and how it is doing."""

    slug: str
    country_code: str
    published_at: datetime
    channels: frozenset[Channel]
    deadline: datetime | None = None
    themes: frozenset[str] = frozenset()
    urgent: bool = False
    reached: int = 0  # people it has been offered to
    appeals: int = 0  # people who acted on it

    @property
    def appeals_per_person_reached(self) -> float:
        """The share of the people reached who acted: low means the case needs attention."""
        return self.appeals / self.reached if self.reached else 0.0

    def is_open_at(self, now: datetime) -> bool:
        """Whether appeals can still help: the deadline, if any, is still ahead."""
        return self.deadline is None or self.deadline > now


@dataclass(frozen=True)
class Reader:
    """A person (or a group) as the choice sees them: their settings and their history."""

    id: int
    allowance: Allowance = Allowance.EVERY
    countries: frozenset[str] | None = None  # None: every country
    themes: frozenset[str] | None = None  # None: every theme
    channels: frozenset[Channel] = frozenset(Channel)
    offered_at: tuple[datetime, ...] = ()  # when their recent non-urgent cases were offered
    done: frozenset[str] = frozenset()  # slugs offered, acted on, or muted

    def next_slot(self, now: datetime) -> datetime:
        """The earliest instant at which this person may be offered another case."""
        count = self.allowance.per_window
        if count is None or not self.offered_at:
            return now
        recent = sorted(t for t in self.offered_at if t > now - self.allowance.window)
        slot = max(self.offered_at) + self.allowance.spacing
        if len(recent) >= count:
            slot = max(slot, recent[len(recent) - count] + self.allowance.window)
        return max(slot, now)

    def refusal(self, case: OpenCase, now: datetime) -> NotOffered | None:
        """Why `case` cannot go to this person whatever their allowance, or None if it can."""
        if case.slug in self.done:
            return NotOffered.DONE
        if not case.is_open_at(now):
            return NotOffered.CLOSED
        if self.countries is not None and case.country_code not in self.countries:
            return NotOffered.COUNTRY
        if self.themes is not None and case.themes and not case.themes & self.themes:
            return NotOffered.THEME
        if not case.channels & self.channels:
            return NotOffered.CHANNEL
        return None


def choose(reader: Reader, cases: Iterable[OpenCase], now: datetime) -> tuple[OpenCase, ...]:
    """The cases to offer `reader` at `now`: urgent ones, then those their allowance allows."""
    return _pick(reader, [c for c in cases if reader.refusal(c, now) is None], now)


def _pick(reader: Reader, fitting: Sequence[OpenCase], now: datetime) -> tuple[OpenCase, ...]:
    """Of the cases that fit `reader`, those to offer now."""
    urgent = tuple(c for c in fitting if c.urgent)
    regular = [c for c in fitting if not c.urgent]
    if reader.allowance is Allowance.EVERY:
        return urgent + tuple(sorted(regular, key=lambda c: (c.published_at, c.slug)))
    if not regular or reader.next_slot(now) > now:
        return urgent
    following = now + reader.allowance.spacing
    return (*urgent, min(regular, key=lambda c: _priority(c, following)))


def _priority(case: OpenCase, following: datetime) -> tuple[bool, float, int, float, float, str]:
    """Sort key: the cases that would miss the person's next slot first; within each group, the
    fewest appeals per person reached, then the fewest reached, the soonest deadline, the oldest.
    """
    deadline = case.deadline.timestamp() if case.deadline else float("inf")
    misses_next = case.deadline is not None and case.deadline <= following
    return (
        not misses_next,
        case.appeals_per_person_reached,
        case.reached,
        deadline,
        case.published_at.timestamp(),
        case.slug,
    )


@dataclass(frozen=True)
class Offer:
    """One case offered to one person."""

    reader_id: int
    slug: str


@dataclass(frozen=True)
class Round:
    """What one pass over the readers decided: the offers, and per case why others got none."""

    offers: tuple[Offer, ...]
    not_offered: Mapping[str, Mapping[NotOffered, int]] = field(default_factory=dict)
    cases: Mapping[str, OpenCase] = field(default_factory=dict)  # with `reached` counted on


def allocate(readers: Iterable[Reader], cases: Sequence[OpenCase], now: datetime) -> Round:
    """Choose for every reader in turn, counting each offer into its case's reach as it goes.

    Counting as it goes is what spreads a round across cases: the tenth person with a slot free
    sees the first nine people's offers in `reached`, and the least reached case comes first.
    """
    standing = {c.slug: c for c in cases}
    offers: list[Offer] = []
    reasons: dict[str, dict[NotOffered, int]] = {c.slug: {} for c in cases}
    for reader in readers:
        fitting: list[OpenCase] = []
        for case in standing.values():
            reason = reader.refusal(case, now)
            if reason is None:
                fitting.append(case)
            elif reason is not NotOffered.DONE:
                reasons[case.slug][reason] = reasons[case.slug].get(reason, 0) + 1
        chosen = {c.slug for c in _pick(reader, fitting, now)}
        for case in fitting:
            if case.slug in chosen:
                offers.append(Offer(reader.id, case.slug))
                standing[case.slug] = replace(case, reached=case.reached + 1)
            else:
                allowance = reasons[case.slug]
                allowance[NotOffered.ALLOWANCE] = allowance.get(NotOffered.ALLOWANCE, 0) + 1
    return Round(tuple(offers), reasons, standing)


def digest(reader: Reader, cases: Iterable[OpenCase], now: datetime) -> tuple[OpenCase, ...]:
    """The open cases that fit `reader`, soonest deadline first: one weekly message lists them."""
    fitting = [c for c in cases if reader.refusal(c, now) is None]
    never = datetime.max.replace(tzinfo=now.tzinfo)
    return tuple(sorted(fitting, key=lambda c: (c.deadline or never, c.published_at, c.slug)))


@dataclass(frozen=True)
class DueReminder:
    """A reminder that has come due for one person on one case."""

    reader_id: int
    slug: str
    due_at: datetime
    deadline: datetime | None


def one_reminder_a_day(
    due: Iterable[DueReminder], last_reminded: Mapping[int, datetime], now: datetime
) -> tuple[DueReminder, ...]:
    """Of the reminders due, at most one per person a day: the case whose deadline is soonest.

    `last_reminded` holds when each person last had a reminder; within a day of it, none.
    """
    never = datetime.max.replace(tzinfo=now.tzinfo)
    best: dict[int, DueReminder] = {}
    for reminder in due:
        last = last_reminded.get(reminder.reader_id)
        if last is not None and now - last < timedelta(days=1):
            continue
        kept = best.get(reminder.reader_id)
        key = (reminder.deadline or never, reminder.due_at, reminder.slug)
        if kept is None or key < (kept.deadline or never, kept.due_at, kept.slug):
            best[reminder.reader_id] = reminder
    return tuple(best.values())
