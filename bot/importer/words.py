"""The words sheets label their parts with, one data file per language.

`bot/importer/languages/<code>.toml` holds a language's month names and the plain phrases its
sheets use: the "Urgent Action" heading, the line before the officials and the one before the
copies, the words before the deadline, a closing follow-up's words, the salutation's label. A
section adds its language with a new file, without touching code; `labels` turns the phrases
into the patterns the readers use, beside the patterns written for the older layouts.
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

DIRECTORY = Path(__file__).resolve().parent / "languages"
KINDS = (
    "urgent_action",
    "write_to",
    "copy_to",
    "deadline",
    "no_further_action",
    "salutation",
    "released",
    "not_released",
    "sentenced",
    "executed",
    "people_words",
    "take_action",
    "additional",
    "sample_letter",
    "themes_label",
    "follow_up",
    "fax_label",
    "phone_label",
    "email_label",
    "social_label",
    "closing",
    "official_titles",
    "organisations",
    "group_words",
    "ask_heading",
    "people_filler",
    "at_risk",
    "greeting",
)


@dataclass(frozen=True)
class LanguageWords:
    """One language's month names (to the month's number) and phrases by kind."""

    code: str
    months: dict[str, int]
    phrases: dict[str, tuple[str, ...]]


# More folders of language files, for a section that keeps its words beside the bot's
# (separated as PATH is); a file for a language the bot has adds to its words.
EXTRA_DIRECTORIES = "IMPORTER_LANGUAGES"


@cache
def languages() -> dict[str, LanguageWords]:
    """Every language with a data file, by its code."""
    found: dict[str, LanguageWords] = {}
    extra = [Path(p) for p in os.environ.get(EXTRA_DIRECTORIES, "").split(os.pathsep) if p]
    for directory in (DIRECTORY, *extra):
        for path in sorted(directory.glob("*.toml")):
            words = _read(path)
            if known := found.get(words.code):
                words = LanguageWords(
                    words.code,
                    {**known.months, **words.months},
                    {k: known.phrases[k] + words.phrases[k] for k in KINDS},
                )
            found[words.code] = words
    return found


def _read(path: Path) -> LanguageWords:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    months = {str(name).lower(): int(number) for name, number in data.get("months", {}).items()}
    if any(not 1 <= n <= 12 for n in months.values()):
        raise ValueError(f"{path.name}: a month's number is not 1 to 12")
    phrases = {kind: tuple(str(p).lower() for p in data.get(kind, [])) for kind in KINDS}
    return LanguageWords(path.stem, months, phrases)


def months() -> dict[str, int]:
    """Month names in every language, to the month's number."""
    return {name: n for words in languages().values() for name, n in words.months.items()}


def alternatives(kind: str) -> str:
    """The phrases of `kind` in every language, as a pattern's alternatives (longest first,
    spaces as any whitespace); a pattern that matches nothing when there are none."""
    phrases = {p for words in languages().values() for p in words.phrases[kind] if p}
    if not phrases:
        return "(?!)"
    ordered = sorted(phrases, key=len, reverse=True)
    return "|".join(re.escape(p).replace(r"\ ", r"\s+") for p in ordered)
