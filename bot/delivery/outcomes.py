"""What an answer of the Bot API means for a message to many (../shared/telegram/LIMITS.md)."""

from __future__ import annotations

import enum
from dataclasses import dataclass

from bot.delivery.transport import ApiResponse

# 400s that mean the chat is gone for good, like a 403.
_UNREACHABLE = ("chat not found", "user not found", "peer_id_invalid", "bot was blocked")
_NOT_MODIFIED = "message is not modified"
_DEFAULT_RETRY_AFTER = 5.0  # seconds, for a 429 that does not say


class Outcome(enum.Enum):
    """How the engine treats an answer."""

    SENT = "sent"
    UNREACHABLE = "unreachable"  # blocked, kicked, deactivated, unknown chat: stop sending there
    MIGRATED = "migrated"  # a group became a supergroup
    REFUSED = "refused"  # Telegram refused this message (bad HTML, too long ...): never retry
    FLOOD = "flood"  # 429: pause all sending
    TRANSIENT = "transient"  # 5xx and the like: retry with backoff
    MISCONFIGURED = "misconfigured"  # 401/404: the token or URL is wrong; hold everything


@dataclass(frozen=True)
class Judgement:
    """The outcome of one answer, with what the engine needs to act on it."""

    outcome: Outcome
    error: str | None = None
    message_id: int | None = None
    retry_after: float = 0.0
    migrate_to: int | None = None


def judge(response: ApiResponse) -> Judgement:
    """Classify one answer of the Bot API."""
    if response.ok:
        return Judgement(Outcome.SENT, message_id=response.message_id)
    status, description = response.status, response.description
    error = f"{status} {description}".strip()
    lowered = description.lower()
    if status == 429:
        retry_after = response.retry_after or _DEFAULT_RETRY_AFTER
        return Judgement(Outcome.FLOOD, error, retry_after=retry_after)
    if status == 400 and response.migrate_to_chat_id is not None:
        return Judgement(Outcome.MIGRATED, error, migrate_to=response.migrate_to_chat_id)
    if status == 403 or (status == 400 and any(s in lowered for s in _UNREACHABLE)):
        return Judgement(Outcome.UNREACHABLE, error)
    if status == 400 and _NOT_MODIFIED in lowered:
        return Judgement(Outcome.SENT, error)
    if status in (401, 404):
        return Judgement(Outcome.MISCONFIGURED, error)
    if status >= 500 or status in (408, 420):
        return Judgement(Outcome.TRANSIENT, error)
    return Judgement(Outcome.REFUSED, error)
