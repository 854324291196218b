"""Broadcasting: queueing an organizer's message to an audience, and cancelling it, for the chat
and the console alike."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import datetime

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.context import Services
from bot.db.broadcasts import Broadcast, BroadcastRepository
from bot.db.drafts import Draft
from bot.db.organizers import OrganizerRepository
from bot.delivery.messages import OutboundMessage
from bot.logs import pseudonym
from bot.rendering import Renderer
from bot.views.callbacks import encode

log = logging.getLogger(__name__)


def broadcast_message(renderer: Renderer, html: str, language: str) -> OutboundMessage:
    """The broadcast as its recipients get it: the organizer's text and an unsubscribe button."""
    label = renderer.button(language, "unsubscribe")
    markup = InlineKeyboardMarkup([[InlineKeyboardButton(label, callback_data=encode("unsub"))]])
    return OutboundMessage.text(html, reply_markup=markup.to_dict())


async def queue_broadcast(
    services: Services,
    actor: int,
    html: str,
    audience: str,
    send_at: datetime,
    *,
    draft: Draft | None = None,
    recorded: Callable[[], Awaitable[None]] | None = None,
) -> Broadcast:
    """Record the broadcast (finishing the chat's `draft`, if any, in the same transaction) and
    queue a message for each member of the audience; audited. DraftGoneError as
    `BroadcastRepository.create` raises it. `recorded` is awaited once the broadcast is
    recorded, before its recipients are queued (the chat answers the tap there)."""
    now = services.clock()
    repository = BroadcastRepository(services.db)
    broadcast = await repository.create(
        created_by=actor, text=html, audience=audience, send_at=send_at, now=now, draft=draft
    )
    if recorded is not None:
        await recorded()
    # In batches: the engine sends the first while the rest are queued.
    broadcast = await repository.fill(
        broadcast.id,
        lambda language: broadcast_message(services.renderer, html, language),
        now,
        wake=services.wake_delivery,
    )
    await OrganizerRepository(services.db).record(
        actor,
        "broadcast_queued",
        {
            "broadcast": broadcast.id,
            "audience": broadcast.audience,
            "recipients": broadcast.recipients,
        },
        now,
    )
    services.wake_delivery()
    log.info(
        "broadcast %s queued by %s for %s", broadcast.id, pseudonym(actor), broadcast.recipients
    )
    return broadcast


async def cancel_broadcast(services: Services, actor: int, broadcast_id: int) -> int:
    """Cancel a scheduled or running broadcast: what is not yet sent stays unsent. Audited;
    how many messages were left unsent."""
    cancelled = await BroadcastRepository(services.db).cancel(broadcast_id, services.clock())
    if services.delivery is not None:
        # Rows the engine already took from the outbox are dropped before they are sent.
        services.delivery.drop_broadcast(broadcast_id)
    await OrganizerRepository(services.db).record(
        actor,
        "broadcast_cancelled",
        {"broadcast": broadcast_id, "unsent": cancelled},
        services.clock(),
    )
    return cancelled
