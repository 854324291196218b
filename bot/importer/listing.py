"""A page that lists several Urgent Actions, not one sheet: a section's listing ("Urgent
Actions this week", Amnesty USA's "Act now" page, a month's archive), each case a title with
its reference and a paragraph.

Such a page holds a summary of each case and rarely more: no officials to write to, no asks,
no deadline. Read as one sheet it would make one case of several people and countries, and
split into drafts it would make a handful of cases that are nearly all gaps. The importer
refuses it and says how many cases it saw, each by its title, so the organizer sends each
case's own sheet.

A case is seen where a title line names its reference: "Urgent Action: Detained Activist in
Critical Condition (Algeria: UA 153.20)", or a line that is the reference ("UA 219 /06",
"UA: 216/06") under a heading such as "UA: HONDURAS". One sheet names its own reference
several times (header, footer, "Further information on UA 79/11") but never two of them as
titles. A listing without references is seen by its headings: "Burundi: Jailed doctor needs
urgent medical care", each over its paragraph, for two countries or more.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.importer.extract import clean_lines
from bot.importer.normalise import country_code, recase_words
from bot.importer.references import REFERENCE, find_reference

# A title that ends on the case's country and reference: "... (Algeria: UA 153.20)".
_TITLED = re.compile(r"\((?P<country>[^():]{3,40}):\s*(?:UA|AU)\b[^)]*\)\s*$", re.IGNORECASE)
# What a listing puts before a title: "Urgent Action:", "Urgent Action Victory!".
_PREFIX = re.compile(r"^urgent action(?: update| victory!?)?\s*:?\s*", re.IGNORECASE)
# A line that is only a reference: "UA 219 /06", "UA: 216/06", "AU 57/15".
_ONLY_A_REFERENCE = re.compile(
    r"^(?:\w+\s+)?(?:UA|AU)\b\s*:?\s*\d{1,4}\s*[/.]\s*\d{2,4}\.?$", re.I
)
# A heading over a listed reference: "UA: HONDURAS", "UA: LEBANON/ISRAEL".
_HEADED = re.compile(r"^(?:UA|AU)\s*:\s*(?P<heading>[^\d:]{3,60})$", re.IGNORECASE)


@dataclass(frozen=True)
class ListedCase:
    """One case a listing page names: its reference ("" where the page gives none) and its
    title, as the page writes them."""

    reference: str
    title: str


def cases_listed(text: str) -> list[ListedCase]:
    """The cases a listing page names, in its order, each once; fewer than two: a sheet."""
    lines = [line for line in clean_lines(text) if line]
    found: dict[str, ListedCase] = {}
    for i, line in enumerate(lines):
        if len(line) > 250 or not REFERENCE.search(line):
            continue
        reference = find_reference(line)
        if reference is None or reference.reference in found:
            continue
        if titled := _TITLED.search(line):
            words = re.sub(_PREFIX, "", line[: titled.start()]).strip()
            title = f"{words} ({titled['country'].strip()})"
        elif _ONLY_A_REFERENCE.match(line):
            headings = [h for h in lines[max(0, i - 3) : i] if _HEADED.match(h)]
            if not headings:
                continue
            heading = _HEADED.match(headings[-1])
            title = recase_words(heading["heading"].strip()) if heading else line
        else:
            continue
        found[reference.reference] = ListedCase(reference.reference, _cut(title))
    if len(found) > 1:
        return list(found.values())
    return _headed_cases(lines)


# A case's heading on a listing without references: "Burundi: Jailed doctor needs urgent
# medical care", "Iran: woman rights defender at risk of execution: Sharifeh Mohammadi".
_COUNTRY_TITLE = re.compile(r"^(?P<country>[^:.]{3,40}):\s*(?P<title>[^.!?]{8,160})$")


def _headed_cases(lines: list[str]) -> list[ListedCase]:
    """The cases of a listing that gives no references: headings "Country: title", each over a
    paragraph, for two countries or more. One sheet heads its one case (and may repeat it in a
    page title): its headings name one country."""
    cases: list[ListedCase] = []
    countries: set[str] = set()
    for i, line in enumerate(lines[:-1]):
        heading = _COUNTRY_TITLE.match(line)
        if heading is None or len(lines[i + 1]) < 100:
            continue
        code = country_code(heading["country"])
        if code is None:
            continue
        countries.add(code)
        cases.append(ListedCase("", _cut(f"{heading['title'].strip()} ({heading['country']})")))
    return cases if len(countries) > 1 else []


def _cut(title: str, limit: int = 90) -> str:
    title = " ".join(title.split())
    return title if len(title) <= limit else title[: limit - 1].rstrip() + "…"
