"""The reminders and reminder_stops tables: the schedule of reminders, and who opted out.

Rows are planned when a case reaches a person (in the same transaction as the alert), planned
anew when the case's deadline moves, and settled by `send_due`, which claims due rows, decides
each one's fate and queues the messages in one transaction.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from bot.db.connection import Connection, Database
from bot.db.dialect import Dialect
from bot.db.network_settings import network_setting
from bot.db.outbox import enqueue, timestamp
from bot.delivery.messages import Kind, OutboundMessage, Recipient
from bot.domain.allowance import DueReminder as DayReminder
from bot.domain.allowance import one_reminder_a_day
from bot.domain.cases import UrgentAction
from bot.domain.reminders import (
    DEFAULT_PLAN,
    PLAN_STEP,
    SNOOZE_STEP,
    Decision,
    DueReminder,
    Fate,
    Step,
    decide,
    keep_latest,
    read_plan,
    steps,
)

# The network_settings key of the network's default reminder plan (bot.db.reminder_plans).
NETWORK_REMINDER_PLAN = "reminder_plan"

# Rows settled per transaction (about a fifth of a second each), so a sweep of 100,000 reminders
# never holds the one writer long enough to keep a reply to a tap waiting.
SWEEP_BATCH = 2000
_DUE = (
    "SELECT r.id, r.case_slug, r.subscriber_id, r.due_at, s.chat_id, s.language,"
    " coalesce(s.timezone, ?) AS timezone, s.status = 'active' AS reachable,"
    " EXISTS (SELECT 1 FROM actions x WHERE x.case_slug = r.case_slug"
    "   AND x.actor = s.actor) AS acted,"
    " EXISTS (SELECT 1 FROM reminder_stops t WHERE t.case_slug = r.case_slug"
    "   AND t.subscriber_id = r.subscriber_id) AS stopped"
    " FROM reminders r JOIN subscribers s ON s.id = r.subscriber_id"
    " WHERE r.status = 'pending' AND r.due_at <= ?"
    " ORDER BY r.due_at, r.id LIMIT ?"
)
_DUE_LOCKED = _DUE + " FOR UPDATE OF r SKIP LOCKED"
# The lock a sweep holds across the bot's processes.
SWEEP_LOCK = "urgent-action-bot:reminder-sweep"


async def plan(
    conn: Connection,
    case: UrgentAction,
    now: datetime,
    default_timezone: str,
    subscriber_id: int | None = None,
) -> int:
    """Plan the case's reminders for the people it reached (or one of them); return the rows.

    Run it inside the caller's transaction. Steps already planned or sent are kept as they are;
    people who acted or asked to stop, and groups, get none.
    """
    # One person (they just subscribed, or chose another zone) is found by the alert's primary
    # key; the whole case by its slug. Two statements each, so neither scans the other's way.
    one = subscriber_id is not None
    who = " AND a.subscriber_id = ?" if one else ""
    extra: tuple[int, ...] = (subscriber_id,) if subscriber_id is not None else ()
    # `who` is one of this function's two literals, never input.
    cursor = await conn.execute(
        "SELECT DISTINCT coalesce(s.timezone, ?) FROM case_alerts a"  # noqa: S608
        " JOIN subscribers s ON s.id = a.subscriber_id"
        " WHERE a.case_slug = ? AND s.chat_type = 'private'" + who,
        (default_timezone, case.slug, *extra),
    )
    timezones = [str(row[0]) for row in await cursor.fetchall()]
    default = await network_plan(conn)
    planned = 0
    for zone in timezones:
        for step in steps(case, zone, now, default):
            cursor = await conn.execute(
                "INSERT INTO reminders (case_slug, subscriber_id, step, due_at)"  # noqa: S608
                " SELECT a.case_slug, s.id, ?, ? FROM case_alerts a"
                " JOIN subscribers s ON s.id = a.subscriber_id"
                " WHERE a.case_slug = ? AND s.chat_type = 'private'"
                " AND coalesce(s.timezone, ?) = ?" + who + " AND NOT EXISTS"
                " (SELECT 1 FROM reminder_stops t WHERE t.case_slug = a.case_slug"
                "   AND t.subscriber_id = s.id)"
                " AND NOT EXISTS (SELECT 1 FROM actions x WHERE x.case_slug = a.case_slug"
                "   AND x.actor = s.actor)"
                # A person's own plan (bot.db.plans) replaces the case's steps.
                " AND NOT EXISTS (SELECT 1 FROM case_plans p WHERE p.case_slug = a.case_slug"
                "   AND p.subscriber_id = s.id)"
                " ON CONFLICT DO NOTHING",
                (step.key, timestamp(step.due), case.slug, default_timezone, zone, *extra),
            )
            planned += max(cursor.rowcount, 0)
    return planned


async def network_plan(conn: Connection) -> tuple[timedelta, ...]:
    """The network's default reminder plan: the organizers' choice, else DEFAULT_PLAN."""
    value = await network_setting(conn, NETWORK_REMINDER_PLAN)
    return read_plan(value) if value is not None else DEFAULT_PLAN


async def plan_people(
    conn: Connection,
    case: UrgentAction,
    now: datetime,
    people: Iterable[tuple[int, str]],
) -> int:
    """Plan the case's reminders for these people just alerted, given as (subscriber id, time
    zone), in the caller's transaction; return the rows."""
    by_zone: dict[str, list[Step]] = {}
    rows: list[tuple[str, int, str, str]] = []
    default = await network_plan(conn)
    for subscriber_id, zone in people:
        if zone not in by_zone:
            by_zone[zone] = steps(case, zone, now, default)
        rows.extend(
            (case.slug, subscriber_id, step.key, timestamp(step.due)) for step in by_zone[zone]
        )
    await conn.executemany(
        "INSERT INTO reminders (case_slug, subscriber_id, step, due_at) VALUES (?, ?, ?, ?)"
        " ON CONFLICT DO NOTHING",
        rows,
    )
    return len(rows)


