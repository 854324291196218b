"""What the outbox holds: messages to many people, their recipients, and what became of each."""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any


class Kind(enum.StrEnum):
    """Why a message goes out; it sets the default priority."""

    ALERT = "alert"  # a new case
    OUTCOME = "outcome"  # news about a case people acted on
    REMINDER = "reminder"
    BROADCAST = "broadcast"  # an organizer's message to everyone
    NOTICE = "notice"  # anything else sent to few chats (to organizers, for example)


class Priority(enum.IntEnum):
    """Lower goes first: a new case's alert overtakes a broadcast that is still draining."""

    URGENT = 0
    HIGH = 2
    NORMAL = 5
    BULK = 8


DEFAULT_PRIORITY: Mapping[Kind, Priority] = {
    Kind.ALERT: Priority.HIGH,
    Kind.OUTCOME: Priority.HIGH,
    Kind.REMINDER: Priority.NORMAL,
    Kind.BROADCAST: Priority.BULK,
    Kind.NOTICE: Priority.NORMAL,
}


class Status(enum.StrEnum):
    """Where a row of the outbox stands."""

    PENDING = "pending"
    SENDING = "sending"  # claimed by the engine; back to pending if the bot stopped mid-way
    SENT = "sent"
    FAILED = "failed"  # Telegram refused it (bad HTML, too long ...): the operator must look
    BLOCKED = "blocked"  # the chat blocked the bot, was deleted or is unknown
    CANCELLED = "cancelled"


@dataclass(frozen=True)
class OutboundMessage:
    """A Bot API call without its chat: `method` and its parameters, rendered once."""

    method: str
    params: Mapping[str, Any]

    @classmethod
    def text(
        cls,
        text: str,
        *,
        reply_markup: Mapping[str, Any] | None = None,
        parse_mode: str | None = "HTML",
        link_preview: bool = False,
    ) -> OutboundMessage:
        """A `sendMessage` with the bot's defaults: HTML, no link previews."""
        params: dict[str, Any] = {"text": text}
        if parse_mode is not None:
            params["parse_mode"] = parse_mode
        if not link_preview:
            params["link_preview_options"] = {"is_disabled": True}
        if reply_markup is not None:
            params["reply_markup"] = reply_markup
        return cls("sendMessage", params)


@dataclass(frozen=True)
class Recipient:
    """A chat to send to; `params` override the shared ones for this chat alone."""

    chat_id: int
    subscriber_id: int | None = None  # rows of a stopped or blocked subscriber are not sent
    params: Mapping[str, Any] | None = None


@dataclass(frozen=True)
class Payload:
    """A stored message: its method and its parameters as JSON text."""

    id: int
    method: str
    params_json: str


@dataclass(frozen=True)
class Delivery:
    """One claimed row of the outbox, on its way to a chat."""

    id: int
    payload_id: int
    chat_id: int
    subscriber_id: int | None
    kind: str
    broadcast_id: int | None
    priority: int
    attempts: int
    migrated: bool
    params_json: str | None  # the per-recipient overrides


class Verdict(enum.StrEnum):
    """What the engine concluded from one attempt."""

    SENT = "sent"
    BLOCKED = "blocked"
    FAILED = "failed"
    RETRY = "retry"  # transient failure: try again at `not_before`, counting the attempt
    MIGRATED = "migrated"  # the group became a supergroup: rewrite the chat id, send again
    RELEASE = "release"  # not attempted (limits, pause, stop): back to pending, no attempt
    CANCELLED = "cancelled"


@dataclass(frozen=True)
class Result:
    """The outcome of one delivery, to be recorded."""

    delivery: Delivery
    verdict: Verdict
    at: datetime
    message_id: int | None = None
    error: str | None = None
    not_before: datetime | None = None  # for RETRY and RELEASE
    migrate_to: int | None = None  # for MIGRATED


@dataclass(frozen=True)
class Progress:
    """How far a broadcast has gone: rows by status."""

    pending: int = 0
    sending: int = 0
    sent: int = 0
    blocked: int = 0
    failed: int = 0
    cancelled: int = 0

    @property
    def total(self) -> int:
        """Every recipient the broadcast was queued for."""
        return (
            self.pending + self.sending + self.sent + self.blocked + self.failed + self.cancelled
        )

    @property
    def finished(self) -> bool:
        """Whether nothing is left to send."""
        return self.pending == 0 and self.sending == 0
