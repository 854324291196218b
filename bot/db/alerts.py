"""The case_alerts table: which case reached which subscriber (the offer sweep in
bot.db.offers writes it), and a message to everyone a case reached."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from bot.db.connection import Database
from bot.db.outbox import add_payload, enqueue
from bot.db.reminders import plan
from bot.delivery.messages import Kind, OutboundMessage, Recipient
from bot.domain.cases import UrgentAction

# People told per transaction when a closed case's outcome goes to everyone it reached: each
# gets an outbox row, so a batch is a few tens of milliseconds (bench/README.md), well under the
# 250 ms a tap may wait for the database. (Publishing goes through bot.db.offers.)
ALERT_BATCH = 250


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
        had it, or is gone (a /forget handled between their /start and this record)."""
        async with self._db.transaction() as conn:
            # Only for a subscriber and a case still there: taps are handled concurrently, and
            # an insert naming a row deleted meanwhile fails its foreign key.
            cursor = await conn.execute(
                "INSERT INTO case_alerts (case_slug, subscriber_id, alerted_at)"
                " SELECT ?, ?, ? WHERE EXISTS (SELECT 1 FROM subscribers WHERE id = ?)"
                " AND EXISTS (SELECT 1 FROM cases WHERE slug = ?)"
                " ON CONFLICT DO NOTHING",
                (case.slug, subscriber_id, now.isoformat(), subscriber_id, case.slug),
            )
            if cursor.rowcount <= 0:
                return False
            await conn.execute(
                "UPDATE cases SET offered = offered + 1 WHERE slug = ?", (case.slug,)
            )
            await plan(conn, case, now, self._default_timezone, subscriber_id)
            return True


@dataclass(frozen=True)
class Audience:
    """One kind of recipient of a case alert: a language, and a group or a person."""

    language: str
    in_group: bool


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
        async with db.bulk() as conn:
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
