"""The Telegram emulator: a local HTTP server that speaks the Bot API and holds simulated people.

It answers like the service: the same method and parameter names, the same limits and error
texts (../shared/telegram/LIMITS.md). Tests, the demo and the benchmarks drive the people through
the Python API below (`send_text`, `tap`, `block_bot`, ...) or the same operations over HTTP under
`/_emulator/`, and read back what the bot sent.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import logging
import re
import secrets
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import aiohttp
from aiohttp import web

from bot.emulator import html
from bot.emulator.limits import EmulatorLimits, FloodGate, Rate
from bot.emulator.state import Chat, Person, RecordedMessage, Stats, StoredFile

log = logging.getLogger(__name__)

_URL_SCHEMES = ("http://", "https://", "tg://")
_COMMAND = re.compile(r"^[a-z0-9_]{1,32}$")
_SECRET = re.compile(r"^[A-Za-z0-9_-]{1,256}$")
_SENDS = {"sendMessage", "sendDocument", "sendPhoto", "copyMessage", "forwardMessage"}
_EDITS = {"editMessageText", "editMessageReplyMarkup", "editMessageCaption"}
NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply markup are "
    "exactly the same as a current content and reply markup of the message"
)
NOT_AN_ARRAY = (
    'Bad Request: field "inline_keyboard" of the InlineKeyboardMarkup should be an Array of Arrays'
)


class ApiError(Exception):
    """An answer with ok=false, as the service gives it."""

    def __init__(self, code: int, description: str, parameters: dict[str, Any] | None = None):
        super().__init__(description)
        self.code = code
        self.description = description
        self.parameters = parameters


@dataclass
class Upload:
    """A file part of a multipart request."""

    filename: str
    content_type: str
    data: bytes


@dataclass
class CallbackAnswer:
    """What the bot answered to a tap."""

    text: str | None
    show_alert: bool
    url: str | None = None


@dataclass
class _Query:
    id: str
    user_id: int
    created: float
    answer: asyncio.Future[CallbackAnswer]


@dataclass
class _Faults:
    """Failures injected for tests: the next N calls of a method fail this way."""

    status: int = 500
    description: str = "Internal Server Error"
    retry_after: int | None = None
    hang: float = 0.0
    count: int = 0
    chat_id: int | None = None


@dataclass
class BotAccount:
    """The bot the emulator serves: its token, identity, commands and webhook."""

    token: str
    id: int
    username: str
    first_name: str
    commands: dict[str, list[dict[str, str]]] = field(default_factory=dict)
    webhook_url: str | None = None
    webhook_secret: str | None = None

    def as_user(self) -> dict[str, Any]:
        """The bot as a User object."""
        return {
            "id": self.id,
            "is_bot": True,
            "first_name": self.first_name,
            "username": self.username,
        }


Method = Callable[[BotAccount, dict[str, Any]], Awaitable[Any]]


class TelegramEmulator:
    """A Bot API server on 127.0.0.1 with simulated people, groups and strict limits."""

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
        self.wall_clock = wall_clock
        self.flood = FloodGate(self.clock)
        self.stats = Stats()
        self.bots: dict[str, BotAccount] = {}
        self.people: dict[int, Person] = {}
        self.chats: dict[int, Chat] = {}
        self.files: dict[str, StoredFile] = {}
        self.updates: list[dict[str, Any]] = []
        self._update_ids = itertools.count(1)
        self._person_ids = itertools.count(100_001)
        self._group_ids = itertools.count(1)
        self._file_ids = itertools.count(1)
        self._queries: dict[str, _Query] = {}
        self._tasks: set[asyncio.Task[None]] = set()
        self._faults: dict[str, _Faults] = {}
        self._changed = asyncio.Condition()
        self._poller: asyncio.Future[None] | None = None
        self._webhook_task: asyncio.Task[None] | None = None
        self._runner: web.AppRunner | None = None
        self._session: aiohttp.ClientSession | None = None
        self.api_url = ""
        self.events: list[dict[str, Any]] = []  # what happened, for the demo page's live view
        self._methods: dict[str, Method] = {
            "getMe": self._get_me,
            "getUpdates": self._get_updates,
            "setWebhook": self._set_webhook,
            "deleteWebhook": self._delete_webhook,
            "getWebhookInfo": self._get_webhook_info,
            "setMyCommands": self._set_my_commands,
            "getMyCommands": self._get_my_commands,
            "deleteMyCommands": self._delete_my_commands,
            "sendMessage": self._send_message,
            "sendDocument": self._send_document,
            "sendPhoto": self._send_photo,
            "editMessageText": self._edit_message_text,
            "editMessageReplyMarkup": self._edit_message_reply_markup,
            "deleteMessage": self._delete_message,
            "answerCallbackQuery": self._answer_callback_query,
            "getChat": self._get_chat,
            "getChatMember": self._get_chat_member,
            "getFile": self._get_file,
            "sendChatAction": self._send_chat_action,
        }

    # ---- lifecycle -------------------------------------------------------------------------

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> str:
        """Serve on `host`:`port` (0 picks a free port); return the API root URL."""
        app = web.Application(client_max_size=60 * 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._handle_api)
        app.router.add_get("/file/bot{token}/{path:.+}", self._handle_file)
        from bot.emulator.control import add_control_routes  # noqa: PLC0415

        add_control_routes(app, self)
        self._runner = web.AppRunner(app, access_log=None, handle_signals=False)
        await self._runner.setup()
        site = web.TCPSite(self._runner, host, port)
        await site.start()
        server = site._server
        assert server is not None
        sockets = getattr(server, "sockets", None) or []
        bound = sockets[0].getsockname()[1] if sockets else port
        self.api_url = f"http://{host}:{bound}"
        return self.api_url

    async def stop(self) -> None:
        """Stop serving; waiting polls are released."""
        if self._poller is not None and not self._poller.done():
            self._poller.set_result(None)
        if self._webhook_task is not None:
            self._webhook_task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._webhook_task
        if self._session is not None:
            await self._session.close()
        if self._runner is not None:
            await self._runner.cleanup()

    def clock(self) -> float:
        """The emulator's time (monotonic seconds), which `elapse` moves forward."""
        return self._base_clock() + self._elapsed

    def elapse(self, seconds: float) -> None:
        """Let `seconds` pass for the flood limits and callback timeouts, without waiting.

        Simulated people tap as fast as code runs; real ones take a second or two. Tests call
        this between a person's actions so the bot is held to the limits at human pace.
        """
        self._elapsed += seconds

    # ---- the simulated world ---------------------------------------------------------------

    def create_bot(
        self, token: str, username: str = "UrgentActionBot", first_name: str = "Urgent Action"
    ) -> BotAccount:
        """Register the bot whose token requests must carry."""
        bot_id = int(token.split(":", 1)[0])
        account = BotAccount(token, bot_id, username, first_name)
        self.bots[token] = account
        return account

    @property
    def bot(self) -> BotAccount:
        """The one bot (tests and the demo run one)."""
        return next(iter(self.bots.values()))

    def create_person(
        self,
        first_name: str,
        *,
        last_name: str | None = None,
        username: str | None = None,
        language_code: str | None = "en",
    ) -> Person:
        """A new simulated person; their private chat opens when they first write."""
        person = Person(next(self._person_ids), first_name, last_name, username, language_code)
        self.people[person.id] = person
        self.chats[person.id] = Chat(person.id, "private", person=person.id)
        self._event("person", person=person.as_user())
        return person

    async def create_group(
        self,
        title: str,
        *,
        members: list[int],
        admins: list[int] = [],  # noqa: B006 - read only
        supergroup: bool = False,
    ) -> Chat:
        """A group with these members (the first admin is its creator) and the bot in it."""
        number = next(self._group_ids)
        chat_id = -(1_000_000_000_000 + number) if supergroup else -(4_000_000 + number)
        chat = Chat(chat_id, "supergroup" if supergroup else "group", title=title)
        for user in members:
            chat.members[user] = "member"
        for index, user in enumerate(admins):
            chat.members[user] = "creator" if index == 0 else "administrator"
        chat.bot_status = "left"
        self.chats[chat_id] = chat
        adder = admins[0] if admins else members[0]
        await self.add_bot_to_group(chat_id, by=adder)
        self._event("chat", chat=chat.as_chat(self.people))
        return chat

    async def add_bot_to_group(self, chat_id: int, *, by: int) -> None:
        """A member adds the bot to the group (Telegram tells the bot with my_chat_member)."""
        chat = self.chats[chat_id]
        old = chat.bot_status
        chat.bot_status = "member"
        await self._bot_membership(chat, by, old, "member")

    async def remove_bot_from_group(self, chat_id: int, *, by: int) -> None:
        """A member removes the bot from the group."""
        chat = self.chats[chat_id]
        old = chat.bot_status
        chat.bot_status = "kicked"
        await self._bot_membership(chat, by, old, "kicked")

    async def join_group(self, user_id: int, chat_id: int) -> None:
        """A person joins a group."""
        self.chats[chat_id].members[user_id] = "member"

    async def leave_group(self, user_id: int, chat_id: int) -> None:
        """A person leaves a group."""
        self.chats[chat_id].members[user_id] = "left"

    def set_admin(self, chat_id: int, user_id: int, admin: bool = True) -> None:
        """Make a member an admin of the group, or no longer one."""
        self.chats[chat_id].members[user_id] = "administrator" if admin else "member"

    async def block_bot(self, user_id: int) -> None:
        """The person blocks the bot: sends to them now fail with 403."""
        person = self.people[user_id]
        person.blocked_bot = True
        await self._bot_membership(self.chats[user_id], user_id, "member", "kicked")

    async def unblock_bot(self, user_id: int) -> None:
        """The person unblocks the bot."""
        person = self.people[user_id]
        person.blocked_bot = False
        await self._bot_membership(self.chats[user_id], user_id, "kicked", "member")

    def deactivate(self, user_id: int) -> None:
        """The person deletes their account."""
        self.people[user_id].deactivated = True

    async def upgrade_to_supergroup(self, chat_id: int) -> int:
        """Turn a group into a supergroup with a new id, as Telegram does; return the new id."""
        old = self.chats[chat_id]
        number = next(self._group_ids)
        new = Chat(-(1_000_000_000_000 + number), "supergroup", title=old.title)
        new.members = dict(old.members)
        new.bot_status = old.bot_status
        old.migrated_to = new.id
        self.chats[new.id] = new
        creator = next((u for u, s in old.members.items() if s == "creator"), None)
        sender = self.people[creator].as_user() if creator else None
        await self._service(old, sender, {"migrate_to_chat_id": new.id})
        await self._service(new, sender, {"migrate_from_chat_id": old.id})
        return new.id

    async def send_text(
        self, user_id: int, text: str, *, chat_id: int | None = None
    ) -> RecordedMessage:
        """The person writes `text` (a command gets its bot_command entity)."""
        person = self.people[user_id]
        chat = self.chats[chat_id if chat_id is not None else user_id]
        if chat.type == "private":
            if person.blocked_bot:
                await self.unblock_bot(user_id)
            chat.started = True
        entities: list[dict[str, Any]] = []
        match = re.match(r"^/[A-Za-z0-9_]+(@[A-Za-z0-9_]+)?", text)
        if match:
            entities.append({"type": "bot_command", "offset": 0, "length": len(match.group(0))})
        message = self._record(chat, from_bot=False, user_id=user_id, text=text, entities=entities)
        payload = self._message_json(message)
        await self._push({"message": payload})
        return message

    async def send_document(
        self,
        user_id: int,
        filename: str,
        data: bytes,
        *,
        mime_type: str = "application/octet-stream",
        caption: str | None = None,
        chat_id: int | None = None,
    ) -> RecordedMessage:
        """The person sends a file."""
        chat = self.chats[chat_id if chat_id is not None else user_id]
        chat.started = True
        stored = self._store(filename, mime_type, data)
        message = self._record(
            chat, from_bot=False, user_id=user_id, text=caption or "", document=stored
        )
        await self._push({"message": self._message_json(message)})
        return message

    async def tap(
        self,
        user_id: int,
        message: RecordedMessage,
        callback_data: str,
        *,
        forge: bool = False,
        timeout: float = 5.0,
    ) -> CallbackAnswer | None:
        """The person taps a button; return the bot's answer (None if it never answered).

        Without `forge`, the message must carry a button with this data, as in a real client;
        `forge=True` sends any data, as a modified client could.
        """
        if not forge and not any(b.get("callback_data") == callback_data for b in message.buttons):
            raise ValueError(f"message {message.message_id} has no button {callback_data!r}")
        query_id = secrets.token_hex(8)
        future: asyncio.Future[CallbackAnswer] = asyncio.get_running_loop().create_future()
        self._queries[query_id] = _Query(query_id, user_id, self.clock(), future)
        chat = self.chats[message.chat_id]
        await self._push(
            {
                "callback_query": {
                    "id": query_id,
                    "from": self.people[user_id].as_user(),
                    "message": self._message_json(message),
                    "chat_instance": str(chat.id),
                    "data": callback_data,
                }
            }
        )
        try:
            return await asyncio.wait_for(asyncio.shield(future), timeout)
        except TimeoutError:
            return None

    async def press(
        self, user_id: int, message: RecordedMessage, label: str, *, timeout: float = 5.0
    ) -> CallbackAnswer | None:
        """Tap the button whose text contains `label`."""
        data = message.button(label).get("callback_data")
        if data is None:
            raise ValueError(f"button {label!r} is a link, not a callback button")
        return await self.tap(user_id, message, str(data), timeout=timeout)

    def fail_next(
        self,
        method: str,
        *,
        count: int = 1,
        status: int = 500,
        description: str = "Internal Server Error",
        retry_after: int | None = None,
        hang: float = 0.0,
        chat_id: int | None = None,
    ) -> None:
        """Make the next `count` calls of `method` fail (or hang for `hang` seconds)."""
        self._faults[method] = _Faults(status, description, retry_after, hang, count, chat_id)

    # ---- reading back ----------------------------------------------------------------------

    def messages(self, chat_id: int) -> list[RecordedMessage]:
        """Every message kept in the chat, oldest first (deleted ones excluded)."""
        return [m for m in self.chats[chat_id].history if not m.deleted]

    def bot_messages(self, chat_id: int, after: int = 0) -> list[RecordedMessage]:
        """The bot's messages in the chat with an id above `after`."""
        return [m for m in self.messages(chat_id) if m.from_bot and m.message_id > after]

    def last_id(self, chat_id: int) -> int:
        """The id of the newest message in the chat (0 if none)."""
        return self.chats[chat_id].next_message_id - 1

    async def wait_for(self, condition: Callable[[], bool], timeout: float = 5.0) -> None:
        """Wait until `condition()` holds; TimeoutError after `timeout` seconds."""
        async with asyncio.timeout(timeout):
            async with self._changed:
                await self._changed.wait_for(condition)

    async def replies(
        self, chat_id: int, *, after: int, count: int = 1, timeout: float = 5.0
    ) -> list[RecordedMessage]:
        """Wait for `count` bot messages in the chat after message `after`; return them all."""
        try:
            await self.wait_for(lambda: len(self.bot_messages(chat_id, after)) >= count, timeout)
        except TimeoutError:
            got = [m.text[:80] for m in self.bot_messages(chat_id, after)]
            raise TimeoutError(f"expected {count} replies in chat {chat_id}, got {got}") from None
        return self.bot_messages(chat_id, after)

    # ---- HTTP ------------------------------------------------------------------------------

    async def _handle_api(self, request: web.Request) -> web.Response:
        token, method = request.match_info["token"], request.match_info["method"]
        account = self.bots.get(token)
        if account is None:
            return self._error(ApiError(401, "Unauthorized"))
        handler = next(
            (h for name, h in self._methods.items() if name.lower() == method.lower()), None
        )
        name = next((n for n in self._methods if n.lower() == method.lower()), method)
        self.stats.requests[name] = self.stats.requests.get(name, 0) + 1
        if handler is None:
            return self._error(ApiError(404, "Not Found"))
        try:
            params = await self._params(request)
            await self._inject(name, params)
            result = await handler(account, params)
        except ApiError as error:
            return self._error(error)
        return web.json_response({"ok": True, "result": result})

    async def _handle_file(self, request: web.Request) -> web.StreamResponse:
        if request.match_info["token"] not in self.bots:
            return self._error(ApiError(401, "Unauthorized"))
        path = request.match_info["path"]
        stored = next((f for f in self.files.values() if f.file_path == path), None)
        if stored is None:
            return self._error(ApiError(404, "Not Found"))
        return web.Response(body=stored.data, content_type=stored.mime_type)

    def _error(self, error: ApiError) -> web.Response:
        self.stats.errors[error.code] = self.stats.errors.get(error.code, 0) + 1
        body: dict[str, Any] = {
            "ok": False,
            "error_code": error.code,
            "description": error.description,
        }
        if error.parameters:
            body["parameters"] = error.parameters
        return web.json_response(body, status=error.code)

    async def _params(self, request: web.Request) -> dict[str, Any]:
        params: dict[str, Any] = dict(request.query)
        if request.content_type == "application/json":
            body = await request.json()
            if isinstance(body, dict):
                params.update(body)
        elif request.content_type.startswith("multipart/"):
            reader = await request.multipart()
            async for part in reader:
                if not isinstance(part, aiohttp.BodyPartReader) or part.name is None:
                    continue
                if part.filename:
                    data = await part.read()
                    content_type = part.headers.get("Content-Type", "application/octet-stream")
                    params[part.name] = Upload(part.filename, content_type, bytes(data))
                else:
                    params[part.name] = await part.text()
        elif request.can_read_body:
            form = await request.post()
            for key, value in form.items():
                params[key] = value if isinstance(value, str) else str(value)
        return params

    async def _inject(self, method: str, params: dict[str, Any]) -> None:
        fault = self._faults.get(method)
        if fault is None or fault.count <= 0:
            return
        if fault.chat_id is not None and _maybe_int(params.get("chat_id")) != fault.chat_id:
            return
        fault.count -= 1
        if fault.hang:
            await asyncio.sleep(fault.hang)
            return
        parameters = {"retry_after": fault.retry_after} if fault.retry_after else None
        if fault.status == 429:
            self.stats.too_many_requests += 1
        raise ApiError(fault.status, fault.description, parameters)

    # ---- methods ---------------------------------------------------------------------------

    async def _get_me(self, bot: BotAccount, params: dict[str, Any]) -> Any:
        return {
            **bot.as_user(),
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }

    async def _get_updates(self, bot: BotAccount, params: dict[str, Any]) -> Any:
        if bot.webhook_url:
            raise ApiError(
                409,
                "Conflict: can't use getUpdates method while webhook is active; use "
                "deleteWebhook to delete the webhook first",
            )
        offset = _int(params, "offset", 0)
        limit = max(1, min(100, _int(params, "limit", 100)))
        timeout = max(0, min(50, _int(params, "timeout", 0)))
        allowed = _json(params, "allowed_updates")
        if offset:
            self.updates = [u for u in self.updates if u["update_id"] >= offset]
        if self._poller is not None and not self._poller.done():
            # Telegram ends the older poll when a newer one arrives.
            self._poller.set_exception(
                ApiError(
                    409,
                    "Conflict: terminated by other getUpdates request; make sure that "
                    "only one bot instance is running",
                )
            )
        poller: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._poller = poller

        def pending() -> list[dict[str, Any]]:
            found = [u for u in self.updates if u["update_id"] >= offset]
            if allowed:
                found = [u for u in found if any(k in u for k in allowed)]
            return found[:limit]

        if not pending() and timeout:
            waiter = asyncio.ensure_future(self._wait_update(pending))
            done, _ = await asyncio.wait(
                {waiter, poller}, timeout=timeout, return_when=asyncio.FIRST_COMPLETED
            )
            waiter.cancel()
            if poller in done and poller.exception() is not None:
                raise poller.exception()  # type: ignore[misc]
        if not poller.done():
            poller.set_result(None)
        return pending()

    async def _wait_update(self, pending: Callable[[], list[dict[str, Any]]]) -> None:
        async with self._changed:
            await self._changed.wait_for(lambda: bool(pending()))

    async def _set_webhook(self, bot: BotAccount, params: dict[str, Any]) -> Any:
        url = _str(params, "url", required=True)
        secret = params.get("secret_token")
        if secret is not None and not _SECRET.match(str(secret)):
            raise ApiError(400, "Bad Request: secret token contains unallowed characters")
        if url and not url.startswith("https://") and not url.startswith("http://127.0.0.1"):
            raise ApiError(
                400, "Bad Request: bad webhook: An HTTPS URL must be provided for webhook"
            )
        if _bool(params, "drop_pending_updates"):
            self.updates.clear()
        bot.webhook_url = url or None
        bot.webhook_secret = str(secret) if secret else None
        # Updates are pushed only to this machine: the emulator never reaches out to a network.
        local = (url or "").startswith(("http://127.0.0.1", "https://127.0.0.1", "http://localhost"))
        if local and (self._webhook_task is None or self._webhook_task.done()):
            self._webhook_task = asyncio.create_task(self._deliver_webhook(bot))
        return True

    async def _delete_webhook(self, bot: BotAccount, params: dict[str, Any]) -> Any:
        if _bool(params, "drop_pending_updates"):
            self.updates.clear()
        bot.webhook_url = None
        bot.webhook_secret = None
        if self._webhook_task is not None:
            self._webhook_task.cancel()
        return True

    async def _get_webhook_info(self, bot: BotAccount, params: dict[str, Any]) -> Any:
        return {
            "url": bot.webhook_url or "",
            "has_custom_certificate": False,
            "pending_update_count": len(self.updates),
        }

    async def _deliver_webhook(self, bot: BotAccount) -> None:
        """Post each update to the webhook, with the secret header, until it is accepted."""
        if self._session is None:
            self._session = aiohttp.ClientSession()
        delay = 0.1
        while bot.webhook_url:
            if not self.updates:
                async with self._changed:
                    await self._changed.wait_for(lambda: bool(self.updates) or not bot.webhook_url)
                continue
            update = self.updates[0]
            headers = {"Content-Type": "application/json"}
            if bot.webhook_secret:
                headers["X-Telegram-Bot-Api-Secret-Token"] = bot.webhook_secret
            try:
                async with self._session.post(
                    bot.webhook_url, data=json.dumps(update), headers=headers
                ) as response:
                    accepted = response.status == 200
            except aiohttp.ClientError:
                accepted = False
            if accepted:
                self.updates.pop(0)
                delay = 0.1
            else:
                await asyncio.sleep(delay)
                delay = min(delay * 2, 5.0)

    async def _set_my_commands(self, bot: BotAccount, params: dict[str, Any]) -> Any:
        commands = _json(params, "commands", required=True)
        if not isinstance(commands, list) or len(commands) > 100:
            raise ApiError(400, "Bad Request: commands must be a list of at most 100 commands")
        for command in commands:
            name = str(command.get("command", ""))
            description = str(command.get("description", ""))
            if not _COMMAND.match(name) or not 1 <= len(description) <= 256:
                raise ApiError(400, "Bad Request: BOT_COMMAND_INVALID")
        bot.commands[self._commands_key(params)] = commands
        return True

    async def _get_my_commands(self, bot: BotAccount, params: dict[str, Any]) -> Any:
        return bot.commands.get(self._commands_key(params), [])

    async def _delete_my_commands(self, bot: BotAccount, params: dict[str, Any]) -> Any:
        bot.commands.pop(self._commands_key(params), None)
        return True

    def _commands_key(self, params: dict[str, Any]) -> str:
        scope = _json(params, "scope") or {"type": "default"}
        return f"{scope.get('type', 'default')}:{params.get('language_code') or ''}"

    async def _send_message(self, bot: BotAccount, params: dict[str, Any]) -> Any:
        chat = self._target_chat(params)
        source = _str(params, "text", required=False) or ""
        text, entities, as_html = self._parse_text(source, params, self.limits.text_length, "text")
        markup = self._markup(params)
        paid = self._flood(chat, params)
        message = self._record(
            chat,
            from_bot=True,
            user_id=bot.id,
            text=text,
            entities=entities,
            html=as_html,
            markup=markup,
            paid=paid,
        )
        return self._message_json(message)

    async def _send_document(self, bot: BotAccount, params: dict[str, Any]) -> Any:
        return await self._send_file(bot, params, "document")

    async def _send_photo(self, bot: BotAccount, params: dict[str, Any]) -> Any:
        return await self._send_file(bot, params, "photo")

    async def _send_file(self, bot: BotAccount, params: dict[str, Any], kind: str) -> Any:
        chat = self._target_chat(params)
        raw = params.get(kind)
        if raw is None:
            raise ApiError(400, f"Bad Request: there is no {kind} in the request")
        if isinstance(raw, Upload):
            if not raw.data:
                raise ApiError(400, "Bad Request: file must be non-empty")
            stored = self._store(raw.filename, raw.content_type, raw.data)
        else:
            existing = self.files.get(str(raw))
            if existing is None:
                raise ApiError(400, "Bad Request: wrong file identifier/HTTP URL specified")
            stored = existing
        caption, entities, as_html = self._parse_text(
            _str(params, "caption", required=False) or "",
            params,
            self.limits.caption_length,
            "caption",
        )
        markup = self._markup(params)
        paid = self._flood(chat, params)
        message = self._record(
            chat,
            from_bot=True,
            user_id=bot.id,
            text=caption,
            entities=entities,
            html=as_html,
            markup=markup,
            paid=paid,
            document=stored if kind == "document" else None,
            photo=stored if kind == "photo" else None,
        )
        return self._message_json(message)

    async def _edit_message_text(self, bot: BotAccount, params: dict[str, Any]) -> Any:
        chat, message = self._editable(params, "message to edit not found")
        source = _str(params, "text", required=False) or ""
        text, entities, as_html = self._parse_text(source, params, self.limits.text_length, "text")
        markup = self._markup(params)
        if (
            text == message.text
            and entities == message.entities
            and markup == message.reply_markup
        ):
            raise ApiError(
                400,
                NOT_MODIFIED,
            )
        self._flood(chat, params)
        message.text, message.entities, message.html, message.reply_markup = (
            text,
            entities,
            as_html,
            markup,
        )
        message.edits += 1
        await self._changed_event("edited", message)
        return self._message_json(message)

    async def _edit_message_reply_markup(self, bot: BotAccount, params: dict[str, Any]) -> Any:
        chat, message = self._editable(params, "message to edit not found")
        markup = self._markup(params)
        if markup == message.reply_markup:
            raise ApiError(
                400,
                NOT_MODIFIED,
            )
        self._flood(chat, params)
        message.reply_markup = markup
        message.edits += 1
        await self._changed_event("edited", message)
        return self._message_json(message)

    async def _delete_message(self, bot: BotAccount, params: dict[str, Any]) -> Any:
        _, message = self._editable(params, "message to delete not found")
        message.deleted = True
        await self._changed_event("deleted", message)
        return True

    async def _answer_callback_query(self, bot: BotAccount, params: dict[str, Any]) -> Any:
        query_id = _str(params, "callback_query_id", required=True)
        query = self._queries.get(query_id or "")
        too_old = (
            "Bad Request: query is too old and response timeout expired or query ID is invalid"
        )
        if query is None or query.answer.done():
            raise ApiError(400, too_old)
        if self.clock() - query.created > self.limits.callback_timeout:
            raise ApiError(400, too_old)
        text = _str(params, "text", required=False)
        if text is not None and len(text) > self.limits.callback_answer_length:
            raise ApiError(400, "Bad Request: MESSAGE_TOO_LONG")
        answer = CallbackAnswer(
            text, _bool(params, "show_alert"), _str(params, "url", required=False)
        )
        query.answer.set_result(answer)
        self._event("answer", user_id=query.user_id, text=text, show_alert=answer.show_alert)
        async with self._changed:
            self._changed.notify_all()
        return True

    async def _get_chat(self, bot: BotAccount, params: dict[str, Any]) -> Any:
        chat = self._target_chat(params, sending=False)
        info = chat.as_chat(self.people)
        info.update(
            accent_color_id=0,
            max_reaction_count=11,
            accepted_gift_types={
                "unlimited_gifts": False,
                "limited_gifts": False,
                "unique_gifts": False,
                "premium_subscription": False,
                "gifts_from_channels": False,
            },
        )
        return info

    async def _get_chat_member(self, bot: BotAccount, params: dict[str, Any]) -> Any:
        chat = self._target_chat(params, sending=False)
        user_id = _int(params, "user_id", required=True)
        if user_id == bot.id:
            return _member(bot.as_user(), chat.bot_status)
        person = self.people.get(user_id)
        if person is None:
            raise ApiError(400, "Bad Request: user not found")
        if chat.type == "private":
            status = "member" if chat.person == user_id else "left"
        else:
            status = chat.members.get(user_id, "left")
        return _member(person.as_user(), status)

    async def _get_file(self, bot: BotAccount, params: dict[str, Any]) -> Any:
        file_id = _str(params, "file_id", required=True)
        stored = self.files.get(file_id or "")
        if stored is None:
            raise ApiError(400, "Bad Request: invalid file_id")
        return {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "file_size": len(stored.data),
            "file_path": stored.file_path,
        }

    async def _send_chat_action(self, bot: BotAccount, params: dict[str, Any]) -> Any:
        self._target_chat(params)
        return True

    # ---- checks ----------------------------------------------------------------------------

    def _target_chat(self, params: dict[str, Any], *, sending: bool = True) -> Chat:
        raw = params.get("chat_id")
        if raw is None or raw == "":
            raise ApiError(400, "Bad Request: chat_id is empty")
        chat_id = _maybe_int(raw)
        chat = self.chats.get(chat_id) if chat_id is not None else None
        if chat is None:
            raise ApiError(400, "Bad Request: chat not found")
        if chat.migrated_to is not None:
            raise ApiError(
                400,
                "Bad Request: group chat was upgraded to a supergroup chat",
                {"migrate_to_chat_id": chat.migrated_to},
            )
        if chat.type == "private" and chat.person is not None:
            person = self.people[chat.person]
            if person.deactivated:
                raise ApiError(403, "Forbidden: user is deactivated")
            if sending and person.blocked_bot:
                raise ApiError(403, "Forbidden: bot was blocked by the user")
            if sending and not chat.started:
                raise ApiError(403, "Forbidden: bot can't initiate conversation with a user")
        elif chat.bot_status == "kicked":
            raise ApiError(403, "Forbidden: bot was kicked from the group chat")
        elif chat.bot_status == "left":
            raise ApiError(403, "Forbidden: bot is not a member of the group chat")
        return chat

    def _editable(self, params: dict[str, Any], missing: str) -> tuple[Chat, RecordedMessage]:
        chat = self._target_chat(params, sending=False)
        message_id = _int(params, "message_id", required=True)
        message = chat.by_id.get(message_id)
        if message is None or message.deleted or not message.from_bot:
            raise ApiError(400, f"Bad Request: {missing}")
        return chat, message

    def _parse_text(
        self, source: str, params: dict[str, Any], limit: int, what: str
    ) -> tuple[str, list[dict[str, Any]], str | None]:
        mode = str(params.get("parse_mode") or "")
        if mode and mode.upper() != "HTML":
            if mode not in ("Markdown", "MarkdownV2"):
                raise ApiError(400, f'Bad Request: unsupported parse_mode "{mode}"')
            raise ApiError(400, "Bad Request: the emulator speaks HTML only; send parse_mode=HTML")
        if mode:
            try:
                parsed = html.parse(source)
            except html.ParseError as error:
                raise ApiError(400, f"Bad Request: {error}") from None
            text, entities, as_html = parsed.text, parsed.entities, source
        else:
            text, entities, as_html = source, _json(params, "entities") or [], None
        stripped = text.strip()
        if what == "text" and not stripped:
            raise ApiError(400, "Bad Request: message text is empty")
        if html.utf16_length(stripped) > limit:
            if what == "text":
                raise ApiError(400, "Bad Request: message is too long")
            raise ApiError(400, "Bad Request: message caption is too long")
        return text, entities, as_html

    def _markup(self, params: dict[str, Any]) -> dict[str, Any] | None:
        markup = _json(params, "reply_markup")
        if markup is None:
            return None
        if not isinstance(markup, dict):
            raise ApiError(400, "Bad Request: can't parse reply keyboard markup JSON object")
        rows = markup.get("inline_keyboard")
        if rows is None:
            return markup
        if not isinstance(rows, list) or not all(isinstance(r, list) for r in rows):
            raise ApiError(
                400,
                NOT_AN_ARRAY,
            )
        total = 0
        for row in rows:
            if len(row) > self.limits.buttons_per_row:
                raise ApiError(400, "Bad Request: too many buttons in a row")
            for button in row:
                total += 1
                self._check_button(button)
        if total > self.limits.buttons_total:
            raise ApiError(400, "Bad Request: reply markup is too long")
        return markup

    def _check_button(self, button: Any) -> None:
        if not isinstance(button, dict) or not str(button.get("text", "")).strip():
            raise ApiError(400, "Bad Request: text buttons are unallowed in the inline keyboard")
        kinds = [
            k
            for k in (
                "callback_data",
                "url",
                "switch_inline_query",
                "switch_inline_query_current_chat",
                "copy_text",
                "web_app",
                "login_url",
                "pay",
            )
            if k in button
        ]
        if len(kinds) != 1:
            raise ApiError(
                400, "Bad Request: inline keyboard button must have exactly one optional field"
            )
        if "callback_data" in button:
            data = str(button["callback_data"])
            if not 1 <= len(data.encode()) <= self.limits.callback_data_bytes:
                raise ApiError(400, "Bad Request: BUTTON_DATA_INVALID")
        if "url" in button and not str(button["url"]).startswith(_URL_SCHEMES):
            raise ApiError(400, "Bad Request: BUTTON_URL_INVALID")

    def _flood(self, chat: Chat, params: dict[str, Any]) -> bool:
        paid = _bool(params, "allow_paid_broadcast")
        if not self.limits.flood:
            return paid
        scope = self.limits.private_chat if chat.type == "private" else self.limits.group_chat
        whole: Rate = self.limits.paid_broadcast if paid else self.limits.whole_bot
        wait = self.flood.check([("chat", chat.id, scope), ("paid" if paid else "bot", 0, whole)])
        if wait is not None:
            self.stats.too_many_requests += 1
            kind = "chat" if chat.type == "private" else "group"
            self.stats.too_many_by_scope[kind] = self.stats.too_many_by_scope.get(kind, 0) + 1
            raise ApiError(429, f"Too Many Requests: retry after {wait}", {"retry_after": wait})
        return paid

    # ---- recording -------------------------------------------------------------------------

    def _store(self, filename: str, mime_type: str, data: bytes) -> StoredFile:
        number = next(self._file_ids)
        file_id = f"BQAC{number:06d}{secrets.token_hex(6)}"
        extension = filename.rsplit(".", 1)[-1] if "." in filename else "bin"
        stored = StoredFile(
            file_id,
            f"U{number}",
            f"documents/file_{number}.{extension}",
            filename,
            mime_type,
            data,
        )
        self.files[file_id] = stored
        return stored

    def _record(
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
        paid: bool = False,
        service: dict[str, Any] | None = None,
    ) -> RecordedMessage:
        message = RecordedMessage(
            message_id=chat.next_message_id,
            chat_id=chat.id,
            from_bot=from_bot,
            user_id=user_id,
            date=int(self.wall_clock()),
            text=text,
            html=html,
            entities=entities or [],
            reply_markup=markup,
            document=document,
            photo=photo,
            paid=paid,
            service=service,
        )
        chat.next_message_id += 1
        if from_bot:
            chat.bot_sent += 1
            self.stats.delivered += 1
            if paid:
                self.stats.paid_delivered += 1
        if self.limits.keep_bodies or not from_bot:
            chat.record(message, self.limits.history_per_chat)
            self._event("message", message=self._message_json(message), html=html)
            self._notify()
        return message

    def _notify(self) -> None:
        task = asyncio.get_running_loop().create_task(self._notify_now())
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _notify_now(self) -> None:
        async with self._changed:
            self._changed.notify_all()

    async def _changed_event(self, kind: str, message: RecordedMessage) -> None:
        self._event(kind, message=self._message_json(message), html=message.html)
        await self._notify_now()

    def _event(self, kind: str, **data: Any) -> None:
        self.events.append({"id": len(self.events) + 1, "kind": kind, **data})

    async def _push(self, update: dict[str, Any]) -> None:
        update = {"update_id": next(self._update_ids), **update}
        self.updates.append(update)
        await self._notify_now()

    async def _service(
        self, chat: Chat, sender: dict[str, Any] | None, fields: dict[str, Any]
    ) -> None:
        message = self._record(
            chat, from_bot=False, user_id=sender["id"] if sender else None, service=fields
        )
        payload = self._message_json(message)
        await self._push({"message": payload})

    async def _bot_membership(self, chat: Chat, by: int, old: str, new: str) -> None:
        bot = self.bot
        update = {
            "my_chat_member": {
                "chat": chat.as_chat(self.people),
                "from": self.people[by].as_user(),
                "date": int(self.wall_clock()),
                "old_chat_member": _member(bot.as_user(), old),
                "new_chat_member": _member(bot.as_user(), new),
            }
        }
        await self._push(update)

    def _message_json(self, message: RecordedMessage) -> dict[str, Any]:
        chat = self.chats[message.chat_id]
        payload: dict[str, Any] = {
            "message_id": message.message_id,
            "date": message.date,
            "chat": chat.as_chat(self.people),
        }
        if message.from_bot:
            payload["from"] = self.bot.as_user()
        elif message.user_id is not None:
            payload["from"] = self.people[message.user_id].as_user()
        body_key = "caption" if (message.document or message.photo) else "text"
        if message.text:
            payload[body_key] = message.text
        if message.entities:
            payload["caption_entities" if body_key == "caption" else "entities"] = message.entities
        if message.reply_markup:
            payload["reply_markup"] = message.reply_markup
        if message.document:
            payload["document"] = message.document.as_document()
        if message.photo:
            payload["photo"] = [
                {
                    "file_id": message.photo.file_id,
                    "file_unique_id": message.photo.file_unique_id,
                    "width": 800,
                    "height": 600,
                    "file_size": len(message.photo.data),
                }
            ]
        if message.edits:
            payload["edit_date"] = int(self.wall_clock())
        if message.service:
            payload.update(message.service)
        return payload


