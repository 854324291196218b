"""Inline mode: a person types @bot in a chat, the bot answers with results, the person sends one.

Both sides live here: `check_results` holds answerInlineQuery's results to the service's rules
(methods.py calls it), and `InlinePeople` is what people do: type an inline query, press a
switch_inline_query_chosen_chat button, send a result "via @bot" into a chat, follow a
t.me/<bot>?start=<payload> link. Inline mode is off until the bot's `inline_placeholder` is set
(BotFather's /setinline); chosen_inline_result updates need `inline_feedback`
(/setinlinefeedback).
"""

from __future__ import annotations

import asyncio
import re
import secrets
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlsplit

from bot.emulator.errors import bad_request
from bot.emulator.state import GROUP, PRIVATE, SUPERGROUP

# The result types the spec lists; the emulator models articles, and refuses the others loudly.
RESULT_TYPES = frozenset(
    {
        "article", "photo", "gif", "mpeg4_gif", "video", "audio", "voice", "document",
        "location", "venue", "contact", "game", "sticker",
    }
)  # fmt: skip
MAX_RESULTS = 50
RESULT_ID_BYTES = 64
QUERY_LENGTH = 256
NEXT_OFFSET_BYTES = 64
START_PARAMETER = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
_START_LINK = re.compile(r"^https://t\.me/(?P<bot>[A-Za-z0-9_]{3,32})$")


@dataclass(frozen=True)
class InlineResult:
    """One result as the person's client lists it, and the message sending it makes."""

    id: str
    title: str
    description: str | None
    text: str
    entities: list[dict[str, Any]]
    html: str | None
    markup: dict[str, Any] | None


@dataclass(frozen=True)
class InlineAnswer:
    """What the bot answered to an inline query."""

    query_id: str
    query: str
    chat_id: int
    results: list[InlineResult]
    cache_time: int
    is_personal: bool
    next_offset: str
    button: dict[str, Any] | None

    def result(self, title: str) -> InlineResult:
        """The first result whose title contains `title`; KeyError when there is none."""
        for candidate in self.results:
            if title in candidate.title:
                return candidate
        raise KeyError(f"no result titled {title!r}: {[r.title for r in self.results]}")


@dataclass
class PendingInlineQuery:
    """An inline query the bot has not answered yet."""

    id: str
    user_id: int
    chat_id: int
    query: str
    created: float
    answer: asyncio.Future[InlineAnswer] = field(repr=False)


def chat_type_seen(chat_type: str, *, own_chat: bool) -> str:
    """InlineQuery.chat_type: "sender" in the person's own chat with the bot."""
    return "sender" if own_chat else chat_type


def check_start_parameter(value: Any) -> str:
    """A deep-link start parameter: 1-64 of A-Z a-z 0-9 _ -."""
    if not isinstance(value, str) or START_PARAMETER.match(value) is None:
        raise bad_request("START_PARAM_INVALID")
    return value


def check_button(button: Any) -> dict[str, Any] | None:
    """answerInlineQuery's `button`: a label and exactly one of web_app, start_parameter."""
    if button is None:
        return None
    if not isinstance(button, dict) or not isinstance(button.get("text"), str):
        raise bad_request("can't parse InlineQueryResultsButton JSON object")
    if not button["text"].strip():
        raise bad_request("BUTTON_TEXT_INVALID")
    kinds = [kind for kind in ("web_app", "start_parameter") if kind in button]
    if len(kinds) != 1:
        raise bad_request(
            "InlineQueryResultsButton must have exactly one of web_app, start_parameter"
        )
    if kinds == ["start_parameter"]:
        check_start_parameter(button["start_parameter"])
    return {"text": button["text"], kinds[0]: button[kinds[0]]}


def start_link_payload(url: str, bot_username: str) -> str:
    """The payload of a t.me/<bot>?start=<payload> link to this bot; ValueError otherwise."""
    parts = urlsplit(url)
    match = _START_LINK.match(f"{parts.scheme}://{parts.netloc}{parts.path}")
    if match is None or match["bot"].lower() != bot_username.lower():
        raise ValueError(f"{url!r} is not a link that starts @{bot_username}")
    (payload,) = parse_qs(parts.query).get("start", [""])
    if START_PARAMETER.match(payload) is None:
        # The client opens the chat without a payload: Telegram drops an invalid one.
        return ""
    return payload


def allowed_in(chosen: dict[str, Any], chat_type: str) -> bool:
    """Whether a switch_inline_query_chosen_chat button lets the person pick this kind of chat."""
    if chat_type == PRIVATE:
        return bool(chosen.get("allow_user_chats"))
    if chat_type in (GROUP, SUPERGROUP):
        return bool(chosen.get("allow_group_chats"))
    return bool(chosen.get("allow_channel_chats"))


def check_switch(kind: str, value: Any) -> Any:
    """An InlineKeyboardButton's switch_inline_query* field: a query, or a chosen-chat object."""
    if kind != "switch_inline_query_chosen_chat":
        if not isinstance(value, str) or len(value) > QUERY_LENGTH:
            raise bad_request("can't parse inline keyboard button JSON object")
        return value
    if not isinstance(value, dict):
        raise bad_request("can't parse SwitchInlineQueryChosenChat JSON object")
    query = value.get("query", "")
    if not isinstance(query, str) or len(query) > QUERY_LENGTH:
        raise bad_request("switch inline query is too long")
    kinds = ("allow_user_chats", "allow_bot_chats", "allow_group_chats", "allow_channel_chats")
    if not any(value.get(kind) is True for kind in kinds):
        # What the service answers when no kind of chat is left to choose.
        raise bad_request("Target chat must be non-empty")
    return value


def answer_of(
    pending: PendingInlineQuery,
    results: list[InlineResult],
    params: dict[str, Any],
    button: dict[str, Any] | None,
) -> InlineAnswer:
    """The answer a client shows, from checked parts."""
    next_offset = params.get("next_offset") or ""
    if not isinstance(next_offset, str) or len(next_offset.encode()) > NEXT_OFFSET_BYTES:
        raise bad_request("NEXT_OFFSET_INVALID")
    try:
        cache_time = int(params.get("cache_time", 300))
    except (TypeError, ValueError):
        raise bad_request("can't parse cache_time as Integer") from None
    return InlineAnswer(
        query_id=pending.id,
        query=pending.query,
        chat_id=pending.chat_id,
        results=results,
        cache_time=cache_time,
        is_personal=str(params.get("is_personal", "")).lower() in ("true", "1"),
        next_offset=next_offset,
        button=button,
    )


def new_query_id() -> str:
    """An inline query id, as opaque as the service's."""
    return str(secrets.randbits(62))
