"""Turning what a sheet writes into what a case file holds: numbers, emails, dates, names.

Each function says what it could not settle, so the import can ask an organizer to check it.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date

import phonenumbers
from phonenumbers import timezone as phone_timezones

from bot.catalogue import is_email
from bot.domain.phones import from_dialled, to_e164
from bot.importer.countries import CODES

MONTHS = (
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december",
)  # fmt: skip
_MONTH = "|".join(MONTHS)
# "12 June", "12th June 2022", and the American "June 12, 2022".
_DAY_MONTH = re.compile(
    rf"\b(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<month>{_MONTH})\b(?:,?\s+(?P<year>\d{{4}})\b)?",
    re.IGNORECASE,
)
_MONTH_DAY = re.compile(
    rf"\b(?P<month>{_MONTH})\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\b(?:,?\s+(?P<year>\d{{4}})\b)?",
    re.IGNORECASE,
)
_YEAR = re.compile(r"\b(19[5-9]\d|20\d\d)\b")
_EMAIL = re.compile(r"[^\s,;:<>()\[\]]+@[^\s,;:<>()\[\]]+")
_SMALL_WORDS = frozenset({"and", "of", "the", "in", "on", "for", "to", "at", "a", "an", "or"})
# ISO 639-1 codes of the languages sheets name as a target's preferred one.
LANGUAGES = {
    "arabic": "ar", "azerbaijani": "az", "belarusian": "be", "bengali": "bn", "burmese": "my",
    "chinese": "zh", "mandarin": "zh", "english": "en", "farsi": "fa", "persian": "fa",
    "french": "fr", "georgian": "ka", "german": "de", "hebrew": "he", "hindi": "hi",
    "indonesian": "id", "italian": "it", "japanese": "ja", "kazakh": "kk", "korean": "ko",
    "kyrgyz": "ky", "portuguese": "pt", "russian": "ru", "spanish": "es", "swahili": "sw",
    "tajik": "tg", "thai": "th", "turkish": "tr", "turkmen": "tk", "ukrainian": "uk",
    "urdu": "ur", "uzbek": "uz", "vietnamese": "vi",
}  # fmt: skip


@dataclass(frozen=True)
class DateMention:
    """A date written in the text: where, as written, and the year if the text gives one."""

    day: int
    month: int
    year: int | None
    start: int
    end: int
    written: str

    def on(self, year: int) -> date | None:
        """The date in `year` (its own year if written), or None if there is no such day."""
        try:
            return date(self.year or year, self.month, self.day)
        except ValueError:
            return None


def dates_in(text: str) -> list[DateMention]:
    """Every date written in `text`, in order."""
    found: dict[int, DateMention] = {}
    for pattern in (_DAY_MONTH, _MONTH_DAY):
        for match in pattern.finditer(text):
            if any(m.start <= match.start() < m.end for m in found.values()):
                continue
            month = MONTHS.index(match["month"].lower()) + 1
            year = int(match["year"]) if match["year"] else None
            found[match.start()] = DateMention(
                int(match["day"]), month, year, match.start(), match.end(), match.group(0)
            )
    return [found[k] for k in sorted(found)]


def one_date(text: str) -> DateMention | None:
    """The first date in `text`, or None."""
    found = dates_in(text)
    return found[0] if found else None


def years_in(text: str) -> list[int]:
    """The years a text mentions ("in 2021", "4 January 2022")."""
    return [int(y) for y in _YEAR.findall(text)]


def country_code(name: str) -> str | None:
    """The ISO code of a country named as sheets name it ("KAZAKHSTAN", "Russia"), or None."""
    key = " ".join(_plain_quotes(name).lower().replace("the ", "", 1).split()).strip(" :.,")
    return CODES.get(key) or CODES.get(" ".join(_plain_quotes(name).lower().split()))


def find_country(text: str) -> tuple[str, str] | None:
    """The first country named in `text` (the name as written, and its code), or None."""
    best: tuple[int, str, str] | None = None
    for name, code in CODES.items():
        if len(name) < 4:
            continue
        match = re.search(rf"\b{re.escape(name)}\b", text, re.IGNORECASE)
        if match and (best is None or match.start() < best[0]):
            best = (match.start(), match.group(0), code)
    return (best[1], best[2]) if best else None


def recase_words(caps: str) -> str:
    """A name written in capitals, as a name is written: "REPUBLIC OF KAZAKHSTAN" -> "Republic
    of Kazakhstan"."""
    words = caps.split()
    out = []
    for i, word in enumerate(words):
        lower = word.lower()
        out.append(lower if i and lower in _SMALL_WORDS else _capitalize(lower))
    return " ".join(out)


