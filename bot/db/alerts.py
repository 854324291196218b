"""The case_alerts table: which case reached which subscriber."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from bot.db.connection import Database
from bot.db.outbox import add_payload, enqueue
from bot.db.reminders import plan, plan_people
from bot.delivery.messages import Kind, OutboundMessage, Recipient
from bot.domain.cases import UrgentAction

# Subscribers alerted per transaction when a case is published.
ALERT_BATCH = 2000


class AlertRepository:
    """Records that a case reached a subscriber, once."""

    def __init__(self, db: Database, default_timezone: str) -> None:
        self._db = db
        self._default_timezone = default_timezone

    async def of_subscriber(self, subscriber_id: int) -> list[tuple[str, datetime]]:
        """The cases that reached this subscriber, and when."""
        async with self._db.read() as conn:
            cursor = await conn.execute(
                "SELECT case_slug, alerted_at FROM case_alerts WHERE subscriber_id = ?"
                " ORDER BY alerted_at",
                (subscriber_id,),
            )
            rows = await cursor.fetchall()
        return [(row[0], datetime.fromisoformat(row[1])) for row in rows]

    async def record(self, case: UrgentAction, subscriber_id: int, now: datetime) -> bool:
        """Record the alert and plan its reminders; return False when this subscriber already
        had it."""
        async with self._db.transaction() as conn:
            cursor = await conn.execute(
                "INSERT INTO case_alerts (case_slug, subscriber_id, alerted_at) VALUES (?, ?, ?)"
                " ON CONFLICT DO NOTHING",
                (case.slug, subscriber_id, now.isoformat()),
            )
            if cursor.rowcount <= 0:
                return False
            await plan(conn, case, now, self._default_timezone, subscriber_id)
            return True


@dataclass(frozen=True)
class Audience:
    """One kind of recipient of a case alert: a language, and a group or a person."""

    language: str
    in_group: bool


async def alert_subscribers(
    db: Database,
    case: UrgentAction,
    message_for: Callable[[Audience], OutboundMessage],
    now: datetime,
    default_timezone: str,
    *,
    batch: int = ALERT_BATCH,
) -> int:
    """Queue the case's alert for everyone who wants it and has not had it (`_alert`), one
    process at a time: two processes publishing or resuming one case at once would choose the
    same people, so the second waits, then finds them alerted."""
    async with db.exclusive(f"urgent-action-bot:publish:{case.slug}", wait=True):
        return await _alert(db, case, message_for, now, default_timezone, batch=batch)


async def _alert(
    db: Database,
    case: UrgentAction,
    message_for: Callable[[Audience], OutboundMessage],
    now: datetime,
    default_timezone: str,
    *,
    batch: int = ALERT_BATCH,
) -> int:
    """Queue the case's alert for every active subscriber who wants it and has not had it.

    Subscribers are taken in batches, each one transaction: choosing them, recording that the
    case reached them, planning their reminders and queueing their messages land together or
    not at all, and no batch holds the database long enough to keep a tap waiting. Calling it
    again picks up where a crash stopped it (the bot does at start). Returns how many.
    """
    payloads: dict[Audience, int] = {}
    after = 0
    total = 0
    while True:
        async with db.transaction() as conn:
            cursor = await conn.execute(
                "SELECT id, chat_id, chat_type, language, countries, timezone FROM subscribers"
                " WHERE status = 'active' AND id > ? AND id NOT IN"
                " (SELECT subscriber_id FROM case_alerts WHERE case_slug = ?)"
                " ORDER BY id LIMIT ?",
                (after, case.slug, batch),
            )
            rows = list(await cursor.fetchall())
            if not rows:
                return total
            after = int(rows[-1]["id"])
            groups: dict[Audience, list[Recipient]] = {}
            alerted: list[tuple[str, int, str]] = []
            people: list[tuple[int, str]] = []
            for row in rows:
                countries = json.loads(row["countries"]) if row["countries"] else None
                if countries is not None and case.country_code not in countries:
                    continue
                in_group = row["chat_type"] != "private"
                audience = Audience(row["language"], in_group)
                groups.setdefault(audience, []).append(Recipient(row["chat_id"], row["id"]))
                alerted.append((case.slug, row["id"], now.isoformat()))
                if not in_group:
                    people.append((int(row["id"]), row["timezone"] or default_timezone))
            await conn.executemany(
                "INSERT INTO case_alerts (case_slug, subscriber_id, alerted_at) VALUES (?, ?, ?)"
                " ON CONFLICT DO NOTHING",
                alerted,
            )
            for audience, recipients in groups.items():
                if audience not in payloads:
                    payloads[audience] = await add_payload(conn, message_for(audience), now)
                await enqueue(conn, payloads[audience], recipients, kind=Kind.ALERT, now=now)
            await plan_people(conn, case, now, people)
            total += len(alerted)


async def audience_size(db: Database, case: UrgentAction) -> tuple[int, int]:
    """How many people and groups publishing `case` would alert now."""
    async with db.read() as conn:
        cursor = await conn.execute(
            "SELECT chat_type, countries FROM subscribers WHERE status = 'active' AND id NOT IN"
            " (SELECT subscriber_id FROM case_alerts WHERE case_slug = ?)",
            (case.slug,),
        )
        rows = await cursor.fetchall()
    people = groups = 0
    for row in rows:
        countries = json.loads(row["countries"]) if row["countries"] else None
        if countries is not None and case.country_code not in countries:
            continue
        if row["chat_type"] == "private":
            people += 1
        else:
            groups += 1
    return people, groups


async def alerted_chats(db: Database, case_slug: str) -> list[tuple[int, int, str, bool, str]]:
    """Who the case reached and is still active: (subscriber, chat, language, in group, actor)."""
    async with db.read() as conn:
        cursor = await conn.execute(
            "SELECT s.id, s.chat_id, s.language, s.chat_type, s.actor FROM case_alerts a"
            " JOIN subscribers s ON s.id = a.subscriber_id"
            " WHERE a.case_slug = ? AND s.status = 'active'",
            (case_slug,),
        )
        rows = await cursor.fetchall()
    return [(int(r[0]), int(r[1]), str(r[2]), r[3] != "private", str(r[4])) for r in rows]
