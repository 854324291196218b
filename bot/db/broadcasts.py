"""The broadcasts table, and choosing a broadcast's audience."""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from bot.db.connection import Connection, Database
from bot.db.drafts import Draft, take
from bot.db.outbox import add_payload, cancel_broadcast, enqueue
from bot.db.pacing import Pacing
from bot.delivery.messages import Kind, OutboundMessage, Recipient

AUDIENCE = re.compile(r"^(all|lang:[a-z]{2}|(case|acted|notacted|news):[a-z0-9][a-z0-9-]{0,31})$")

# Broadcasts queue this many recipients per transaction, and count this many ids per read, so
# that each transaction stays well under the 250 ms a tap may wait (bench/README.md).
QUEUE_BATCH = 500
QUEUE_HOLD = 0.1  # seconds a batch may hold the database before the next ones shrink
QUEUE_BATCH_LEAST = 50
COUNT_CHUNK = 10_000
# A count's read is kept to this long by shrinking its range of ids, down to the least.
COUNT_READ = 0.05
COUNT_CHUNK_LEAST = 500

# audience kind -> the active subscribers it means, as the tail of a query on `subscribers s`.
# Each is a filter on a walk of the subscribers' ids, so a broadcast is queued in keyset batches
# (`s.id > :after ... LIMIT`) and counted over ranges of ids, each step a short transaction.
_AUDIENCES = {
    "all": " FROM subscribers s WHERE s.status = 'active'",
    "lang": " FROM subscribers s WHERE s.status = 'active' AND s.language = :value",
    "case": " FROM subscribers s WHERE s.status = 'active' AND EXISTS"
    " (SELECT 1 FROM case_alerts a WHERE a.case_slug = :value AND a.subscriber_id = s.id)",
    "acted": " FROM subscribers s WHERE s.status = 'active' AND EXISTS"
    " (SELECT 1 FROM actions x WHERE x.case_slug = :value AND x.actor = s.actor)",
    "notacted": " FROM subscribers s WHERE s.status = 'active' AND EXISTS"
    " (SELECT 1 FROM case_alerts a WHERE a.case_slug = :value AND a.subscriber_id = s.id)"
    " AND NOT EXISTS"
    " (SELECT 1 FROM actions x WHERE x.case_slug = :value AND x.actor = s.actor)",
    # News of a case that is not closed: those who acted, and those who planned to write
    # (bot.db.plans; not those who passed it on).
    "news": " FROM subscribers s WHERE s.status = 'active' AND (EXISTS"
    " (SELECT 1 FROM actions x WHERE x.case_slug = :value AND x.actor = s.actor)"
    " OR EXISTS (SELECT 1 FROM case_plans p WHERE p.case_slug = :value"
    "   AND p.subscriber_id = s.id AND p.choice != 'passed'))",
}


def _audience(audience: str) -> tuple[str, str]:
    """The audience's query tail and its value; ValueError if it is not one we know."""
    if not AUDIENCE.match(audience):
        raise ValueError(f"unknown audience {audience!r}")
    kind, _, value = audience.partition(":")
    return _AUDIENCES[kind], value


async def _members(
    conn: Connection, audience: str, after: int, limit: int
) -> list[tuple[int, int, str]]:
    """The next `limit` members after subscriber id `after`, in id order."""
    tail, value = _audience(audience)
    # `tail` is one of _AUDIENCES' literals, chosen by a checked name.
    cursor = await conn.execute(
        "SELECT s.id, s.chat_id, s.language"
        + tail
        + " AND s.id > :after ORDER BY s.id LIMIT :limit",
        {"value": value, "after": after, "limit": limit},
    )
    return [(int(r[0]), int(r[1]), str(r[2])) for r in await cursor.fetchall()]


@dataclass(frozen=True)
class Broadcast:
    """An organizer's message to an audience."""

    id: int
    created_by: int
    text: str
    audience: str
    send_at: datetime
    status: str
    recipients: int
    status_chat_id: int | None
    status_message_id: int | None
    queued: bool = True  # every recipient's row is in the outbox (see `fill`)


