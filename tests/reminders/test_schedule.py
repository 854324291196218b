"""The schedule in the database, with an injected clock: planning, cancelling, rescheduling,
snoozing, and sweeps after downtime that send each reminder once."""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from bot.config import Secret
from bot.db.actions import ActionRepository
from bot.db.alerts import AlertRepository
from bot.db.cases import CaseRepository
from bot.db.connection import Database
from bot.db.migrations import migrate
from bot.db.offers import sweep_offers
from bot.db.reminders import ReminderRepository, SweepReport
from bot.db.subscribers import SubscriberRepository
from bot.delivery.messages import OutboundMessage
from bot.domain.cases import CaseStatus, Channel, UrgentAction
from bot.domain.reminders import Snooze, snoozed_until
from bot.domain.subscribers import ChatType, Subscriber, SubscriberStatus
from tests.reminders.test_plan import SEED, with_deadline

MAY_20 = datetime(2022, 5, 20, 9, 0, tzinfo=UTC)
WEEK_BEFORE = datetime(2022, 6, 5, 17, 59, tzinfo=UTC)
TWO_DAYS_BEFORE = datetime(2022, 6, 10, 17, 59, tzinfo=UTC)
MORNING_OF = datetime(2022, 6, 12, 8, 0, tzinfo=UTC)
GRACE = timedelta(hours=12)


def alert(*_: object) -> OutboundMessage:
    """The case's alert, whatever the case and audience."""
    return OutboundMessage.text("alert")


@dataclasses.dataclass
class World:
    db: Database
    cases: CaseRepository
    subscribers: SubscriberRepository
    alerts: AlertRepository
    actions: ActionRepository
    reminders: ReminderRepository

    async def person(self, chat_id: int, timezone: str | None = None) -> Subscriber:
        subscriber, _ = await self.subscribers.subscribe(chat_id, ChatType.PRIVATE, "en", MAY_20)
        if timezone is not None:
            await self.subscribers.set_timezone(chat_id, timezone, MAY_20)
        return subscriber

    async def alerted(self, chat_id: int, timezone: str | None = None) -> Subscriber:
        subscriber = await self.person(chat_id, timezone)
        case = await self.case()
        assert await self.alerts.record(case, subscriber.id, MAY_20)
        return subscriber

    async def case(self) -> UrgentAction:
        case = await self.cases.get(SEED.slug)
        assert case is not None
        return case

    async def sweep(self, now: datetime) -> SweepReport:
        cases = {case.slug: case for case in await self.cases.all()}

        def message_for(case: UrgentAction, language: str) -> OutboundMessage:
            return OutboundMessage.text(f"reminder {case.slug} {language}")

        return await self.reminders.send_due(now, cases, message_for, grace=GRACE)

    async def queued(self) -> list[int]:
        """The chats a reminder was queued for, in order."""
        async with self.db.read() as conn:
            cursor = await conn.execute(
                "SELECT chat_id FROM outbox WHERE kind = 'reminder' ORDER BY id"
            )
            return [int(row[0]) for row in await cursor.fetchall()]

    async def statuses(self, chat_id: int) -> list[tuple[str, str]]:
        async with self.db.read() as conn:
            cursor = await conn.execute(
                "SELECT r.due_at, r.status FROM reminders r"
                " JOIN subscribers s ON s.id = r.subscriber_id WHERE s.chat_id = ?"
                " ORDER BY r.due_at",
                (chat_id,),
            )
            return [(str(r[0]), str(r[1])) for r in await cursor.fetchall()]


@pytest.fixture
async def world(database: Path | Secret) -> AsyncIterator[World]:
    db = await Database.open(database)
    await migrate(db)
    cases = CaseRepository(db, "UTC")
    await cases.seed([(SEED, "seed")], MAY_20)
    yield World(
        db,
        cases,
        SubscriberRepository(db),
        AlertRepository(db, "UTC"),
        ActionRepository(db),
        ReminderRepository(db, "UTC"),
    )
    await db.close()


