"""The words sheets label their parts with, one data file per language.

`bot/importer/languages/<code>.toml` holds a language's month names and the plain phrases its
sheets use: the "Urgent Action" heading, the line before the officials and the one before the
copies, the words before the deadline, a closing follow-up's words, the salutation's label. A
section adds its language with a new file, without touching code; `labels` turns the phrases
into the patterns the readers use, beside the patterns written for the older layouts.
"""

from __future__ import annotations

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
    "people_words",
)


@dataclass(frozen=True)
class LanguageWords:
    """One language's month names (to the month's number) and phrases by kind."""

    code: str
    months: dict[str, int]
    phrases: dict[str, tuple[str, ...]]


@cache
def languages() -> dict[str, LanguageWords]:
    """Every language with a data file, by its code."""
    found = {}
    for path in sorted(DIRECTORY.glob("*.toml")):
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        months = {str(name).lower(): int(number) for name, number in data["months"].items()}
        if any(not 1 <= n <= 12 for n in months.values()):
            raise ValueError(f"{path.name}: a month's number is not 1 to 12")
        phrases = {kind: tuple(str(p).lower() for p in data.get(kind, [])) for kind in KINDS}
        found[path.stem] = LanguageWords(path.stem, months, phrases)
    return found


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
