"""The Bot API methods the emulator answers, with the service's checks and error texts.

Each method declares its parameters by their Bot API names (a test holds them to
../shared/telegram/bot-api-spec.json): required ones; optional ones it honours; inert ones it
accepts although nothing here depends on them; and refused ones, features the emulator does not
model, which fail loudly instead of being dropped without a word.
"""

from __future__ import annotations

import json
import logging
import mimetypes
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from bot.emulator import errors, html, inline
from bot.emulator.errors import ApiError, bad_request
from bot.emulator.limits import Scope
from bot.emulator.people import SimulatedPeople, member_json
from bot.emulator.state import (
    ADMINISTRATOR,
    CREATOR,
    IN_CHAT,
    KICKED,
    LEFT,
    MEMBER,
    SUPERGROUP,
    CallbackAnswer,
    Chat,
    RecordedMessage,
    StoredFile,
)
from bot.emulator.updates import CONFLICT, LOOPBACK, UPDATE_TYPES, WebhookState
from bot.emulator.world import BotAccount

log = logging.getLogger(__name__)

Params = dict[str, Any]
Handler = Callable[[BotAccount, Params], Awaitable[Any]]

_COMMAND = re.compile(r"^[a-z0-9_]+$")
_SECRET = re.compile(r"^[A-Za-z0-9_-]+$")
_BUTTON_SCHEMES = ("http://", "https://", "tg://")
_WEBHOOK_PORTS = frozenset({80, 88, 443, 8443})
_CHAT_ACTIONS = frozenset(
    {
        "typing", "upload_photo", "record_video", "upload_video", "record_voice",
        "upload_voice", "upload_document", "choose_sticker", "find_location",
        "record_video_note", "upload_video_note",
    }
)  # fmt: skip
_BUTTON_KINDS = (
    "url", "callback_data", "web_app", "login_url", "switch_inline_query",
    "switch_inline_query_current_chat", "switch_inline_query_chosen_chat", "copy_text",
    "callback_game", "pay",
)  # fmt: skip
_SCOPES = frozenset(
    {
        "default", "all_private_chats", "all_group_chats", "all_chat_administrators", "chat",
        "chat_administrators", "chat_member",
    }
)  # fmt: skip
_IMAGE_MAGIC = (b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n", b"GIF87a", b"GIF89a", b"RIFF")
# What a refused parameter answers: the service's answer where the emulator's world makes it
# true (no forum topics, no business connections exist here), else a plain statement.
_REFUSALS = {
    "business_connection_id": "business connection not found",
    "message_thread_id": "message thread not found",
    "direct_messages_topic_id": "direct messages topic not found",
    "inline_message_id": "MESSAGE_ID_INVALID",
}
# Parameters whose absence the service words in its own way.
# Parameters a library's defaults add to calls that do not take them (python-telegram-bot sends
# parse_mode with editMessageReplyMarkup when Defaults(parse_mode=...) is set). The service
# ignores them, so they are not taken for misspelt names.
_LIBRARY_DEFAULTS = frozenset(
    {"parse_mode", "link_preview_options", "disable_notification", "protect_content"}
)

_MISSING = {
    "chat_id": errors.CHAT_ID_EMPTY,
    "text": errors.TEXT_EMPTY,
    "message_id": "message identifier is not specified",
    "document": "there is no document in the request",
    "photo": "there is no photo in the request",
    "callback_query_id": errors.QUERY_TOO_OLD,
}


@dataclass(frozen=True)
class Signature:
    """How a method treats each of its parameters, by Bot API name."""

    required: tuple[str, ...] = ()
    optional: tuple[str, ...] = ()  # read and honoured
    inert: tuple[str, ...] = ()  # accepted; nothing in the emulator depends on them
    refused: tuple[str, ...] = ()  # not modelled: answered with 400 rather than ignored

    @property
    def accepted(self) -> frozenset[str]:
        """Every parameter name the method takes."""
        return frozenset((*self.required, *self.optional, *self.inert, *self.refused))


@dataclass(frozen=True)
class Method:
    """A Bot API method: its name, its parameters, and what answers it."""

    name: str
    signature: Signature
    handler: Handler


_SEND_COMMON = Signature(
    optional=(
        "disable_notification",
        "protect_content",
        "allow_paid_broadcast",
        "reply_parameters",
        "reply_markup",
    ),
    inert=("message_effect_id",),
    refused=(
        "business_connection_id",
        "message_thread_id",
        "direct_messages_topic_id",
        "suggested_post_parameters",
    ),
)


def _with(base: Signature, **extra: tuple[str, ...]) -> Signature:
    return Signature(
        required=base.required + extra.get("required", ()),
        optional=base.optional + extra.get("optional", ()),
        inert=base.inert + extra.get("inert", ()),
        refused=base.refused + extra.get("refused", ()),
    )


class BotApi:
    """Answers Bot API calls against the simulated world."""

    def __init__(self, world: SimulatedPeople) -> None:
        self.world = world
        self.limits = world.limits
        edit_target = ("chat_id", "message_id")
        edit_refused = ("business_connection_id", "inline_message_id")
        table = [
            Method("getMe", Signature(), self.get_me),
            Method(
                "getUpdates",
                Signature(optional=("offset", "limit", "timeout", "allowed_updates")),
                self.get_updates,
            ),
            Method(
                "setWebhook",
                Signature(
                    required=("url",),
                    optional=(
                        "secret_token",
                        "drop_pending_updates",
                        "allowed_updates",
                        "max_connections",
                    ),
                    inert=("certificate", "ip_address"),
                ),
                self.set_webhook,
            ),
            Method(
                "deleteWebhook",
                Signature(optional=("drop_pending_updates",)),
                self.delete_webhook,
            ),
            Method("getWebhookInfo", Signature(), self.get_webhook_info),
            Method(
                "setMyCommands",
                Signature(required=("commands",), optional=("scope", "language_code")),
                self.set_my_commands,
            ),
            Method(
                "getMyCommands",
                Signature(optional=("scope", "language_code")),
                self.get_my_commands,
            ),
            Method(
                "deleteMyCommands",
                Signature(optional=("scope", "language_code")),
                self.delete_my_commands,
            ),
            Method(
                "setChatMenuButton",
                Signature(optional=("chat_id", "menu_button")),
                self.set_chat_menu_button,
            ),
            Method(
                "getChatMenuButton",
                Signature(optional=("chat_id",)),
                self.get_chat_menu_button,
            ),
            Method(
                "sendMessage",
                _with(
                    _SEND_COMMON,
                    required=("chat_id", "text"),
                    optional=("parse_mode", "entities", "link_preview_options"),
                ),
                self.send_message,
            ),
            Method(
                "sendDocument",
                _with(
                    _SEND_COMMON,
                    required=("chat_id", "document"),
                    optional=("caption", "parse_mode", "caption_entities"),
                    inert=("thumbnail", "disable_content_type_detection"),
                ),
                self.send_document,
            ),
            Method(
                "sendPhoto",
                _with(
                    _SEND_COMMON,
                    required=("chat_id", "photo"),
                    optional=("caption", "parse_mode", "caption_entities"),
                    inert=("show_caption_above_media", "has_spoiler"),
                ),
                self.send_photo,
            ),
            Method(
                "editMessageText",
                Signature(
                    optional=(
                        *edit_target,
                        "text",
                        "parse_mode",
                        "entities",
                        "link_preview_options",
                        "reply_markup",
                    ),
                    refused=(*edit_refused, "rich_message"),
                ),
                self.edit_message_text,
            ),
            Method(
                "editMessageCaption",
                Signature(
                    optional=(
                        *edit_target,
                        "caption",
                        "parse_mode",
                        "caption_entities",
                        "reply_markup",
                    ),
                    inert=("show_caption_above_media",),
                    refused=edit_refused,
                ),
                self.edit_message_caption,
            ),
            Method(
                "editMessageReplyMarkup",
                Signature(optional=(*edit_target, "reply_markup"), refused=edit_refused),
                self.edit_message_reply_markup,
            ),
            Method(
                "deleteMessage",
                Signature(required=("chat_id", "message_id")),
                self.delete_message,
            ),
            Method(
                "answerCallbackQuery",
                Signature(
                    required=("callback_query_id",),
                    optional=("text", "show_alert", "url", "cache_time"),
                ),
                self.answer_callback_query,
            ),
            Method(
                "answerInlineQuery",
                Signature(
                    required=("inline_query_id", "results"),
                    optional=("cache_time", "is_personal", "next_offset", "button"),
                ),
                self.answer_inline_query,
            ),
            Method("getChat", Signature(required=("chat_id",)), self.get_chat),
            Method(
                "getChatMember",
                Signature(required=("chat_id", "user_id")),
                self.get_chat_member,
            ),
            Method(
                "getChatAdministrators",
                Signature(required=("chat_id",), optional=("return_bots",)),
                self.get_chat_administrators,
            ),
            Method(
                "getChatMemberCount",
                Signature(required=("chat_id",)),
                self.get_chat_member_count,
            ),
            Method("leaveChat", Signature(required=("chat_id",)), self.leave_chat),
            Method("getFile", Signature(required=("file_id",)), self.get_file),
            Method(
                "sendChatAction",
                Signature(
                    required=("chat_id", "action"),
                    refused=("business_connection_id", "message_thread_id"),
                ),
                self.send_chat_action,
            ),
        ]
        self.methods: dict[str, Method] = {method.name.lower(): method for method in table}

    def find(self, name: str) -> Method | None:
        """The method of this name (the service ignores case in method names)."""
        return self.methods.get(name.lower())

    async def call(self, bot: BotAccount, method: Method, params: Params) -> Any:
        """Check the parameters against the method's signature, then answer the call."""
        signature = method.signature
        if self.limits.reject_unknown_parameters:
            unknown = params.keys() - signature.accepted - _LIBRARY_DEFAULTS
            if unknown:
                raise bad_request(f'unknown parameter "{sorted(unknown)[0]}" for {method.name}')
        for name in signature.required:
            if name not in params:
                raise bad_request(_MISSING.get(name, f'parameter "{name}" is required'))
        for name in signature.refused:
            if name in params:
                raise bad_request(
                    _REFUSALS.get(name, f'parameter "{name}" is not supported by the emulator')
                )
        return await method.handler(bot, params)

    # ---- the bot itself ----------------------------------------------------------------------

    async def get_me(self, bot: BotAccount, params: Params) -> Any:
        """getMe."""
        return {
            **bot.as_user(),
            "can_join_groups": True,
            "can_read_all_group_messages": not bot.privacy_mode,
            "supports_inline_queries": bot.inline_placeholder is not None,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }

    async def set_my_commands(self, bot: BotAccount, params: Params) -> Any:
        """setMyCommands."""
        commands = _json(params, "commands")
        if not isinstance(commands, list) or len(commands) > self.limits.commands_per_scope:
            raise bad_request(errors.BOT_COMMAND_INVALID)
        menu: list[dict[str, str]] = []
        for command in commands:
            if not isinstance(command, dict):
                raise bad_request(errors.BOT_COMMAND_INVALID)
            name = command.get("command")
            description = command.get("description")
            if not isinstance(name, str) or not isinstance(description, str):
                raise bad_request(errors.BOT_COMMAND_INVALID)
            name_ok = len(name) <= self.limits.command_length and _COMMAND.match(name)
            described = 1 <= len(description) <= self.limits.command_description_length
            if not name_ok or not described:
                raise bad_request(errors.BOT_COMMAND_INVALID)
            menu.append({"command": name, "description": description})
        key = self._commands_key(params)
        if menu:
            bot.commands[key] = menu
        else:
            bot.commands.pop(key, None)
        return True

    async def get_my_commands(self, bot: BotAccount, params: Params) -> Any:
        """getMyCommands."""
        return bot.commands.get(self._commands_key(params), [])

    async def delete_my_commands(self, bot: BotAccount, params: Params) -> Any:
        """deleteMyCommands."""
        bot.commands.pop(self._commands_key(params), None)
        return True

    async def set_chat_menu_button(self, bot: BotAccount, params: Params) -> Any:
        """setChatMenuButton: a private chat's menu button, or the default for all."""
        button = _json_object(params, "menu_button") or {"type": "default"}
        kind = button.get("type")
        if kind == "web_app":
            text = button.get("text")
            if not isinstance(text, str) or not text.strip():
                raise bad_request("BUTTON_TEXT_INVALID")
            button = {"type": kind, "text": text, "web_app": self._web_app(button.get("web_app"))}
        elif kind in ("commands", "default"):
            button = {"type": kind}
        else:
            raise bad_request("can't parse MenuButton JSON object")
        chat_id = 0
        if params.get("chat_id") not in (None, ""):
            chat = self._chat(params, sending=False)
            if chat.type != "private":
                raise bad_request("menu button can be set only in private chats")
            chat_id = chat.id
        if kind == "default":
            bot.menu_buttons.pop(chat_id, None)
        else:
            bot.menu_buttons[chat_id] = button
        return True

    async def get_chat_menu_button(self, bot: BotAccount, params: Params) -> Any:
        """getChatMenuButton: the chat's own button, else the bot's default, else commands."""
        chat_id = 0
        if params.get("chat_id") not in (None, ""):
            chat_id = self._chat(params, sending=False).id
        return bot.menu_buttons.get(chat_id) or bot.menu_buttons.get(0) or {"type": "commands"}

    def _web_app(self, web_app: Any) -> dict[str, str]:
        """A WebAppInfo: Telegram opens https pages only; the emulator also loopback http ones,
        the demo's own page (bot/console/ beside the emulator)."""
        url = web_app.get("url") if isinstance(web_app, dict) else None
        parts = urlsplit(url) if isinstance(url, str) else None
        loopback = parts is not None and parts.hostname in ("127.0.0.1", "localhost", "::1")
        if (
            parts is None
            or not parts.netloc
            or not (parts.scheme == "https" or (parts.scheme == "http" and loopback))
        ):
            raise bad_request(errors.BUTTON_URL_INVALID)
        return {"url": str(url)}

    def _commands_key(self, params: Params) -> str:
        scope = _json(params, "scope") or {"type": "default"}
        if not isinstance(scope, dict) or scope.get("type") not in _SCOPES:
            raise bad_request("can't parse BotCommandScope JSON object")
        kind = str(scope["type"])
        if kind.startswith("chat"):
            chat = self._chat({"chat_id": scope.get("chat_id")}, sending=False)
            kind = f"{kind}/{chat.id}"
            if scope["type"] == "chat_member":
                kind = f"{kind}/{_int_value(scope.get('user_id'), 'user_id')}"
        language = params.get("language_code") or ""
        return f"{kind}:{language}"

    # ---- updates -----------------------------------------------------------------------------

    async def get_updates(self, bot: BotAccount, params: Params) -> Any:
        """getUpdates: confirm by offset, then answer at once or wait up to `timeout`."""
        if bot.webhook.state is not None:
            raise ApiError(409, errors.CONFLICT_WEBHOOK)
        queue = bot.updates
        offset = _int(params, "offset") or 0
        limit = min(max(_int(params, "limit") or 100, 1), self.limits.updates_per_request)
        timeout = min(max(_seconds(params, "timeout"), 0.0), self.limits.long_poll_seconds)
        self._allow(bot, params)
        if offset:
            queue.confirm(offset)
        pending = queue.peek(limit)
        if pending or timeout == 0:
            queue.end_poll(CONFLICT)
            return pending
        if await queue.wait(timeout) == CONFLICT:
            raise ApiError(409, errors.CONFLICT_POLL)
        return queue.peek(limit)

    def _allow(self, bot: BotAccount, params: Params) -> None:
        allowed = _json(params, "allowed_updates")
        if allowed is None:
            return
        if not isinstance(allowed, list) or not all(isinstance(k, str) for k in allowed):
            raise bad_request("can't parse allowed_updates JSON array")
        bot.updates.allow([kind for kind in allowed if kind in UPDATE_TYPES])

    async def set_webhook(self, bot: BotAccount, params: Params) -> Any:
        """setWebhook: from now on updates are POSTed to the URL, not polled."""
        url = str(params["url"])
        if not url:
            return await self.delete_webhook(bot, params)
        parts = urlsplit(url)
        local = parts.hostname in LOOPBACK
        if parts.scheme != "https" and not (local and parts.scheme == "http"):
            raise bad_request("bad webhook: An HTTPS URL must be provided for webhook")
        port = parts.port or (443 if parts.scheme == "https" else 80)
        if not local and port not in _WEBHOOK_PORTS:
            raise bad_request(
                "bad webhook: Webhook can be set up only on ports 80, 88, 443 or 8443"
            )
        secret = params.get("secret_token")
        if secret is not None:
            secret = str(secret)
            if len(secret) > self.limits.secret_token_length:
                raise bad_request("secret token is too long")
            if not _SECRET.match(secret):
                raise bad_request("secret token contains unallowed characters")
        connections = _int(params, "max_connections") or 40
        if not 1 <= connections <= 100:
            raise bad_request("bad webhook: max_connections must be between 1 and 100")
        self._allow(bot, params)
        if _bool(params, "drop_pending_updates"):
            bot.updates.clear()
        # A poll waiting now would never be answered by the service either.
        bot.updates.end_poll(CONFLICT)
        bot.webhook.start(WebhookState(url, secret or None, connections))
        return True

    async def delete_webhook(self, bot: BotAccount, params: Params) -> Any:
        """deleteWebhook: back to getUpdates."""
        if _bool(params, "drop_pending_updates"):
            bot.updates.clear()
        await bot.webhook.stop()
        return True

    async def get_webhook_info(self, bot: BotAccount, params: Params) -> Any:
        """getWebhookInfo."""
        state = bot.webhook.state
        info: dict[str, Any] = {
            "url": state.url if state else "",
            "has_custom_certificate": False,
            "pending_update_count": len(bot.updates),
        }
        if state is not None:
            info["max_connections"] = state.max_connections
            info["allowed_updates"] = sorted(bot.updates.allowed)
            if state.last_error_date is not None:
                info["last_error_date"] = state.last_error_date
                info["last_error_message"] = state.last_error_message
        return info

    # ---- sending -----------------------------------------------------------------------------

    async def send_message(self, bot: BotAccount, params: Params) -> Any:
        """sendMessage."""
        chat = self._chat(params, sending=True)
        text, entities, source = self._formatted(
            params, "text", "entities", self.limits.text_length, errors.TEXT_TOO_LONG
        )
        if not text:
            raise bad_request(errors.TEXT_EMPTY)
        _json_object(params, "link_preview_options")
        markup = self._markup(params, inline_only=False)
        reply_to = self._reply_to(chat, params)
        paid = self._flood(bot, chat, params, whole_bot=True)
        message = self.world.record(
            chat,
            from_bot=True,
            user_id=bot.id,
            text=text,
            entities=entities,
            html=source,
            markup=markup,
            reply_to=reply_to,
            paid=paid,
            silent=_bool(params, "disable_notification"),
            protected=_bool(params, "protect_content"),
        )
        return self.world.message_json(message)

    async def send_document(self, bot: BotAccount, params: Params) -> Any:
        """sendDocument: a multipart upload or the file_id of a file sent before."""
        return self._send_file(bot, params, "document")

    async def send_photo(self, bot: BotAccount, params: Params) -> Any:
        """sendPhoto."""
        return self._send_file(bot, params, "photo")

    def _send_file(self, bot: BotAccount, params: Params, kind: str) -> Any:
        chat = self._chat(params, sending=True)
        given = self._input_file(params, kind)
        caption, entities, source = self._formatted(
            params,
            "caption",
            "caption_entities",
            self.limits.caption_length,
            errors.CAPTION_TOO_LONG,
        )
        markup = self._markup(params, inline_only=False)
        reply_to = self._reply_to(chat, params)
        paid = self._flood(bot, chat, params, whole_bot=True)
        # An upload is kept only once the send is sure to go through.
        stored = given if isinstance(given, StoredFile) else self._store_upload(given, kind)
        message = self.world.record(
            chat,
            from_bot=True,
            user_id=bot.id,
            text=caption,
            entities=entities,
            html=source,
            markup=markup,
            document=stored if kind == "document" else None,
            photo=stored if kind == "photo" else None,
            reply_to=reply_to,
            paid=paid,
            silent=_bool(params, "disable_notification"),
            protected=_bool(params, "protect_content"),
        )
        return self.world.message_json(message)

    def _input_file(self, params: Params, kind: str) -> StoredFile | Upload:
        """A file sent before (by file_id), or a checked upload not yet stored."""
        raw = params[kind]
        if isinstance(raw, str) and raw.startswith("attach://"):
            raw = params.get(raw.removeprefix("attach://"))
            if raw is None:
                raise bad_request(f"there is no {kind} in the request")
        if isinstance(raw, Upload):
            if not raw.data:
                raise bad_request("file must be non-empty")
            if len(raw.data) > self.limits.upload_bytes:
                raise ApiError(413, "Request Entity Too Large")
            if kind == "photo" and not raw.data.startswith(_IMAGE_MAGIC):
                raise bad_request("IMAGE_PROCESS_FAILED")
            return raw
        reference = str(raw)
        if reference.startswith(("http://", "https://")):
            # The emulator fetches nothing from the internet.
            raise bad_request("failed to get HTTP URL content")
        stored = self.world.files.get(reference)
        if stored is None:
            raise bad_request("wrong file identifier/HTTP URL specified")
        if stored.kind != kind:
            raise bad_request("type of file mismatch")
        return stored

    def _store_upload(self, upload: Upload, kind: str) -> StoredFile:
        mime = upload.content_type
        if kind == "photo":
            mime = "image/jpeg"  # the service re-encodes photos
        elif not mime or mime == "application/octet-stream":
            mime = mimetypes.guess_type(upload.filename)[0] or "application/octet-stream"
        return self.world.store_file(upload.filename, mime, upload.data, kind)

    # ---- editing and deleting ----------------------------------------------------------------

    async def edit_message_text(self, bot: BotAccount, params: Params) -> Any:
        """editMessageText: without reply_markup the keyboard goes, as in the service."""
        chat, message = self._editable(params)
        if message.document is not None or message.photo is not None:
            raise bad_request("there is no text in the message to edit")
        if "text" not in params:
            raise bad_request(errors.TEXT_EMPTY)
        text, entities, source = self._formatted(
            params, "text", "entities", self.limits.text_length, errors.TEXT_TOO_LONG
        )
        if not text:
            raise bad_request(errors.TEXT_EMPTY)
        _json_object(params, "link_preview_options")
        markup = self._markup(params, inline_only=True)
        unchanged = (text, entities, markup) == (
            message.text,
            message.entities,
            message.reply_markup,
        )
        if unchanged:
            raise bad_request(errors.NOT_MODIFIED)
        self._flood(bot, chat, params, whole_bot=False)
        message.text, message.entities, message.html = text, entities, source
        message.reply_markup = markup
        return self._edited(message)

    async def edit_message_caption(self, bot: BotAccount, params: Params) -> Any:
        """editMessageCaption."""
        chat, message = self._editable(params)
        if message.document is None and message.photo is None:
            raise bad_request("there is no caption in the message to edit")
        caption, entities, source = self._formatted(
            params,
            "caption",
            "caption_entities",
            self.limits.caption_length,
            errors.CAPTION_TOO_LONG,
        )
        markup = self._markup(params, inline_only=True)
        if (caption, entities, markup) == (message.text, message.entities, message.reply_markup):
            raise bad_request(errors.NOT_MODIFIED)
        self._flood(bot, chat, params, whole_bot=False)
        message.text, message.entities, message.html = caption, entities, source
        message.reply_markup = markup
        return self._edited(message)

    async def edit_message_reply_markup(self, bot: BotAccount, params: Params) -> Any:
        """editMessageReplyMarkup: without reply_markup the keyboard goes."""
        chat, message = self._editable(params)
        markup = self._markup(params, inline_only=True)
        if markup == message.reply_markup:
            raise bad_request(errors.NOT_MODIFIED)
        self._flood(bot, chat, params, whole_bot=False)
        message.reply_markup = markup
        return self._edited(message)

    def _editable(self, params: Params) -> tuple[Chat, RecordedMessage]:
        if "chat_id" not in params:
            raise bad_request(errors.CHAT_ID_EMPTY)
        if "message_id" not in params:
            raise bad_request(_MISSING["message_id"])
        chat = self._chat(params, sending=False)
        message_id = _int(params, "message_id")
        message = chat.messages.get(message_id or 0)
        if message is None or message.deleted:
            raise bad_request(errors.EDIT_NOT_FOUND)
        if not message.from_bot:
            raise bad_request("message can't be edited")
        return chat, message

    def _edited(self, message: RecordedMessage) -> Any:
        message.edits += 1
        message.edit_date = int(self.world.wall_clock())
        self.world.stats.edits += 1
        self.world.event("edited", chat_id=message.chat_id, message=message)
        return self.world.message_json(message)

    async def delete_message(self, bot: BotAccount, params: Params) -> Any:
        """deleteMessage: the bot's own messages; others' in private chats or as an admin."""
        chat = self._chat(params, sending=False)
        message = chat.messages.get(_int(params, "message_id") or 0)
        if message is None or message.deleted:
            raise bad_request(errors.DELETE_NOT_FOUND)
        if not message.from_bot and chat.person is None and chat.bot_status != ADMINISTRATOR:
            raise bad_request("message can't be deleted")
        message.deleted = True
        self.world.stats.deletions += 1
        self.world.event("deleted", chat_id=chat.id, message=message)
        return True

    # ---- callbacks ---------------------------------------------------------------------------

    async def answer_callback_query(self, bot: BotAccount, params: Params) -> Any:
        """answerCallbackQuery: once, within the callback timeout."""
        query = self.world.queries.get(str(params["callback_query_id"]))
        if query is None or query.answer.done():
            raise bad_request(errors.QUERY_TOO_OLD)
        if self.world.clock() - query.created > self.limits.callback_timeout:
            del self.world.queries[query.id]
            raise bad_request(errors.QUERY_TOO_OLD)
        text = _str(params, "text")
        if text is not None and html.utf16_length(text) > self.limits.callback_answer_length:
            raise bad_request("MESSAGE_TOO_LONG")
        answer = CallbackAnswer(
            text=text,
            show_alert=_bool(params, "show_alert"),
            url=_str(params, "url"),
            cache_time=_int(params, "cache_time") or 0,
        )
        del self.world.queries[query.id]
        query.answer.set_result(answer)
        self.world.stats.callback_answers += 1
        self.world.event(
            "answer",
            chat_id=query.chat_id,
            user_id=query.user_id,
            message_id=query.message_id,
            text=answer.text,
            show_alert=answer.show_alert,
        )
        return True

    # ---- inline mode -------------------------------------------------------------------------

    async def answer_inline_query(self, bot: BotAccount, params: Params) -> Any:
        """answerInlineQuery: once, in time, with results a client can show and send."""
        pending = self.world.inline_queries.get(str(params["inline_query_id"]))
        if pending is None or pending.answer.done():
            raise bad_request(errors.QUERY_TOO_OLD)
        if self.world.clock() - pending.created > self.limits.callback_timeout:
            del self.world.inline_queries[pending.id]
            raise bad_request(errors.QUERY_TOO_OLD)
        given = _json(params, "results")
        if not isinstance(given, list):
            raise bad_request("can't parse inline query results JSON object")
        if len(given) > inline.MAX_RESULTS:
            raise bad_request("RESULTS_TOO_MUCH")
        results = [self._inline_result(result) for result in given]
        ids = [result.id for result in results]
        if len(set(ids)) != len(ids):
            raise bad_request("RESULT_ID_DUPLICATE")
        button = inline.check_button(_json(params, "button"))
        answer = inline.answer_of(pending, results, params, button)
        del self.world.inline_queries[pending.id]
        pending.answer.set_result(answer)
        self.world.event("inline_answer", user_id=pending.user_id, results=len(results))
        return True

    def _inline_result(self, result: Any) -> inline.InlineResult:
        """One InlineQueryResult, checked; the emulator models articles."""
        if not isinstance(result, dict):
            raise bad_request("can't parse InlineQueryResult JSON object")
        kind = result.get("type")
        if kind not in inline.RESULT_TYPES:
            raise bad_request("RESULT_TYPE_INVALID")
        if kind != "article":
            raise bad_request(f"inline results of type {kind} are not supported by the emulator")
        result_id = result.get("id")
        if not isinstance(result_id, str) or not 1 <= len(result_id.encode()) <= 64:
            raise bad_request("RESULT_ID_INVALID")
        title = result.get("title")
        if not isinstance(title, str) or not title.strip():
            raise bad_request("RESULT_TITLE_EMPTY")
        content = result.get("input_message_content")
        if not isinstance(content, dict) or "message_text" not in content:
            raise bad_request("inline results without message_text are not supported")
        text, entities, source = self._formatted(
            content, "message_text", "entities", self.limits.text_length, errors.TEXT_TOO_LONG
        )
        if not text:
            raise bad_request("MESSAGE_EMPTY")
        markup = self._markup(result, inline_only=True)
        for row in (markup or {}).get("inline_keyboard", []):
            for one in row:
                # A message a person sends cannot open a Web App or ask for payment.
                if "web_app" in one or "pay" in one or "callback_game" in one:
                    raise bad_request("BUTTON_TYPE_INVALID")
        description = result.get("description")
        return inline.InlineResult(
            id=result_id,
            title=title,
            description=description if isinstance(description, str) else None,
            text=text,
            entities=entities,
            html=source,
            markup=markup,
        )

    # ---- chats -------------------------------------------------------------------------------

    async def get_chat(self, bot: BotAccount, params: Params) -> Any:
        """getChat."""
        chat = self._chat(params, sending=False)
        return {
            **chat.as_chat(),
            "accent_color_id": 0,
            "max_reaction_count": 11,
            "accepted_gift_types": {
                "unlimited_gifts": False,
                "limited_gifts": False,
                "unique_gifts": False,
                "premium_subscription": False,
                "gifts_from_channels": False,
            },
        }

    async def get_chat_member(self, bot: BotAccount, params: Params) -> Any:
        """getChatMember."""
        chat = self._chat(params, sending=False)
        user_id = _int(params, "user_id")
        if user_id == bot.id:
            status = MEMBER if chat.person is not None else chat.bot_status
            return member_json(bot.as_user(), status)
        person = self.world.people.get(user_id or 0)
        if person is None:
            raise bad_request("user not found")
        return member_json(person.as_user(), chat.status_of(person.id))

    async def get_chat_administrators(self, bot: BotAccount, params: Params) -> Any:
        """getChatAdministrators."""
        chat = self._chat(params, sending=False)
        if chat.person is not None:
            raise bad_request("there are no administrators in the private chat")
        admins = [
            member_json(self.world.people[user_id].as_user(), status)
            for user_id, status in chat.members.items()
            if status in (CREATOR, ADMINISTRATOR)
        ]
        if _bool(params, "return_bots") and chat.bot_status == ADMINISTRATOR:
            admins.append(member_json(bot.as_user(), ADMINISTRATOR))
        return admins

    async def get_chat_member_count(self, bot: BotAccount, params: Params) -> Any:
        """getChatMemberCount."""
        chat = self._chat(params, sending=False)
        if chat.person is not None:
            return 2
        people = sum(1 for status in chat.members.values() if status in IN_CHAT)
        return people + (1 if chat.bot_status in IN_CHAT else 0)

    async def leave_chat(self, bot: BotAccount, params: Params) -> Any:
        """leaveChat: the bot leaves a group."""
        chat = self._chat(params, sending=False)
        if chat.person is not None:
            raise bad_request("chat member status can't be changed in private chats")
        old, chat.bot_status = chat.bot_status, LEFT
        self.world.push_update(
            "my_chat_member",
            {
                "chat": chat.as_chat(),
                "from": bot.as_user(),
                "date": int(self.world.wall_clock()),
                "old_chat_member": member_json(bot.as_user(), old),
                "new_chat_member": member_json(bot.as_user(), LEFT),
            },
        )
        self.world.event("bot_status", chat_id=chat.id, status=LEFT)
        return True

    async def send_chat_action(self, bot: BotAccount, params: Params) -> Any:
        """sendChatAction."""
        chat = self._chat(params, sending=True)
        action = str(params["action"])
        if action not in _CHAT_ACTIONS:
            raise bad_request("wrong parameter action in request")
        self.world.event("action", chat_id=chat.id, action=action)
        return True

    # ---- files -------------------------------------------------------------------------------

    async def get_file(self, bot: BotAccount, params: Params) -> Any:
        """getFile: the path to download the file from, under /file/bot<token>/."""
        stored = self.world.files.get(str(params["file_id"]))
        if stored is None:
            raise bad_request("invalid file_id")
        if stored.size > self.limits.download_bytes:
            raise bad_request("file is too big")
        return {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "file_size": stored.size,
            "file_path": stored.file_path,
        }

    # ---- checks ------------------------------------------------------------------------------

    def _chat(self, params: Params, *, sending: bool) -> Chat:
        """The chat a call is about, or the service's error for it."""
        raw = params.get("chat_id")
        if raw is None or raw == "":
            raise bad_request(errors.CHAT_ID_EMPTY)
        chat_id = _maybe_int(raw)
        chat = self.world.chats.get(chat_id) if chat_id is not None else None
        if chat is None:
            raise bad_request(errors.CHAT_NOT_FOUND)
        if chat.migrated_to is not None:
            raise bad_request(errors.UPGRADED, {"migrate_to_chat_id": chat.migrated_to})
        person = chat.person
        if person is not None:
            if person.deactivated:
                raise ApiError(403, errors.DEACTIVATED)
            if sending and person.blocked_bot:
                raise ApiError(403, errors.BLOCKED)
            if not chat.started:
                if sending:
                    raise ApiError(403, errors.CANT_INITIATE)
                raise bad_request(errors.CHAT_NOT_FOUND)
            return chat
        supergroup = chat.type == SUPERGROUP
        if chat.bot_status == KICKED:
            raise ApiError(403, errors.KICKED_SUPERGROUP if supergroup else errors.KICKED_GROUP)
        if chat.bot_status == LEFT:
            raise ApiError(
                403, errors.NOT_MEMBER_SUPERGROUP if supergroup else errors.NOT_MEMBER_GROUP
            )
        return chat

    def _formatted(
        self, params: Params, field: str, entities_field: str, limit: int, too_long: str
    ) -> tuple[str, list[dict[str, Any]], str | None]:
        """Text (or a caption) after entity parsing: the plain text, its entities, the HTML."""
        source = _str(params, field) or ""
        given = _json(params, entities_field)
        mode = (_str(params, "parse_mode") or "").lower()
        if given:
            # Explicit entities win over parse_mode, as in the service.
            parsed = html.trim_plain(source, _entities(given, entities_field))
            source_html = None
        elif mode == "html":
            try:
                parsed = html.parse(source)
            except html.ParseError as error:
                raise bad_request(f"{errors.CANT_PARSE}{error}") from None
            source_html = source
        elif mode in ("markdown", "markdownv2"):
            raise bad_request(
                f"can't parse entities: the emulator reads parse_mode HTML only, not {mode}"
            )
        elif mode:
            raise bad_request(f"unsupported parse_mode {_str(params, 'parse_mode')}")
        else:
            parsed = html.trim_plain(source, [])
            source_html = None
        if html.utf16_length(parsed.text) > limit:
            raise bad_request(too_long)
        return parsed.text, parsed.entities, source_html

    def _markup(self, params: Params, *, inline_only: bool) -> dict[str, Any] | None:
        markup = _json(params, "reply_markup")
        if markup is None:
            return None
        if not isinstance(markup, dict):
            raise bad_request("can't parse reply keyboard markup JSON object")
        if "inline_keyboard" in markup:
            return {"inline_keyboard": self._inline_keyboard(markup["inline_keyboard"])}
        if inline_only:
            raise bad_request("inline keyboard expected")
        if "keyboard" in markup or markup.get("remove_keyboard") or markup.get("force_reply"):
            return markup
        raise bad_request("can't parse reply keyboard markup JSON object")

    def _inline_keyboard(self, rows: Any) -> list[list[dict[str, Any]]]:
        if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
            raise bad_request(
                'field "inline_keyboard" of the InlineKeyboardMarkup should be an Array of Arrays'
            )
        total = 0
        kept: list[list[dict[str, Any]]] = []
        for row in rows:
            if len(row) > self.limits.buttons_per_row:
                raise bad_request("too many buttons in a row")
            total += len(row)
            if total > self.limits.buttons_total:
                raise bad_request("reply markup is too long")
            if row:
                kept.append([self._button(button) for button in row])
        return kept

    def _button(self, button: Any) -> dict[str, Any]:
        if not isinstance(button, dict):
            raise bad_request("can't parse inline keyboard button JSON object")
        text = button.get("text")
        if not isinstance(text, str) or not text.strip():
            raise bad_request("BUTTON_TEXT_INVALID")
        kinds = [kind for kind in _BUTTON_KINDS if kind in button]
        if not kinds:
            raise bad_request("text buttons are unallowed in the inline keyboard")
        if len(kinds) > 1:
            raise bad_request(
                f"inline keyboard button must have exactly one of {', '.join(kinds)}"
            )
        kind = kinds[0]
        # Keep what a client shows: the label, the action, the style.
        kept = {"text": text, kind: self._button_action(kind, button[kind])}
        for extra in ("style", "icon_custom_emoji_id"):
            if extra in button:
                kept[extra] = button[extra]
        return kept

    def _button_action(self, kind: str, value: Any) -> Any:
        """A button's one action, checked as the service checks it."""
        if kind == "callback_data":
            size = len(value.encode()) if isinstance(value, str) else 0
            if not 1 <= size <= self.limits.callback_data_bytes:
                raise bad_request(errors.BUTTON_DATA_INVALID)
        elif kind == "url":
            valid = isinstance(value, str) and value.lower().startswith(_BUTTON_SCHEMES)
            if not valid or not urlsplit(value).netloc:
                raise bad_request(errors.BUTTON_URL_INVALID)
        elif kind == "web_app":
            value = self._web_app(value)
        elif kind.startswith("switch_inline_query"):
            value = inline.check_switch(kind, value)
        return value

    def _reply_to(self, chat: Chat, params: Params) -> int | None:
        reply = _json(params, "reply_parameters")
        if reply is None:
            return None
        if not isinstance(reply, dict) or "message_id" not in reply:
            raise bad_request("can't parse reply parameters JSON object")
        other = reply.get("chat_id")
        if other is not None and _maybe_int(other) != chat.id:
            raise bad_request("replies to other chats are not supported by the emulator")
        message_id = _int_value(reply["message_id"], "message_id")
        replied = chat.messages.get(message_id)
        if replied is None or replied.deleted:
            if reply.get("allow_sending_without_reply"):
                return None
            raise bad_request("message to be replied not found")
        return message_id

    def _flood(self, bot: BotAccount, chat: Chat, params: Params, *, whole_bot: bool) -> bool:
        """Draw from the flood buckets; 429 past a limit. Return whether the send was paid."""
        paid = _bool(params, "allow_paid_broadcast")
        limits = self.limits
        if not limits.flood:
            return paid
        private = chat.person is not None
        scopes = [
            Scope(
                "chat" if private else "group",
                chat.id,
                limits.private_chat if private else limits.group_chat,
            )
        ]
        if whole_bot:
            scopes.append(
                Scope("paid", bot.id, limits.paid_broadcast)
                if paid
                else Scope("bot", bot.id, limits.whole_bot)
            )
        refusal = self.world.flood.take(scopes)
        if refusal is not None:
            self.world.stats.too_many_by_scope[refusal.scope] += 1
            log.debug("429 for chat %s: %s", chat.id, refusal)
            raise errors.too_many_requests(refusal.retry_after)
        return paid


@dataclass(frozen=True)
class Upload:
    """A file part of a multipart request."""

    filename: str
    content_type: str
    data: bytes


def _maybe_int(raw: Any) -> int | None:
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int):
        return raw
    if isinstance(raw, str):
        try:
            return int(raw)
        except ValueError:
            return None
    return None


