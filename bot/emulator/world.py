"""The simulated world the emulator serves: one bot, people, chats, files, updates, counters.

Both sides act on it: the Bot API methods (methods.py) for the bot, and the simulated people
(people.py) for everyone else. Whatever changes it wakes whoever waits on it: a long poll, a
webhook, a test waiting for a reply, the demo page's event stream.
"""

from __future__ import annotations

import asyncio
import itertools
import re
import secrets
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from bot.emulator.inline import PendingInlineQuery
from bot.emulator.limits import EmulatorLimits, FloodGate
from bot.emulator.state import (
    ADMINISTRATOR,
    CREATOR,
    GROUP_ANONYMOUS_BOT,
    KICKED,
    LEFT,
    CallbackAnswer,
    Chat,
    Person,
    RecordedMessage,
    Stats,
    StoredFile,
)
from bot.emulator.updates import UpdateQueue, WebhookSender

_TOKEN = re.compile(r"^(\d{1,20}):[A-Za-z0-9_-]{1,100}$")


@dataclass
class BotAccount:
    """The bot the emulator serves: its token, identity, commands, updates and webhook."""

    token: str
    id: int
    username: str
    first_name: str
    privacy_mode: bool  # in groups, only commands, replies and mentions reach the bot
    updates: UpdateQueue
    webhook: WebhookSender
    commands: dict[str, list[dict[str, str]]] = field(default_factory=dict)
    # setChatMenuButton: a chat's own button by chat id, the bot's default under 0.
    menu_buttons: dict[int, dict[str, Any]] = field(default_factory=dict)
    # Inline mode (BotFather's /setinline): the placeholder a client shows after @bot; None
    # while inline mode is off. chosen_inline_result updates need /setinlinefeedback too.
    inline_placeholder: str | None = None
    inline_feedback: bool = False
    _user: dict[str, Any] | None = field(default=None, repr=False)

    def as_user(self) -> dict[str, Any]:
        """The bot as a User object (built once; callers must not change it)."""
        if self._user is None:
            self._user = {
                "id": self.id,
                "is_bot": True,
                "first_name": self.first_name,
                "username": self.username,
            }
        return self._user

    @property
    def webhook_url(self) -> str | None:
        """The webhook set with setWebhook, or None while the bot polls."""
        state = self.webhook.state
        return state.url if state else None

    @property
    def webhook_secret(self) -> str | None:
        """The webhook's secret_token, if one was set."""
        state = self.webhook.state
        return state.secret if state else None

    def commands_for(self, scope: str = "default", language: str = "") -> list[dict[str, str]]:
        """The command menu set for a scope ("default", "all_group_chats", ...) and language."""
        return self.commands.get(f"{scope}:{language}", [])


@dataclass
class PendingQuery:
    """A tap the bot has not answered yet."""

    id: str
    user_id: int
    chat_id: int
    message_id: int
    created: float
    answer: asyncio.Future[CallbackAnswer | None]  # None: the emulator stopped first


# How much faster than real time a wait on the emulator's clock passes (`World.sleep`): a
# second of a bot's pacing costs a test a tenth of a second, time enough on a busy machine for
# the messages sent before the wait to reach the emulator before its clock jumps past them.
SLEEP_SPEEDUP = 10.0
# How long a simulated person waits for the bot unless told (a reply, an answer, a change): a
# bound for when the bot never does it, not a time the bot is held to. A bot on a machine
# loaded several times over may take seconds for a reply that comes after a whole sweep, and
# a wait that is met ends at once.
PATIENCE = 30.0


