"""Subscribers: the chats that receive alerts, and what the bot keeps about each."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime

from bot.domain.cases import UrgentAction


class ChatType(enum.StrEnum):
    """The kind of chat a subscriber is."""

    PRIVATE = "private"
    GROUP = "group"
    SUPERGROUP = "supergroup"


class SubscriberStatus(enum.StrEnum):
    """Whether a subscriber receives alerts: `stopped` chose /stop, `blocked` blocked the bot."""

    ACTIVE = "active"
    STOPPED = "stopped"
    BLOCKED = "blocked"


@dataclass(frozen=True)
class Subscriber:
    """A chat subscribed to alerts: everything the bot stores about it is here."""

    id: int
    chat_id: int
    chat_type: ChatType
    actor: str  # random key linking action records to this person until /forget
    language: str
    countries: tuple[str, ...] | None  # ISO codes of the cases wanted; None: every case
    timezone: str | None
    signature: str | None  # only when the person asked the bot to remember it
    status: SubscriberStatus
    subscribed_at: datetime
    updated_at: datetime
    # Where the person lives (ISO 3166 alpha-2), if they said: whose embassy their letters copy.
    home_country: str | None = None

    @property
    def is_group(self) -> bool:
        """Whether this subscriber is a group chat rather than a person."""
        return self.chat_type is not ChatType.PRIVATE

    @property
    def is_active(self) -> bool:
        """Whether alerts reach this subscriber."""
        return self.status is SubscriberStatus.ACTIVE

    def wants(self, case: UrgentAction) -> bool:
        """Whether the subscriber's preferences ask for alerts about `case`."""
        return self.countries is None or case.country_code in self.countries