def _member(user: dict[str, Any], status: str) -> dict[str, Any]:
    member: dict[str, Any] = {"user": user, "status": status}
    if status == "kicked":
        member["until_date"] = 0
    elif status == "creator":
        member["is_anonymous"] = False
    elif status == "administrator":
        member.update(
            can_be_edited=False,
            is_anonymous=False,
            can_manage_chat=True,
            can_delete_messages=True,
            can_manage_video_chats=True,
            can_restrict_members=True,
            can_promote_members=False,
            can_change_info=True,
            can_invite_users=True,
            can_post_stories=False,
            can_edit_stories=False,
            can_delete_stories=False,
        )
    return member


def _maybe_int(raw: Any) -> int | None:
    try:
        return int(raw)
    except (TypeError, ValueError):
        return None


def _int(params: dict[str, Any], name: str, default: int = 0, *, required: bool = False) -> int:
    raw = params.get(name)
    if raw is None or raw == "":
        if required:
            raise ApiError(400, f"Bad Request: {name} is empty")
        return default
    value = _maybe_int(raw)
    if value is None:
        raise ApiError(400, f"Bad Request: {name} must be a number")
    return value


def _str(params: dict[str, Any], name: str, *, required: bool) -> str | None:
    raw = params.get(name)
    if raw is None or raw == "":
        if required:
            raise ApiError(400, f"Bad Request: {name} is empty")
        return None
    return str(raw)


