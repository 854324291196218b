"""Fixtures for the delivery engine: a fresh migrated database, subscribers, a fake Bot API."""

from __future__ import annotations

import asyncio
import itertools
import json
import time
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from bot.db import outbox
from bot.db.connection import Database
from bot.db.subscribers import SubscriberRepository
from bot.delivery.messages import Kind, OutboundMessage, Recipient
from bot.delivery.transport import ApiResponse, TransportError
from bot.domain.subscribers import ChatType

T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


async def subscribe(db: Database, chat_ids: Iterable[int]) -> list[Recipient]:
    """Subscribe these chats; return them as recipients linked to their subscriber rows."""
    repository = SubscriberRepository(db)
    recipients = []
    for chat_id in chat_ids:
        chat_type = ChatType.PRIVATE if chat_id > 0 else ChatType.GROUP
        subscriber, _ = await repository.subscribe(chat_id, chat_type, "en", T0)
        recipients.append(Recipient(chat_id, subscriber.id))
    return recipients


async def queue(
    db: Database,
    recipients: Iterable[Recipient],
    text: str = "A new Urgent Action",
    *,
    kind: Kind = Kind.ALERT,
    broadcast_id: int | None = None,
    now: datetime = T0,
    **extra: Any,
) -> int:
    """Queue one text for these recipients in a transaction; return the rows queued."""
    async with db.transaction() as conn:
        return await outbox.enqueue(
            conn,
            OutboundMessage.text(text),
            recipients,
            kind=kind,
            broadcast_id=broadcast_id,
            now=now,
            **extra,
        )


def ok(message_id: int = 1) -> ApiResponse:
    """A successful answer carrying a Message."""
    return ApiResponse(200, True, message_id=message_id)


def error(status: int, description: str, **parameters: Any) -> ApiResponse:
    """An answer with ok=false."""
    return ApiResponse(
        status,
        False,
        description=description,
        retry_after=parameters.get("retry_after"),
        migrate_to_chat_id=parameters.get("migrate_to_chat_id"),
    )


@dataclass(frozen=True)
class Call:
    """One call the fake Bot API received."""

    method: str
    params: dict[str, Any]
    at: float  # time.monotonic()

    @property
    def chat_id(self) -> int:
        return int(self.params["chat_id"])


@dataclass
class FakeTelegram:
    """A scripted Bot API in memory: per chat, the next answers; otherwise success."""

    calls: list[Call] = field(default_factory=list)
    scripts: dict[int, deque[ApiResponse | TransportError]] = field(default_factory=dict)
    latency: float = 0.0
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    def script(self, chat_id: int, *answers: ApiResponse | TransportError) -> None:
        """Answer the next calls to `chat_id` this way, in order."""
        self.scripts.setdefault(chat_id, deque()).extend(answers)

    async def post(self, method: str, body: bytes) -> ApiResponse:
        params = json.loads(body)
        self.calls.append(Call(method, params, time.monotonic()))
        if self.latency:
            await asyncio.sleep(self.latency)
        script = self.scripts.get(int(params["chat_id"]))
        if script:
            answer = script.popleft()
            if isinstance(answer, TransportError):
                raise answer
            return answer
        return ok(next(self._ids))

    def to(self, chat_id: int) -> list[Call]:
        """The calls made to one chat."""
        return [c for c in self.calls if c.chat_id == chat_id]

    def chats(self) -> list[int]:
        """The chat of every call, in order."""
        return [c.chat_id for c in self.calls]


async def rows(db: Database) -> dict[int, dict[str, Any]]:
    """Every outbox row by chat id (tests queue one row per chat unless they say otherwise)."""
    async with db.read() as conn:
        cursor = await conn.execute("SELECT * FROM outbox ORDER BY id")
        return {row["chat_id"]: dict(row) for row in await cursor.fetchall()}


async def subscriber_status(db: Database, chat_id: int) -> str | None:
    """The status of the subscriber with this chat id."""
    async with db.read() as conn:
        cursor = await conn.execute("SELECT status FROM subscribers WHERE chat_id = ?", (chat_id,))
        row = await cursor.fetchone()
    return None if row is None else str(row[0])
