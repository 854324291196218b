"""What the emulator holds: people, chats, the messages in them, files."""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Person:
    """A simulated Telegram user."""

    id: int
    first_name: str
    last_name: str | None = None
    username: str | None = None
    language_code: str | None = "en"
    blocked_bot: bool = False
    deactivated: bool = False

    def as_user(self) -> dict[str, Any]:
        """The User object Telegram sends."""
        user: dict[str, Any] = {"id": self.id, "is_bot": False, "first_name": self.first_name}
        if self.last_name:
            user["last_name"] = self.last_name
        if self.username:
            user["username"] = self.username
        if self.language_code:
            user["language_code"] = self.language_code
        return user


@dataclass
class StoredFile:
    """A file sent by the bot or by a person."""

    file_id: str
    file_unique_id: str
    file_path: str
    file_name: str
    mime_type: str
    data: bytes

    def as_document(self) -> dict[str, Any]:
        """The Document object Telegram sends."""
        return {
            "file_id": self.file_id,
            "file_unique_id": self.file_unique_id,
            "file_name": self.file_name,
            "mime_type": self.mime_type,
            "file_size": len(self.data),
        }


@dataclass
class RecordedMessage:
    """A message in a chat, as a person would see it."""

    message_id: int
    chat_id: int
    from_bot: bool
    user_id: int | None
    date: int
    text: str = ""  # plain text after parsing (or the caption)
    html: str | None = None  # as sent, when parse_mode was HTML
    entities: list[dict[str, Any]] = field(default_factory=list)
    reply_markup: dict[str, Any] | None = None
    document: StoredFile | None = None
    photo: StoredFile | None = None
    edits: int = 0
    deleted: bool = False
    paid: bool = False
    service: dict[str, Any] | None = None  # migrate_to_chat_id and the like

    @property
    def buttons(self) -> list[dict[str, Any]]:
        """Every inline button, row by row."""
        rows = (self.reply_markup or {}).get("inline_keyboard", [])
        return [button for row in rows for button in row]

    def button(self, label: str) -> dict[str, Any]:
        """The first button whose text contains `label`; KeyError when there is none."""
        for candidate in self.buttons:
            if label in candidate.get("text", ""):
                return candidate
        labels = [b.get("text") for b in self.buttons]
        raise KeyError(f"no button with {label!r} in message {self.message_id}: {labels}")


@dataclass
class Chat:
    """A private chat, a group or a supergroup."""

    id: int
    type: str  # private | group | supergroup
    title: str | None = None
    person: int | None = None  # for a private chat
    members: dict[int, str] = field(default_factory=dict)  # user id -> status
    bot_status: str = "member"  # member | administrator | left | kicked
    started: bool = False  # a private chat exists for the bot once the person wrote to it
    migrated_to: int | None = None
    next_message_id: int = 1
    history: deque[RecordedMessage] = field(default_factory=deque)
    by_id: dict[int, RecordedMessage] = field(default_factory=dict)
    bot_sent: int = 0

    def as_chat(self, people: dict[int, Person]) -> dict[str, Any]:
        """The Chat object Telegram sends."""
        if self.type == "private" and self.person is not None:
            person = people[self.person]
            chat: dict[str, Any] = {
                "id": self.id,
                "type": "private",
                "first_name": person.first_name,
            }
            if person.username:
                chat["username"] = person.username
            return chat
        return {"id": self.id, "type": self.type, "title": self.title or ""}

    def record(self, message: RecordedMessage, keep: int) -> None:
        """Keep a message, dropping the oldest past `keep`."""
        self.history.append(message)
        self.by_id[message.message_id] = message
        while len(self.history) > keep:
            old = self.history.popleft()
            self.by_id.pop(old.message_id, None)


@dataclass
class Stats:
    """Counters the tests and the benchmark read."""

    requests: dict[str, int] = field(default_factory=dict)
    delivered: int = 0  # messages the bot sent that reached a chat
    paid_delivered: int = 0
    too_many_requests: int = 0  # 429s given
    too_many_by_scope: dict[str, int] = field(default_factory=dict)
    errors: dict[int, int] = field(default_factory=dict)  # HTTP status -> count
