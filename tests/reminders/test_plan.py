"""The reminder plan and its rules, with an injected clock: when, in whose daytime, and whether."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.catalogue import load_case
from bot.domain.cases import CaseStatus, KeyDate, UrgentAction
from bot.domain.reminders import (
    Decision,
    DueReminder,
    Fate,
    Snooze,
    daytime,
    decide,
    is_night,
    keep_latest,
    snoozed_until,
    steps,
)
from tests.conftest import ROOT

SEED = load_case(ROOT / "actions" / "kz-zhanbolat-mamay.toml")
# 12 June 2022, the end of the day in Almaty (UTC+6 then).
DEADLINE = datetime(2022, 6, 12, 17, 59, tzinfo=UTC)
MAY_20 = datetime(2022, 5, 20, 9, 0, tzinfo=UTC)
GRACE = timedelta(hours=12)


def with_deadline(case: UrgentAction, on: date, at: time | None, zone: str) -> UrgentAction:
    """The case with its deadline moved."""
    dates = tuple(
        dataclasses.replace(d, on=on, time=at, timezone=zone) if d.deadline else d
        for d in case.key_dates
    )
    return dataclasses.replace(case, key_dates=dates)


def due(reminder_due: datetime, **overrides: object) -> DueReminder:
    values: dict[str, object] = {
        "id": 1,
        "case_slug": SEED.slug,
        "subscriber_id": 7,
        "chat_id": 1007,
        "language": "en",
        "timezone": "UTC",
        "due": reminder_due,
        "reachable": True,
        "acted": False,
        "stopped": False,
    }
    values.update(overrides)
    return DueReminder(**values)  # type: ignore[arg-type]


def test_the_seed_deadline_is_the_end_of_12_june_in_almaty() -> None:
    assert SEED.deadline_moment() == DEADLINE


def test_the_default_plan_is_a_week_two_days_and_the_morning_of_the_deadline() -> None:
    planned = steps(SEED, "UTC", MAY_20)
    assert [s.due for s in planned] == [
        datetime(2022, 6, 5, 17, 59, tzinfo=UTC),
        datetime(2022, 6, 10, 17, 59, tzinfo=UTC),
        # 15 hours before is 02:59 in London's night: the morning instead.
        datetime(2022, 6, 12, 8, 0, tzinfo=UTC),
    ]
    # In Almaty the last one is 08:59 on the day itself.
    almaty = steps(SEED, "Asia/Almaty", MAY_20)
    last = almaty[-1].due.astimezone(ZoneInfo("Asia/Almaty"))
    assert (last.date(), last.time()) == (date(2022, 6, 12), time(8, 59))


def test_a_case_file_sets_its_own_offsets_down_to_minutes() -> None:
    afternoon = with_deadline(SEED, date(2022, 6, 12), time(15, 0), "Asia/Almaty")
    case = dataclasses.replace(
        afternoon, reminder_offsets=(timedelta(days=1), timedelta(minutes=90))
    )
    deadline = case.deadline_moment()
    assert deadline is not None
    planned = steps(case, "Asia/Almaty", MAY_20)
    assert [deadline - s.due for s in planned] == [timedelta(days=1), timedelta(minutes=90)]
    assert steps(dataclasses.replace(SEED, reminder_offsets=()), "UTC", MAY_20) == []


@pytest.mark.parametrize(
    "zone",
    ["UTC", "Asia/Almaty", "America/Toronto", "Pacific/Auckland", "Europe/Moscow", "Asia/Kolkata"],
)
def test_no_reminder_is_planned_in_anyones_night(zone: str) -> None:
    for deadline_time in (None, time(0, 30), time(6, 0), time(12, 0), time(22, 30)):
        case = with_deadline(SEED, date(2022, 6, 12), deadline_time, "Asia/Almaty")
        planned = steps(case, zone, MAY_20)
        assert len(planned) == 3
        for step in planned:
            assert not is_night(step.due, zone), (zone, deadline_time, step)
            assert step.due < case.deadline_moment()  # type: ignore[operator]


def test_a_night_right_before_the_deadline_moves_to_the_evening_before() -> None:
    # A deadline at 07:00 London time: the morning after the night is too late.
    deadline = datetime(2022, 6, 12, 6, 0, tzinfo=UTC)
    moved = daytime(datetime(2022, 6, 12, 2, 0, tzinfo=UTC), "Europe/London", deadline)
    assert moved == datetime(2022, 6, 11, 20, 0, tzinfo=UTC)  # 21:00 BST


def test_quiet_hours_in_a_named_zone_follow_daylight_saving_time() -> None:
    # Berlin moves from UTC+1 to UTC+2 at 01:00 UTC on Sunday 30 March 2025.
    assert not is_night(datetime(2025, 3, 29, 20, 30, tzinfo=UTC), "Europe/Berlin")  # 21:30
    assert is_night(datetime(2025, 3, 30, 20, 30, tzinfo=UTC), "Europe/Berlin")  # 22:30
    # A fixed UTC+1 would keep sending into Berlin's night for the whole summer.
    assert not is_night(datetime(2025, 3, 30, 20, 30, tzinfo=UTC), "Etc/GMT-1")
    # The morning is 08:00 in Berlin on both sides of the change: an hour apart in UTC.
    assert daytime(datetime(2025, 3, 29, 5, 0, tzinfo=UTC), "Europe/Berlin", None) == datetime(
        2025, 3, 29, 7, 0, tzinfo=UTC
    )
    assert daytime(datetime(2025, 3, 30, 5, 0, tzinfo=UTC), "Europe/Berlin", None) == datetime(
        2025, 3, 30, 6, 0, tzinfo=UTC
    )


def test_reminders_around_the_change_to_summer_time_come_at_eight_in_berlin() -> None:
    # A deadline at noon on Monday 31 March 2025 in Berlin (10:00 UTC); steps 54 and 30 hours
    # before fall at 05:00 on Saturday (winter time) and 06:00 on Sunday (summer time).
    case = dataclasses.replace(
        with_deadline(SEED, date(2025, 3, 31), time(12, 0), "Europe/Berlin"),
        reminder_offsets=(timedelta(hours=54), timedelta(hours=30)),
    )
    march = datetime(2025, 3, 20, 9, 0, tzinfo=UTC)
    planned = steps(case, "Europe/Berlin", march)
    assert [s.due for s in planned] == [
        datetime(2025, 3, 29, 7, 0, tzinfo=UTC),
        datetime(2025, 3, 30, 6, 0, tzinfo=UTC),
    ]
    berlin = ZoneInfo("Europe/Berlin")
    assert [s.due.astimezone(berlin).time() for s in planned] == [time(8, 0), time(8, 0)]
    # A reminder due in the early Sunday morning waits for 08:00 summer time, not winter time.
    sunday = datetime(2025, 3, 30, 5, 30, tzinfo=UTC)  # 07:30 in Berlin
    decision = decide(due(sunday, timezone="Europe/Berlin"), case, sunday, GRACE)
    assert decision == Decision(Fate.LATER, later=datetime(2025, 3, 30, 6, 0, tzinfo=UTC))
    as_fixed_offset = decide(due(sunday, timezone="Etc/GMT-1"), case, sunday, GRACE)
    assert as_fixed_offset.later == datetime(2025, 3, 30, 7, 0, tzinfo=UTC)  # 09:00 in Berlin


def test_quiet_hours_keep_to_half_hour_offsets() -> None:
    # Kolkata is UTC+5:30 all year.
    assert not is_night(datetime(2022, 6, 5, 16, 29, tzinfo=UTC), "Asia/Kolkata")  # 21:59
    assert is_night(datetime(2022, 6, 5, 16, 30, tzinfo=UTC), "Asia/Kolkata")  # 22:00
    assert is_night(datetime(2022, 6, 6, 2, 29, tzinfo=UTC), "Asia/Kolkata")  # 07:59
    assert not is_night(datetime(2022, 6, 6, 2, 30, tzinfo=UTC), "Asia/Kolkata")  # 08:00
    # The week-before step, 23:29 in Kolkata, comes at 08:00 there the next morning.
    assert [s.due for s in steps(SEED, "Asia/Kolkata", MAY_20)] == [
        datetime(2022, 6, 6, 2, 30, tzinfo=UTC),
        datetime(2022, 6, 11, 2, 30, tzinfo=UTC),
        datetime(2022, 6, 12, 2, 59, tzinfo=UTC),  # 08:29 on the day
    ]


def test_nothing_is_planned_once_the_deadline_or_a_step_is_behind() -> None:
    assert steps(SEED, "UTC", DEADLINE) == []
    after_two_days_step = datetime(2022, 6, 11, 0, 0, tzinfo=UTC)
    assert [s.due for s in steps(SEED, "UTC", after_two_days_step)] == [
        datetime(2022, 6, 12, 8, 0, tzinfo=UTC)
    ]


def test_moving_the_deadline_makes_new_steps_and_keeps_the_same_ones_equal() -> None:
    moved = with_deadline(SEED, date(2022, 7, 12), None, "Asia/Almaty")
    old = {s.key for s in steps(SEED, "UTC", MAY_20)}
    new = {s.key for s in steps(moved, "UTC", MAY_20)}
    assert not old & new
    assert {s.key for s in steps(SEED, "UTC", MAY_20)} == old


def test_snooze_comes_back_in_the_persons_daytime() -> None:
    evening = datetime(2022, 6, 1, 21, 30, tzinfo=UTC)
    assert snoozed_until(evening, Snooze.TOMORROW, "UTC") == datetime(
        2022, 6, 2, 21, 30, tzinfo=UTC
    )
    # 21:30 UTC is 03:30 in Almaty: the morning there instead.
    assert snoozed_until(evening, Snooze.THREE_DAYS, "Asia/Almaty") == datetime(
        2022, 6, 5, 2, 0, tzinfo=UTC
    )
    assert snoozed_until(evening, Snooze.OFF, "UTC") is None


def test_a_due_reminder_goes_when_nothing_stands_in_its_way() -> None:
    now = datetime(2022, 6, 5, 18, 0, tzinfo=UTC)
    assert decide(due(now - timedelta(minutes=1)), SEED, now, GRACE) == Decision(Fate.SEND)


@pytest.mark.parametrize(
    ("overrides", "note"),
    [
        ({"acted": True}, "acted"),
        ({"reachable": False}, "unsubscribed"),
        ({"stopped": True}, "asked to stop"),
    ],
)
def test_a_person_who_acted_stopped_or_left_gets_no_reminder(
    overrides: dict[str, object], note: str
) -> None:
    now = datetime(2022, 6, 5, 18, 0, tzinfo=UTC)
    assert decide(due(now, **overrides), SEED, now, GRACE) == Decision(Fate.CANCEL, note)


def test_a_closed_or_missing_case_cancels_its_reminders() -> None:
    now = datetime(2022, 6, 5, 18, 0, tzinfo=UTC)
    closed = dataclasses.replace(SEED, status=CaseStatus.CLOSED)
    assert decide(due(now), closed, now, GRACE).fate is Fate.CANCEL
    assert decide(due(now), None, now, GRACE).fate is Fate.CANCEL


def test_after_downtime_a_reminder_within_the_grace_goes_and_one_beyond_is_dropped() -> None:
    step = datetime(2022, 6, 5, 17, 59, tzinfo=UTC)
    assert decide(due(step), SEED, step + timedelta(hours=3), GRACE).fate is Fate.SEND
    late = decide(due(step), SEED, step + timedelta(hours=13), GRACE)
    assert late == Decision(Fate.DROP, "too late")
    assert decide(due(step), SEED, DEADLINE, timedelta(days=30)).fate is Fate.DROP


def test_a_reminder_due_in_the_night_waits_for_the_morning() -> None:
    step = datetime(2022, 6, 5, 17, 59, tzinfo=UTC)
    night_in_almaty = datetime(2022, 6, 5, 18, 30, tzinfo=UTC)  # 00:30 there
    decision = decide(due(step, timezone="Asia/Almaty"), SEED, night_in_almaty, GRACE)
    assert decision.fate is Fate.LATER
    assert decision.later == datetime(2022, 6, 6, 2, 0, tzinfo=UTC)  # 08:00 there


def test_several_due_at_once_become_one() -> None:
    first = due(datetime(2022, 6, 5, 17, 59, tzinfo=UTC), id=1)
    second = due(datetime(2022, 6, 10, 17, 59, tzinfo=UTC), id=2)
    someone_else = due(datetime(2022, 6, 5, 17, 59, tzinfo=UTC), id=3, subscriber_id=8)
    decided = keep_latest([(r, Decision(Fate.SEND)) for r in (first, second, someone_else)])
    assert [d.fate for _, d in decided] == [Fate.MERGE, Fate.SEND, Fate.SEND]


def test_a_deadline_without_time_counts_to_its_last_minute() -> None:
    on = KeyDate(on=date(2022, 6, 12), label={"en": "x"}, deadline=True)
    assert on.moment("Asia/Almaty") == DEADLINE