async def test_a_person_the_case_reaches_gets_the_plan(world: World) -> None:
    anna = await world.alerted(1)
    pending = await world.reminders.pending(anna.id)
    assert [p.due for p in pending] == [WEEK_BEFORE, TWO_DAYS_BEFORE, MORNING_OF]


async def test_publishing_plans_for_everyone_alerted_but_not_for_groups(world: World) -> None:
    anna = await world.person(1)
    boris = await world.person(2, "Asia/Almaty")
    group, _ = await world.subscribers.subscribe(-100, ChatType.GROUP, "en", MAY_20)
    case = await world.case()
    report = await sweep_offers(world.db, [case], alert, MAY_20, "UTC")
    assert report.offered == 3
    assert len(await world.reminders.pending(anna.id)) == 3
    assert len(await world.reminders.pending(boris.id)) == 3
    assert await world.reminders.pending(group.id) == []
    # Boris's come in Almaty's daytime, not London's.
    assert (await world.reminders.pending(boris.id))[0].due != WEEK_BEFORE


async def test_a_due_reminder_is_queued_once_however_often_the_sweep_runs(world: World) -> None:
    await world.alerted(1)
    assert (await world.sweep(WEEK_BEFORE - timedelta(seconds=1))).sent == 0
    report = await world.sweep(WEEK_BEFORE)
    assert report.sent == 1
    for _ in range(3):
        assert (await world.sweep(WEEK_BEFORE + timedelta(minutes=1))).sent == 0
    assert await world.queued() == [1]
    # The next step comes on its own day.
    assert (await world.sweep(TWO_DAYS_BEFORE)).sent == 1
    assert await world.queued() == [1, 1]


async def test_acting_cancels_the_rest_of_the_plan(world: World) -> None:
    anna = await world.alerted(1)
    await world.sweep(WEEK_BEFORE)
    await world.actions.record(SEED.slug, anna.actor, Channel.EMAIL, 0, WEEK_BEFORE)
    assert await world.reminders.pending(anna.id) == []
    assert (await world.sweep(MORNING_OF)).sent == 0
    assert await world.queued() == [1]


async def test_closing_the_case_stops_its_reminders(world: World) -> None:
    anna = await world.alerted(1)
    boris = await world.alerted(2)
    closed = dataclasses.replace(await world.case(), status=CaseStatus.CLOSED, outcome="released")
    await world.cases.save(closed, MAY_20)
    # A sweep cancels whatever of a closed case comes due ...
    report = await world.sweep(WEEK_BEFORE)
    assert (report.sent, report.cancelled) == (0, 2)
    # ... and closing cancels the rest at once.
    assert await world.reminders.cancel_case(SEED.slug, WEEK_BEFORE, "the case closed") == 4
    assert await world.reminders.pending(anna.id) == []
    assert await world.reminders.pending(boris.id) == []
    assert (await world.sweep(MORNING_OF)).sent == 0
    assert await world.queued() == []


async def test_stop_and_forget_end_reminders(world: World) -> None:
    await world.alerted(1)
    boris = await world.alerted(2)
    await world.subscribers.set_status(1, SubscriberStatus.STOPPED, MAY_20)
    await world.subscribers.forget(2)
    report = await world.sweep(WEEK_BEFORE)
    assert report.sent == 0
    assert report.cancelled == 1
    assert await world.reminders.pending(boris.id) == []  # deleted with the person
    assert await world.statuses(2) == []