class BroadcastRepository:
    """Broadcasts: their audience, queueing, progress and cancelling."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def audience_size(self, audience: str, *, chunk: int = COUNT_CHUNK) -> int:
        """How many chats the audience holds now, counted in SQL a range of ids per read."""
        tail, value = _audience(audience)
        async with self._db.read() as conn:
            cursor = await conn.execute("SELECT coalesce(max(id), 0) FROM subscribers")
            row = await cursor.fetchone()
        highest = int(row[0]) if row else 0
        total = 0
        # The first ranges are small: how long an id costs is not known yet. Audiences that
        # look up each subscriber's alerts and actions cost more per id, and any read costs
        # more on a busy machine: the ranges shrink until a read takes COUNT_READ at most.
        low = 0
        pacing = Pacing(chunk, COUNT_CHUNK_LEAST, COUNT_READ, start=chunk // 4)
        while low < highest:
            size = pacing.size
            async with self._db.read() as conn:
                started = time.perf_counter()
                cursor = await conn.execute(
                    "SELECT count(*)" + tail + " AND s.id > :low AND s.id <= :high",
                    {"value": value, "low": low, "high": low + size},
                )
                row = await cursor.fetchone()
                pacing.took(time.perf_counter() - started)
            total += int(row[0]) if row else 0
            low += size
        return total

    async def queue(
        self,
        *,
        created_by: int,
        text: str,
        audience: str,
        send_at: datetime,
        message_for: Callable[[str], OutboundMessage],
        now: datetime,
        draft: Draft | None = None,
    ) -> Broadcast:
        """Record the broadcast (`create`) and queue a message for each member (`fill`)."""
        broadcast = await self.create(
            created_by=created_by,
            text=text,
            audience=audience,
            send_at=send_at,
            now=now,
            draft=draft,
        )
        return await self.fill(broadcast.id, message_for, now)

    async def create(
        self,
        *,
        created_by: int,
        text: str,
        audience: str,
        send_at: datetime,
        now: datetime,
        draft: Draft | None = None,
    ) -> Broadcast:
        """Record the broadcast, with no recipient queued yet; `fill` queues them.

        The organizer's `draft`, if given, is deleted in the same transaction: a crash neither
        loses the broadcast nor leaves a draft to send again, and of two taps on "Send now" one
        sends and the other finds the draft gone (DraftGoneError, nothing recorded).
        """
        _audience(audience)
        async with self._db.transaction() as conn:
            if draft is not None:
                await take(conn, draft)
            cursor = await conn.execute(
                "INSERT INTO broadcasts (created_by, created_at, text, audience, send_at,"
                " recipients) VALUES (?, ?, ?, ?, ?, 0)",
                (created_by, now.isoformat(), text, audience, send_at.isoformat()),
            )
            broadcast_id = cursor.lastrowid
        assert broadcast_id is not None
        found = await self.get(broadcast_id)
        assert found is not None
        return found

    async def fill(
        self,
        broadcast_id: int,
        message_for: Callable[[str], OutboundMessage],
        now: datetime,
        *,
        batch: int = QUEUE_BATCH,
        wake: Callable[[], None] | None = None,
    ) -> Broadcast:
        """Queue a message for each member of the broadcast's audience not queued yet.

        Members are taken in subscriber id order, `batch` per transaction: their rows and the
        broadcast's progress (`queue_after`, `recipients`) land together, so no transaction
        keeps a tap waiting and a crash leaves a point to resume from (the bot resumes at
        start). `wake` is called after each batch, so the delivery engine sends the first
        batches while the next are queued. A broadcast cancelled meanwhile queues no more.
        """
        # One process at a time: two filling one broadcast (webhook processes starting
        # together on PostgreSQL) would both queue the members after the same id.
        lock = f"urgent-action-bot:broadcast-fill:{broadcast_id}"
        async with self._db.exclusive(lock, wait=True):
            await self._fill(broadcast_id, message_for, now, batch=batch, wake=wake)
        found = await self.get(broadcast_id)
        assert found is not None
        return found

    async def _fill(
        self,
        broadcast_id: int,
        message_for: Callable[[str], OutboundMessage],
        now: datetime,
        *,
        batch: int,
        wake: Callable[[], None] | None,
    ) -> None:
        payloads: dict[str, int] = {}
        # On a busy machine (or a costly audience) the batches shrink until one holds the
        # database QUEUE_HOLD at most, and grow back to `batch` when it has room.
        pacing = Pacing(batch, QUEUE_BATCH_LEAST, QUEUE_HOLD)
        while True:
            async with self._db.bulk() as conn:
                started = time.perf_counter()
                cursor = await conn.execute(
                    "SELECT audience, send_at, status, queue_after, queued_at FROM broadcasts"
                    " WHERE id = ?",
                    (broadcast_id,),
                )
                row = await cursor.fetchone()
                if row is None or row["queued_at"] is not None:
                    return
                members = []
                if row["status"] == "queued":
                    members = await _members(
                        conn, row["audience"], row["queue_after"], pacing.size
                    )
                if not members:
                    await conn.execute(
                        "UPDATE broadcasts SET queued_at = ? WHERE id = ?",
                        (now.isoformat(), broadcast_id),
                    )
                    return
                by_language: dict[str, list[Recipient]] = {}
                for subscriber_id, chat_id, language in members:
                    by_language.setdefault(language, []).append(Recipient(chat_id, subscriber_id))
                for language, recipients in by_language.items():
                    if language not in payloads:
                        payloads[language] = await add_payload(conn, message_for(language), now)
                    await enqueue(
                        conn,
                        payloads[language],
                        recipients,
                        kind=Kind.BROADCAST,
                        now=now,
                        broadcast_id=broadcast_id,
                        not_before=datetime.fromisoformat(row["send_at"]),
                    )
                await conn.execute(
                    "UPDATE broadcasts SET queue_after = ?, recipients = recipients + ?"
                    " WHERE id = ?",
                    (members[-1][0], len(members), broadcast_id),
                )
                pacing.took(time.perf_counter() - started)
            if wake is not None:
                wake()

    async def unqueued(self) -> list[Broadcast]:
        """Broadcasts a crash stopped while their recipients were being queued."""
        async with self._db.read() as conn:
            cursor = await conn.execute(
                "SELECT id FROM broadcasts WHERE status = 'queued' AND queued_at IS NULL"
            )
            ids = [int(r[0]) for r in await cursor.fetchall()]
        found = [await self.get(i) for i in ids]
        return [b for b in found if b is not None]

    async def stranded(self, before: datetime) -> list[Broadcast]:
        """Broadcasts still under way, recorded before `before`, whose recipients are not all
        queued or whose organizer was never shown its status message: the process that saved
        it stopped short (its answer to the tap failed, it crashed, the database went away)."""
        async with self._db.read() as conn:
            cursor = await conn.execute(
                "SELECT id FROM broadcasts WHERE status = 'queued' AND created_at < ?"
                " AND (queued_at IS NULL OR status_message_id IS NULL)",
                (before.isoformat(),),
            )
            ids = [int(r[0]) for r in await cursor.fetchall()]
        found = [await self.get(i) for i in ids]
        return [b for b in found if b is not None]

    async def get(self, broadcast_id: int) -> Broadcast | None:
        """The broadcast `broadcast_id`, or None."""
        async with self._db.read() as conn:
            cursor = await conn.execute(
                "SELECT id, created_by, text, audience, send_at, status, recipients,"
                " status_chat_id, status_message_id, queued_at FROM broadcasts WHERE id = ?",
                (broadcast_id,),
            )
            row = await cursor.fetchone()
        if row is None:
            return None
        return Broadcast(
            id=int(row[0]),
            created_by=int(row[1]),
            text=str(row[2]),
            audience=str(row[3]),
            send_at=datetime.fromisoformat(row[4]),
            status=str(row[5]),
            recipients=int(row[6]),
            status_chat_id=row[7],
            status_message_id=row[8],
            queued=row[9] is not None,
        )

    async def unfinished(self) -> list[Broadcast]:
        """Broadcasts still queued (to follow again after a restart)."""
        async with self._db.read() as conn:
            cursor = await conn.execute("SELECT id FROM broadcasts WHERE status = 'queued'")
            ids = [int(r[0]) for r in await cursor.fetchall()]
        found = [await self.get(i) for i in ids]
        return [b for b in found if b is not None]

    async def set_status_message(self, broadcast_id: int, chat_id: int, message_id: int) -> None:
        """Remember the organizer's status message, to edit it as the broadcast goes."""
        async with self._db.transaction() as conn:
            await conn.execute(
                "UPDATE broadcasts SET status_chat_id = ?, status_message_id = ? WHERE id = ?",
                (chat_id, message_id, broadcast_id),
            )

    async def cancel(self, broadcast_id: int, now: datetime) -> int:
        """Cancel what is not yet sent; return how many messages will not go."""
        async with self._db.transaction() as conn:
            cancelled = await cancel_broadcast(conn, broadcast_id)
            await conn.execute(
                "UPDATE broadcasts SET status = 'cancelled', finished_at = ? WHERE id = ?"
                " AND status = 'queued'",
                (now.isoformat(), broadcast_id),
            )
        return cancelled

    async def finish(self, broadcast_id: int, now: datetime) -> None:
        """Mark the broadcast done."""
        async with self._db.transaction() as conn:
            await conn.execute(
                "UPDATE broadcasts SET status = 'done', finished_at = ? WHERE id = ?"
                " AND status = 'queued' AND queued_at IS NOT NULL",
                (now.isoformat(), broadcast_id),
            )
