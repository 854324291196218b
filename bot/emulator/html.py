"""Telegram's HTML parse mode, read the way the service reads it.

The rules follow the service's parser (tdlib's `parse_html`): only the documented tags; a tag
name runs to the first space or `>`; attributes may be quoted or bare; the named entities are
`&lt; &gt; &amp; &quot;` and numeric ones, with the `;` optional, and any other `&` is literal;
end tags must match the innermost open tag. Errors carry the service's wording and byte offsets.
The result is the plain text, trimmed, and its entities with offsets and lengths in UTF-16 code
units, nested the way Telegram allows (nothing inside `code` or `pre`, no quote in a quote).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Any

# tag -> entity type; `span` is a spoiler only with class="tg-spoiler" (checked below).
TAGS: dict[str, str] = {
    "b": "bold", "strong": "bold", "i": "italic", "em": "italic", "u": "underline",
    "ins": "underline", "s": "strikethrough", "strike": "strikethrough", "del": "strikethrough",
    "span": "spoiler", "tg-spoiler": "spoiler", "a": "text_link", "code": "code", "pre": "pre",
    "blockquote": "blockquote", "tg-emoji": "custom_emoji",
}  # fmt: skip
_NAMED = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_SPECIAL = re.compile(r"[<&]")
_SPACES = " \t\r\n\v\f"
# Characters of an unquoted attribute value (an HTML 2.0 name token).
_BARE_VALUE = re.compile(r"[A-Za-z0-9_-]*")
_ALPHA = re.compile(r"[A-Za-z]*")
_DIGITS = re.compile(r"[0-9]*")
_HEX = re.compile(r"[0-9A-Fa-f]*")
# Entities that may not contain others; and those that may not contain themselves.
_OPAQUE = frozenset({"code", "pre"})
_QUOTES = frozenset({"blockquote", "expandable_blockquote"})


class ParseError(Exception):
    """The text is not valid Telegram HTML; the message is the service's own wording."""


@dataclass(frozen=True)
class Parsed:
    """Plain text and its entities (MessageEntity objects as the Bot API returns them)."""

    text: str
    entities: list[dict[str, Any]]


def utf16_length(text: str) -> int:
    """The length the service counts: UTF-16 code units (characters beyond the BMP count 2)."""
    if text.isascii():
        return len(text)
    return len(text.encode("utf-16-le")) // 2


@dataclass
class _Open:
    tag: str
    argument: str
    utf16_start: int
    text_start: int  # index into the output text, for <a> without href
    order: int  # opening order: of two entities over the same text, the outer opened first
    expandable: bool = False


def parse(source: str) -> Parsed:
    """Parse Telegram HTML; raise ParseError with the service's message when it is malformed."""
    parsed = _parse_once(source)
    # Each message gets entities of its own, so no caller can change another message's.
    return Parsed(parsed.text, [dict(entity) for entity in parsed.entities])


@functools.lru_cache(maxsize=256)
def _parse_once(source: str) -> Parsed:
    """Parse, remembering recent results: a broadcast sends one text to thousands of chats."""
    out: list[str] = []
    out_length = 0  # characters emitted so far (Python str length)
    utf16 = 0  # UTF-16 units emitted so far
    stack: list[_Open] = []
    entities: list[dict[str, Any]] = []
    size = len(source)
    position = 0
    opened_count = 0
    while position < size:
        found = _SPECIAL.search(source, position)
        stop = size if found is None else found.start()
        if stop > position:
            chunk = source[position:stop]
            out.append(chunk)
            out_length += len(chunk)
            utf16 += utf16_length(chunk)
            position = stop
            continue
        if source[position] == "&":
            char, end = _decode_entity(source, position)
            if char is None:
                char, end = "&", position + 1
            out.append(char)
            out_length += 1
            utf16 += 2 if ord(char) > 0xFFFF else 1
            position = end
            continue
        begin = position
        if position + 1 < size and source[position + 1] == "/":
            position = _close_tag(source, begin, stack, entities, out, utf16)
        else:
            opened, position = _open_tag(source, begin, utf16, out_length, opened_count)
            opened_count += 1
            stack.append(opened)
    if stack:
        raise ParseError(f'Can\'t find end tag corresponding to start tag "{stack[-1].tag}"')
    return _trim("".join(out), _nest(entities))