async def test_moving_the_deadline_reschedules_without_duplicates(world: World) -> None:
    anna = await world.alerted(1)
    await world.sweep(WEEK_BEFORE)  # the week-before reminder went for 12 June
    extended = with_deadline(await world.case(), date(2022, 7, 12), None, "Asia/Almaty")
    await world.cases.save(extended, WEEK_BEFORE)
    await world.cases.save(extended, WEEK_BEFORE)  # saved twice: still one plan
    pending = await world.reminders.pending(anna.id)
    assert [p.due for p in pending] == [
        datetime(2022, 7, 5, 17, 59, tzinfo=UTC),
        datetime(2022, 7, 10, 17, 59, tzinfo=UTC),
        datetime(2022, 7, 12, 8, 0, tzinfo=UTC),
    ]
    # Nothing is left for the old dates, and the new week-before reminder comes once.
    assert (await world.sweep(MORNING_OF)).sent == 0
    assert (await world.sweep(datetime(2022, 7, 5, 18, 0, tzinfo=UTC))).sent == 1
    assert await world.queued() == [1, 1]


async def test_snoozing_postpones_and_stop_survives_a_moved_deadline(world: World) -> None:
    anna = await world.alerted(1)
    boris = await world.alerted(2)
    now = datetime(2022, 6, 4, 10, 0, tzinfo=UTC)
    until = snoozed_until(now, Snooze.THREE_DAYS, "UTC")
    assert until == datetime(2022, 6, 7, 10, 0, tzinfo=UTC)
    await world.reminders.snooze(await world.case(), anna.id, until, now)
    assert [p.due for p in await world.reminders.pending(anna.id)] == [
        until,
        TWO_DAYS_BEFORE,
        MORNING_OF,
    ]
    assert (await world.sweep(WEEK_BEFORE)).sent == 1  # Boris only
    assert (await world.sweep(until)).sent == 1  # Anna, on the day she chose
    assert await world.queued() == [2, 1]

    await world.reminders.stop(SEED.slug, boris.id, now)
    extended = with_deadline(await world.case(), date(2022, 7, 12), None, "Asia/Almaty")
    await world.cases.save(extended, now)
    assert await world.reminders.pending(boris.id) == []
    assert len(await world.reminders.pending(anna.id)) == 3
    assert await world.reminders.stopped(boris.id) == [SEED.slug]


async def test_after_downtime_what_fell_due_goes_once_and_what_is_too_late_is_dropped(
    world: World,
) -> None:
    await world.alerted(1)
    # Down from before the week-before reminder until three hours after the two-days one.
    report = await world.sweep(TWO_DAYS_BEFORE + timedelta(hours=3))
    assert report.sent == 1
    assert report.dropped == 1  # the week-before one, five days late
    assert await world.queued() == [1]

    await world.alerted(2)
    # Two reminders due within the grace become one message.
    case = await world.case()
    afternoon_plan = dataclasses.replace(
        case, reminder_offsets=(timedelta(hours=6), timedelta(hours=5))
    )
    await world.cases.save(afternoon_plan, TWO_DAYS_BEFORE)
    report = await world.sweep(datetime(2022, 6, 12, 14, 0, tzinfo=UTC))
    assert report.sent == 2  # one each for the two people
    assert report.merged == 2
    assert await world.queued() == [1, 1, 2]


async def test_a_catch_up_in_the_persons_night_waits_for_their_morning(world: World) -> None:
    boris = await world.alerted(2, "Asia/Almaty")
    # One reminder at 20:00 in Almaty on 11 June (1 day 3 h 59 min before the deadline).
    evening_plan = dataclasses.replace(
        await world.case(), reminder_offsets=(timedelta(days=1, hours=3, minutes=59),)
    )
    await world.cases.save(evening_plan, MAY_20)
    (pending,) = await world.reminders.pending(boris.id)
    assert pending.due == datetime(2022, 6, 11, 14, 0, tzinfo=UTC)
    # The bot comes back at 23:00 in Almaty: too late in the evening to write to Boris.
    night = datetime(2022, 6, 11, 17, 0, tzinfo=UTC)
    report = await world.sweep(night)
    assert (report.postponed, report.sent) == (1, 0)
    morning = datetime(2022, 6, 12, 2, 0, tzinfo=UTC)  # 08:00 in Almaty
    assert [p.due for p in await world.reminders.pending(boris.id)] == [morning]
    assert (await world.sweep(morning)).sent == 1
    assert await world.queued() == [2]


