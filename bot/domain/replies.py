""" "Did anyone reply?": when the question comes, and what the answers mean.

WriteToThem asks two weeks after a letter whether the representative replied; Amnesty asks its
members to forward any reply from the authorities. The bot asks each person once per case,
fourteen days after their first appeal on it, or as soon as the case closes if that is sooner,
never in the quiet hours of the person's time zone. "Not yet" brings the question back once,
fourteen days later; a second "Not yet" is the last word.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.domain.reminders import daytime, is_night

ASK_AFTER = timedelta(days=14)
ASK_AGAIN_AFTER = timedelta(days=14)
MOST_TIMES = 2  # the question, and once more after "Not yet"
# An appeal older than this is not asked about (cases closed long before the question existed).
HORIZON = timedelta(days=60)


class Answer(enum.StrEnum):
    """What a person answered; the values are stored and go into callback data."""

    YES = "yes"
    NO = "no"
    LATER = "later"  # "Not yet"


@dataclass(frozen=True)
class ReplyCounts:
    """Per official of a case: people asked about them, and what they answered."""

    target: int
    asked: int = 0
    yes: int = 0
    no: int = 0
    later: int = 0
    files: int = 0


def may_ask_now(now: datetime, timezone: str) -> bool:
    """Whether the question may reach the person now: never in their night."""
    return not is_night(now, timezone)


def ask_again_at(now: datetime, times: int, timezone: str) -> datetime | None:
    """After "Not yet": when the question comes back, or None when it was the last time."""
    if times >= MOST_TIMES:
        return None
    return daytime(now + ASK_AGAIN_AFTER, timezone, None)


def morning(now: datetime, timezone: str) -> datetime:
    """The next moment out of the person's night (now, if it is day)."""
    moment = daytime(now, timezone, None)
    assert moment is not None  # without a deadline there is always a morning
    return moment