class World:
    """The state both sides act on, and the ways it changes."""

    def __init__(
        self,
        limits: EmulatorLimits | None = None,
        *,
        clock: Callable[[], float] = time.monotonic,
        wall_clock: Callable[[], float] = time.time,
    ) -> None:
        self.limits = limits or EmulatorLimits()
        self._base_clock = clock
        self._elapsed = 0.0
        self.wall_clock = wall_clock  # Unix time, for message dates
        self.stats = Stats()
        self.flood = FloodGate(self.clock)
        self.bots: dict[str, BotAccount] = {}
        self.people: dict[int, Person] = {}
        self.chats: dict[int, Chat] = {}
        self.files: dict[str, StoredFile] = {}
        self.files_by_path: dict[str, StoredFile] = {}
        self.queries: dict[str, PendingQuery] = {}
        self.inline_queries: dict[str, PendingInlineQuery] = {}
        self.events: deque[dict[str, Any]] = deque(maxlen=self.limits.events_kept)
        self.last_event = 0
        self._waiters: list[asyncio.Future[None]] = []
        self._person_ids = itertools.count(100_001)
        self._group_ids = itertools.count(1)
        self._file_ids = itertools.count(1)

    # ---- time --------------------------------------------------------------------------------

    def clock(self) -> float:
        """The emulator's time in seconds (for flood limits and timeouts), moved by `elapse`."""
        return self._base_clock() + self._elapsed

    def elapse(self, seconds: float) -> None:
        """Let `seconds` pass for the flood limits and callback timeouts, without waiting.

        Simulated people act as fast as code runs; real ones take a second or two. Tests call
        this between a person's actions, so the bot is held to the limits at a human pace.
        """
        if seconds < 0:
            raise ValueError("time only moves forward")
        self._elapsed += seconds

    async def sleep(self, seconds: float) -> None:
        """Wait `seconds` of the emulator's clock in a `SLEEP_SPEEDUP`th of the time: a bot in
        tests paces its sends on this clock (`bot.clock.Pace`), and the emulator still holds it
        to the limits on the same clock.

        The wait is short, not nothing: waits end in the order they would in real time, and
        what the bot had ready to send meanwhile (the replies that needed no wait) reaches the
        emulator before the clock jumps past it. The clock then moves to the end of the wait
        unless it is there already: two waits that began together end together.
        """
        until = self.clock() + seconds
        await asyncio.sleep(max(0.0, seconds) / SLEEP_SPEEDUP)
        late = until - self.clock()
        if late > 0:
            self._elapsed += late

    # ---- the bot -----------------------------------------------------------------------------

    def create_bot(
        self,
        token: str,
        username: str = "UrgentActionBot",
        first_name: str = "Urgent Action",
        *,
        privacy_mode: bool = True,
    ) -> BotAccount:
        """Register the bot; requests must carry its token. The emulator serves one bot."""
        match = _TOKEN.match(token)
        if match is None:
            raise ValueError("a bot token looks like 123456:ABC-def_ghi")
        if self.bots:
            raise RuntimeError("the emulator serves one bot; start another emulator for another")
        queue = UpdateQueue(self.clock, self.limits.update_ttl)
        account = BotAccount(
            token=token,
            id=int(match.group(1)),
            username=username,
            first_name=first_name,
            privacy_mode=privacy_mode,
            updates=queue,
            webhook=WebhookSender(queue, self.limits, self.wall_clock),
        )
        self.bots[token] = account
        return account

    @property
    def bot(self) -> BotAccount:
        """The bot (create_bot first)."""
        if not self.bots:
            raise RuntimeError("no bot yet: call create_bot(token) first")
        return next(iter(self.bots.values()))

    # ---- ids and lookups ---------------------------------------------------------------------

    def new_person_id(self) -> int:
        """An id no person has yet."""
        while True:
            candidate = next(self._person_ids)
            if candidate not in self.people:
                return candidate

    def new_group_id(self, *, supergroup: bool) -> int:
        """A chat id of the kind the service gives: -N for groups, -100N for supergroups."""
        number = next(self._group_ids)
        return -(1_000_000_000_000 + number) if supergroup else -(4_000_000_000 + number)

    def chat(self, chat_id: int) -> Chat:
        """The chat with this id; KeyError naming it when there is none."""
        chat = self.chats.get(chat_id)
        if chat is None:
            raise KeyError(f"no chat {chat_id}")
        return chat

    def person(self, user_id: int) -> Person:
        """The person with this id; KeyError naming them when there is none."""
        person = self.people.get(user_id)
        if person is None:
            raise KeyError(f"no person {user_id}")
        return person

    def creator_of(self, chat: Chat) -> int | None:
        """The group's creator, or else its first admin."""
        for wanted in (CREATOR, ADMINISTRATOR):
            for user_id, status in chat.members.items():
                if status == wanted:
                    return user_id
        return None

    # ---- files -------------------------------------------------------------------------------

    def store_file(self, name: str, mime_type: str, data: bytes, kind: str) -> StoredFile:
        """Keep a file and give it a file_id, a file_unique_id and a download path."""
        number = next(self._file_ids)
        prefix = "AgAC" if kind == "photo" else "BQAC"
        extension = name.rsplit(".", 1)[-1].lower() if "." in name else "bin"
        folder = "photos" if kind == "photo" else "documents"
        stored = StoredFile(
            file_id=f"{prefix}{number:06d}{secrets.token_urlsafe(24)}",
            file_unique_id=f"AQAD{number:06d}",
            file_path=f"{folder}/file_{number}.{extension}",
            file_name=name,
            mime_type=mime_type,
            data=data,
            kind=kind,
        )
        self.files[stored.file_id] = stored
        self.files_by_path[stored.file_path] = stored
        return stored

    # ---- messages ----------------------------------------------------------------------------

    def record(
        self,
        chat: Chat,
        *,
        from_bot: bool,
        user_id: int | None,
        text: str = "",
        entities: list[dict[str, Any]] | None = None,
        html: str | None = None,
        markup: dict[str, Any] | None = None,
        document: StoredFile | None = None,
        photo: StoredFile | None = None,
        reply_to: int | None = None,
        paid: bool = False,
        silent: bool = False,
        protected: bool = False,
        service: dict[str, Any] | None = None,
    ) -> RecordedMessage:
        """A new message in the chat: numbered, counted, kept (unless counting only)."""
        message = RecordedMessage(
            message_id=chat.next_message_id,
            chat_id=chat.id,
            date=int(self.wall_clock()),
            from_bot=from_bot,
            user_id=user_id,
            text=text,
            html=html,
            entities=entities or [],
            reply_markup=markup,
            document=document,
            photo=photo,
            reply_to=reply_to,
            paid=paid,
            silent=silent,
            protected=protected,
            service=service,
        )
        chat.next_message_id += 1
        if from_bot:
            chat.bot_sent += 1
            self.stats.delivered += 1
            if paid:
                self.stats.delivered_paid += 1
            if not self.limits.keep_bodies:
                return message
        chat.keep(message, self.limits.history_per_chat)
        self.event("message", chat_id=chat.id, message=message)
        return message

    # Past the complexity limit on purpose: one branch per optional field of the Bot API's Message,
    # as the spec lists them.
    def message_json(self, message: RecordedMessage, *, with_reply: bool = True) -> dict[str, Any]:  # noqa: C901
        """The Message object the service sends."""
        chat = self.chats[message.chat_id]
        payload: dict[str, Any] = {
            "message_id": message.message_id,
            "date": message.date,
            "chat": chat.as_chat(),
        }
        if message.from_bot:
            payload["from"] = self.bot.as_user()
        elif message.sender_chat_id is not None:
            # Sent as the group by an anonymous admin: who wrote it is not told.
            payload["from"] = dict(GROUP_ANONYMOUS_BOT)
            payload["sender_chat"] = self.chats[message.sender_chat_id].as_chat()
        elif message.user_id is not None:
            payload["from"] = self.people[message.user_id].as_user()
        if message.reply_to is not None and with_reply:
            replied = chat.messages.get(message.reply_to)
            if replied is not None and not replied.deleted:
                payload["reply_to_message"] = self.message_json(replied, with_reply=False)
        if message.forward_origin is not None:
            payload["forward_origin"] = message.forward_origin
        if message.via_bot:
            payload["via_bot"] = self.bot.as_user()
        if message.edit_date is not None:
            payload["edit_date"] = message.edit_date
        if message.protected:
            payload["has_protected_content"] = True
        if message.document is not None or message.photo is not None:
            if message.document is not None:
                payload["document"] = message.document.as_document()
            if message.photo is not None:
                payload["photo"] = message.photo.as_photo()
            if message.text:
                payload["caption"] = message.text
            if message.entities:
                payload["caption_entities"] = message.entities
        elif message.text:
            payload["text"] = message.text
            if message.entities:
                payload["entities"] = message.entities
        if message.service:
            payload.update(message.service)
        if message.media:
            payload.update(message.media)
        if message.reply_markup:
            payload["reply_markup"] = message.reply_markup
        return payload

    def message_view(self, message: RecordedMessage) -> dict[str, Any]:
        """The Message object plus what the demo page shows: the HTML as sent, flags."""
        view = self.message_json(message)
        view["html"] = message.html
        view["from_bot"] = message.from_bot
        view["edited"] = message.edited
        view["deleted"] = message.deleted
        return view

    def reset_stats(self) -> None:
        """Start the counters again from zero."""
        self.stats.reset()

    @property
    def updates(self) -> list[dict[str, Any]]:
        """The updates waiting for the bot, oldest first."""
        return self.bot.updates.pending()

    # ---- change --------------------------------------------------------------------------------

    def push_update(self, kind: str, payload: dict[str, Any]) -> None:
        """Give the bot an update (if it takes updates of this kind)."""
        self.bot.updates.push(kind, payload)

    def event(self, kind: str, **data: Any) -> None:
        """Log what happened, for the control API's event stream, and wake the waiters.

        A message is logged by reference and rendered when read, so logging costs little.
        """
        self.last_event += 1
        self.events.append({"id": self.last_event, "kind": kind, **data})
        self.changed()

    def events_since(self, since: int) -> list[dict[str, Any]]:
        """The logged events with an id above `since`, as JSON (the oldest may be gone)."""
        first = self.last_event - len(self.events) + 1
        start = max(0, since - first + 1)
        return [
            {
                key: self.message_view(value) if isinstance(value, RecordedMessage) else value
                for key, value in event.items()
            }
            for event in itertools.islice(self.events, start, None)
        ]

    def changed(self) -> None:
        """Wake everyone waiting for the world to change."""
        if self._waiters:
            waiters, self._waiters = self._waiters, []
            for waiter in waiters:
                if not waiter.done():
                    waiter.set_result(None)

    async def wait_for(self, condition: Callable[[], bool], timeout: float = PATIENCE) -> None:
        """Wait until `condition()` holds; TimeoutError after `timeout` seconds.

        The condition is checked again whenever the world changes (a message, an edit, an
        answer, a membership), so it should be about the world.
        """
        async with asyncio.timeout(timeout):
            while not condition():
                waiter: asyncio.Future[None] = asyncio.get_running_loop().create_future()
                self._waiters.append(waiter)
                await waiter

    def bot_is_out(self, chat: Chat) -> bool:
        """Whether the bot was removed from (or left) this group."""
        return chat.person is None and chat.bot_status in (KICKED, LEFT)
