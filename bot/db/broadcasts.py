"""The broadcasts table, and choosing a broadcast's audience."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from bot.db.connection import Connection, Database
from bot.db.drafts import Draft, take
from bot.db.outbox import cancel_broadcast, enqueue
from bot.delivery.messages import Kind, OutboundMessage, Recipient

AUDIENCE = re.compile(r"^(all|lang:[a-z]{2}|(case|acted|notacted):[a-z0-9][a-z0-9-]{0,31})$")

# audience kind -> the active subscribers it means, as (id, chat_id, language).
_AUDIENCES = {
    "all": "SELECT id, chat_id, language FROM subscribers WHERE status = 'active'",
    "lang": "SELECT id, chat_id, language FROM subscribers WHERE status = 'active'"
    " AND language = :value",
    "case": "SELECT s.id, s.chat_id, s.language FROM subscribers s JOIN case_alerts a"
    " ON a.subscriber_id = s.id WHERE s.status = 'active' AND a.case_slug = :value",
    "acted": "SELECT id, chat_id, language FROM subscribers WHERE status = 'active'"
    " AND actor IN (SELECT actor FROM actions WHERE case_slug = :value)",
    "notacted": "SELECT s.id, s.chat_id, s.language FROM subscribers s JOIN case_alerts a"
    " ON a.subscriber_id = s.id WHERE s.status = 'active' AND a.case_slug = :value"
    " AND s.actor NOT IN (SELECT actor FROM actions WHERE case_slug = :value)",
}


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


async def _members(conn: Connection, audience: str) -> list[tuple[int, int, str]]:
    if not AUDIENCE.match(audience):
        raise ValueError(f"unknown audience {audience!r}")
    kind, _, value = audience.partition(":")
    cursor = await conn.execute(_AUDIENCES[kind], {"value": value})
    return [(int(r[0]), int(r[1]), str(r[2])) for r in await cursor.fetchall()]


class BroadcastRepository:
    """Broadcasts: their audience, queueing, progress and cancelling."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def audience_size(self, audience: str) -> int:
        """How many chats the audience holds now."""
        async with self._db.read() as conn:
            return len(await _members(conn, audience))

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
        """Record the broadcast and queue a message for each member, in one transaction.

        The organizer's `draft`, if given, is deleted in that transaction: a crash neither loses
        the broadcast nor leaves a draft to send again, and of two taps on "Send now" one sends
        and the other finds the draft gone (DraftGoneError, nothing queued).
        """
        async with self._db.transaction() as conn:
            if draft is not None:
                await take(conn, draft)
            members = await _members(conn, audience)
            cursor = await conn.execute(
                "INSERT INTO broadcasts (created_by, created_at, text, audience, send_at,"
                " recipients) VALUES (?, ?, ?, ?, ?, ?)",
                (created_by, now.isoformat(), text, audience, send_at.isoformat(), len(members)),
            )
            broadcast_id = cursor.lastrowid
            assert broadcast_id is not None
            by_language: dict[str, list[Recipient]] = {}
            for subscriber_id, chat_id, language in members:
                by_language.setdefault(language, []).append(Recipient(chat_id, subscriber_id))
            for language, recipients in by_language.items():
                await enqueue(
                    conn,
                    message_for(language),
                    recipients,
                    kind=Kind.BROADCAST,
                    now=now,
                    broadcast_id=broadcast_id,
                    not_before=send_at,
                )
        found = await self.get(broadcast_id)
        assert found is not None
        return found

    async def get(self, broadcast_id: int) -> Broadcast | None:
        """The broadcast `broadcast_id`, or None."""
        async with self._db.read() as conn:
            cursor = await conn.execute(
                "SELECT id, created_by, text, audience, send_at, status, recipients,"
                " status_chat_id, status_message_id FROM broadcasts WHERE id = ?",
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
                " AND status = 'queued'",
                (now.isoformat(), broadcast_id),
            )