def _decode_entity(source: str, position: int) -> tuple[str | None, int]:
    """The character an `&...` reference stands for and where it ends, or (None, _)."""
    end = position + 1
    value = 0
    if source.startswith("#", end):
        end += 1
        if source.startswith("x", end):
            digits = _HEX.match(source, end + 1)
            assert digits is not None
            text, base = digits.group(), 16
        else:
            digits = _DIGITS.match(source, end)
            assert digits is not None
            text, base = digits.group(), 10
        end = digits.end()
        if not text:
            return None, end
        # The service gives up on a reference past the last code point, however long.
        value = int(text[:9], base) if len(text) <= 9 else 0x110000
        if value == 0 or value >= 0x10FFFF or 0xD800 <= value <= 0xDFFF:
            return None, end
        char = chr(value)
    else:
        name = _ALPHA.match(source, end)
        assert name is not None
        end = name.end()
        named = _NAMED.get(name.group())
        if named is None:
            return None, end
        char = named
    if source.startswith(";", end):
        end += 1
    return char, end


class _LazyOffset:
    """The byte offset of a tag, worked out only when an error message needs it."""

    __slots__ = ("index", "source")

    def __init__(self, source: str, index: int) -> None:
        self.source = source
        self.index = index

    def __str__(self) -> str:
        return str(_byte_offset(self.source, self.index))


def _byte_offset(source: str, index: int) -> int:
    prefix = source[:index]
    return len(prefix) if prefix.isascii() else len(prefix.encode("utf-8"))


def _skip_spaces(source: str, position: int) -> int:
    while position < len(source) and source[position] in _SPACES:
        position += 1
    return position


# Past the complexity limit on purpose: a tokenizer's states over one tag: a branch per tag and
# attribute Telegram allows.
def _open_tag(  # noqa: C901
    source: str, begin: int, utf16: int, text_start: int, order: int
) -> tuple[_Open, int]:
    size = len(source)
    offset = _LazyOffset(source, begin)
    position = begin + 1
    while position < size and source[position] not in _SPACES and source[position] != ">":
        position += 1
    if position >= size:
        raise ParseError(f"Unclosed start tag at byte offset {offset}")
    tag = source[begin + 1 : position].lower()
    if tag not in TAGS:
        raise ParseError(f'Unsupported start tag "{tag}" at byte offset {offset}')
    argument = ""
    expandable = False
    while True:
        position = _skip_spaces(source, position)
        if position >= size:
            raise ParseError(f"Unclosed start tag at byte offset {offset}")
        if source[position] == ">":
            position += 1
            break
        name_start = position
        while position < size and source[position] not in _SPACES and source[position] not in "=>":
            position += 1
        name = source[name_start:position].lower()
        if not name:
            raise ParseError(f'Empty attribute name in the tag "{tag}" at byte offset {offset}')
        position = _skip_spaces(source, position)
        if position >= size or source[position] != "=":
            if tag == "blockquote" and name == "expandable":
                expandable = True
                continue
            raise ParseError(
                "Expected equal sign in declaration of an attribute of the tag "
                f'"{tag}" at byte offset {offset}'
            )
        position = _skip_spaces(source, position + 1)
        if position >= size:
            raise ParseError(f'Unclosed start tag "{tag}" at byte offset {offset}')
        value, position = _attribute_value(source, position)
        if position >= size:
            raise ParseError(f"Unclosed start tag at byte offset {offset}")
        if tag == "a" and name == "href":
            argument = value
        elif tag == "code" and name == "class" and value.startswith("language-"):
            argument = value[len("language-") :]
        elif tag == "span" and name == "class" and value.startswith("tg-"):
            argument = value[len("tg-") :]
        elif tag == "tg-emoji" and name == "emoji-id":
            argument = value
        elif tag == "blockquote" and name == "expandable":
            expandable = True
    if tag == "span" and argument != "spoiler":
        raise ParseError(f'Tag "span" must have class "tg-spoiler" at byte offset {offset}')
    return _Open(tag, argument, utf16, text_start, order, expandable), position


def _attribute_value(source: str, position: int) -> tuple[str, int]:
    quote = source[position]
    if quote not in "'\"":
        bare = _BARE_VALUE.match(source, position)
        assert bare is not None
        if not bare.group():
            raise ParseError(f"Expected quote at byte offset {_byte_offset(source, position)}")
        return bare.group(), bare.end()
    position += 1
    value: list[str] = []
    while position < len(source) and source[position] != quote:
        if source[position] == "&":
            char, end = _decode_entity(source, position)
            if char is not None:
                value.append(char)
                position = end
                continue
        value.append(source[position])
        position += 1
    if position < len(source):
        position += 1  # the closing quote
    return "".join(value), position


