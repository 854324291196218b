"""A sheet's heading, in the forms the layouts write it: lines in capitals, "Country: title",
a short heading in ordinary case over the country, a page's title line, an update's label.
"""

from __future__ import annotations

import re

from bot.importer import labels
from bot.importer.extract import BULLET
from bot.importer.layouts.sheet import TERMINAL, Sheet, is_caps
from bot.importer.normalise import country_code


def capitals_heading(lines: list[str], start: int) -> tuple[list[str], int]:
    """The lines in capitals from `start` (blank lines skipped first), and where they end."""
    i = start
    while i < len(lines) and not lines[i]:
        i += 1
    heading = []
    while (
        i < len(lines)
        and lines[i]
        and (is_caps(lines[i]) or labels.FOLLOW_UP.match(lines[i]))
        and not labels.TAKE_ACTION.match(lines[i])
    ):
        heading.append(lines[i])
        i += 1
    return heading, i


def title_and_country(heading: list[str], sheet: Sheet) -> None:
    words = []
    for written in heading:
        line = written
        if labels.URGENT_ACTION.match(line.strip()):
            continue
        if further := re.match(r"^(?:further information|follow-up|update)\b\s*:?\s*", line, re.I):
            sheet.follow_up = True
            line = line[further.end() :]
            if line and not is_caps(line) and further.group().rstrip().endswith(":"):
                # "Update: Activist vrijgelaten": the follow-up's own title, in ordinary case.
                if _a_heading_line(line):
                    words.append(line)
                continue
            if not line or not is_caps(line):
                continue
        if sheet.country is None and country_code(line):
            sheet.country = line
            continue
        country, colon, title = line.partition(":")
        if colon and sheet.country is None and country_code(country):
            sheet.country = country.strip()
            line = title.strip()
        words.append(line)
    sheet.title = " ".join(words) or sheet.title


# A heading in ordinary case after the sheet's label: "Honduras: amenazan a una defensora".
_COUNTRY_HEADING = re.compile(r"^(?P<country>[^:.]{3,40}):\s*(?P<title>[^:]{3,120}?)$")


def headed_country(paragraph: str) -> str | None:
    """The country a story's opening heading names, as written: a group's page of letters
    opens on "Jordanië: wiskundeleraar krijgt 5 jaar cel" with no sheet's label above it, and
    the country named there outweighs the others its story names more often."""
    found = _COUNTRY_HEADING.match(paragraph.strip())
    # One line, which may end on a full stop; a sentence going on is a story's.
    if found is None or re.search(r"[.!?]\s", found["title"]):
        return None
    if not country_code(found["country"]):
        return None
    return found["country"].strip()


def country_heading(lines: list[str], i: int, sheet: Sheet) -> int:
    """A heading in ordinary case (or in a script without capitals) after the sheet's label:
    "Acción urgente" / "Honduras: amenazan a una defensora del río", "مصر: احتجاز صحفية". Where
    the story starts: after the heading, or at `i` where there is none."""
    k = i
    while k < len(lines) and (not lines[k] or labels.URGENT_ACTION.match(lines[k].strip())):
        k += 1
    found = _COUNTRY_HEADING.match(lines[k].strip()) if k < len(lines) else None
    if found is None or not country_code(found["country"]) or TERMINAL.search(found["title"]):
        return i
    sheet.country = sheet.country or found["country"].strip()
    title = found["title"].strip()
    sheet.title = title[:1].upper() + title[1:]
    return k + 1


def short_heading(lines: list[str], i: int, sheet: Sheet, *, after_country: bool = False) -> int:
    """A heading in ordinary case on lines of its own, the country in capitals above or below
    it (German sections: "Gewerkschafter in Haft" / "VIETNAM"). Where the story starts."""
    k = i
    while k < len(lines) and (not lines[k] or labels.URGENT_ACTION.match(lines[k].strip())):
        k += 1
    if not after_country and not any(
        labels.URGENT_ACTION.match(line.strip()) for line in lines[:k]
    ):
        return i  # no sheet's heading above: a letter's addressee, a page's first line
    title: str | None = None
    start = k
    while k < len(lines) and k < start + 3 and _a_heading_line(_labelled_update(lines[k])):
        line = _labelled_update(lines[k]).strip()
        if line != lines[k].strip():
            sheet.follow_up = True
        if sheet.country is None and country_code(line):
            sheet.country = line
        elif title is None and not is_caps(line):
            title = line
        else:
            break
        k += 1
    if title is None:
        return i
    sheet.title = title
    return k


def _labelled_update(line: str) -> str:
    """A heading without the word that makes it a follow-up's: "Update: Activist vrijgelaten"
    -> "Activist vrijgelaten"; any other line as it is."""
    label, colon, rest = line.partition(":")
    if colon and rest.strip() and labels.FOLLOW_UP.fullmatch(label.strip()):
        return rest.strip()
    return line


def _a_heading_line(line: str) -> bool:
    text = line.strip()
    return (
        3 <= len(text) <= 100
        and not TERMINAL.search(text)
        and not text.endswith(",")
        and not text.startswith(BULLET)
        and not labels.CONTACT.match(text)
        and not labels.DEAR.match(text)
        and not any(
            pattern.match(text)
            for pattern in (
                labels.TAKE_ACTION,
                labels.ASK_INTRO,
                labels.WRITE_TO,
                labels.COPY,
                labels.SAMPLE_LETTER,
                labels.INSTRUCTION,
                labels.ADDITIONAL,
            )
        )
        and not any(c.isdigit() for c in text)
        and len(text.split()) <= 14
    )


def country_line(lines: list[str], i: int, sheet: Sheet) -> int:
    """A line holding only the country, under the heading ("Nicaragua"): the country, and the
    story starts after it."""
    k = i
    while k < len(lines) and not lines[k]:
        k += 1
    if k < len(lines) and len(lines[k]) <= 40 and country_code(lines[k].strip()):
        sheet.country = sheet.country or lines[k].strip()
        return k + 1
    return i


def page_title(line: str, sheet: Sheet) -> None:
    parts = [p.strip() for p in line.split(":")]
    for k, part in enumerate(parts):
        if labels.URGENT_ACTION.match(part) and k + 1 < len(parts):
            sheet.title = sheet.title or ": ".join(parts[k + 1 :]) or None
        elif sheet.country is None and country_code(part):
            sheet.country = part


def joined_heading(line: str, sheet: Sheet) -> bool:
    """ "Acción UrgenteDEFENSORAS ESPIADAS POR LAS AUTORIDADES": a web page runs the heading
    into the title; the title is the part in capitals."""
    match = re.match(
        r"^(?:urgent action|action urgente|acci[óo]n urgente|eilaktion)\s*:?\s*(?P<title>.+)$",
        line,
        re.IGNORECASE,
    )
    if match is None:
        return False
    sheet.title = match["title"].strip()
    return True