def _int_value(raw: Any, name: str) -> int:
    value = _maybe_int(raw)
    if value is None:
        raise bad_request(f"invalid {name} specified")
    return value


def _int(params: Params, name: str) -> int | None:
    raw = params.get(name)
    if raw is None or raw == "":
        return None
    return _int_value(raw, name)


def _seconds(params: Params, name: str) -> float:
    """A duration in seconds; PTB sends a fraction of a second as a float."""
    raw = params.get(name)
    if raw is None or raw == "":
        return 0.0
    if isinstance(raw, bool):
        raise bad_request(f"invalid {name} specified")
    try:
        return float(raw)
    except (TypeError, ValueError):
        raise bad_request(f"invalid {name} specified") from None


def _str(params: Params, name: str) -> str | None:
    raw = params.get(name)
    if raw is None:
        return None
    if isinstance(raw, str):
        return raw
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        return str(raw)
    raise bad_request(f"{name} must be a String")


def _bool(params: Params, name: str) -> bool:
    raw = params.get(name)
    return raw is True or (isinstance(raw, str) and raw.lower() in ("true", "1"))


def _json(params: Params, name: str) -> Any:
    """A JSON-serialized parameter: already decoded in a JSON body, a string otherwise."""
    raw = params.get(name)
    if isinstance(raw, str):
        if not raw:
            return None
        try:
            return json.loads(raw)
        except ValueError:
            raise bad_request(f"can't parse {name} JSON object") from None
    return raw


def _json_object(params: Params, name: str) -> dict[str, Any] | None:
    value = _json(params, name)
    if value is not None and not isinstance(value, dict):
        raise bad_request(f"can't parse {name} JSON object")
    return value


def _entities(given: Any, name: str) -> list[dict[str, Any]]:
    if not isinstance(given, list):
        raise bad_request(f"can't parse {name} JSON object")
    for entity in given:
        valid = (
            isinstance(entity, dict)
            and isinstance(entity.get("type"), str)
            and isinstance(entity.get("offset"), int)
            and isinstance(entity.get("length"), int)
            and entity["offset"] >= 0
            and entity["length"] > 0
        )
        if not valid:
            raise bad_request(f"can't parse {name} JSON object")
    return [dict(entity) for entity in given]
