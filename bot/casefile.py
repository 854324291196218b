"""Writing a case as a case file: TOML laid out as actions/kz-zhanbolat-mamay.toml is.

The importer writes what it read from a sheet; organizers get a case's file to edit it in the
chat. Both go through `case_file`, and `bot.catalogue` reads it back.

Only the shapes a case file holds are written (strings, lists of strings, dates, true/false,
tables of those and arrays of tables), so a small writer does; tomllib reads back what it wrote.
Long texts are wrapped at the line length in triple quotes: the catalogue joins the lines of a
paragraph again when it reads them.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from bot.domain.phones import display

WIDTH = 99
# Fields that hold a date; in the mapping of a stored case they are ISO strings.
_DATES = frozenset({"issued", "date"})
# Texts written in triple quotes, wrapped.
_PROSE = frozenset({"summary", "facts", "background"})
_TOP = (
    "slug", "reference", "country", "country_code", "status", "outcome", "issued", "timezone",
    "source_url", "themes", "urgent",
)  # fmt: skip


def case_file(mapping: Mapping[str, Any], comments: Iterable[str] = ()) -> str:
    """The case file for a case's mapping (`bot.catalogue.case_to_mapping`'s shape).

    `comments` are written at the top, each line behind "# ".
    """
    out = [_comment(line) for text in comments for line in text.splitlines()]
    if out:
        out.append("")
    out.extend(_pair(key, mapping[key]) for key in _TOP if key in mapping)
    for person in mapping.get("people", []):
        out += ["", "[[people]]", *_pairs(person)]
    for language, text in mapping.get("text", {}).items():
        out += ["", f"[text.{_key(language)}]", *_pairs(text)]
    for target in mapping.get("targets", []):
        out += ["", "[[targets]]", *_pairs(target)]
    for key_date in mapping.get("key_dates", []):
        out += ["", "[[key_dates]]", *_pairs(key_date)]
    if "reminders" in mapping:
        out += ["", "[reminders]", *_pairs(mapping["reminders"])]
    return "\n".join(out) + "\n"


def _readable(number: str) -> str:
    """A number as people read it ("+7 7172 74 56 31"); the catalogue stores it in E.164."""
    try:
        return display(number)
    except ValueError:
        return number


def _comment(line: str) -> str:
    return f"# {line}".rstrip()


def _pairs(table: Mapping[str, Any]) -> list[str]:
    lines: list[str] = []
    for key, value in table.items():
        if value is None:
            continue
        if isinstance(value, Mapping):
            # A text in several languages: name.en = "...", name.ru = "...".
            lines.extend(_pair(f"{_key(key)}.{_key(lang)}", text) for lang, text in value.items())
        else:
            lines.append(_pair(key, value))
    return lines


def _pair(key: str, value: Any) -> str:
    name = _key(key) if "." not in key else key
    bare = key.rsplit(".", 1)[-1]
    if bare in _DATES and isinstance(value, str):
        value = date.fromisoformat(value)
    if bare in ("fax", "phone") and isinstance(value, str):
        value = _readable(value)
    return f"{name} = {_value(value, prose=bare in _PROSE, indent=len(name) + 3)}"


def _value(value: Any, *, prose: bool = False, indent: int = 0) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str):
        return _prose(value) if prose else _string(value)
    if isinstance(value, list):
        items = [_value(item) for item in value]
        one_line = "[" + ", ".join(items) + "]"
        if indent + len(one_line) <= WIDTH:
            return one_line
        return "[\n" + "".join(f"    {item},\n" for item in items) + "]"
    raise TypeError(f"a case file holds no {type(value).__name__}")


def _string(text: str) -> str:
    """A TOML basic string: quotes, backslashes and control characters escaped."""
    escaped = []
    for char in text:
        if char in ('"', "\\"):
            escaped.append("\\" + char)
        elif char == "\n":
            escaped.append("\\n")
        elif char == "\t":
            escaped.append("\\t")
        elif ord(char) < 0x20 or ord(char) == 0x7F:
            escaped.append(f"\\u{ord(char):04X}")
        else:
            escaped.append(char)
    return '"' + "".join(escaped) + '"'


def _prose(text: str) -> str:
    """A multi-line string: each paragraph wrapped, paragraphs apart by a blank line."""
    # Only the spaces a file wraps with: no-break spaces are typography (French "2022\u00a0:").
    paragraphs = [re.sub(r"[ \t\r\n]+", " ", p).strip(" ") for p in text.split("\n\n")]
    wrapped = [
        "\n".join(textwrap.wrap(p, WIDTH, break_long_words=False, break_on_hyphens=False))
        for p in paragraphs
        if p
    ]
    body = "\n".join(_string(line)[1:-1] for line in "\n\n".join(wrapped).split("\n"))
    return f'"""\n{body}"""'


def _key(key: str) -> str:
    plain = key.replace("_", "").replace("-", "")
    return key if plain.isascii() and plain.isalnum() else _string(key)
