"""Which section a sheet comes from, for the numbers it writes without a country code.

A German section's sheet writes the embassy in Berlin as "030-5363 0200" and the authorities
abroad as "0084 – 24 3823 1872": numbers dialled from Germany. The section is told by the city
its copies go to (the embassy in the section's capital), else by the sheet's language where one
country writes it; a sheet in English or French says nothing of where it was written.
"""

from __future__ import annotations

import re

from bot.domain.cases import TargetRole
from bot.importer.layouts import Sheet
from bot.importer.officials import TargetBlock

# Capitals where embassies receive the sections' copies, as sheets write them.
_CAPITALS = {
    "berlin": "DE", "bonn": "DE", "wien": "AT", "vienna": "AT", "bern": "CH", "berne": "CH",
    "den haag": "NL", "'s-gravenhage": "NL", "the hague": "NL", "roma": "IT", "rome": "IT",
    "madrid": "ES", "lisboa": "PT", "lisbon": "PT", "bruxelles": "BE", "brussel": "BE",
    "brussels": "BE", "paris": "FR", "dublin": "IE", "london": "GB", "ottawa": "CA",
    "washington": "US", "copenhagen": "DK", "københavn": "DK", "stockholm": "SE", "oslo": "NO",
    "helsinki": "FI", "luxembourg": "LU", "luxemburg": "LU",
}  # fmt: skip
_CAPITAL = re.compile(
    r"\b(?:\d{4,5}\s+)?(?P<city>" + "|".join(re.escape(c) for c in _CAPITALS) + r")\b",
    re.IGNORECASE,
)
# Languages that one section's country writes, of those sheets come in.
_LANGUAGE_REGION = {"de": "DE", "nl": "NL", "it": "IT", "pt": "PT"}


def dialled_from(sheet: Sheet, language: str) -> str | None:
    """The country whose dialling a sheet's numbers follow, when the sheet says; else None."""
    for block in sheet.targets:
        if city := _copy_city(block):
            return city
    return _LANGUAGE_REGION.get(language)


def _copy_city(block: TargetBlock) -> str | None:
    if block.role is not TargetRole.COPY:
        return None
    for line in block.lines[1:]:
        if match := _CAPITAL.search(line):
            return _CAPITALS[match["city"].lower()]
    return None
