"""Web pages' family (Amnesty USA's, sections'): numbered steps, officials often on one line each,
"SAMPLE LETTER".
"""

from __future__ import annotations

import re

from bot.importer import labels
from bot.importer.layouts.asks import asks
from bot.importer.layouts.header import TITLE_COUNTRY
from bot.importer.layouts.letters import targets_and_letter
from bot.importer.layouts.sheet import STEP, Sheet, find, first, paragraphs


def web(lines: list[str], sheet: Sheet) -> None:
    """A web page: its title line, the story, numbered steps, officials, the sample letter."""
    i = 0
    while i < len(lines) and (not lines[i] or labels.URGENT_ACTION.match(lines[i].lstrip("• "))):
        i += 1
    if i < len(lines) and not labels.SAMPLE_LETTER.match(lines[i]):
        _web_title(lines[i], sheet)
        i += 1
    steps = [k for k, line in enumerate(lines) if STEP.match(line) and k >= i]
    ask_intro = find(lines, labels.ASK_INTRO, i)
    additional = find(lines, labels.ADDITIONAL, i)
    # A page of model letters with no steps: the letter, its addressee above it, starts the
    # officials' part.
    sample = None if steps else find(lines, labels.SAMPLE_LETTER, i)
    story_end = first(steps[0] if steps else None, ask_intro, additional, sample)
    end = len(lines) if story_end is None else story_end
    sheet.story = paragraphs(lines[i:end])
    if ask_intro is not None:
        sheet.asks = asks(
            lines[ask_intro + 1 : first(steps[0] if steps else None, additional, after=ask_intro)]
        )
    start = steps[-1] + 1 if steps else end
    targets_and_letter(lines[start : first(additional, after=start)], sheet)
    if additional is not None:
        sheet.additional = paragraphs(lines[additional + 1 :])


def _web_title(line: str, sheet: Sheet) -> None:
    text = TITLE_COUNTRY.sub("", line).strip()
    if re.match(r"^(?:urgent action )?update\b|^further information\b", text, re.I):
        sheet.follow_up = True
    text = re.sub(r"^(?:urgent action(?: update)?|update)\s*:\s*", "", text, flags=re.I)
    sheet.title = text or None
