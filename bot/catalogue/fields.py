"""The case file's schema: the fields each table may hold, and what each value must look like.

Everything here is about one value at a time (is this a slug, an email address, a timezone, an
offset?); the rules that tie one field to another are in `bot.catalogue.checks`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import date, datetime, time, timedelta
from functools import cache
from typing import Any, TypeVar
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, available_timezones

from bot.domain.phones import display, from_dialled

SLUG = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,30}[a-z0-9])?$")
# ISO 639-1, with a region where a language has two ("pt_BR" beside "pt_PT").
LANGUAGE = re.compile(r"^[a-z]{2}(?:_[A-Z]{2})?$")
OFFSET = re.compile(r"^(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$")
TIME = re.compile(r"^\d{2}:\d{2}$")
# A letter's statement of what happened is a paragraph: with the opening, the asks and the
# person's own sentence the whole letter still fits one chat message (bot.handlers.appeal).
FACTS_LIMIT = 1000
# Telegram's limits are the case's rules too: every text has a length limit, so that no field
# can grow a card, a button or a letter past what Telegram carries (4096 characters a message,
# 64 bytes of a button's data, 100 buttons under a message). The card as a whole is checked
# where a case enters or changes (bot.views.cards.card_problems): fields within their limits
# can still add up past a message.
TEXT_LIMITS = {
    "title": 150,
    "summary": 1000,
    "facts": 20000,  # and FACTS_LIMIT, with its reason (a letter), in bot.catalogue.reader
    "background": 20000,  # read in pages (bot.views.cards.background_pages)
    "asks": 500,
    "card_asks": 500,
    "name": 150,
    "description": 500,
    "pronoun": 20,
    "organisation": 300,
    "address": 600,
    "salutation": 150,
    "label": 300,
    "reference": 100,
    "country": 100,
    "outcome": 30,
    "emails": 254,
    "source_url": 2000,
}
TEXT_LIMIT = 300  # any other text
# How many entries a list may hold.
LIST_LIMITS = {
    "people": 20,
    "targets": 30,
    "asks": 10,
    "card_asks": 10,
    "emails": 10,
    "key_dates": 20,
    "reminders": 10,
    "themes": 20,
}


def text_limit(key: str) -> int:
    """The most characters the field `key` may hold."""
    return TEXT_LIMITS.get(key, TEXT_LIMIT)


# Sheets come from Amnesty International Canada and write numbers for dialling from there; a
# number not in international form is read that way to suggest what was meant.
SHEET_REGION = "CA"

# The fields each table may hold; anything else is a typo or a misplaced line.
TOP_FIELDS = (
    "slug", "reference", "country", "country_code", "status", "outcome", "issued", "timezone",
    "source_url", "people", "text", "targets", "key_dates", "reminders", "themes", "urgent",
)  # fmt: skip
PERSON_FIELDS = ("name", "pronoun", "description")
TEXT_FIELDS = ("title", "summary", "facts", "background", "asks", "card_asks")
TARGET_FIELDS = (
    "role", "name", "title", "organisation", "address", "emails", "fax", "phone", "salutation",
    "addressee", "language", "for_country",
)  # fmt: skip
KEY_DATE_FIELDS = ("date", "time", "timezone", "label", "deadline")
REMINDER_FIELDS = ("before_deadline",)

_T = TypeVar("_T")


def parse_offset(raw: str) -> timedelta:
    """An offset before the deadline such as "7d", "36h", "1d12h", "90m" or "0d"; ValueError else.

    Seconds ("30s") are accepted too, for demonstrations and tests that cannot wait a day.
    """
    text = "".join(raw.split())
    match = OFFSET.match(text)
    if match is None or not text:
        raise ValueError(f"{raw!r} is not an offset like 7d, 36h, 1d12h or 90m")
    days, hours, minutes, seconds = (int(part or 0) for part in match.groups())
    return timedelta(days=days, hours=hours, minutes=minutes, seconds=seconds)


def format_offset(offset: timedelta) -> str:
    """The inverse of parse_offset: "7d", "1d12h", "90m" becomes "1h30m", "0d"."""
    seconds = int(offset.total_seconds())
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, seconds = divmod(rest, 60)
    parts = [(days, "d"), (hours, "h"), (minutes, "m"), (seconds, "s")]
    return "".join(f"{n}{unit}" for n, unit in parts if n) or "0d"


def is_email(address: str) -> bool:
    """Whether `address` looks like a deliverable email address (a plain RFC 5322 addr-spec)."""
    local, at, domain = address.rpartition("@")
    if not at or not local or len(local) > 64 or not _ATOMS.fullmatch(local):
        return False
    try:
        ascii_domain = domain.encode("idna").decode("ascii")
    except UnicodeError:
        return False
    labels = ascii_domain.split(".")
    return (
        len(ascii_domain) <= 253
        and len(labels) >= 2
        and all(_LABEL.fullmatch(label) for label in labels)
        and (labels[-1].isalpha() or labels[-1].startswith("xn--"))
    )


# RFC 5322 dot-atoms without the quoted forms, which officials' addresses never use. Matched
# whole (fullmatch): `$` alone would let a final line break through.
_ATOMS = re.compile(r"^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$")
_LABEL = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$")


def path_of(where: str, key: str | int) -> str:
    """The path of `key` inside `where`: "targets[1]" + "fax" -> "targets[1].fax"."""
    if isinstance(key, int):
        return f"{where}[{key}]"
    return f"{where}.{key}" if where else key


@cache
def _timezones() -> frozenset[str]:
    return frozenset(available_timezones())


def is_timezone(name: str) -> bool:
    """Whether `name` is an IANA timezone this system knows, like Asia/Almaty."""
    known = _timezones()
    if known and name not in known:
        return False
    try:
        ZoneInfo(name)
    except (ValueError, OSError, KeyError):  # ZoneInfoNotFoundError is a KeyError
        return False
    return True


def kind_of(value: Any) -> str:
    """What a value is, in the words of TOML, for messages about wrong types."""
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, datetime):
        return "a date and time"
    if isinstance(value, date):
        return "a date"
    if isinstance(value, time):
        return "a time"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, Mapping):
        return "a table"
    return type(value).__name__


def reflow(text: str) -> str:
    """Text as prose: line breaks inside a paragraph joined, paragraphs apart by a blank line.

    Organizers wrap long texts in the file as they like; Telegram and letters reflow them anyway.
    """
    paragraphs = (_WRAPPING.sub(" ", p).strip(" ") for p in _PARAGRAPH_BREAK.split(text))
    return "\n\n".join(p for p in paragraphs if p)


_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n\s*")
# Only the spaces a file wraps with: a no-break space (French "2022\u00a0:", "«\u202fnon\u202f»")
# is typography and stays, where str.split() would turn it into a breakable one.
_WRAPPING = re.compile(r"[ \t\r\n]+")


def original_language(texts: Any) -> str:
    """The first [text.*] table's language, even when that table has problems of its own."""
    if isinstance(texts, Mapping):
        return next((str(k) for k in texts if LANGUAGE.match(str(k))), "en")
    return "en"


def try_parse(parse: Callable[[str], _T], raw: str) -> _T | None:
    """What `parse` makes of `raw`, or None where it raises ValueError."""
    try:
        return parse(raw)
    except ValueError:
        return None


def suggest_number(raw: str) -> str:
    """A suggestion for a number written for dialling from Canada: " (+1 613 695 8755?)"."""
    e164 = try_parse(lambda r: from_dialled(r, SHEET_REGION), raw)
    return f" ({display(e164)}?)" if e164 else " (+ and the country code)"


def is_url(value: str) -> bool:
    """Whether `value` is an http(s) address without spaces."""
    parts = urlsplit(value)
    return parts.scheme in ("http", "https") and bool(parts.netloc) and not re.search(r"\s", value)
