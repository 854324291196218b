"""Urgent Action references as sheets write them, in their header, title or footer.

"UA: 166/14", "UA 132.19", "UA 17/08", "THIRD UA 60/16", "Further information on UA: 79/11",
"First UA: 41/23", "Primera AU 047/24", "AU 57/15", "Second Urgent Action 17.24", "UA-Nr:
UA-045/2019", "UA-074/2019-1" (a German section's first follow-up of UA 074/2019): the number,
and whether the sheet follows an earlier one (an ordinal after the first, "further
information", "update").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.importer.labels import FOLLOW_UP

_FIRST = r"first|primera|primer|premi[èe]re|erste|الأول"
_LATER = (
    r"second|third|fourth|fifth|sixth|seventh|segunda|tercera|cuarta|quinta|deuxi[èe]me"
    r"|troisi[èe]me|quatri[èe]me|zweite|dritte|vierte|الثاني|الثالث|الرابع|الخامس"
)
REFERENCE = re.compile(
    rf"(?P<ordinal>\b(?:{_FIRST}|{_LATER})\b)?[\s:]*"
    # Arabic puts the ordinal after: "التحرك العاجل الأول: 52/24", "التحرك العاجل رقم 52/24".
    # AIUSA writes the words out: "Second Urgent Action 17.24".
    r"\b(?:UA|AU|EA|urgent\s+action|acci[óo]n\s+urgente|action\s+urgente"
    rf"|(?:ال)?تحرك (?:ال)?عاجل(?:\s+(?P<later>{_FIRST}|{_LATER}))?(?:\s+رقم)?)"
    r"(?:-?Nr\.?)?\s*(?:n[°ºo]\.?\s*|(?:number|num[ée]ro|n[úu]mero)\s*)?[:#]?\s*"
    r"(?:UA-|AU-|-)?"
    r"(?P<number>\d{1,4})\s*(?P<sep>[/.])\s*(?P<year>\d{4}|\d{2})\b(?![./]\d)"
    # German sections number each follow-up after the sheet's: "UA-074/2019-1", "-2".
    r"(?:-(?P<suffix>\d{1,2})\b)?",
    re.IGNORECASE,
)
_LATER_RE = re.compile(rf"^(?:{_LATER})$", re.IGNORECASE)


@dataclass(frozen=True)
class Reference:
    """A UA reference as the case keeps it ("UA 132.19"), and whether the line makes the sheet
    a follow-up."""

    reference: str
    follow_up: bool
    first: bool  # the line says it is the first UA


def find_reference(line: str) -> Reference | None:
    """The UA reference a line holds, or None."""
    match = REFERENCE.search(line)
    if match is None:
        return None
    ordinal = match["ordinal"] or match["later"] or ""
    before = line[: match.start("number")]
    later = (
        bool(_LATER_RE.match(ordinal))
        or bool(FOLLOW_UP.search(before))
        or bool(match["suffix"] and int(match["suffix"]) > 0)
    )
    number = f"{match['number']}{match['sep']}{match['year']}"
    return Reference(f"UA {number}", later, bool(ordinal) and not later)
