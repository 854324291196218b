"""What followed each reminder step: counted within the reminder's window only."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.domain.reminder_costs import Aftermath, SentReminder, StepCost, step_costs

T0 = datetime(2022, 6, 5, 18, 0, tzinfo=UTC)
DAY = timedelta(days=1)
SEVEN = "604800s@2022-06-12T17:59:00Z"
TWO = "172800s@2022-06-12T17:59:00Z"


def test_each_event_counts_for_the_reminder_before_it_within_a_week() -> None:
    sent = [
        SentReminder(1, SEVEN, T0),
        SentReminder(1, TWO, T0 + 5 * DAY),
        SentReminder(2, SEVEN, T0),
        SentReminder(3, SEVEN, T0),
        SentReminder(4, "plan", T0 + DAY),
        SentReminder(5, "snooze", T0 + DAY),
    ]
    people = {
        # Acted after the second reminder: it counts there, not for the first.
        1: Aftermath(acted_at=T0 + 6 * DAY),
        # Blocked the bot eight days on: past the week, it counts for no reminder.
        2: Aftermath(left_at=T0 + 8 * DAY, blocked=True),
        # Stopped the bot and asked for fewer cases within the week.
        3: Aftermath(left_at=T0 + DAY, cuts=(T0 + 2 * DAY,)),
        4: Aftermath(acted_at=T0 + DAY + timedelta(hours=1)),
        5: Aftermath(muted_at=T0 + 2 * DAY),
    }
    assert step_costs(sent, people) == [
        StepCost(step="604800", sent=3, stopped=1, fewer=1),
        StepCost(step="172800", sent=1, acted=1),
        StepCost(step="snooze", sent=1, muted=1),
        StepCost(step="plan", sent=1, acted=1),
    ]
