"""Reads what followed each reminder of a case (bot.domain.reminder_costs) for /results."""

from __future__ import annotations

from datetime import datetime

from bot.db.connection import Database
from bot.domain.reminder_costs import Aftermath, SentReminder, StepCost, step_costs


async def reminder_costs(db: Database, case_slug: str) -> list[StepCost]:
    """Per reminder step of the case: sent, and who acted, stopped, blocked the bot, asked
    for fewer cases or for no more reminders about it, after it."""
    async with db.read() as conn:
        cursor = await conn.execute(
            "SELECT subscriber_id, step, settled_at FROM reminders"
            " WHERE case_slug = ? AND status = 'sent'",
            (case_slug,),
        )
        sent = [
            SentReminder(int(r[0]), str(r[1]), datetime.fromisoformat(r[2]))
            for r in await cursor.fetchall()
        ]
        if not sent:
            return []
        reminded = {r.subscriber_id for r in sent}
        # Each read walks the case's rows once by its own index; a correlated min() per person
        # took a minute at 20,000 people, this takes a fraction of a second.
        cursor = await conn.execute(
            "SELECT s.id, min(x.acted_at) FROM actions x JOIN subscribers s ON s.actor = x.actor"
            " WHERE x.case_slug = ? GROUP BY s.id",
            (case_slug,),
        )
        acted = {int(r[0]): _moment(r[1]) for r in await cursor.fetchall()}
        cursor = await conn.execute(
            "SELECT subscriber_id, stopped_at FROM reminder_stops WHERE case_slug = ?",
            (case_slug,),
        )
        muted = {int(r[0]): _moment(r[1]) for r in await cursor.fetchall()}
        cursor = await conn.execute(
            "SELECT s.id, s.status, s.updated_at FROM subscribers s"
            " WHERE s.status != 'active' AND s.id IN (SELECT DISTINCT subscriber_id"
            "   FROM reminders WHERE case_slug = ? AND status = 'sent')",
            (case_slug,),
        )
        left = {int(r[0]): (str(r[1]), _moment(r[2])) for r in await cursor.fetchall()}
        people = {
            person: Aftermath(
                acted_at=acted.get(person),
                left_at=left[person][1] if person in left else None,
                blocked=person in left and left[person][0] == "blocked",
                muted_at=muted.get(person),
            )
            for person in reminded
        }
        cursor = await conn.execute(
            "SELECT c.subscriber_id, c.cut_at FROM allowance_cuts c"
            " WHERE c.subscriber_id IN (SELECT DISTINCT subscriber_id FROM reminders"
            "   WHERE case_slug = ? AND status = 'sent')",
            (case_slug,),
        )
        for subscriber_id, cut_at in await cursor.fetchall():
            person = people.get(int(subscriber_id), Aftermath())
            people[int(subscriber_id)] = Aftermath(
                person.acted_at,
                person.left_at,
                person.blocked,
                person.muted_at,
                (*person.cuts, datetime.fromisoformat(cut_at)),
            )
    return step_costs(sent, people)


def _moment(value: object) -> datetime | None:
    return datetime.fromisoformat(str(value)) if value else None
