"""The International Secretariat's 2020s family: "URGENT ACTION", the heading, the story, "TAKE
ACTION" with the officials and the model letter, "ADDITIONAL INFORMATION".
"""

from __future__ import annotations

from bot.importer import labels
from bot.importer.layouts.asks import asks
from bot.importer.layouts.headings import (
    capitals_heading,
    country_heading,
    country_line,
    joined_heading,
    page_title,
    short_heading,
    title_and_country,
)
from bot.importer.layouts.letters import targets_and_letter
from bot.importer.layouts.section import addressed_letter, headed_letter
from bot.importer.layouts.sheet import Sheet, find, first, paragraphs


def international(lines: list[str], sheet: Sheet) -> None:
    start = 0
    marker = next(
        (k for k, line in enumerate(lines[:4]) if labels.URGENT_ACTION.match(line.strip())), None
    )
    if marker is not None:
        # A web page's title line above the sheet: "Amnesty Int: Bahrain: URGENT ACTION: ...".
        for line in lines[:marker]:
            page_title(line, sheet)
        start = marker
    while start < len(lines) and (not lines[start] or labels.URGENT_ACTION.match(lines[start])):
        start += 1
    heading, i = capitals_heading(lines, start)
    if not heading and start < len(lines) and joined_heading(lines[start], sheet):
        i = start + 1
    if heading:
        title_and_country(heading, sheet)
    elif sheet.title is None:
        i = country_heading(lines, i, sheet)
    if sheet.title is None:
        i = short_heading(lines, i, sheet)
    i = country_line(lines, i, sheet)
    take_action = find(lines, labels.TAKE_ACTION, i)
    additional = find(lines, labels.ADDITIONAL, i)
    ask_intro = find(lines, labels.ASK_INTRO, i)
    # No "TAKE ACTION": a page may write the letter with its addressee at its head.
    headed = addressed_letter(lines, i) if take_action is None else None
    story_end = first(take_action, additional, ask_intro, headed[0] if headed else None)
    sheet.story = paragraphs(lines[i : story_end or len(lines)])
    if headed is not None:
        headed_letter(lines, headed, first(additional, after=headed[1]), sheet)
    if ask_intro is not None and (take_action is None or ask_intro < take_action):
        sheet.asks = asks(lines[ask_intro + 1 : first(take_action, additional, after=ask_intro)])
    if take_action is not None:
        targets_and_letter(lines[take_action + 1 : first(additional, after=take_action)], sheet)
    if additional is not None:
        sheet.additional = paragraphs(lines[additional + 1 : first(take_action, after=additional)])
