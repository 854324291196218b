"""The simulated people: they start the bot, write, send files, tap buttons, block the bot, run
groups. Each action changes the world and gives the bot the update the service would give it.
"""

from __future__ import annotations

import asyncio
import mimetypes
import re
import secrets
from collections.abc import Callable, Iterable
from typing import Any

from bot.emulator import html, inline
from bot.emulator.html import utf16_length
from bot.emulator.inline import InlineAnswer
from bot.emulator.state import (
    ADMINISTRATOR,
    CREATOR,
    GROUP,
    IN_CHAT,
    KICKED,
    LEFT,
    MEMBER,
    PRIVATE,
    SUPERGROUP,
    CallbackAnswer,
    Chat,
    Person,
    RecordedMessage,
)
from bot.emulator.world import PATIENCE, PendingQuery, World

# What the service marks up in a person's text by itself.
_AUTO_ENTITIES = re.compile(
    r"(?P<bot_command>(?<![^\s(])/[A-Za-z0-9_]{1,64}(?:@[A-Za-z0-9_]{3,32})?)"
    r"|(?P<url>\bhttps?://[^\s<>\"]+[^\s<>\".,;:!?)])"
    r"|(?P<email>\b[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}\b)"
    r"|(?P<mention>(?<![\w@])@[A-Za-z][A-Za-z0-9_]{3,31}\b)"
    r"|(?P<hashtag>(?<![\w#])#\w+)"
)
MessageRef = RecordedMessage | tuple[int, int]  # a message, or (chat_id, message_id)


def member_json(user: dict[str, Any], status: str) -> dict[str, Any]:
    """A ChatMember object of the kind `status` names."""
    member: dict[str, Any] = {"status": status, "user": user}
    if status == KICKED:
        member["until_date"] = 0
    elif status == CREATOR:
        member["is_anonymous"] = False
    elif status == ADMINISTRATOR:
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
            can_pin_messages=True,
        )
    return member


def text_entities(text: str) -> list[dict[str, Any]]:
    """The entities the service finds in plain text: commands, links, emails, mentions, tags."""
    if not any(mark in text for mark in "/@#:"):
        return []
    entities = []
    for match in _AUTO_ENTITIES.finditer(text):
        kind = match.lastgroup
        assert kind is not None
        entities.append(
            {
                "type": kind,
                "offset": utf16_length(text[: match.start()]),
                "length": utf16_length(match.group()),
            }
        )
    return entities


