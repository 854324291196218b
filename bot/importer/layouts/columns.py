"""A letter's addressee and the embassy its copy goes to, printed side by side and run together
line by line when the page is copied as text (a Dutch section's letters: "Stuur uw brief naar:
en/of een kopie van de brief naar:", then "His Majesty King ... Embassy of the Hashemite Kingdom
of Jordan", "Amman, Jordan Badhuisweg 79", ..., and the two openings on one line: "Your
Majesty, Your Excellency (aanspreektitel ambassadeur),"). The two columns are laid one after
the other, as "Write to:" and "Copy to:" blocks, before a layout reads them.
"""

from __future__ import annotations

import re

# The line announcing both: "Stuur uw brief naar (:) (en/)of een kopie van de brief naar:".
_BOTH = re.compile(
    r"^(?P<to>stuur (?:uw|je) brief (?:naar|aan))\s*:?\s*(?:en\s*/\s*)?of een kopie"
    r"(?: van de brief)? (?:naar|aan)\s*:?$",
    re.IGNORECASE,
)
# Where the copy's column starts in a line: the embassy, the ambassador, an address in the
# section's country (a street and its number, a Dutch postcode and city).
_COPY_COLUMN = re.compile(
    r"(?:\b(?i:embassy|ambassade|botschaft|ambasciata|embajada)\b"
    r"|\bH\.\s?E\.\s"
    r"|\b[A-Z][\w'’-]*(?:weg|laan|straat|plein|gracht|kade|singel|dreef|park)"
    r"\s+\d+\w?\s*$"
    r"|\b\d{4}\s?[A-Z]{2}\s+\S.*$)"
)
_PLACE_AND_DATE = re.compile(r"^[^\d,]{2,40},\s*(?:\d{1,2}\s+)?\S+\s+\d{4}\.?$")
# "Your Majesty, Your Excellency (aanspreektitel ambassadeur),": the letter's, then the copy's.
_OPENINGS = re.compile(
    r"^(?P<to>[^,()]{3,60}?)\s*,\s*(?P<copy>[^,()]{3,60}?)\s*(?:\([^)]*\))?\s*,$"
)


def unfold_columns(lines: list[str]) -> list[str]:
    """The lines with a side-by-side addressee and copy laid one after the other."""
    both = next(
        ((i, found) for i, line in enumerate(lines) if (found := _BOTH.match(line.strip()))),
        None,
    )
    if both is None:
        return lines
    start, written_to = both
    end = start + 1
    while end < len(lines) and lines[end].strip() and not _PLACE_AND_DATE.match(lines[end]):
        end += 1
    left: list[str] = []
    right: list[str] = []
    for line in lines[start + 1 : end]:
        text = line.strip()
        found = _COPY_COLUMN.search(text)
        if found is None:
            (right if right and not _left_continues(text) else left).append(text)
        elif found.start() == 0:
            right.append(text)
        else:
            left.append(text[: found.start()].strip())
            right.append(text[found.start() :].strip())
    if not left or not right:
        return lines
    rest = lines[end:]
    opening = next((k for k, line in enumerate(rest) if line.strip()), None)
    while opening is not None and opening + 1 < len(rest):
        if not (_PLACE_AND_DATE.match(rest[opening].strip()) or not rest[opening].strip()):
            break
        opening += 1
    salutation: list[str] = []
    if opening is not None and (two := _OPENINGS.match(rest[opening].strip())):
        rest = [*rest[:opening], f"{two['to'].strip()},", *rest[opening + 1 :]]
        salutation = [f"Salutation: {two['copy'].strip()}"]
    return [
        *lines[:start],
        f"{written_to['to']}:",
        *left,
        "",
        "Stuur een kopie naar:",
        *right,
        *salutation,
        "",
        *rest,
    ]


def _left_continues(text: str) -> bool:
    """A line of the addressee's column after the copy's has begun: the addressee's city and
    country ("Langfang, Hebei Province", "065200, People’s Republic of China")."""
    return "," in text
