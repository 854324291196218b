"""The typed context every handler receives: `context.services` instead of untyped dicts."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from telegram.ext import Application, CallbackContext, ContextTypes, ExtBot, JobQueue

from bot.clock import Clock
from bot.config import Settings
from bot.db.actions import ActionRepository
from bot.db.alerts import AlertRepository
from bot.db.cases import CaseRepository
from bot.db.connection import Database
from bot.db.drafts import DraftRepository
from bot.db.reminders import ReminderRepository
from bot.db.subscribers import SubscriberRepository
from bot.delivery.engine import DeliveryEngine
from bot.rendering import Renderer


@dataclass
class Services:
    """What handlers use: settings, clock, database repositories, the renderer."""

    settings: Settings
    clock: Clock
    renderer: Renderer
    db: Database
    cases: CaseRepository
    subscribers: SubscriberRepository
    actions: ActionRepository
    alerts: AlertRepository
    reminders: ReminderRepository
    drafts: DraftRepository
    # Features that keep more about a subscriber add an exporter here, so /mydata shows it all.
    personal_data_exporters: dict[str, Callable[[int], Awaitable[Any]]] = field(
        default_factory=dict
    )
    # The engine that drains the outbox; set once it has started.
    delivery: DeliveryEngine | None = None

    def wake_delivery(self) -> None:
        """Tell the delivery engine that messages were queued (after the commit)."""
        if self.delivery is not None:
            self.delivery.wake()

    @classmethod
    def over(cls, settings: Settings, clock: Clock, renderer: Renderer, db: Database) -> Services:
        """Services over an open database."""
        return cls(
            settings=settings,
            clock=clock,
            renderer=renderer,
            db=db,
            cases=CaseRepository(db, settings.default_timezone),
            subscribers=SubscriberRepository(db),
            actions=ActionRepository(db),
            alerts=AlertRepository(db, settings.default_timezone),
            reminders=ReminderRepository(db, settings.default_timezone),
            drafts=DraftRepository(db),
        )


class KnownLanguages:
    """The language of the chats the process has spoken with lately, kept in memory: what the
    error handler speaks when the database cannot be asked (an outage), without asking it."""

    KEPT = 100_000  # chats remembered; the least recently seen are forgotten first

    def __init__(self) -> None:
        self._by_chat: OrderedDict[int, str] = OrderedDict()

    def note(self, chat_id: int, language: str) -> None:
        """Remember the language spoken in a chat."""
        self._by_chat[chat_id] = language
        self._by_chat.move_to_end(chat_id)
        while len(self._by_chat) > self.KEPT:
            self._by_chat.popitem(last=False)

    def of(self, chat_id: int) -> str | None:
        """The language last spoken in a chat, if the process knows it."""
        return self._by_chat.get(chat_id)

    def forget(self, chat_id: int) -> None:
        """Forget a chat (/forget)."""
        self._by_chat.pop(chat_id, None)


class BotData:
    """The application-wide data: the services, once post_init has opened them."""

    def __init__(self) -> None:
        self.services: Services | None = None
        self.languages = KnownLanguages()


# ExtBot[None]: the rate limiter (bot.delivery.replies) takes no per-request argument.
class BotContext(CallbackContext[ExtBot[None], dict[Any, Any], dict[Any, Any], BotData]):
    """The context of every handler and job in this bot."""

    def __init__(
        self,
        application: Application[Any, Any, Any, Any, Any, Any],
        chat_id: int | None = None,
        user_id: int | None = None,
    ) -> None:
        super().__init__(application, chat_id, user_id)
        # The person's unfinished steps (bot.handlers.flows), read from the database once per
        # update: PTB builds one context for all the handlers of an update.
        self.steps: dict[str, Any] | None = None

    @property
    def services(self) -> Services:
        """The bot's services; they exist from post_init to post_shutdown."""
        services = self.bot_data.services
        if services is None:
            raise RuntimeError("services are used before the application has started")
        return services


CONTEXT_TYPES = ContextTypes(context=BotContext, bot_data=BotData)
UrgentActionApp = Application[
    ExtBot[None], BotContext, dict[Any, Any], dict[Any, Any], BotData, JobQueue[BotContext]
]
