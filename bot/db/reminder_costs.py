"""Reads what followed each reminder of a case (bot.domain.reminder_costs) for /results."""

from __future__ import annotations

import json
from datetime import datetime

from bot.db.connection import Connection, Database
from bot.domain.reminder_costs import Aftermath, SentReminder, StepCost, step_costs


async def reminder_costs(db: Database, case_slug: str) -> list[StepCost]:
    """Per reminder step of the case: sent, and who acted, stopped, blocked the bot, asked
    for fewer cases or for no more reminders about it, after it.

    The reminders are counted per step in SQL; only those of the people something happened to
    (acted, left, muted the case, asked for fewer cases) are read one by one.
    """
    async with db.read() as conn:
        cursor = await conn.execute(
            "SELECT step, count(*) FROM reminders WHERE case_slug = ? AND status = 'sent'"
            " GROUP BY step",
            (case_slug,),
        )
        totals = {str(r[0]): int(r[1]) for r in await cursor.fetchall()}
        if not totals:
            return []
        people = await _aftermath(conn, case_slug)
        cursor = await conn.execute(
            "SELECT subscriber_id, step, settled_at FROM reminders"
            " WHERE case_slug = ? AND status = 'sent'"
            " AND subscriber_id IN (SELECT value FROM json_each(?))",
            (case_slug, json.dumps(sorted(people))),
        )
        sent = [
            SentReminder(int(r[0]), str(r[1]), datetime.fromisoformat(r[2]))
            for r in await cursor.fetchall()
        ]
    return step_costs(sent, people, totals)


async def _aftermath(conn: Connection, case_slug: str) -> dict[int, Aftermath]:
    """The people the case reached whom something happened to, with what and when: each read
    walks the case's rows (or the few who left or cut) once by its own index."""
    cursor = await conn.execute(
        "SELECT s.id, min(x.acted_at) FROM actions x JOIN subscribers s ON s.actor = x.actor"
        " WHERE x.case_slug = ? GROUP BY s.id",
        (case_slug,),
    )
    acted = {int(r[0]): _moment(r[1]) for r in await cursor.fetchall()}
    cursor = await conn.execute(
        "SELECT subscriber_id, stopped_at FROM reminder_stops WHERE case_slug = ?", (case_slug,)
    )
    muted = {int(r[0]): _moment(r[1]) for r in await cursor.fetchall()}
    cursor = await conn.execute(
        "SELECT s.id, s.status, s.updated_at FROM case_alerts a"
        " JOIN subscribers s ON s.id = a.subscriber_id"
        " WHERE a.case_slug = ? AND s.status != 'active'",
        (case_slug,),
    )
    left = {int(r[0]): (str(r[1]), _moment(r[2])) for r in await cursor.fetchall()}
    cursor = await conn.execute(
        "SELECT c.subscriber_id, c.cut_at FROM allowance_cuts c"
        " JOIN case_alerts a ON a.subscriber_id = c.subscriber_id WHERE a.case_slug = ?",
        (case_slug,),
    )
    cuts: dict[int, list[datetime]] = {}
    for subscriber_id, cut_at in await cursor.fetchall():
        cuts.setdefault(int(subscriber_id), []).append(datetime.fromisoformat(cut_at))
    return {
        person: Aftermath(
            acted_at=acted.get(person),
            left_at=left[person][1] if person in left else None,
            blocked=person in left and left[person][0] == "blocked",
            muted_at=muted.get(person),
            cuts=tuple(cuts.get(person, ())),
        )
        for person in acted.keys() | muted.keys() | left.keys() | cuts.keys()
    }


def _moment(value: object) -> datetime | None:
    return datetime.fromisoformat(str(value)) if value else None