def _close_tag(
    source: str,
    begin: int,
    stack: list[_Open],
    entities: list[dict[str, Any]],
    out: list[str],
    utf16: int,
) -> int:
    size = len(source)
    offset = _LazyOffset(source, begin)
    if not stack:
        raise ParseError(f"Unexpected end tag at byte offset {offset}")
    position = begin + 2
    while position < size and source[position] not in _SPACES and source[position] != ">":
        position += 1
    name = source[begin + 2 : position].lower()
    position = _skip_spaces(source, position)
    if position >= size or source[position] != ">":
        raise ParseError(f"Unclosed end tag at byte offset {offset}")
    opened = stack.pop()
    if name and name != opened.tag:
        raise ParseError(
            f'Unmatched end tag at byte offset {offset}, expected "</{opened.tag}>", '
            f'found "</{name}>"'
        )
    length = utf16 - opened.utf16_start
    if length > 0:
        entity = _entity(opened, length, out, entities)
        if entity is not None:
            entity["offset"] = opened.utf16_start
            entity["length"] = length
            entity["_order"] = opened.order
            entities.append(entity)
    return position + 1


def _entity(
    opened: _Open, length: int, out: list[str], entities: list[dict[str, Any]]
) -> dict[str, Any] | None:
    tag = opened.tag
    kind = TAGS[tag]
    if tag == "a":
        # Without href the link is its own text, as the service reads it.
        url = opened.argument or "".join(out)[opened.text_start :]
        if url.startswith("tg://user?id="):
            user_id = url[len("tg://user?id=") :]
            if user_id.isdigit():
                return {"type": "text_mention", "user": {"id": int(user_id)}}
        return {"type": "text_link", "url": url} if url else None
    if tag == "tg-emoji":
        if not opened.argument.isdigit() or int(opened.argument) == 0:
            raise ParseError("Invalid custom emoji identifier specified")
        return {"type": kind, "custom_emoji_id": opened.argument}
    if tag == "blockquote" and opened.expandable:
        return {"type": "expandable_blockquote"}
    if tag == "pre":
        # <pre><code class="language-x">...</code></pre>: one pre entity with a language.
        if entities:
            last = entities[-1]
            inner_code = last["type"] == "code" and last["offset"] == opened.utf16_start
            if inner_code and last["length"] == length:
                entities.pop()
                if "language" in last:
                    return {"type": "pre", "language": last["language"]}
        return {"type": "pre"}
    if tag == "code" and opened.argument:
        return {"type": "code", "language": opened.argument}
    return {"type": kind}


def _nest(entities: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Sort entities and drop those Telegram does not allow where they are."""
    for entity in entities:
        # A standalone code entity has no language; only pre keeps one.
        if entity["type"] == "code":
            entity.pop("language", None)
    entities.sort(key=lambda e: (e["offset"], -e["length"], e.pop("_order")))
    kept: list[dict[str, Any]] = []
    for entity in entities:
        end = entity["offset"] + entity["length"]
        inside = [
            outer
            for outer in kept
            if outer["offset"] <= entity["offset"] and end <= outer["offset"] + outer["length"]
        ]
        if any(outer["type"] in _OPAQUE for outer in inside):
            continue
        if entity["type"] in _QUOTES and any(outer["type"] in _QUOTES for outer in inside):
            continue
        kept.append(entity)
    return kept


def _trim(text: str, entities: list[dict[str, Any]]) -> Parsed:
    """Drop leading and trailing white space, as the service does, moving the entities."""
    stripped = text.strip()
    if stripped == text:
        return Parsed(text, entities)
    start = utf16_length(text[: len(text) - len(text.lstrip())])
    end = start + utf16_length(stripped)
    moved: list[dict[str, Any]] = []
    for entity in entities:
        first = max(entity["offset"], start)
        last = min(entity["offset"] + entity["length"], end)
        if last > first:
            moved.append({**entity, "offset": first - start, "length": last - first})
    return Parsed(stripped, moved)


def trim_plain(text: str, entities: list[dict[str, Any]]) -> Parsed:
    """Trim text sent without a parse mode, moving the entities the sender gave with it."""
    return _trim(text, entities)
