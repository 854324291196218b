"""Rules about publishing a case that every door (the chat, a web console) applies alike."""

from __future__ import annotations

import enum
from datetime import datetime

from bot.domain.cases import UrgentAction


class NoReach(enum.StrEnum):
    """Why publishing a case now would alert nobody, whoever has subscribed."""

    DEADLINE_PASSED = "deadline_passed"  # the offer sweep offers no case past its deadline


def why_it_reaches_nobody(case: UrgentAction, now: datetime) -> NoReach | None:
    """The reason publishing `case` at `now` alerts nobody, or None when it can reach people.

    The same rule as the offer sweep's (`OpenCase.is_open_at`): a case is offered only while
    its deadline, if it has one, is ahead."""
    deadline = case.deadline_moment()
    if deadline is not None and deadline <= now:
        return NoReach.DEADLINE_PASSED
    return None
