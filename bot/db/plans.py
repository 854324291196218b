"""The case_plans table: "When will you write?" answered, and a case passed on.

A plan replaces the case's usual reminders for that person with one reminder (step `plan` in
the reminders table); passing a case on cancels its reminders and gives the person's allowance
back, so the offer sweep (bot.db.offers) can offer them another case and this one to others.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.db.connection import Database
from bot.db.outbox import timestamp
from bot.db.subscribers import LOOK_AGAIN
from bot.domain.plans import PlanChoice
from bot.domain.reminders import PLAN_STEP


@dataclass(frozen=True)
class PlanCounts:
    """Per case, what organizers see: people who planned, of them who acted, who passed it on."""

    planned: int = 0
    done: int = 0
    passed_on: int = 0


class PlanRepository:
    """Records plans and cases passed on, and counts them per case."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def plan(
        self,
        case_slug: str,
        subscriber_id: int,
        choice: PlanChoice,
        remind_at: datetime,
        now: datetime,
    ) -> None:
        """Keep the person's plan and put its one reminder in place of the case's others."""
        async with self._db.transaction() as conn:
            await conn.execute(
                "INSERT INTO case_plans (case_slug, subscriber_id, choice, chosen_at, remind_at)"
                " VALUES (?, ?, ?, ?, ?) ON CONFLICT (case_slug, subscriber_id) DO UPDATE"
                " SET choice = excluded.choice, chosen_at = excluded.chosen_at,"
                " remind_at = excluded.remind_at",
                (case_slug, subscriber_id, choice.stored, timestamp(now), timestamp(remind_at)),
            )
            await conn.execute(
                "UPDATE reminders SET status = 'cancelled', settled_at = ?, note = 'planned'"
                " WHERE case_slug = ? AND subscriber_id = ? AND status = 'pending'"
                " AND step != ?",
                (timestamp(now), case_slug, subscriber_id, PLAN_STEP),
            )
            # Asking for a reminder undoes an earlier "stop reminding me about this case".
            await conn.execute(
                "DELETE FROM reminder_stops WHERE case_slug = ? AND subscriber_id = ?",
                (case_slug, subscriber_id),
            )
            await conn.execute(
                "INSERT INTO reminders (case_slug, subscriber_id, step, due_at)"
                " VALUES (?, ?, ?, ?) ON CONFLICT (case_slug, subscriber_id, step)"
                " DO UPDATE SET due_at = excluded.due_at,"
                " status = 'pending', settled_at = NULL, note = NULL",
                (case_slug, subscriber_id, PLAN_STEP, timestamp(remind_at)),
            )

    async def pass_on(self, case_slug: str, subscriber_id: int, now: datetime) -> None:
        """The person cannot take the case: no reminders, and their allowance back."""
        async with self._db.transaction() as conn:
            await conn.execute(
                "INSERT INTO case_plans (case_slug, subscriber_id, choice, chosen_at)"
                " VALUES (?, ?, ?, ?) ON CONFLICT (case_slug, subscriber_id) DO UPDATE"
                " SET choice = excluded.choice, chosen_at = excluded.chosen_at,"
                " remind_at = NULL",
                (case_slug, subscriber_id, PlanChoice.CANNOT.stored, timestamp(now)),
            )
            await conn.execute(
                "UPDATE reminders SET status = 'cancelled', settled_at = ?, note = 'passed on'"
                " WHERE case_slug = ? AND subscriber_id = ? AND status = 'pending'",
                (timestamp(now), case_slug, subscriber_id),
            )
            # The case no longer uses up the allowance (it stays offered: never offered
            # again), and the person is looked at again by the next sweep.
            await conn.execute(
                "UPDATE case_alerts SET counted = 0 WHERE case_slug = ? AND subscriber_id = ?",
                (case_slug, subscriber_id),
            )
            await conn.execute(
                f"UPDATE subscribers SET next_slot_at = NULL, {LOOK_AGAIN} WHERE id = ?",  # noqa: S608
                (subscriber_id,),
            )

    async def of_subscriber(self, subscriber_id: int) -> list[dict[str, str | None]]:
        """One person's plans and the moments they asked for fewer cases, for /mydata."""
        async with self._db.read() as conn:
            cursor = await conn.execute(
                "SELECT case_slug, choice, chosen_at, remind_at FROM case_plans"
                " WHERE subscriber_id = ? ORDER BY chosen_at",
                (subscriber_id,),
            )
            plans: list[dict[str, str | None]] = [
                {"case": r[0], "answer": r[1], "at": r[2], "reminder_at": r[3]}
                for r in await cursor.fetchall()
            ]
            cursor = await conn.execute(
                "SELECT cut_at FROM allowance_cuts WHERE subscriber_id = ? ORDER BY cut_at",
                (subscriber_id,),
            )
            cuts: list[dict[str, str | None]] = [
                {"answer": "fewer cases", "at": r[0]} for r in await cursor.fetchall()
            ]
        return plans + cuts

    async def counts(self, case_slug: str) -> PlanCounts:
        """How many planned to write, how many of them did, and how many passed it on."""
        async with self._db.read() as conn:
            cursor = await conn.execute(
                "SELECT p.choice = 'passed' AS passed, EXISTS (SELECT 1 FROM actions x"
                "   WHERE x.case_slug = p.case_slug AND x.actor = s.actor) AS acted, count(*)"
                " FROM case_plans p JOIN subscribers s ON s.id = p.subscriber_id"
                " WHERE p.case_slug = ? GROUP BY 1, 2",
                (case_slug,),
            )
            rows = await cursor.fetchall()
        planned = sum(int(r[2]) for r in rows if not r[0])
        done = sum(int(r[2]) for r in rows if not r[0] and r[1])
        passed = sum(int(r[2]) for r in rows if r[0])
        return PlanCounts(planned, done, passed)
