"""When the one reminder of a person's plan comes: their evening, their weekend, never at night."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.domain.plans import PlanChoice, planned_reminder

# Friday 20 May 2022.
FRIDAY_MORNING = datetime(2022, 5, 20, 9, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("now", "choice", "timezone", "expected"),
    [
        # Tonight: 19:00 where the person is.
        (FRIDAY_MORNING, PlanChoice.TONIGHT, "UTC", datetime(2022, 5, 20, 19, 0, tzinfo=UTC)),
        (
            FRIDAY_MORNING,
            PlanChoice.TONIGHT,
            "Europe/Paris",
            datetime(2022, 5, 20, 17, 0, tzinfo=UTC),
        ),
        # Asked at 20:30: an hour later, still before the night.
        (
            datetime(2022, 5, 20, 20, 30, tzinfo=UTC),
            PlanChoice.TONIGHT,
            "UTC",
            datetime(2022, 5, 20, 21, 30, tzinfo=UTC),
        ),
        # Asked at 21:30: an hour later is the night; the next morning instead.
        (
            datetime(2022, 5, 20, 21, 30, tzinfo=UTC),
            PlanChoice.TONIGHT,
            "UTC",
            datetime(2022, 5, 21, 8, 0, tzinfo=UTC),
        ),
        (FRIDAY_MORNING, PlanChoice.TOMORROW, "UTC", datetime(2022, 5, 21, 19, 0, tzinfo=UTC)),
        # This weekend: Saturday at 10:00; on Saturday afternoon, Sunday at 10:00.
        (FRIDAY_MORNING, PlanChoice.WEEKEND, "UTC", datetime(2022, 5, 21, 10, 0, tzinfo=UTC)),
        (
            datetime(2022, 5, 21, 15, 0, tzinfo=UTC),
            PlanChoice.WEEKEND,
            "UTC",
            datetime(2022, 5, 22, 10, 0, tzinfo=UTC),
        ),
        # On Sunday afternoon the weekend is nearly over: in an hour.
        (
            datetime(2022, 5, 22, 15, 0, tzinfo=UTC),
            PlanChoice.WEEKEND,
            "UTC",
            datetime(2022, 5, 22, 16, 0, tzinfo=UTC),
        ),
        (FRIDAY_MORNING, PlanChoice.CANNOT, "UTC", None),
    ],
)
def test_the_plans_reminder_comes_when_the_person_said(
    now: datetime, choice: PlanChoice, timezone: str, expected: datetime | None
) -> None:
    assert planned_reminder(now, choice, timezone) == expected
