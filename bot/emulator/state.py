"""What the emulator holds: the bot, people, chats, the messages in them, files, counters.

People, chats and messages change as the simulation runs (a person blocks the bot, a message is
edited), so they are plain dataclasses with slots; files and answers never change and are frozen.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

PRIVATE = "private"
GROUP = "group"
SUPERGROUP = "supergroup"

CREATOR = "creator"
ADMINISTRATOR = "administrator"
MEMBER = "member"
LEFT = "left"
KICKED = "kicked"
IN_CHAT = frozenset({CREATOR, ADMINISTRATOR, MEMBER})
# The stand-in Telegram puts in `from` of a message an anonymous admin sends "as the group"
# (kept for older bots; `sender_chat` names the group itself).
GROUP_ANONYMOUS_BOT: dict[str, object] = {
    "id": 1087968824,
    "is_bot": True,
    "first_name": "Group",
    "username": "GroupAnonymousBot",
}


@dataclass(slots=True)
class Person:
    """A simulated Telegram user."""

    id: int
    first_name: str
    last_name: str | None = None
    username: str | None = None
    language_code: str | None = "en"
    blocked_bot: bool = False
    deactivated: bool = False
    _user: dict[str, Any] | None = field(default=None, repr=False)

    def as_user(self) -> dict[str, Any]:
        """The User object the service sends (built once; callers must not change it)."""
        if self._user is None:
            user: dict[str, Any] = {"id": self.id, "is_bot": False, "first_name": self.first_name}
            if self.last_name:
                user["last_name"] = self.last_name
            if self.username:
                user["username"] = self.username
            if self.language_code:
                user["language_code"] = self.language_code
            self._user = user
        return self._user


@dataclass(frozen=True)
class StoredFile:
    """A file sent by the bot or by a person, with the identifiers the service gives it."""

    file_id: str
    file_unique_id: str
    file_path: str
    file_name: str
    mime_type: str
    data: bytes
    kind: str  # "document", "photo", or a person's "sticker" or "video"

    @property
    def size(self) -> int:
        """The size in bytes."""
        return len(self.data)

    def as_document(self) -> dict[str, Any]:
        """The Document object the service sends."""
        return {
            "file_id": self.file_id,
            "file_unique_id": self.file_unique_id,
            "file_name": self.file_name,
            "mime_type": self.mime_type,
            "file_size": self.size,
        }

    def as_photo(self) -> list[dict[str, Any]]:
        """The PhotoSize array the service sends (one size: the emulator does not scale)."""
        width, height = _image_size(self.data)
        return [
            {
                "file_id": self.file_id,
                "file_unique_id": self.file_unique_id,
                "file_size": self.size,
                "width": width,
                "height": height,
            }
        ]


def _image_size(data: bytes) -> tuple[int, int]:
    """Width and height of a PNG (from its header); other formats get a nominal size."""
    if data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) >= 24:
        return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    return 1280, 720


@dataclass(frozen=True)
class Button:
    """One inline button as a person sees it: the label and what tapping does."""

    text: str
    callback_data: str | None = None
    url: str | None = None


@dataclass(slots=True)
class RecordedMessage:
    """A message in a chat, as a person would see it."""

    message_id: int
    chat_id: int
    date: int
    from_bot: bool
    user_id: int | None  # the sender: the bot's id or a person's
    text: str = ""  # plain text after parsing, or the caption of a file
    html: str | None = None  # the source as sent, when parse_mode was HTML
    entities: list[dict[str, Any]] = field(default_factory=list)
    reply_markup: dict[str, Any] | None = None
    document: StoredFile | None = None
    photo: StoredFile | None = None
    reply_to: int | None = None  # the id of the message this one answers
    edits: int = 0
    edit_date: int | None = None
    deleted: bool = False
    paid: bool = False  # sent with allow_paid_broadcast
    silent: bool = False  # disable_notification
    protected: bool = False  # protect_content
    service: dict[str, Any] | None = None  # new_chat_members, migrate_to_chat_id and the like
    forward_origin: dict[str, Any] | None = None  # a forwarded message: where it came from
    media: dict[str, Any] | None = None  # a person's sticker or video, as the Message holds it
    sender_chat_id: int | None = None  # sent on behalf of a chat: an anonymous admin's group
    via_bot: bool = False  # sent by a person through the bot's inline mode

    @property
    def edited(self) -> bool:
        """Whether the message was edited since it was sent."""
        return self.edits > 0

    @property
    def caption(self) -> str:
        """The caption of a file (empty for a text message)."""
        return self.text if (self.document or self.photo) else ""

    @property
    def keyboard(self) -> list[list[Button]]:
        """The inline keyboard, row by row."""
        rows = (self.reply_markup or {}).get("inline_keyboard", [])
        return [
            [Button(b["text"], b.get("callback_data"), b.get("url")) for b in row] for row in rows
        ]

    @property
    def buttons(self) -> list[dict[str, Any]]:
        """Every inline button as sent (InlineKeyboardButton objects), row by row."""
        rows = (self.reply_markup or {}).get("inline_keyboard", [])
        return [button for row in rows for button in row]

    def button(self, label: str) -> dict[str, Any]:
        """The first button whose text contains `label`; KeyError when there is none."""
        for candidate in self.buttons:
            if label in candidate.get("text", ""):
                return candidate
        labels = [b.get("text") for b in self.buttons]
        raise KeyError(f"no button with {label!r} in message {self.message_id}: {labels}")


@dataclass(slots=True)
class Chat:
    """A private chat with the bot, a group or a supergroup."""

    id: int
    type: str  # private | group | supergroup
    title: str | None = None
    person: Person | None = None  # the other side of a private chat
    members: dict[int, str] = field(default_factory=dict)  # user id -> status
    bot_status: str = MEMBER
    started: bool = False  # a private chat exists for the bot once the person pressed Start
    migrated_to: int | None = None
    migrated_from: int | None = None
    next_message_id: int = 1
    messages: dict[int, RecordedMessage] = field(default_factory=dict)  # oldest first
    bot_sent: int = 0
    _json: dict[str, Any] | None = field(default=None, repr=False)

    def as_chat(self) -> dict[str, Any]:
        """The Chat object the service sends (built once; callers must not change it)."""
        if self._json is None:
            if self.person is not None:
                chat: dict[str, Any] = {
                    "id": self.id,
                    "type": PRIVATE,
                    "first_name": self.person.first_name,
                }
                if self.person.last_name:
                    chat["last_name"] = self.person.last_name
                if self.person.username:
                    chat["username"] = self.person.username
            else:
                chat = {"id": self.id, "type": self.type, "title": self.title or ""}
            self._json = chat
        return self._json

    def status_of(self, user_id: int) -> str:
        """A person's membership status here."""
        if self.person is not None:
            return MEMBER if user_id == self.person.id else LEFT
        return self.members.get(user_id, LEFT)

    def keep(self, message: RecordedMessage, limit: int) -> None:
        """Keep a message for reading back, dropping the oldest past `limit`."""
        self.messages[message.message_id] = message
        if len(self.messages) > limit:
            del self.messages[next(iter(self.messages))]


