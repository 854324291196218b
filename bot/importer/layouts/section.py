"""The national sections' family (the seed's layout, the International Secretariat's 2008-2019
mailings, sections' pages in German, Dutch, Italian, Portuguese and French): the story, the
asks after their instruction, the officials after "Write to:" and the copies after "And Copy:";
and pages whose letters are headed by their addressee.
"""

from __future__ import annotations

import re

from bot.importer import labels
from bot.importer.layouts.asks import asks
from bot.importer.layouts.header import dated_heading
from bot.importer.layouts.headings import (
    capitals_heading,
    country_heading,
    short_heading,
    title_and_country,
)
from bot.importer.layouts.letters import letter_opening, targets_and_letter
from bot.importer.layouts.sheet import CONTACT, Sheet, find, first, paragraphs
from bot.importer.normalise import country_code
from bot.importer.officials import (
    ORGANISATION,
    TITLE_WORDS,
    read_targets,
)


def section(lines: list[str], sheet: Sheet) -> None:
    heading, i = capitals_heading(lines, 0)
    title_and_country(heading, sheet)
    if sheet.title is None:
        i = country_heading(lines, i, sheet)
    if sheet.title is None:
        i, case_end = _listed_action(lines, i, sheet)
        lines = lines[:case_end]  # the next action listed is another case
    if sheet.title is None:
        # Under the country in capitals ("BURUNDI"), a heading in ordinary case is the title.
        i = short_heading(
            lines, i, sheet, after_country=bool(heading) and sheet.country is not None
        )
    ask_intro = find(lines, labels.ASK_INTRO, i)
    write_to = find(lines, labels.WRITE_TO, i)
    additional = find(lines, labels.ADDITIONAL, i)
    headed = addressed_letter(lines, i) if write_to is None else None
    story_end = first(ask_intro, write_to, additional, headed[0] if headed else None)
    sheet.story = paragraphs(lines[i : story_end or len(lines)])
    if ask_intro is not None:
        ask_end = first(write_to, additional, after=ask_intro) or len(lines)
        sheet.asks = asks(lines[ask_intro + 1 : ask_end])
    if write_to is not None:
        target_end = first(additional, after=write_to)
        targets_and_letter(lines[write_to + 1 : target_end], sheet)
    elif headed is not None:
        headed_letter(lines, headed, first(additional, after=headed[1]), sheet)
    if additional is not None:
        end = first(write_to, ask_intro, after=additional)
        sheet.additional = paragraphs(lines[additional + 1 : end])


def _listed_action(lines: list[str], i: int, sheet: Sheet) -> tuple[int, int]:
    """A group's list of current actions: the first one's line gives its deadline and heading
    ("Aktuelle Eilaktion bis zum 7. Dezember 2017, Kolumbien: Indigene in Gefahr"); its story
    starts under it, and ends where the next action is listed. The page's own lines above are
    no part of the case. Where the story starts and ends (`i` and the end where no list)."""
    for k in range(i, min(len(lines), i + 15)):
        if (heading := dated_heading(lines[k])) is None:
            continue
        country, _, title = heading.partition(":")
        if not country_code(country.strip()):
            break
        sheet.country = sheet.country or country.strip()
        sheet.title = title.strip() or None
        end = next((n for n in range(k + 1, len(lines)) if dated_heading(lines[n])), len(lines))
        return k + 1, end
    return i, len(lines)


def headed_letter(
    lines: list[str], headed: tuple[int, int], end: int | None, sheet: Sheet
) -> None:
    """The official's block written at the head of a model letter, and the letter."""
    block_start, opening = headed
    block = [
        line.rstrip(",").strip()
        for line in lines[block_start:opening]
        if not _PLACE_AND_DATE.match(line)
    ]
    targets_and_letter(block + lines[opening:end], sheet)


# The line between a letter's addressee and its opening: "Apeldoorn, April 2020.", "[Date]",
# "Im Juli 2021".
_PLACE_AND_DATE = re.compile(
    r"^(?:\[\s*date\s*\]|[^\d,]{2,40},\s*(?:\d{1,2}\s+)?\S+\s+\d{4}\.?"
    r"|(?:im|in|en|le|el)?\s*(?:\d{1,2}\.?\s+)?(?:de\s+)?[^\W\d_]{3,12}\s+(?:de\s+)?\d{4}\.?)$",
    re.I,
)


def addressed_letter(lines: list[str], start: int) -> tuple[int, int] | None:
    """A model letter with its addressee written at its head, and no "Write to:" above it
    (sections' pages of sample letters): where the official's block starts, and where the
    letter opens. None unless the lines above the opening are an official's block."""
    opening = letter_opening(lines[start:])
    if opening is None:
        return None
    opening += start
    end = opening
    while end > start and (not lines[end - 1] or _PLACE_AND_DATE.match(lines[end - 1])):
        end -= 1
    begin = end
    while begin > start:
        if lines[begin - 1]:
            begin -= 1
            continue
        # A block a blank line splits ("Office of the President," / "" / "PO Box 257"): the
        # part above is short and no sentence, and the part below names no official.
        above = lines[begin - 2] if begin - 2 >= start else ""
        below = [line for line in lines[begin:end] if line and not CONTACT.match(line)]
        if (
            above
            and len(above) < 60
            and not re.search(r"[.!?:]$", above)
            and (
                above.endswith(",")  # each line of one address ends in a comma
                or not any(TITLE_WORDS.search(line) or ORGANISATION.search(line) for line in below)
            )
        ):
            begin -= 1
            continue
        break
    block = [line for line in lines[begin:end] if line]
    if not 2 <= len(block) <= 12 or any(len(line) > 90 for line in block):
        return None
    if not any(TITLE_WORDS.search(line) or ORGANISATION.search(line) for line in block[:3]):
        return None
    found = read_targets(block)
    return (begin, opening) if len(found) == 1 else None


# The International Secretariat's 2008-2019 sheets are laid out as a section's are: the asks
# after their "Please write immediately" line, the officials after "PLEASE SEND APPEALS ... TO:".
appeals = section