def _bool(params: dict[str, Any], name: str) -> bool:
    raw = params.get(name)
    return raw is True or str(raw).lower() in ("true", "1")


def _json(params: dict[str, Any], name: str, *, required: bool = False) -> Any:
    raw = params.get(name)
    if raw is None or raw == "":
        if required:
            raise ApiError(400, f"Bad Request: {name} is empty")
        return None
    if isinstance(raw, str):
        try:
            return json.loads(raw)
        except ValueError:
            raise ApiError(400, f"Bad Request: can't parse {name} JSON object") from None
    return raw


IMPLEMENTED_METHODS = (
    "getMe", "getUpdates", "setWebhook", "deleteWebhook", "getWebhookInfo", "setMyCommands",
    "getMyCommands", "deleteMyCommands", "sendMessage", "sendDocument", "sendPhoto",
    "editMessageText", "editMessageReplyMarkup", "deleteMessage", "answerCallbackQuery",
    "getChat", "getChatMember", "getFile", "sendChatAction",
)  # fmt: skip
# The parameters each method reads: checked against the Bot API spec by a test.
READ_PARAMETERS = {
    "getUpdates": ("offset", "limit", "timeout", "allowed_updates"),
    "setWebhook": ("url", "secret_token", "drop_pending_updates"),
    "deleteWebhook": ("drop_pending_updates",),
    "setMyCommands": ("commands", "scope", "language_code"),
    "getMyCommands": ("scope", "language_code"),
    "deleteMyCommands": ("scope", "language_code"),
    "sendMessage": (
        "chat_id",
        "text",
        "parse_mode",
        "entities",
        "reply_markup",
        "allow_paid_broadcast",
    ),
    "sendDocument": (
        "chat_id",
        "document",
        "caption",
        "parse_mode",
        "reply_markup",
        "allow_paid_broadcast",
    ),
    "sendPhoto": (
        "chat_id",
        "photo",
        "caption",
        "parse_mode",
        "reply_markup",
        "allow_paid_broadcast",
    ),
    "editMessageText": ("chat_id", "message_id", "text", "parse_mode", "reply_markup"),
    "editMessageReplyMarkup": ("chat_id", "message_id", "reply_markup"),
    "deleteMessage": ("chat_id", "message_id"),
    "answerCallbackQuery": ("callback_query_id", "text", "show_alert", "url"),
    "getChat": ("chat_id",),
    "getChatMember": ("chat_id", "user_id"),
    "getFile": ("file_id",),
    "sendChatAction": ("chat_id", "action"),
}
