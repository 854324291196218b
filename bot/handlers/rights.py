"""Who may do what, and where: one guard per right, in front of every handler of its kind.

    anyone      read a case (its card, its background pages), /help, /privacy, /cases
    person      the person themselves, in their private chat: an appeal, the checklist, reminders,
                /mydata, /forget
    chat admin  whoever speaks for the chat: the person in a private chat, an admin in a group
                (subscribing, /stop and its undo, settings), including an admin who writes
                anonymously, "as the group"
    organizer   an organizer (BOT_ORGANIZERS, or added with /organizers), in their private chat;
                a person, never a group's anonymous admin (whose `from` is no one's)

A command checks nothing the button it showed could skip: every tap is checked again, since
any member of a group can tap any button under any of the bot's messages there, and a modified
client can send any callback data. A refused update gets a clear answer and an INFO line, and
changes nothing.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Coroutine
from enum import StrEnum
from typing import Any

from telegram import Update
from telegram.constants import ChatType

from bot.context import BotContext, Services
from bot.db.organizers import OrganizerRepository
from bot.handlers.common import is_group_admin, language_of, text

log = logging.getLogger(__name__)

HandlerCallback = Callable[[Update, BotContext], Coroutine[Any, Any, None]]


class Right(StrEnum):
    """What a handler needs of the person behind an update."""

    ANYONE = "anyone"
    PERSON = "person"
    CHAT_ADMIN = "chat admin"
    ORGANIZER = "organizer"


# The stand-ins Telegram writes in `from` of a message sent on behalf of a chat: an anonymous
# group admin (GroupAnonymousBot), and a channel's post in its discussion group (Telegram).
GROUP_ANONYMOUS_BOT = 1087968824
TELEGRAM = 777000
# Channel_Bot: someone writing "as their own channel" in a group.
CHANNEL_BOT = 136817688
_STAND_INS = frozenset({GROUP_ANONYMOUS_BOT, TELEGRAM, CHANNEL_BOT})
# The reason for a refusal that gets no answer at all: nobody is there to read it.
_UNANSWERED = "unanswered"


def sent_as_the_group(update: Update) -> bool:
    """Whether the message was sent by one of the group's admins anonymously, "as the group".

    Telegram lets only a group's admins do that; the message then has the group itself in
    `sender_chat` and GroupAnonymousBot in `from`. Another chat in `sender_chat` (a channel
    whose posts reach its discussion group, or someone writing as their own channel) is not.
    """
    message = update.message or update.edited_message
    chat = update.effective_chat
    return (
        message is not None
        and chat is not None
        and chat.type in (ChatType.GROUP, ChatType.SUPERGROUP)
        and message.sender_chat is not None
        and message.sender_chat.id == chat.id
    )


async def is_organizer(update: Update, context: BotContext) -> bool:
    """Whether the person is an organizer now: named in BOT_ORGANIZERS, or added in the chat."""
    user = update.effective_user
    if user is None or user.id in _STAND_INS:
        # Organizers are people: a message "as the group" is no one's in particular.
        return False
    return await is_organizer_id(context.services, user.id)


async def is_organizer_id(services: Services, user_id: int) -> bool:
    """Whether this user is an organizer now (the chat's guard and the console's ask this)."""
    if user_id in services.settings.organizers:
        return True
    return await OrganizerRepository(services.db).is_added(user_id)


def _in_own_chat(update: Update) -> bool:
    """Whether the update comes from the person's own private chat with the bot."""
    chat, user = update.effective_chat, update.effective_user
    return (
        chat is not None
        and user is not None
        and chat.type == ChatType.PRIVATE
        and chat.id == user.id
    )


async def missing(right: Right, update: Update, context: BotContext) -> str | None:
    """Why the update may not go on (the name of the answer's template), or None if it may."""
    if update.effective_user is None or update.effective_chat is None:
        return "button_invalid" if right is not Right.ANYONE else None
    if right is Right.ANYONE:
        return None
    if update.effective_user.id in _STAND_INS and not sent_as_the_group(update):
        # A channel's post forwarded into its discussion group, or someone writing as their
        # own channel: a chat, not a person, and Telegram knows no membership to ask about.
        return _UNANSWERED
    if right is Right.ORGANIZER:
        if not await is_organizer(update, context):
            return "not_organizer"
        return None if _in_own_chat(update) else "private_only"
    if right is Right.PERSON:
        return None if _in_own_chat(update) else "private_only"
    # CHAT_ADMIN: a private chat speaks for itself; a group through its admins, who may write
    # as the group (their Telegram id is then not told, and not needed).
    if update.effective_chat.type == ChatType.PRIVATE:
        return None if _in_own_chat(update) else "button_invalid"
    if sent_as_the_group(update):
        return None
    return None if await is_group_admin(update, context) else "group_admins_only"


async def refuse(update: Update, context: BotContext, reason: str = "not_organizer") -> None:
    """Answer a refused update: an alert for a tap, a reply for a message; change nothing.

    Anyone who is not an organizer gets what any unknown command or button gets (the help, or
    "this button no longer works"), so organizers' tools are not advertised.
    """
    if reason == _UNANSWERED:
        return
    language = await language_of(update, context)
    query = update.callback_query
    if query is not None:
        name = "button_invalid" if reason == "not_organizer" else reason
        await query.answer(text(context, language, f"{name}.txt"), show_alert=True)
        return
    message = update.effective_message
    if message is None:
        return
    if reason in {"not_organizer", "button_invalid"}:
        commands = context.services.renderer.commands(language, "private")
        await message.reply_text(text(context, language, "help.html", commands=commands))
        return
    if reason == "group_admins_only" and _command(update) not in _SUBSCRIBING:
        # The longer answer speaks of subscribing; a group's member is not told to subscribe
        # it when they asked for something else (its settings).
        await message.reply_text(text(context, language, f"{reason}.txt"))
        return
    await message.reply_text(text(context, language, f"{reason}.html"))


# The commands that subscribe or unsubscribe a chat, whose refusal in a group says so.
_SUBSCRIBING = frozenset({"/start", "/stop"})


def _command(update: Update) -> str | None:
    """The command of a message (`/settings@Bot text` gives `/settings`), or None."""
    message = update.effective_message
    if message is None or not message.text or not message.text.startswith("/"):
        return None
    return message.text.split()[0].split("@")[0]


def _what(update: Update) -> str:
    """The update's entry point for the log: the tapped verb or the command."""
    if update.callback_query is not None:
        return f"tap {(update.callback_query.data or '').split(':', 1)[0]!r}"
    command = _command(update)
    return f"command {command!r}" if command is not None else "message"


def guard(right: Right) -> Callable[[HandlerCallback], HandlerCallback]:
    """Let the handler run only for updates from someone with `right`; refuse the rest."""

    def wrap(handler: HandlerCallback) -> HandlerCallback:
        @functools.wraps(handler)
        async def guarded(update: Update, context: BotContext) -> None:
            reason = await missing(right, update, context)
            if reason is None:
                await handler(update, context)
                return
            # What was refused and where, not who: Telegram ids are personal data, and the log
            # outlives /forget.
            chat = update.effective_chat
            log.info(
                "refused %s in a %s chat: needs %s",
                _what(update),
                chat.type if chat else "unknown",
                right.value,
            )
            await refuse(update, context, reason)

        guarded.right = right  # type: ignore[attr-defined]
        return guarded

    return wrap


def right_of(callback: object) -> Right | None:
    """The right a handler callback is guarded by, or None when it has no guard."""
    found = getattr(callback, "right", None)
    return found if isinstance(found, Right) else None
