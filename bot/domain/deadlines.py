"""How much time is left to act on a case."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from bot.domain.cases import UrgentAction


@dataclass(frozen=True)
class Countdown:
    """The deadline of a case seen from a moment: its date and the whole days left."""

    deadline: date
    days_left: int  # 0 on the day itself; negative once it has passed

    @property
    def passed(self) -> bool:
        """Whether the deadline is behind us."""
        return self.days_left < 0


def countdown(case: UrgentAction, now: datetime) -> Countdown | None:
    """The countdown to the case's deadline, in the case's timezone; None if it has none."""
    key_date = case.deadline
    if key_date is None:
        return None
    tz = ZoneInfo(key_date.timezone or case.timezone)
    today = now.astimezone(tz).date()
    return Countdown(deadline=key_date.on, days_left=(key_date.on - today).days)