def recase_title(caps: str, body: str) -> str:
    """A heading written in capitals, in sentence case; words the body capitalises stay so."""
    if caps != caps.upper():
        return caps
    proper = proper_words(body)
    words = caps.split()
    out = []
    for i, word in enumerate(words):
        lower = word.lower()
        if _plain_quotes(lower) in proper:
            out.append(proper[_plain_quotes(lower)])
        elif i == 0:
            out.append(_capitalize(lower))
        else:
            out.append(lower)
    return " ".join(out)


def proper_words(body: str) -> dict[str, str]:
    """Words the text capitalises where a sentence does not begin: names, places, acronyms."""
    proper: dict[str, str] = {}
    common: set[str] = set()
    for sentence in re.split(r"(?<=[.!?”\"])\s+", body):
        for i, word in enumerate(re.findall(r"[\w’'-]+", sentence)):
            key = _plain_quotes(word.lower())
            if word[0].isupper() and i:
                proper.setdefault(key, word)
            elif word[0].islower():
                common.add(key)
    return {k: v for k, v in proper.items() if k not in common}


def _capitalize(word: str) -> str:
    return word[:1].upper() + word[1:]


def _plain_quotes(text: str) -> str:
    return text.translate(str.maketrans("‘’“”", "''\"\""))


def phone_number(
    raw: str, *, dialled_from: str, country: str | None
) -> tuple[str | None, str | None]:
    """E.164 of a sheet's number and the error if none: international form is taken as it is,
    any other is read as dialled from `dialled_from`, then (when that is ambiguous) as a number
    in `country`."""
    text = raw.strip().rstrip(".;,")
    if text.startswith("+"):
        try:
            return to_e164(text), None
        except ValueError as error:
            return None, str(error)
    try:
        return from_dialled(text, dialled_from), None
    except ValueError as error:
        problem = str(error)
    if country:
        try:
            return from_dialled(text, dialled_from, country=country), None
        except ValueError as error:
            problem = str(error)
        try:
            return to_e164(text, country), None
        except ValueError:
            pass
    return None, problem


def region_of(e164: str) -> str | None:
    """The country a number belongs to (ISO code), or None."""
    try:
        number = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return None
    region = phonenumbers.region_code_for_number(number)
    return str(region) if region and region != "001" else None


def timezone_for(numbers: list[str], country: str | None) -> tuple[str | None, bool]:
    """The timezone of the officials' numbers, else of the country; and whether it is certain.

    A country with one timezone is certain; one with several is a guess for review.
    """
    for e164 in numbers:
        try:
            zones = phone_timezones.time_zones_for_number(phonenumbers.parse(e164, None))
        except phonenumbers.NumberParseException:
            continue
        known = [z for z in zones if "/" in z]
        if len(known) == 1:
            return known[0], True
    if country:
        example = phonenumbers.example_number_for_type(
            country, phonenumbers.PhoneNumberType.FIXED_LINE
        )
        if example is not None:
            named = [z for z in phone_timezones.time_zones_for_number(example) if "/" in z]
            if named:
                return named[0], len(named) == 1
    return None, False


def emails_in(text: str) -> tuple[list[str], list[str]]:
    """The email addresses written in `text`: those that are valid, and those that are not."""
    good: list[str] = []
    bad: list[str] = []
    for candidate in _EMAIL.findall(text):
        address = candidate.strip(".;,'\"’”").removeprefix("mailto:")
        (good if is_email(address) else bad).append(address)
    return good, bad


def language_code(name: str) -> str | None:
    """The ISO 639-1 code of a language named in English ("Arabic" -> "ar"), or None."""
    return LANGUAGES.get(name.strip().lower())


def slug_for(country: str, name: str) -> str:
    """The case's slug: the country code and the person's name, "kz-zhanbolat-mamay"."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", ascii_name.lower())
    slug = country.lower()
    for word in words:
        if len(slug) + 1 + len(word) > 32:
            break
        slug = f"{slug}-{word}"
    return slug