async def replan(
    conn: Connection, case: UrgentAction, now: datetime, default_timezone: str
) -> int:
    """Plan the case's pending reminders anew (its deadline or plan changed), in the caller's
    transaction. Steps already sent stay sent; a step is keyed by its deadline, so the same step
    for the same deadline never comes twice. A person's snooze or plan stays as it is."""
    await conn.execute(
        "DELETE FROM reminders WHERE case_slug = ? AND status = 'pending' AND step NOT IN (?, ?)",
        (case.slug, SNOOZE_STEP, PLAN_STEP),
    )
    return await plan(conn, case, now, default_timezone)


async def cancel_for_actor(conn: Connection, case_slug: str, actor: str, now: datetime) -> None:
    """Cancel what is pending for the person behind `actor` on the case: they acted."""
    await conn.execute(
        "UPDATE reminders SET status = 'cancelled', settled_at = ?, note = 'acted'"
        " WHERE case_slug = ? AND status = 'pending'"
        " AND subscriber_id IN (SELECT id FROM subscribers WHERE actor = ?)",
        (timestamp(now), case_slug, actor),
    )


@dataclass
class SweepReport:
    """What one sweep did with the reminders that were due."""

    sent: int = 0
    cancelled: int = 0
    dropped: int = 0
    merged: int = 0
    postponed: int = 0
    by_case: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Pending:
    """A reminder still to come, as /mydata and the tests see it."""

    case_slug: str
    step: str
    due: datetime