@dataclass(frozen=True)
class CallbackAnswer:
    """What the bot answered to a tap (answerCallbackQuery)."""

    text: str | None
    show_alert: bool
    url: str | None = None
    cache_time: int = 0


@dataclass
class Stats:
    """Counters the tests and the benchmarks read."""

    requests: Counter[str] = field(default_factory=Counter)  # per Bot API method
    delivered: int = 0  # messages the bot sent that reached a chat
    delivered_paid: int = 0  # of which sent with allow_paid_broadcast
    edits: int = 0
    deletions: int = 0
    callback_answers: int = 0
    too_many_by_scope: Counter[str] = field(default_factory=Counter)  # 429s: chat/group/bot/...
    errors: Counter[int] = field(default_factory=Counter)  # answers with ok=false, per status
    faults_injected: int = 0
    # The calls the service itself refused (not an injected fault): "method: code description".
    refusals: list[str] = field(default_factory=list)

    def reset(self) -> None:
        """Start every counter again from zero (between phases of a benchmark)."""
        fresh = Stats()
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(fresh, name))

    @property
    def too_many_requests(self) -> int:
        """Every 429 given, whatever the scope."""
        return sum(self.too_many_by_scope.values())

    def as_json(self) -> dict[str, Any]:
        """The counters as JSON, for the control API."""
        return {
            "requests": dict(self.requests),
            "delivered": self.delivered,
            "delivered_paid": self.delivered_paid,
            "edits": self.edits,
            "deletions": self.deletions,
            "callback_answers": self.callback_answers,
            "too_many_requests": self.too_many_requests,
            "too_many_by_scope": dict(self.too_many_by_scope),
            "errors": {str(code): count for code, count in self.errors.items()},
            "faults_injected": self.faults_injected,
            "refusals": list(self.refusals),
        }
