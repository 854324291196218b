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
        # Only those who got a reminder about the case, each once.
        cursor = await conn.execute(
            "SELECT s.id, s.status, s.updated_at,"
            " (SELECT min(x.acted_at) FROM actions x WHERE x.case_slug = ?"
            "   AND x.actor = s.actor),"
            " (SELECT t.stopped_at FROM reminder_stops t WHERE t.case_slug = ?"
            "   AND t.subscriber_id = s.id)"
            " FROM subscribers s WHERE s.id IN (SELECT DISTINCT subscriber_id FROM reminders"
            "   WHERE case_slug = ? AND status = 'sent')",
            (case_slug, case_slug, case_slug),
        )
        people = {
            int(r[0]): Aftermath(
                acted_at=_moment(r[3]),
                left_at=_moment(r[2]) if r[1] != "active" else None,
                blocked=r[1] == "blocked",
                muted_at=_moment(r[4]),
            )
            for r in await cursor.fetchall()
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