async def test_a_publish_cut_short_resumes_where_it_stopped(world: World) -> None:
    for chat_id in range(1, 8):
        await world.person(chat_id, "Asia/Almaty" if chat_id % 2 else None)
    case = await world.case()
    made = 0

    def crash_after_two_batches(*_: object) -> OutboundMessage:
        nonlocal made
        made += 1
        if made > 1:
            raise RuntimeError("the machine went down")
        return OutboundMessage.text("alert")

    # Every person is in the same audience: the payload is made once, then reused; the crash
    # comes with a second audience.
    await world.subscribers.set_language(7, "ru", MAY_20)
    with pytest.raises(RuntimeError):
        await sweep_offers(world.db, [case], crash_after_two_batches, MAY_20, "UTC", batch=3)
    async with world.db.read() as conn:
        cursor = await conn.execute("SELECT count(*) FROM case_alerts")
        row = await cursor.fetchone()
    assert row is not None
    first_part = int(row[0])
    assert 0 < first_part < 7
    # At start the bot finishes the job: the rest, once each, with their reminders.
    rest = await sweep_offers(world.db, [case], alert, MAY_20, "UTC", batch=3)
    assert first_part + rest.offered == 7
    assert rest.looked_at == 7 - first_part  # those done are not read again
    async with world.db.read() as conn:
        cursor = await conn.execute(
            "SELECT chat_id, count(*) FROM outbox WHERE kind = 'alert' GROUP BY chat_id"
        )
        counts = {int(r[0]): int(r[1]) for r in await cursor.fetchall()}
    assert counts == dict.fromkeys(range(1, 8), 1)
    for chat_id in range(1, 8):
        subscriber = await world.subscribers.get(chat_id)
        assert subscriber is not None
        assert len(await world.reminders.pending(subscriber.id)) == 3
    again = await sweep_offers(world.db, [case], crash_after_two_batches, MAY_20, "UTC")
    assert (again.looked_at, again.offered) == (0, 0)


# ---- several processes on one database ------------------------------------------------------


async def second_process(world: World, database: Path | Secret) -> World:
    """Another bot process on the same database: its own connection (a pool on PostgreSQL)."""
    db = await Database.open(database)
    return World(
        db,
        CaseRepository(db, "UTC"),
        SubscriberRepository(db),
        AlertRepository(db, "UTC"),
        ActionRepository(db),
        ReminderRepository(db, "UTC"),
    )


async def test_two_processes_sweeping_at_once_queue_each_reminder_once(
    world: World, database: Path | Secret
) -> None:
    for chat_id in range(1, 41):
        await world.alerted(chat_id)
    other = await second_process(world, database)
    try:
        reports = await asyncio.gather(world.sweep(WEEK_BEFORE), other.sweep(WEEK_BEFORE))
    finally:
        await other.db.close()
    assert sum(report.sent for report in reports) == 40
    assert await world.queued() == list(range(1, 41))


async def test_two_processes_publishing_one_case_at_once_alert_each_person_once(
    world: World, database: Path | Secret
) -> None:
    for chat_id in range(1, 61):
        await world.person(chat_id)
    other = await second_process(world, database)
    case = await world.case()
    try:
        reports = await asyncio.gather(
            *(
                sweep_offers(each.db, [case], alert, MAY_20, "UTC", batch=7)
                for each in (world, other)
            )
        )
    finally:
        await other.db.close()
    assert sum(report.offered for report in reports) == 60
    async with world.db.read() as conn:
        cursor = await conn.execute(
            "SELECT chat_id, count(*) FROM outbox WHERE kind = 'alert' GROUP BY chat_id"
        )
        alerts = {int(row[0]): int(row[1]) for row in await cursor.fetchall()}
    assert alerts == dict.fromkeys(range(1, 61), 1)
