"""What an import found, and what an organizer must check before the case goes out.

Notes are data: a kind, the field of the case file it concerns and the values it mentions. The
words are in `templates/<language>/import_notes.txt`, one phrase per kind.
"""

from __future__ import annotations

import dataclasses
import enum
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any


class NoteKind(enum.StrEnum):
    """What an organizer is asked to check."""

    MISSING = "missing"  # the sheet does not give it
    YEAR_INFERRED = "year_inferred"  # a date without a year, the year taken from the sheet
    NUMBER_CONVERTED = "number_converted"  # a number written for dialling from one country
    NUMBER_INVALID = "number_invalid"  # not a phone number we could read
    EMAIL_INVALID = "email_invalid"
    GUESSED = "guessed"  # read from the text by rule, not from a labelled line
    RECASED = "recased"  # written in capitals on the sheet
    DEADLINE_GUESSED = "deadline_guessed"  # no "until" line: a date in the summary
    LABEL_WRITTEN = "label_written"  # a key date's label cut from the sheet's sentence
    SEVERAL_LANGUAGES = "several_languages"  # the target reads more than one
    UPDATE = "update"  # a follow-up: the case it updates
    FOLLOW_UP = "follow_up"  # a follow-up of a case the catalogue does not hold
    CLOSES = "closes"  # a follow-up that asks for no further action
    OTHER_LANGUAGE = "other_language"  # a follow-up in another language than its case
    TRANSLATION_DROPPED = "translation_dropped"  # an update's translation no longer matches
    THEMES_INFERRED = "themes_inferred"  # no labelled topics: themes the sheet's words name
    THEME_UNKNOWN = "theme_unknown"  # a labelled topic that is none of the bot's themes
    ASK_NOT_READY = "ask_not_ready"  # an ask a letter cannot use as written ("Expressing ...")
    MORE_CASES = "more_cases"  # the page holds more cases after the one read
    PROBLEM = "problem"  # the case file does not load: the catalogue's own message


@dataclass(frozen=True)
class Note:
    """One thing to check: its kind, the case file's field, and the values the phrase uses."""

    kind: NoteKind
    field: str = ""
    values: Mapping[str, str] = dataclasses.field(default_factory=dict)

    @property
    def place(self) -> tuple[str, int, str]:
        """Where the note points, for the organizer's words (`import_notes.txt`): what it is
        ("official_salutation"), whose (1 for the first official or person; 0 for none), and
        the language of a text ("de"). ("", 0, "") for a field no phrase names."""
        return place_of(self.field)


# A case file's field paths, as the organizer's words name them: "targets[1].salutation" is the
# second official's salutation.
_PLACES = (
    (r"country|country_code", "country"),
    (r"reference", "reference"),
    (r"issued", "issued"),
    (r"timezone", "timezone"),
    (r"source_url", "source_url"),
    (r"slug", "slug"),
    (r"status", "status"),
    (r"themes", "themes"),
    (r"people", "people"),
    (r"people\[(\d+)\]\.name", "person_name"),
    (r"people\[(\d+)\]\.pronoun", "person_pronoun"),
    (r"people\[(\d+)\]\.description", "person_description"),
    (r"targets", "officials"),
    (r"targets\[(\d+)\]", "official_contact"),
    (r"targets\[(\d+)\]\.name", "official_name"),
    (r"targets\[(\d+)\]\.title", "official_title"),
    (r"targets\[(\d+)\]\.salutation", "official_salutation"),
    (r"targets\[(\d+)\]\.fax", "official_fax"),
    (r"targets\[(\d+)\]\.phone", "official_phone"),
    (r"targets\[(\d+)\]\.emails(?:\[\d+\])?", "official_emails"),
    (r"targets\[(\d+)\]\.language", "official_language"),
    (r"key_dates", "key_dates"),
    (r"key_dates\.deadline", "deadline"),
    (r"key_dates\.label", "deadline_label"),
    (r"text", "text_length"),
    (r"text\.(\w+)", "text"),
    (r"text\.(\w+)\.title", "title"),
    (r"text\.(\w+)\.summary", "summary"),
    (r"text\.(\w+)\.background", "background"),
    (r"text\.(\w+)\.facts", "facts"),
    (r"text\.(\w+)\.asks", "asks"),
    (r"text\.(\w+)\.asks\[(\d+)\]", "ask"),
)


def place_of(field: str) -> tuple[str, int, str]:
    """What a field path names, whose it is (counted from 1) and its text's language."""
    for pattern, what in _PLACES:
        if found := re.fullmatch(pattern, field):
            groups = found.groups()
            numbers = [int(g) + 1 for g in groups if g.isdigit()]
            languages = [g for g in groups if not g.isdigit()]
            return what, numbers[0] if numbers else 0, languages[0] if languages else ""
    return "", 0, ""


def gap_notes(fields: Iterable[str]) -> tuple[Note, ...]:
    """What a draft still lacks before publishing (`bot.catalogue.gaps`), as notes the organizer's
    words name ("Official 2: name", not "targets[1].name"); one for each thing named."""
    notes: dict[tuple[str, int, str], Note] = {}
    for field in fields:
        note = Note(NoteKind.MISSING, field)
        notes.setdefault(note.place if note.place[0] else ("", 0, field), note)
    return tuple(notes.values())


@dataclass
class ImportReport:
    """The fields found (as field path and value) and the notes, in the order they arose."""

    layout: str = ""  # "section" (national sections' sheets) or "international"
    notes: list[Note] = dataclasses.field(default_factory=list)

    def note(self, kind: NoteKind, where: str = "", **values: str) -> None:
        """Add a note, once."""
        found = Note(kind, where, values)
        if found not in self.notes:
            self.notes.append(found)


def found_fields(mapping: Mapping[str, Any]) -> list[tuple[str, str]]:
    """Every field of a case file's mapping with its value, long texts cut short: what was read."""
    return list(_flatten(mapping, ""))


def _flatten(value: Any, where: str) -> Iterator[tuple[str, str]]:
    if isinstance(value, Mapping):
        for key, inner in value.items():
            yield from _flatten(inner, f"{where}.{key}" if where else str(key))
    elif isinstance(value, list) and value and all(isinstance(v, Mapping) for v in value):
        for i, inner in enumerate(value):
            yield from _flatten(inner, f"{where}[{i}]")
    elif isinstance(value, list):
        for i, inner in enumerate(value):
            yield f"{where}[{i}]", _short(str(inner))
    else:
        yield where, _short(str(value))


def _short(text: str, size: int = 72) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= size else flat[: size - 1].rstrip() + "…"
