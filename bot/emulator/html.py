"""Telegram's HTML parse mode, as strict as the service: the allowed tags, proper nesting and
escaping, and the plain text with its entities (offsets and lengths in UTF-16 code units)."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from typing import Any

# tag -> entity type; attributes are checked separately.
TAGS = {
    "b": "bold", "strong": "bold", "i": "italic", "em": "italic", "u": "underline",
    "ins": "underline", "s": "strikethrough", "strike": "strikethrough", "del": "strikethrough",
    "span": "spoiler", "tg-spoiler": "spoiler", "a": "text_link", "code": "code", "pre": "pre",
    "blockquote": "blockquote", "tg-emoji": "custom_emoji",
}  # fmt: skip
_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)((?:\s+[^<>]*?)?)\s*(/?)>")
_ATTRIBUTE = re.compile(r"""([a-zA-Z-]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+)))?""")
_ENTITY = re.compile(r"&(#\d+|#x[0-9a-fA-F]+|[a-zA-Z]+);")
_NAMED = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}


class ParseError(Exception):
    """The text is not valid Telegram HTML; the message is Telegram's own wording."""


def utf16_length(text: str) -> int:
    """The length Telegram counts: UTF-16 code units (an emoji outside the BMP counts two)."""
    return len(text.encode("utf-16-le")) // 2


@dataclass
class _Open:
    tag: str
    entity: dict[str, Any]
    start: int  # UTF-16 offset in the plain text


@dataclass(frozen=True)
class Parsed:
    """Plain text and its entities."""

    text: str
    entities: list[dict[str, Any]] = field(default_factory=list)


def parse(source: str) -> Parsed:
    """Parse Telegram HTML; ParseError with Telegram's message when it is malformed."""
    out: list[str] = []
    length = 0  # UTF-16 units emitted so far
    stack: list[_Open] = []
    entities: list[dict[str, Any]] = []
    position = 0
    while position < len(source):
        lt = source.find("<", position)
        amp = source.find("&", position)
        nxt = min(i for i in (lt, amp, len(source)) if i >= 0)
        if nxt > position:
            chunk = source[position:nxt]
            out.append(chunk)
            length += utf16_length(chunk)
            position = nxt
            continue
        if source[position] == "&":
            match = _ENTITY.match(source, position)
            if match is None:
                # A lone ampersand is taken literally, as the service does.
                out.append("&")
                length += 1
                position += 1
                continue
            name = match.group(1)
            if name.startswith("#"):
                char = html.unescape(match.group(0))
            elif name in _NAMED:
                char = _NAMED[name]
            else:
                raise ParseError(
                    f'Can\'t parse entities: unsupported HTML entity "{match.group(0)}" '
                    f"at byte offset {_byte_offset(source, position)}"
                )
            out.append(char)
            length += utf16_length(char)
            position = match.end()
            continue
        match = _TAG.match(source, position)
        offset = _byte_offset(source, position)
        if match is None:
            raise ParseError(
                f'Can\'t parse entities: unexpected character "<" at byte offset {offset}'
            )
        closing, name, attributes, _ = match.groups()
        tag = name.lower()
        if tag not in TAGS:
            kind = "end" if closing else "start"
            raise ParseError(
                f'Can\'t parse entities: Unsupported {kind} tag "{tag}" at byte offset {offset}'
            )
        if closing:
            if not stack:
                raise ParseError(
                    f"Can't parse entities: Unexpected end tag at byte offset {offset}"
                )
            top = stack.pop()
            if top.tag != tag:
                raise ParseError(
                    f"Can't parse entities: Can't find end tag corresponding to start tag "
                    f'"{top.tag}"'
                )
            if length > top.start:
                top.entity.update(offset=top.start, length=length - top.start)
                entities.append(top.entity)
        else:
            entity = _entity(tag, attributes or "", offset)
            if stack and stack[-1].tag in ("pre", "code") and tag not in ("code",):
                raise ParseError(
                    f'Can\'t parse entities: can\'t nest "{tag}" inside "{stack[-1].tag}" '
                    f"at byte offset {offset}"
                )
            if tag == "code" and stack and stack[-1].tag == "pre":
                # <pre><code class="language-x"> gives the pre block its language.
                language = entity.pop("language", None)
                if language:
                    stack[-1].entity["language"] = language
                entity = {"type": "_merged"}
            stack.append(_Open(tag, entity, length))
        position = match.end()
    if stack:
        raise ParseError(
            f"Can't parse entities: Can't find end tag corresponding to start tag "
            f'"{stack[-1].tag}"'
        )
    entities = [e for e in entities if e["type"] != "_merged"]
    entities.sort(key=lambda e: (e["offset"], -e["length"]))
    return Parsed("".join(out), entities)


def _entity(tag: str, attributes: str, offset: int) -> dict[str, Any]:
    found = {
        m.group(1).lower(): (m.group(2) or m.group(3) or m.group(4) or "")
        for m in _ATTRIBUTE.finditer(attributes)
    }
    entity: dict[str, Any] = {"type": TAGS[tag]}
    if tag == "a":
        href = found.get("href")
        if not href:
            raise ParseError(
                f'Can\'t parse entities: tag "a" must have attribute "href" at byte offset '
                f"{offset}"
            )
        entity["url"] = html.unescape(href)
    elif tag == "span" and found.get("class") != "tg-spoiler":
        raise ParseError(
            f'Can\'t parse entities: tag "span" must have class "tg-spoiler" at byte offset '
            f"{offset}"
        )
    elif tag == "code" and found.get("class", "").startswith("language-"):
        entity["language"] = found["class"][len("language-") :]
    elif tag == "blockquote" and "expandable" in found:
        entity["type"] = "expandable_blockquote"
    elif tag == "tg-emoji":
        if "emoji-id" not in found:
            raise ParseError(
                f'Can\'t parse entities: tag "tg-emoji" must have attribute "emoji-id" at '
                f"byte offset {offset}"
            )
        entity["custom_emoji_id"] = found["emoji-id"]
    return entity


def _byte_offset(source: str, index: int) -> int:
    return len(source[:index].encode("utf-8"))
