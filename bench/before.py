"""The statements issue 13 measured, as they were, to time against today's in one run.

Only for bench/scale.py's `--before`: publishing with `NOT IN` rebuilt for every batch, a
broadcast's audience built in Python and queued in one transaction, audiences counted by loading
every row.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime

from bot.db.alerts import Audience
from bot.db.connection import Database
from bot.db.outbox import add_payload, enqueue
from bot.db.reminders import plan_people
from bot.delivery.messages import Kind, OutboundMessage, Recipient
from bot.domain.cases import UrgentAction

_AUDIENCES = {
    "all": "SELECT id, chat_id, language FROM subscribers WHERE status = 'active'",
    "notacted": "SELECT s.id, s.chat_id, s.language FROM subscribers s JOIN case_alerts a"
    " ON a.subscriber_id = s.id WHERE s.status = 'active' AND a.case_slug = :value"
    " AND s.actor NOT IN (SELECT actor FROM actions WHERE case_slug = :value)",
}


async def _members(db: Database, audience: str) -> list[tuple[int, int, str]]:
    kind, _, value = audience.partition(":")
    async with db.read() as conn:
        cursor = await conn.execute(_AUDIENCES[kind], {"value": value})
        return [(int(r[0]), int(r[1]), str(r[2])) for r in await cursor.fetchall()]


async def broadcast_audience_size(db: Database, audience: str) -> int:
    """The old count: every member loaded, then counted."""
    return len(await _members(db, audience))


async def case_audience_size(db: Database, case: UrgentAction) -> tuple[int, int]:
    """The old publish preview: every row loaded, filtered in Python."""
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


async def alert_subscribers(
    db: Database,
    case: UrgentAction,
    message_for: Callable[[Audience], OutboundMessage],
    now: datetime,
    default_timezone: str,
    *,
    stop: int,
    batch: int = 2000,
) -> int:
    """The old publish, `NOT IN` per batch, over the subscribers up to id `stop`."""
    payloads: dict[Audience, int] = {}
    after = 0
    total = 0
    while after < stop:
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
    return total


async def offer_to_all(db: Database, case: UrgentAction, now: datetime) -> None:
    """The alerts a publish leaves, in one statement and nothing else (no outbox, no reminders):
    what `bench.scale --steps` lays down, untimed, when it skips the publish."""
    async with db.transaction() as conn:
        await conn.execute(
            "INSERT INTO case_alerts (case_slug, subscriber_id, alerted_at)"
            " SELECT ?, id, ? FROM subscribers WHERE status = 'active'",
            (case.slug, now.isoformat()),
        )


async def queue(
    db: Database, audience: str, message_for: Callable[[str], OutboundMessage], now: datetime
) -> int:
    """The old queue: the whole audience in Python, in one transaction (rolled back here, so
    the file stays as the next steps expect)."""
    kind, _, value = audience.partition(":")
    queued = 0
    try:
        async with db.transaction() as conn:
            cursor = await conn.execute(_AUDIENCES[kind], {"value": value})
            members = [(int(r[0]), int(r[1]), str(r[2])) for r in await cursor.fetchall()]
            by_language: dict[str, list[Recipient]] = {}
            for subscriber_id, chat_id, language in members:
                by_language.setdefault(language, []).append(Recipient(chat_id, subscriber_id))
            for language, recipients in by_language.items():
                queued += await enqueue(
                    conn, message_for(language), recipients, kind=Kind.BROADCAST, now=now
                )
            raise _RollBack
    except _RollBack:
        pass
    return queued


class _RollBack(Exception):  # noqa: N818 - not an error: the way out of the transaction
    pass
