"""Officials a page names in its prose, each with an e-mail address in brackets: "scrivere al
Prefetto di Milano, Dottor Valerio Lombardi (prefettura.milano@example.it), o al vicesindaco,
..." (a blog relaying a sheet, a group's short appeal). Read only where the page gives no
official's block: the name, the office before it, and the address.
"""

from __future__ import annotations

import re

from bot.importer.officials import TargetBlock, read_targets
from bot.importer.people import NAME

_NAMED_WITH_EMAIL = re.compile(
    rf"(?P<name>{NAME})\s*\(\s*(?P<email>[\w.+-]+@[\w-]+(?:\.[\w-]+)+)\s*\)"
)
# The honorific before a name: "Dottor Valerio Lombardi", "Dr. ...", "Herrn ...", at the
# name's start or at the end of the words before it.
_HONORIFICS = r"(?:dott(?:or|oressa)?|dr|mr|mrs|ms|sr|sra|herrn?|frau|m|mme|mgr)\.?"
_HONORIFIC = re.compile(rf"^{_HONORIFICS}\s+", re.IGNORECASE)
_HONORIFIC_AT_END = re.compile(rf"\b{_HONORIFICS}$", re.IGNORECASE)
# The word before an office: "al Prefetto di Milano", "to the Minister of Justice".
_TO = re.compile(
    r"\b(?:al|alla|allo|ai|alle|to(?: the)?|au|aux|à(?: la)?|a(?: la)?|an(?: den| die)?)\s+"
    r"(?P<office>[^,;:()]{3,60})$",
    re.IGNORECASE,
)


def officials_in_prose(paragraphs: list[str]) -> list[TargetBlock]:
    """The officials the paragraphs name with their e-mail address in brackets."""
    lines: list[str] = []
    for paragraph in paragraphs:
        for match in _NAMED_WITH_EMAIL.finditer(paragraph):
            name = _HONORIFIC.sub("", match["name"]).strip()
            if len(name.split()) < 2:
                continue
            before = _HONORIFIC_AT_END.sub("", paragraph[: match.start()].rstrip()).rstrip()
            office = None
            if before.endswith(","):
                chunk = before[:-1].rsplit(",", 1)[-1]
                if to := _TO.search(chunk):
                    office = to["office"].strip()
            # Each official as a block of its own: the office, the name, the address.
            lines += [*([office[:1].upper() + office[1:]] if office else []), name]
            lines += [f"Email: {match['email']}", ""]
    return read_targets(lines) if lines else []
