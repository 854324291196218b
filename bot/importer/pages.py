"""A page holding several cases, one after another: a section's page of model letters ("UA-313/2014
... Appelle bis 27. Januar 2015", the letter, a rule of "XXXX", "UA-257-1/2014 ..."). The first
case is read; the others are named for the organizer to import from their own part of the page.
"""

from __future__ import annotations

import re

# A rule across the page: one character repeated ("XXXXXXXX", "========", "********").
_RULE = re.compile(r"^\s*(?P<mark>[^\w\s]|[Xx])(?P=mark){9,}\s*$")
# A case opening on its reference: "UA-257-1/2014 Investigativjournalistin in Haft",
# "UA 48/11 Fear of torture", "AU 12/19 ...".
_OPENS_ON_REFERENCE = re.compile(r"^\s*(?P<reference>(?:UA|AU|EA)[-\s:]*\d{1,4}[-/.\d]*)\b")


def first_case(lines: list[str]) -> tuple[list[str], list[str]]:
    """The lines of the page's first case, and the references of the cases after it (none for
    a page of one case). A case after a rule opens on a reference other than the first's."""
    first = next((m for line in lines if (m := _OPENS_ON_REFERENCE.match(line))), None)
    if first is None:
        return lines, []
    cut: int | None = None
    others: list[str] = []
    for i, line in enumerate(lines):
        if not _RULE.match(line):
            continue
        following = next((n for n in lines[i + 1 : i + 4] if n.strip()), "")
        opens = _OPENS_ON_REFERENCE.match(following)
        if opens and _number(opens["reference"]) != _number(first["reference"]):
            cut = i if cut is None else cut
            others.append(opens["reference"].strip())
    return (lines[:cut], others) if cut is not None else (lines, [])


def _number(reference: str) -> str:
    return re.sub(r"\D", "", reference)
