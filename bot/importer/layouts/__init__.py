"""The layouts of Urgent Action sheets, read into their parts: heading, story, asks, officials,
the model letter.

The families in use, each read by its own small reader (a module of this package) over the
shared pieces (labels per language in `labels`, references in `references`, officials' blocks
in `officials`, and `sheet`, `header`, `headings`, `asks` and `letters` here):

- `section`: a national section's sheet (Amnesty International Canada's, the seed's): the
  country and the title in capitals, the story, "Write to the President urging him to:" with
  bullet points, "Write to:" with each official's block, "And Copy:", "Additional Information";
- `appeals`: the International Secretariat's 2008-2019 sheets: "UA: 166/14 Index: ... Date:"
  header, the story, "Please write immediately in ...:" with bullet points, "PLEASE SEND
  APPEALS BEFORE 10 OCTOBER 2014 TO:" with each official's block, "COPIES TO:", and their
  translations ("ENVOYEZ VOS APPELS AVANT LE ... À :", "ENVÍEN LLAMAMIENTOS ANTES DEL ... A:",
  "BITTE SCHREIBEN SIE BIS ZUM ...");
- `international`: the International Secretariat's 2020s sheets: "URGENT ACTION", the title,
  the story, "TAKE ACTION: WRITE AN APPEAL IN YOUR OWN WORDS OR USE THIS MODEL LETTER" (or
  "Actúa: ... carta modelo") with the officials' blocks and the model letter, "ADDITIONAL
  INFORMATION", and lines such as "PLEASE TAKE ACTION AS SOON AS POSSIBLE UNTIL:", "NAME AND
  PRONOUN:", "LINK TO PREVIOUS UA:", the footer "First UA: 41/23 Index: ... Date:";
- `web`: Amnesty USA's pages and sections' web pages: "Urgent Action Update: ... (Egypt: UA
  132.19)", the date, the story, numbered steps ("1. Write a letter...", "2. Click here..."),
  the officials (often each on one line), "Salutation:", then "SAMPLE LETTER".

Follow-ups ("Further information on UA: 79/11", "THIRD UA 60/16", "Urgent Action Update")
come in every layout. A sheet cut off mid-way gives what it holds. Nothing here interprets what
it reads: that is `bot.importer.build`.
"""

from __future__ import annotations

from collections.abc import Callable

from bot.importer import labels
from bot.importer.layouts.asks import asks_in_a_sentence
from bot.importer.layouts.columns import unfold_columns
from bot.importer.layouts.header import meta
from bot.importer.layouts.international import international
from bot.importer.layouts.prose import officials_in_prose
from bot.importer.layouts.section import appeals, section
from bot.importer.layouts.sheet import (
    APPEALS,
    CONTACT,
    INTERNATIONAL,
    SECTION,
    STEP,
    WEB,
    Sheet,
    plain_line,
)
from bot.importer.layouts.web import web
from bot.importer.officials import TargetBlock

__all__ = ["CONTACT", "INTERNATIONAL", "SECTION", "Sheet", "TargetBlock", "parse_sheet"]


def parse_sheet(lines: list[str]) -> Sheet:
    """Read cleaned lines (`bot.importer.extract.clean_lines`) into a sheet's parts."""
    lines = unfold_columns(lines)
    plain = [plain_line(line) for line in lines]
    sheet = Sheet(_layout(plain))
    body = meta(lines, sheet)
    READERS[sheet.layout](body, sheet)
    while sheet.story and labels.GREETING.match(sheet.story[0].strip()):
        sheet.story.pop(0)  # "Dear friends,": a note to the readers opens, not the story
    if not sheet.targets:
        # No official's block: officials the prose names with their address in brackets.
        sheet.targets = officials_in_prose([*sheet.story, *sheet.letter, *sheet.additional])
    if not sheet.asks:
        asks_in_a_sentence(sheet)
    return sheet


def _layout(lines: list[str]) -> str:
    """Which family a sheet is of, from the lines that only that family has."""
    if any(STEP.match(line) and labels.INSTRUCTION.match(line) for line in lines):
        return WEB
    if any(labels.WRITE_TO.match(line) and labels.DEADLINE.search(line) for line in lines):
        return APPEALS
    top = [line for line in lines if line][:4]
    if any(labels.TAKE_ACTION.match(line) for line in lines):
        return INTERNATIONAL
    if any(labels.WRITE_TO.match(line) for line in lines):  # "Write to:", "APPEALS TO:"
        return SECTION
    if any(labels.URGENT_ACTION.match(line) for line in top):
        return INTERNATIONAL
    if any(labels.SAMPLE_LETTER.match(line) for line in lines):
        return WEB
    return SECTION


READERS: dict[str, Callable[[list[str], Sheet], None]] = {
    SECTION: section,
    APPEALS: appeals,
    INTERNATIONAL: international,
    WEB: web,
}
