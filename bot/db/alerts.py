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

# Subscribers alerted per transaction when a case is published: each also gets an outbox row and
# a reminder plan, so a batch is a few tens of milliseconds (bench/README.md), well under the
# 250 ms a tap may wait for the database.
ALERT_BATCH = 250
# Subscriber ids counted per read when an audience is counted (a few tens of milliseconds).
COUNT_CHUNK = 10_000


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
    resume: bool = False,
) -> int:
    """Queue the case's alert for everyone who wants it and has not had it (`_alert`), one
    process at a time: two processes publishing or resuming one case at once would choose the
    same people, so the second waits, then finds them alerted."""
    async with db.exclusive(f"urgent-action-bot:publish:{case.slug}", wait=True):
        return await _alert(
            db, case, message_for, now, default_timezone, batch=batch, resume=resume
        )


async def _alert(
    db: Database,
    case: UrgentAction,
    message_for: Callable[[Audience], OutboundMessage],
    now: datetime,
    default_timezone: str,
    *,
    batch: int = ALERT_BATCH,
    resume: bool = False,
) -> int:
    """Queue the case's alert for every active subscriber who wants it and has not had it.

    Subscribers are taken in batches, each one transaction: choosing them, recording that the
    case reached them, planning their reminders, queueing their messages and moving the case's
    progress (`alerts_after`) land together or not at all, and no batch holds the database long
    enough to keep a tap waiting. With `resume` (the bot at start), it picks up where a crash
    stopped it, and returns at once when every subscriber was looked at (`alerts_done_at`), so
    a start does no work over all subscribers when nothing is unfinished. Returns how many were
    alerted now.
    """
    payloads: dict[Audience, int] = {}
    total = 0
    after: int | None = None if resume else 0
    while True:
        async with db.transaction() as conn:
            if after is None:
                cursor = await conn.execute(
                    "SELECT alerts_after, alerts_done_at FROM cases WHERE slug = ?", (case.slug,)
                )
                progress = await cursor.fetchone()
                if progress is None or progress["alerts_done_at"] is not None:
                    return total
                after = int(progress["alerts_after"])
            # Keyset batches: each picks up after the last id done, found by the primary keys
            # of both tables, so a batch costs the same at the end of a million as at the start.
            cursor = await conn.execute(
                "SELECT id, chat_id, chat_type, language, countries, timezone FROM subscribers s"
                " WHERE s.status = 'active' AND s.id > ? AND NOT EXISTS"
                " (SELECT 1 FROM case_alerts a WHERE a.case_slug = ? AND a.subscriber_id = s.id)"
                " ORDER BY s.id LIMIT ?",
                (after, case.slug, batch),
            )
            rows = list(await cursor.fetchall())
            if not rows:
                await conn.execute(
                    "UPDATE cases SET alerts_after = ?, alerts_done_at = ? WHERE slug = ?",
                    (after, now.isoformat(), case.slug),
                )
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
            await conn.execute(
                "UPDATE cases SET alerts_after = ?, alerts_done_at = NULL WHERE slug = ?",
                (after, case.slug),
            )
            total += len(alerted)


async def audience_size(
    db: Database, case: UrgentAction, *, chunk: int = COUNT_CHUNK
) -> tuple[int, int]:
    """How many people and groups publishing `case` would alert now.

    Counted in SQL over ranges of ids, one short read each, so a tap waits at most for one.
    """
    people = groups = 0
    async with db.read() as conn:
        cursor = await conn.execute("SELECT coalesce(max(id), 0) FROM subscribers")
        row = await cursor.fetchone()
    highest = int(row[0]) if row else 0
    # Preferences are stored as a JSON list of quoted codes: ["KZ", "RU"].
    country = f'%"{case.country_code}"%'
    for low in range(0, highest, chunk):
        async with db.read() as conn:
            cursor = await conn.execute(
                "SELECT s.chat_type = 'private', count(*) FROM subscribers s"
                " WHERE s.status = 'active' AND s.id > ? AND s.id <= ?"
                " AND (s.countries IS NULL OR s.countries LIKE ?) AND NOT EXISTS"
                " (SELECT 1 FROM case_alerts a WHERE a.case_slug = ? AND a.subscriber_id = s.id)"
                " GROUP BY s.chat_type = 'private'",
                (low, low + chunk, country, case.slug),
            )
            for private, count in await cursor.fetchall():
                if private:
                    people += int(count)
                else:
                    groups += int(count)
    return people, groups


async def queue_to_alerted(
    db: Database,
    case_slug: str,
    message_for: Callable[[str, bool], OutboundMessage],
    now: datetime,
    *,
    kind: Kind = Kind.OUTCOME,
    batch: int = ALERT_BATCH,
    wake: Callable[[], None] | None = None,
) -> int:
    """Queue a message for everyone the case reached who is still active; return how many.

    `message_for(language, acted)` renders it once per language and whether the person acted.
    In keyset batches over the case's alerts, each its own transaction, as publishing goes.
    """
    payloads: dict[tuple[str, bool], int] = {}
    after = 0
    total = 0
    while True:
        async with db.transaction() as conn:
            cursor = await conn.execute(
                "SELECT s.id, s.chat_id, s.language, EXISTS (SELECT 1 FROM actions x"
                "   WHERE x.case_slug = a.case_slug AND x.actor = s.actor)"
                " FROM case_alerts a JOIN subscribers s ON s.id = a.subscriber_id"
                " WHERE a.case_slug = ? AND a.subscriber_id > ? AND s.status = 'active'"
                " ORDER BY a.subscriber_id LIMIT ?",
                (case_slug, after, batch),
            )
            rows = list(await cursor.fetchall())
            if not rows:
                return total
            after = int(rows[-1][0])
            groups: dict[tuple[str, bool], list[Recipient]] = {}
            for subscriber_id, chat_id, language, acted in rows:
                key = (str(language), bool(acted))
                groups.setdefault(key, []).append(Recipient(int(chat_id), int(subscriber_id)))
            for key, recipients in groups.items():
                if key not in payloads:
                    payloads[key] = await add_payload(conn, message_for(*key), now)
                await enqueue(conn, payloads[key], recipients, kind=kind, now=now)
            total += len(rows)
        if wake is not None:
            wake()