class SimulatedPeople(World):
    """People and groups, and what they do; the world gives the bot the updates."""

    # ---- people and groups -------------------------------------------------------------------

    def create_person(
        self,
        first_name: str,
        *,
        last_name: str | None = None,
        username: str | None = None,
        language_code: str | None = "en",
        user_id: int | None = None,
        started: bool = False,
    ) -> Person:
        """A new person. Their private chat opens when they first write to the bot; with
        `started=True` they pressed Start earlier (for benchmarks that seed subscribers)."""
        if user_id is not None and (user_id <= 0 or user_id in self.people):
            raise ValueError(f"user id {user_id} is taken or not positive")
        person = Person(
            user_id if user_id is not None else self.new_person_id(),
            first_name,
            last_name,
            username,
            language_code,
        )
        self.people[person.id] = person
        self.chats[person.id] = Chat(person.id, PRIVATE, person=person, started=started)
        self.event("person", person=person.as_user())
        return person

    def create_people(
        self, count: int, *, first_name: str = "Person", language_code: str | None = "en"
    ) -> list[Person]:
        """`count` people who have all started the bot (a benchmark's audience)."""
        return [
            self.create_person(f"{first_name} {index}", language_code=language_code, started=True)
            for index in range(1, count + 1)
        ]

    async def create_group(
        self,
        title: str,
        *,
        members: Iterable[int],
        admins: Iterable[int] = (),
        supergroup: bool = False,
        bot_admin: bool = False,
    ) -> Chat:
        """A group with these people and the bot; the first admin created it and added the bot.

        Every admin is a member too. Without admins, the first member is the creator.
        """
        admin_ids = list(admins)
        member_ids = list(dict.fromkeys([*admin_ids, *members]))
        if not member_ids:
            raise ValueError("a group needs at least one member")
        for user_id in member_ids:
            self.person(user_id)
        creator = admin_ids[0] if admin_ids else member_ids[0]
        chat = Chat(
            self.new_group_id(supergroup=supergroup),
            SUPERGROUP if supergroup else GROUP,
            title=title,
            bot_status=LEFT,
        )
        for user_id in member_ids:
            chat.members[user_id] = MEMBER
        for user_id in admin_ids:
            chat.members[user_id] = ADMINISTRATOR
        chat.members[creator] = CREATOR
        self.chats[chat.id] = chat
        self.event("chat", chat=chat.as_chat())
        # The bot is in the group from the start, so it hears that the group was created.
        status = ADMINISTRATOR if bot_admin else MEMBER
        chat.bot_status = status
        field = "supergroup_chat_created" if supergroup else "group_chat_created"
        self._service(chat, creator, {field: True})
        self._bot_membership(chat, creator, LEFT, status)
        return chat

    async def add_bot_to_group(
        self, chat_id: int, *, by: int | None = None, admin: bool = False
    ) -> None:
        """A member adds the bot to the group (the bot hears of it in my_chat_member)."""
        chat = self._group(chat_id)
        adder = by if by is not None else self.creator_of(chat)
        if adder is None:
            raise ValueError(f"group {chat_id} has no one to add the bot")
        old = chat.bot_status
        chat.bot_status = ADMINISTRATOR if admin else MEMBER
        self._service(chat, adder, {"new_chat_members": [self.bot.as_user()]})
        self._bot_membership(chat, adder, old, chat.bot_status)

    async def remove_bot_from_group(self, chat_id: int, *, by: int | None = None) -> None:
        """An admin removes the bot: sends there now fail with 403 "bot was kicked"."""
        chat = self._group(chat_id)
        remover = by if by is not None else self.creator_of(chat)
        if remover is None:
            raise ValueError(f"group {chat_id} has no one to remove the bot")
        self._set_bot_status(chat, KICKED, by=remover)

    async def join_group(self, user_id: int, chat_id: int) -> None:
        """A person joins a group."""
        chat = self._group(chat_id)
        person = self.person(user_id)
        old = chat.members.get(user_id, LEFT)
        chat.members[user_id] = MEMBER
        self._service(chat, user_id, {"new_chat_members": [person.as_user()]})
        self._member_changed(chat, person, old, MEMBER, by=user_id)

    async def leave_group(self, user_id: int, chat_id: int) -> None:
        """A person leaves a group."""
        chat = self._group(chat_id)
        person = self.person(user_id)
        old = chat.members.get(user_id, LEFT)
        chat.members[user_id] = LEFT
        self._service(chat, user_id, {"left_chat_member": person.as_user()})
        self._member_changed(chat, person, old, LEFT, by=user_id)

    def set_admin(self, chat_id: int, user_id: int, admin: bool = True) -> None:
        """Make a member (or the bot, by its id) an admin of the group, or no longer one."""
        chat = self._group(chat_id)
        status = ADMINISTRATOR if admin else MEMBER
        by = self.creator_of(chat) or user_id
        if user_id == self.bot.id:
            self._set_bot_status(chat, status, by=by)
            return
        person = self.person(user_id)
        old = chat.members.get(user_id, LEFT)
        chat.members[user_id] = status
        self._member_changed(chat, person, old, status, by=by)

    async def block_bot(self, user_id: int) -> None:
        """The person blocks the bot: sends to them now fail with 403."""
        person = self.person(user_id)
        if person.blocked_bot:
            return
        person.blocked_bot = True
        chat = self.chats[user_id]
        self._bot_membership(chat, user_id, MEMBER, KICKED)
        self.event("blocked", user_id=user_id, blocked=True)

    async def unblock_bot(self, user_id: int) -> None:
        """The person unblocks the bot (Telegram's "Restart")."""
        person = self.person(user_id)
        if not person.blocked_bot:
            return
        person.blocked_bot = False
        chat = self.chats[user_id]
        self._bot_membership(chat, user_id, KICKED, MEMBER)
        self.event("blocked", user_id=user_id, blocked=False)

    def deactivate(self, user_id: int) -> None:
        """The person deletes their account: sends to them now fail with 403."""
        self.person(user_id).deactivated = True
        self.event("deactivated", user_id=user_id)

    async def upgrade_to_supergroup(self, chat_id: int) -> int:
        """Turn a group into a supergroup with a new id, as the service does; return the id."""
        old = self._group(chat_id)
        if old.type != GROUP or old.migrated_to is not None:
            raise ValueError(f"chat {chat_id} is not a group that can be upgraded")
        new = Chat(
            self.new_group_id(supergroup=True),
            SUPERGROUP,
            title=old.title,
            members=dict(old.members),
            bot_status=old.bot_status,
            migrated_from=old.id,
        )
        self.chats[new.id] = new
        creator = self.creator_of(old)
        self._service(old, creator, {"migrate_to_chat_id": new.id})
        old.migrated_to = new.id
        self._service(new, creator, {"migrate_from_chat_id": old.id})
        self.event("chat", chat=new.as_chat(), migrated_from=old.id)
        return new.id

    # ---- what people send --------------------------------------------------------------------

    async def send_text(
        self, user_id: int, text: str, *, chat_id: int | None = None, reply_to: int | None = None
    ) -> RecordedMessage:
        """The person writes `text` (commands, links and mentions get their entities)."""
        if not text.strip():
            raise ValueError("a client does not send empty messages")
        chat, person = self._speaker(user_id, chat_id)
        message = self.record(
            chat,
            from_bot=False,
            user_id=person.id,
            text=text,
            entities=text_entities(text),
            reply_to=reply_to,
        )
        self._deliver(chat, message)
        await asyncio.sleep(0)
        return message

    async def send_as_group(self, user_id: int, text: str, *, chat_id: int) -> RecordedMessage:
        """An admin of the supergroup writes `text` anonymously, "as the group": the bot sees
        the group in `sender_chat` and Telegram's GroupAnonymousBot (1087968824) in `from`,
        never the admin. Only a supergroup's admins can (Telegram makes a group a supergroup
        when an admin is made anonymous); anyone else gets ValueError."""
        if not text.strip():
            raise ValueError("a client does not send empty messages")
        chat, person = self._speaker(user_id, chat_id)
        if chat.type != SUPERGROUP:
            raise ValueError("only a supergroup's admins write as the group")
        if chat.members.get(person.id) not in (CREATOR, ADMINISTRATOR):
            raise ValueError(f"{person.first_name} is no admin of {chat.title!r}")
        message = self.record(
            chat, from_bot=False, user_id=person.id, text=text, entities=text_entities(text)
        )
        message.sender_chat_id = chat.id
        self._deliver(chat, message)
        await asyncio.sleep(0)
        return message

    async def send_unreadable(
        self, user_id: int, text: str, *, chat_id: int | None = None
    ) -> dict[str, Any]:
        """The person writes `text`, and the update for it comes in a shape the bot's library
        cannot read, as after a change of the Bot API: its chat has no type. Return the
        update, which a test may also post to a webhook itself."""
        chat, person = self._speaker(user_id, chat_id)
        message = self.record(
            chat, from_bot=False, user_id=person.id, text=text, entities=text_entities(text)
        )
        payload = self.message_json(message)
        payload["chat"] = {k: v for k, v in payload["chat"].items() if k != "type"}
        update = self.bot.updates.push("message", payload)
        if update is None:
            raise ValueError("the bot does not take messages")
        await asyncio.sleep(0)
        return update

    async def send_formatted(
        self, user_id: int, source: str, *, chat_id: int | None = None
    ) -> RecordedMessage:
        """The person writes formatted text (bold, links...) in the client, given here as
        Telegram HTML: the bot gets the plain text and its entities, as from the service."""
        chat, person = self._speaker(user_id, chat_id)
        parsed = html.parse(source)
        if not parsed.text.strip():
            raise ValueError("a client does not send empty messages")
        message = self.record(
            chat, from_bot=False, user_id=person.id, text=parsed.text, entities=parsed.entities
        )
        self._deliver(chat, message)
        await asyncio.sleep(0)
        return message

    async def forward(
        self, user_id: int, message: MessageRef, *, chat_id: int | None = None
    ) -> RecordedMessage:
        """The person forwards a message they can see (from a group, or the bot's) into a chat
        (their chat with the bot unless `chat_id`): text, entities and file are kept, and
        `forward_origin` names the original sender."""
        original = self._message(message)
        source = self.chats[original.chat_id]
        if source.status_of(user_id) not in IN_CHAT:
            raise ValueError(f"{self.person(user_id).first_name} cannot see chat {source.id}")
        if original.deleted or original.service:
            raise ValueError(f"message {original.message_id} cannot be forwarded")
        if original.protected:
            raise ValueError(f"message {original.message_id} is protected from forwarding")
        chat, person = self._speaker(user_id, chat_id)
        sender = (
            self.bot.as_user()
            if original.from_bot
            else self.people[original.user_id].as_user()
            if original.user_id is not None
            else None
        )
        origin: dict[str, Any] = (
            {"type": "user", "date": original.date, "sender_user": sender}
            if sender is not None
            else {"type": "hidden_user", "date": original.date, "sender_user_name": "Hidden"}
        )
        copied = self.record(
            chat,
            from_bot=False,
            user_id=person.id,
            text=original.text,
            entities=[dict(entity) for entity in original.entities],
            document=original.document,
            photo=original.photo,
        )
        copied.forward_origin = origin
        self._deliver(chat, copied)
        await asyncio.sleep(0)
        return copied

    async def send_command(
        self, user_id: int, command: str, arguments: str = "", *, chat_id: int | None = None
    ) -> RecordedMessage:
        """The person picks a command from the menu: in a group the client adds @botname."""
        chat, _ = self._speaker(user_id, chat_id)
        name = command.removeprefix("/")
        if chat.type != PRIVATE:
            name = f"{name}@{self.bot.username}"
        text = f"/{name} {arguments}".rstrip()
        return await self.send_text(user_id, text, chat_id=chat.id)

    async def send_document(
        self,
        user_id: int,
        filename: str,
        data: bytes,
        *,
        mime_type: str | None = None,
        caption: str | None = None,
        chat_id: int | None = None,
    ) -> RecordedMessage:
        """The person sends a file."""
        return await self._send_file(
            user_id, filename, data, mime_type, caption, chat_id, "document"
        )

    async def send_photo(
        self,
        user_id: int,
        data: bytes,
        *,
        filename: str = "photo.jpg",
        caption: str | None = None,
        chat_id: int | None = None,
    ) -> RecordedMessage:
        """The person sends a photo."""
        return await self._send_file(
            user_id, filename, data, "image/jpeg", caption, chat_id, "photo"
        )

    async def send_sticker(
        self, user_id: int, emoji: str = "👍", *, chat_id: int | None = None
    ) -> RecordedMessage:
        """The person sends a sticker (a 512×512 WebP, as most stickers are)."""
        webp = b"RIFF\x00\x00\x00\x00WEBP"
        stored = self.store_file("sticker.webp", "image/webp", webp, "sticker")
        sticker = {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "type": "regular",
            "width": 512,
            "height": 512,
            "is_animated": False,
            "is_video": False,
            "emoji": emoji,
            "file_size": stored.size,
        }
        return await self._send_media(user_id, chat_id, {"sticker": sticker})

    async def send_video(
        self, user_id: int, data: bytes, *, duration: int = 5, chat_id: int | None = None
    ) -> RecordedMessage:
        """The person sends a video (an MP4)."""
        stored = self.store_file("video.mp4", "video/mp4", data, "video")
        video = {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "width": 640,
            "height": 360,
            "duration": duration,
            "mime_type": "video/mp4",
            "file_size": stored.size,
        }
        return await self._send_media(user_id, chat_id, {"video": video})

    async def _send_media(
        self, user_id: int, chat_id: int | None, media: dict[str, Any]
    ) -> RecordedMessage:
        chat, person = self._speaker(user_id, chat_id)
        message = self.record(chat, from_bot=False, user_id=person.id)
        message.media = media
        self._deliver(chat, message)
        await asyncio.sleep(0)
        return message

    async def edit_text(self, user_id: int, message: MessageRef, text: str) -> RecordedMessage:
        """The person edits a message of theirs (the bot gets an edited_message update)."""
        found = self._message(message)
        if found.from_bot or found.user_id != user_id:
            raise ValueError("people edit only their own messages")
        found.text = text
        found.entities = text_entities(text)
        found.edits += 1
        found.edit_date = int(self.wall_clock())
        chat = self.chats[found.chat_id]
        if self._reaches_bot(chat, found):
            self.push_update("edited_message", self.message_json(found))
        self.event("edited", chat_id=chat.id, message=found)
        await asyncio.sleep(0)
        return found

    async def tap(
        self,
        user_id: int,
        message: MessageRef,
        callback_data: str,
        *,
        forge: bool = False,
        timeout: float = PATIENCE,
    ) -> CallbackAnswer | None:
        """The person taps a button; return the bot's answer, or None if none came in time.

        Without `forge` the message must carry a button with this data, as in a real client;
        `forge=True` sends any data, as a modified client could.
        """
        found = self._message(message)
        chat = self.chats[found.chat_id]
        person = self.person(user_id)
        if chat.status_of(user_id) not in IN_CHAT:
            raise ValueError(f"{person.first_name} cannot see chat {chat.id}")
        if found.deleted:
            raise ValueError(f"message {found.message_id} was deleted")
        if not forge and not any(b.get("callback_data") == callback_data for b in found.buttons):
            raise ValueError(f"message {found.message_id} has no button {callback_data!r}")
        self._forget_old_queries()
        query_id = str(secrets.randbits(62))
        answer: asyncio.Future[CallbackAnswer | None] = asyncio.get_running_loop().create_future()
        self.queries[query_id] = PendingQuery(
            query_id, user_id, chat.id, found.message_id, self.clock(), answer
        )
        self.push_update(
            "callback_query",
            {
                "id": query_id,
                "from": person.as_user(),
                "message": self.message_json(found),
                "chat_instance": str(abs(chat.id) * 7919 % 10**18),
                "data": callback_data,
            },
        )
        self.event("tap", chat_id=chat.id, user_id=user_id, message_id=found.message_id)
        try:
            async with asyncio.timeout(timeout):
                return await asyncio.shield(answer)
        except TimeoutError:
            return None

    async def press(
        self, user_id: int, message: MessageRef, label: str, *, timeout: float = PATIENCE
    ) -> CallbackAnswer | None:
        """Tap the button whose text contains `label`."""
        found = self._message(message)
        data = found.button(label).get("callback_data")
        if data is None:
            raise ValueError(f"button {label!r} is a link, not a callback button")
        return await self.tap(user_id, found, str(data), timeout=timeout)

    # ---- inline mode ---------------------------------------------------------------------------

    async def type_inline(
        self,
        user_id: int,
        query: str = "",
        *,
        chat_id: int | None = None,
        timeout: float = PATIENCE,
    ) -> InlineAnswer:
        """The person types "@bot <query>" in a chat (their own chat with the bot by default);
        return the bot's answer. ValueError when inline mode is off, as the client shows
        nothing then; TimeoutError when the bot does not answer in time."""
        chat, person = self._speaker(user_id, chat_id)
        if self.bot.inline_placeholder is None:
            raise ValueError(f"@{self.bot.username} has no inline mode (BotFather /setinline)")
        if len(query) > inline.QUERY_LENGTH:
            raise ValueError("a client sends at most 256 characters of an inline query")
        query_id = inline.new_query_id()
        answer: asyncio.Future[InlineAnswer] = asyncio.get_running_loop().create_future()
        self.inline_queries[query_id] = inline.PendingInlineQuery(
            query_id, user_id, chat.id, query, self.clock(), answer
        )
        own = chat.person is not None
        self.push_update(
            "inline_query",
            {
                "id": query_id,
                "from": person.as_user(),
                "query": query,
                "offset": "",
                "chat_type": inline.chat_type_seen(chat.type, own_chat=own),
            },
        )
        self.event("inline_query", chat_id=chat.id, user_id=user_id, query=query)
        try:
            async with asyncio.timeout(timeout):
                return await asyncio.shield(answer)
        finally:
            self.inline_queries.pop(query_id, None)

    async def switch_to_chosen_chat(
        self,
        user_id: int,
        message: MessageRef,
        label: str,
        chat_id: int,
        *,
        timeout: float = PATIENCE,
    ) -> InlineAnswer:
        """The person presses a switch_inline_query_chosen_chat button, picks the chat
        `chat_id` from the client's chooser, and the client types "@bot <query>" there."""
        found = self._message(message)
        chosen = found.button(label).get("switch_inline_query_chosen_chat")
        if chosen is None:
            raise ValueError(f"button {label!r} does not switch to a chosen chat")
        target = self.chat(chat_id)
        if target.person is not None and target.person.id == user_id:
            kind = "bot" if chosen.get("allow_bot_chats") else ""
            if not kind:
                raise ValueError("this button does not offer the chat with the bot")
        elif not inline.allowed_in(chosen, target.type):
            raise ValueError(f"this button does not offer {target.type} chats")
        return await self.type_inline(
            user_id, str(chosen.get("query", "")), chat_id=chat_id, timeout=timeout
        )

    async def send_inline_result(
        self, user_id: int, answer: InlineAnswer, result_id: str
    ) -> RecordedMessage:
        """The person picks a result: its message appears in the chat, from them "via @bot";
        with inline feedback on, the bot hears which result was chosen."""
        result = next((r for r in answer.results if r.id == result_id), None)
        if result is None:
            raise ValueError(f"the answer has no result {result_id!r}")
        chat, person = self._speaker(user_id, answer.chat_id)
        message = self.record(
            chat,
            from_bot=False,
            user_id=person.id,
            text=result.text,
            entities=result.entities,
            html=result.html,
            markup=result.markup,
        )
        message.via_bot = True
        self._deliver(chat, message)
        if self.bot.inline_feedback:
            chosen: dict[str, Any] = {
                "result_id": result.id,
                "from": person.as_user(),
                "query": answer.query,
            }
            if result.markup:
                chosen["inline_message_id"] = f"{chat.id}_{message.message_id}"
            self.push_update("chosen_inline_result", chosen)
        await asyncio.sleep(0)
        return message

    async def open_link(self, user_id: int, url: str) -> RecordedMessage:
        """The person opens a t.me/<bot>?start=<payload> link and presses Start: the client
        sends "/start <payload>" in their chat with the bot."""
        payload = inline.start_link_payload(url, self.bot.username)
        return await self.send_text(user_id, f"/start {payload}".rstrip())

    # ---- reading back ------------------------------------------------------------------------

    def messages(self, chat_id: int, *, include_deleted: bool = False) -> list[RecordedMessage]:
        """The messages kept in the chat, oldest first (deleted ones only if asked)."""
        kept = self.chat(chat_id).messages.values()
        return [m for m in kept if include_deleted or not m.deleted]

    def bot_messages(self, chat_id: int, after: int = 0) -> list[RecordedMessage]:
        """The bot's messages in the chat with an id above `after`."""
        return [m for m in self.messages(chat_id) if m.from_bot and m.message_id > after]

    def menu_button_of(self, chat_id: int) -> dict[str, Any]:
        """The menu button a chat shows (getChatMenuButton's answer)."""
        bot = self.bot
        return bot.menu_buttons.get(chat_id) or bot.menu_buttons.get(0) or {"type": "commands"}

    def web_apps_of(self, user_id: int) -> set[str]:
        """The Mini Apps the bot offers in a person's private chat: its menu button's and those
        of web_app buttons under its messages."""
        found = set()
        menu = self.menu_button_of(user_id)
        if menu.get("type") == "web_app":
            found.add(str(menu["web_app"]["url"]))
        for message in self.bot_messages(user_id):
            for row in (message.reply_markup or {}).get("inline_keyboard", []):
                found.update(str(b["web_app"]["url"]) for b in row if "web_app" in b)
        return found

    def last_id(self, chat_id: int) -> int:
        """The id of the newest message in the chat (0 if none)."""
        return self.chat(chat_id).next_message_id - 1

    async def wait_for_messages(
        self,
        chat_id: int,
        count: int = 1,
        *,
        timeout: float = PATIENCE,
        after: int = 0,
        predicate: Callable[[RecordedMessage], bool] | None = None,
        from_bot: bool = True,
    ) -> list[RecordedMessage]:
        """Wait until the chat holds `count` messages after id `after` (from the bot unless
        `from_bot=False`, and matching `predicate` if given); return all that match."""

        def matching() -> list[RecordedMessage]:
            return [
                m
                for m in self.messages(chat_id)
                if m.message_id > after
                and (m.from_bot or not from_bot)
                and (predicate is None or predicate(m))
            ]

        try:
            await self.wait_for(lambda: len(matching()) >= count, timeout)
        except TimeoutError:
            got = [m.text[:80] for m in matching()]
            raise TimeoutError(
                f"expected {count} messages in chat {chat_id} within {timeout}s, got {got}"
            ) from None
        return matching()

    async def replies(
        self, chat_id: int, *, after: int, count: int = 1, timeout: float = PATIENCE
    ) -> list[RecordedMessage]:
        """Wait for `count` bot messages in the chat after message `after`; return them all."""
        return await self.wait_for_messages(chat_id, count, timeout=timeout, after=after)

    # ---- inside ------------------------------------------------------------------------------

    def _group(self, chat_id: int) -> Chat:
        chat = self.chat(chat_id)
        if chat.person is not None:
            raise ValueError(f"chat {chat_id} is a private chat, not a group")
        return chat

    def _message(self, ref: MessageRef) -> RecordedMessage:
        if isinstance(ref, RecordedMessage):
            return ref
        chat_id, message_id = ref
        found = self.chat(chat_id).messages.get(message_id)
        if found is None:
            raise KeyError(f"no message {message_id} kept in chat {chat_id}")
        return found

    def _speaker(self, user_id: int, chat_id: int | None) -> tuple[Chat, Person]:
        person = self.person(user_id)
        if person.deactivated:
            raise ValueError(f"{person.first_name}'s account is deleted")
        chat = self.chat(chat_id if chat_id is not None else user_id)
        if chat.person is not None:
            if chat.person is not person:
                raise ValueError(f"chat {chat.id} is another person's private chat")
            # Writing to a blocked bot means unblocking it first, as the client does.
            if person.blocked_bot:
                person.blocked_bot = False
                self._bot_membership(chat, user_id, KICKED, MEMBER)
            chat.started = True
        elif chat.members.get(user_id) not in IN_CHAT:
            raise ValueError(f"{person.first_name} is not a member of {chat.title!r}")
        elif chat.migrated_to is not None:
            raise ValueError(f"group {chat.id} became supergroup {chat.migrated_to}")
        return chat, person

    async def _send_file(
        self,
        user_id: int,
        filename: str,
        data: bytes,
        mime_type: str | None,
        caption: str | None,
        chat_id: int | None,
        kind: str,
    ) -> RecordedMessage:
        chat, person = self._speaker(user_id, chat_id)
        mime = mime_type or mimetypes.guess_type(filename)[0] or "application/octet-stream"
        stored = self.store_file(filename, mime, data, kind)
        message = self.record(
            chat,
            from_bot=False,
            user_id=person.id,
            text=caption or "",
            entities=text_entities(caption or ""),
            document=stored if kind == "document" else None,
            photo=stored if kind == "photo" else None,
        )
        self._deliver(chat, message)
        await asyncio.sleep(0)
        return message

    def _deliver(self, chat: Chat, message: RecordedMessage) -> None:
        if self._reaches_bot(chat, message):
            self.push_update("message", self.message_json(message))

    def _reaches_bot(self, chat: Chat, message: RecordedMessage) -> bool:
        """Whether the bot hears this message; in groups, privacy mode filters what it hears."""
        if chat.person is not None:
            return True
        bot = self.bot
        if self.bot_is_out(chat) or chat.migrated_to is not None:
            return False
        if message.service or not bot.privacy_mode or chat.bot_status == ADMINISTRATOR:
            return True
        if message.reply_to is not None:
            replied = chat.messages.get(message.reply_to)
            if replied is not None and replied.from_bot:
                return True
        for entity in message.entities:
            if entity["type"] not in ("bot_command", "mention"):
                continue
            # Offsets are UTF-16; a command or mention is ASCII, so slice on the encoded text.
            encoded = message.text.encode("utf-16-le")
            start, end = entity["offset"] * 2, (entity["offset"] + entity["length"]) * 2
            word = encoded[start:end].decode("utf-16-le")
            target = word.partition("@")[2] if entity["type"] == "bot_command" else word[1:]
            if entity["type"] == "bot_command" and (not target or target == bot.username):
                return True
            if entity["type"] == "mention" and target == bot.username:
                return True
        return False

    def _service(self, chat: Chat, sender: int | None, fields: dict[str, Any]) -> None:
        message = self.record(chat, from_bot=False, user_id=sender, service=fields)
        self._deliver(chat, message)

    def _set_bot_status(self, chat: Chat, status: str, *, by: int) -> None:
        old = chat.bot_status
        if old == status:
            return
        chat.bot_status = status
        self._bot_membership(chat, by, old, status)

    def _bot_membership(self, chat: Chat, by: int, old: str, new: str) -> None:
        """Tell the bot its own membership changed (my_chat_member), as the service does."""
        bot_user = self.bot.as_user()
        self.push_update(
            "my_chat_member",
            {
                "chat": chat.as_chat(),
                "from": self.person(by).as_user(),
                "date": int(self.wall_clock()),
                "old_chat_member": member_json(bot_user, old),
                "new_chat_member": member_json(bot_user, new),
            },
        )
        self.event("bot_status", chat_id=chat.id, status=new)

    def _member_changed(self, chat: Chat, person: Person, old: str, new: str, *, by: int) -> None:
        """Tell the bot a member changed (chat_member), which it hears only as an admin."""
        self.event("member", chat_id=chat.id, user_id=person.id, status=new)
        if chat.bot_status != ADMINISTRATOR or old == new:
            return
        self.push_update(
            "chat_member",
            {
                "chat": chat.as_chat(),
                "from": self.person(by).as_user(),
                "date": int(self.wall_clock()),
                "old_chat_member": member_json(person.as_user(), old),
                "new_chat_member": member_json(person.as_user(), new),
            },
        )

    def _forget_old_queries(self) -> None:
        horizon = self.clock() - 2 * self.limits.callback_timeout
        for query_id in [q.id for q in self.queries.values() if q.created < horizon]:
            self.queries.pop(query_id).answer.cancel()