class ReminderRepository:
    """Plans, reschedules, snoozes, cancels and sends reminders."""

    def __init__(self, db: Database, default_timezone: str) -> None:
        self._db = db
        self.default_timezone = default_timezone

    async def replan_person(
        self, subscriber_id: int, cases: Iterable[UrgentAction], now: datetime
    ) -> int:
        """Plan one person's pending reminders anew (they chose another time zone)."""
        async with self._db.transaction() as conn:
            await conn.execute(
                "DELETE FROM reminders WHERE subscriber_id = ? AND status = 'pending'"
                " AND step NOT IN (?, ?)",
                (subscriber_id, SNOOZE_STEP, PLAN_STEP),
            )
            planned = 0
            for case in cases:
                planned += await plan(conn, case, now, self.default_timezone, subscriber_id)
            return planned

    async def cancel_case(self, case_slug: str, now: datetime, note: str) -> int:
        """Cancel every pending reminder of a case (it closed)."""
        async with self._db.transaction() as conn:
            cursor = await conn.execute(
                "UPDATE reminders SET status = 'cancelled', settled_at = ?, note = ?"
                " WHERE case_slug = ? AND status = 'pending'",
                (timestamp(now), note, case_slug),
            )
            return cursor.rowcount

    async def snooze(
        self, case: UrgentAction, subscriber_id: int, until: datetime, now: datetime
    ) -> None:
        """Remind this person at `until` and not before: earlier steps are postponed into it."""
        async with self._db.transaction() as conn:
            await conn.execute(
                "UPDATE reminders SET status = 'merged', settled_at = ?, note = 'snoozed'"
                " WHERE case_slug = ? AND subscriber_id = ? AND status = 'pending'"
                " AND due_at <= ?",
                (timestamp(now), case.slug, subscriber_id, timestamp(until)),
            )
            await conn.execute(
                "DELETE FROM reminder_stops WHERE case_slug = ? AND subscriber_id = ?",
                (case.slug, subscriber_id),
            )
            await conn.execute(
                "INSERT INTO reminders (case_slug, subscriber_id, step, due_at)"
                " VALUES (?, ?, ?, ?) ON CONFLICT (case_slug, subscriber_id, step)"
                " DO UPDATE SET due_at = excluded.due_at,"
                " status = 'pending', settled_at = NULL, note = NULL",
                (case.slug, subscriber_id, SNOOZE_STEP, timestamp(until)),
            )

    async def stop(self, case_slug: str, subscriber_id: int, now: datetime) -> None:
        """No more reminders about this case for this person, even if its deadline moves."""
        async with self._db.transaction() as conn:
            await conn.execute(
                "INSERT INTO reminder_stops (case_slug, subscriber_id, stopped_at)"
                " VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
                (case_slug, subscriber_id, timestamp(now)),
            )
            await conn.execute(
                "UPDATE reminders SET status = 'cancelled', settled_at = ?,"
                " note = 'asked to stop' WHERE case_slug = ? AND subscriber_id = ?"
                " AND status = 'pending'",
                (timestamp(now), case_slug, subscriber_id),
            )

    async def pending(self, subscriber_id: int) -> list[Pending]:
        """The reminders still to come for one subscriber, soonest first."""
        async with self._db.read() as conn:
            cursor = await conn.execute(
                "SELECT case_slug, step, due_at FROM reminders"
                " WHERE subscriber_id = ? AND status = 'pending' ORDER BY due_at",
                (subscriber_id,),
            )
            rows = await cursor.fetchall()
        return [Pending(r[0], r[1], datetime.fromisoformat(r[2])) for r in rows]

    async def stopped(self, subscriber_id: int) -> list[str]:
        """The cases this subscriber asked not to be reminded about."""
        async with self._db.read() as conn:
            cursor = await conn.execute(
                "SELECT case_slug FROM reminder_stops WHERE subscriber_id = ?",
                (subscriber_id,),
            )
            return [str(row[0]) for row in await cursor.fetchall()]

    async def next_due(self) -> datetime | None:
        """When the next pending reminder is due."""
        async with self._db.read() as conn:
            cursor = await conn.execute(
                "SELECT min(due_at) FROM reminders WHERE status = 'pending'"
            )
            row = await cursor.fetchone()
        return datetime.fromisoformat(row[0]) if row and row[0] else None

    async def send_due(
        self,
        now: datetime,
        cases: Mapping[str, UrgentAction],
        message_for: Callable[[UrgentAction, str], OutboundMessage],
        *,
        grace: timedelta,
    ) -> SweepReport:
        """Claim what is due, decide each reminder's fate and queue those that go.

        Each batch is one transaction: the rows are settled and their messages queued together,
        so after a crash a reminder is either still pending or already in the outbox, never
        both and never lost.
        """
        report = SweepReport()
        # One sweep at a time across the bot's processes (PostgreSQL); another process's sweep
        # now is doing this one's work, so this one does nothing.
        async with self._db.exclusive(SWEEP_LOCK, wait=False) as mine:
            if not mine:
                return report
            return await self._sweep(now, cases, message_for, grace, report)

    async def _sweep(
        self,
        now: datetime,
        cases: Mapping[str, UrgentAction],
        message_for: Callable[[UrgentAction, str], OutboundMessage],
        grace: timedelta,
        report: SweepReport,
    ) -> SweepReport:
        while True:
            async with self._db.bulk() as conn:
                # Every row claimed leaves `pending` or moves past `now`: the loop ends.
                due = await self._claim(conn, now)
                if not due:
                    return report
                await self._settle(conn, due, now, cases, message_for, grace, report)

    async def _claim(self, conn: Connection, now: datetime) -> list[DueReminder]:
        # Even beside a sweep that did not take the lock, a row is settled once (PostgreSQL).
        cursor = await conn.execute(
            _DUE_LOCKED if conn.dialect is Dialect.POSTGRESQL else _DUE,
            (self.default_timezone, timestamp(now), SWEEP_BATCH),
        )
        rows = await cursor.fetchall()
        return [
            DueReminder(
                id=int(r["id"]),
                case_slug=str(r["case_slug"]),
                subscriber_id=int(r["subscriber_id"]),
                chat_id=int(r["chat_id"]),
                language=str(r["language"]),
                timezone=str(r["timezone"]),
                due=datetime.fromisoformat(r["due_at"]),
                reachable=bool(r["reachable"]),
                acted=bool(r["acted"]),
                stopped=bool(r["stopped"]),
            )
            for r in rows
        ]

    async def _one_a_day(
        self,
        conn: Connection,
        decided: list[tuple[DueReminder, Decision]],
        now: datetime,
        cases: Mapping[str, UrgentAction],
    ) -> list[tuple[DueReminder, Decision]]:
        """Nobody gets more than one reminder a day across cases: the soonest deadline goes,
        the others wait a day (and are dropped then if their deadline has passed)."""
        going = [r for r, d in decided if d.fate is Fate.SEND]
        if not going:
            return decided
        cursor = await conn.execute(
            "SELECT subscriber_id, case_slug, settled_at FROM reminders WHERE status = 'sent'"
            " AND settled_at > ? AND subscriber_id IN (SELECT value FROM json_each(?))",
            (
                timestamp(now - timedelta(days=1)),
                json.dumps(sorted({r.subscriber_id for r in going})),
            ),
        )
        recent = [
            (int(r[0]), str(r[1]), datetime.fromisoformat(r[2])) for r in await cursor.fetchall()
        ]

        def other_case_since(reminder: DueReminder) -> datetime | None:
            """When the person last had a reminder about another case, within the day."""
            times = [
                at
                for who, slug, at in recent
                if who == reminder.subscriber_id and slug != reminder.case_slug
            ]
            return max(times) if times else None

        # A case's own plan may space its reminders closer than a day; across cases, one a day.
        open_ = [r for r in going if other_case_since(r) is None]
        kept = {
            (k.reader_id, k.slug)
            for k in one_reminder_a_day(
                [
                    DayReminder(r.subscriber_id, r.case_slug, r.due, _deadline(cases, r.case_slug))
                    for r in open_
                ],
                {},
                now,
            )
        }
        result = []
        for reminder, decision in decided:
            if (
                decision.fate is Fate.SEND
                and (reminder.subscriber_id, reminder.case_slug) not in kept
            ):
                # A day after the other case's reminder, or after the one going now: always
                # past `now`, so the sweep's loop ends.
                previous = other_case_since(reminder)
                later = previous + timedelta(days=1) if previous else now + timedelta(days=1)
                result.append((reminder, Decision(Fate.LATER, later=later)))
            else:
                result.append((reminder, decision))
        return result

    async def _settle(
        self,
        conn: Connection,
        due: Iterable[DueReminder],
        now: datetime,
        cases: Mapping[str, UrgentAction],
        message_for: Callable[[UrgentAction, str], OutboundMessage],
        grace: timedelta,
        report: SweepReport,
    ) -> None:
        decided = keep_latest(
            [
                (reminder, decide(reminder, cases.get(reminder.case_slug), now, grace))
                for reminder in due
            ]
        )
        decided = await self._one_a_day(conn, decided, now, cases)
        settled = []
        later = []
        sending: dict[tuple[str, str], list[Recipient]] = {}
        for reminder, decision in decided:
            if decision.fate is Fate.LATER:
                assert decision.later is not None
                later.append((timestamp(decision.later), reminder.id))
                report.postponed += 1
                continue
            settled.append((str(decision.fate), timestamp(now), decision.note, reminder.id))
            if decision.fate is Fate.SEND:
                recipient = Recipient(reminder.chat_id, reminder.subscriber_id)
                sending.setdefault((reminder.case_slug, reminder.language), []).append(recipient)
                report.sent += 1
                report.by_case[reminder.case_slug] = report.by_case.get(reminder.case_slug, 0) + 1
            elif decision.fate is Fate.CANCEL:
                report.cancelled += 1
            elif decision.fate is Fate.DROP:
                report.dropped += 1
            else:
                report.merged += 1
        await conn.executemany(
            "UPDATE reminders SET status = ?, settled_at = ?, note = ? WHERE id = ?", settled
        )
        await conn.executemany("UPDATE reminders SET due_at = ? WHERE id = ?", later)
        for (slug, language), recipients in sending.items():
            message = message_for(cases[slug], language)
            await enqueue(conn, message, recipients, kind=Kind.REMINDER, now=now)


def _deadline(cases: Mapping[str, UrgentAction], slug: str) -> datetime | None:
    case = cases.get(slug)
    return case.deadline_moment() if case is not None else None
