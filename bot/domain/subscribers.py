"""Subscribers: the chats that receive alerts, and what the bot keeps about each."""

from __future__ import annotations

import enum
from collections.abc import Collection
from dataclasses import dataclass
from datetime import UTC, datetime

from bot.domain.allowance import NotOffered, OpenCase, Reader
from bot.domain.cases import Channel, UrgentAction


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

    def refusal(
        self,
        case: UrgentAction,
        *,
        themes: Collection[str] | None,
        channels: Collection[Channel] | None,
    ) -> NotOffered | None:
        """Why the subscriber's choices turn `case` away (its country, the `themes` they follow,
        the `channels` they can use), or None if they accept it.

        The offer sweep's own rule (`Reader.refusal`), so that what /start shows, what the sweep
        offers and what organizers are told agree. Neither the allowance nor the deadline is
        asked here: they are not the subscriber's choice about the case but about how many and
        when, and whoever lists the open cases has already decided which are open.
        """
        reader = Reader(
            id=self.id,
            countries=frozenset(self.countries) if self.countries is not None else None,
            themes=frozenset(themes) if themes is not None else None,
            channels=frozenset(channels) if channels is not None else frozenset(Channel),
        )
        about = OpenCase(
            slug=case.slug,
            country_code=case.country_code,
            published_at=_ANY_TIME,
            channels=frozenset(case.channels()),
            themes=frozenset(case.themes),
            urgent=case.urgent,
        )
        return reader.refusal(about, _ANY_TIME)

    def wants(
        self,
        case: UrgentAction,
        *,
        themes: Collection[str] | None,
        channels: Collection[Channel] | None,
    ) -> bool:
        """Whether the subscriber's choices accept `case` (see `refusal`)."""
        return self.refusal(case, themes=themes, channels=channels) is None


# The choices do not depend on the time: a case without a deadline is open at any.
_ANY_TIME = datetime(2000, 1, 1, tzinfo=UTC)
