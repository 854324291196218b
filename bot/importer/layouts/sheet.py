"""A sheet's parts as written, and the small pieces every layout's reader shares: plain
lines, headings in capitals, finding a labelled line, prose mended into paragraphs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bot.importer import labels
from bot.importer.officials import TargetBlock

SECTION = "section"
INTERNATIONAL = "international"
APPEALS = "appeals"
WEB = "web"
CONTACT = labels.CONTACT
# A numbered step of a web page: "1. Write a letter ...".
STEP = re.compile(r"^\d+[.)]\s+\S")
# What ends a sentence: no heading ends so.
TERMINAL = re.compile(r"[.!?:;][\"”’)]?$")


@dataclass
class Sheet:
    """The parts of a sheet, as written."""

    layout: str
    country: str | None = None
    title: str | None = None
    story: list[str] = field(default_factory=list)  # paragraphs before the asks: summary first
    asks: list[str] = field(default_factory=list)
    # The model letter's asks where the sheet lists its own too: the letters', written to the
    # official ("in your power"), beside the sheet's, told to the reader.
    letter_asks: list[str] = field(default_factory=list)
    targets: list[TargetBlock] = field(default_factory=list)
    additional: list[str] = field(default_factory=list)  # "Additional Information"
    letter: list[str] = field(default_factory=list)  # the model letter's paragraphs
    reference: str | None = None  # "UA 41/23"
    index: str | None = None  # "MDE 12/6743/2023"
    issued: str | None = None  # the header's or footer's date, as written
    deadline: str | None = None  # the "until" line's date, as written
    deadline_words: str | None = None  # the "until" line's words before the date
    languages: list[str] = field(default_factory=list)
    people: list[tuple[str, str | None]] = field(default_factory=list)  # name, pronoun
    described: dict[str, str] = field(default_factory=dict)  # a listed person's description
    previous: str | None = None  # the link to the previous sheet
    themes: list[str] = field(default_factory=list)  # each labelled topics line's value
    concern: str | None = None  # the older mailings' header: "Fear of torture / ..."
    follow_up: bool = False
    asked_in: str | None = None  # the story's sentence the asks were read from, taken out


# What a labelled line's rule says: whether the line was read (and leaves the story), and
# whether its value was on the following line. None: the line is not the rule's.
Taken = tuple[bool, bool] | None


def squeeze(lines: list[str]) -> list[str]:
    out: list[str] = []
    for line in lines:
        if line or (out and out[-1]):
            out.append(line)
    while out and not out[-1]:
        out.pop()
    return out


def plain_line(line: str) -> str:
    return line.translate(str.maketrans("‘’“”", "''\"\"")).strip()


def is_caps(line: str) -> bool:
    letters = [c for c in line if c.isalpha()]
    return bool(letters) and all(c.isupper() for c in letters)


def find(lines: list[str], pattern: re.Pattern[str], start: int = 0) -> int | None:
    for i in range(start, len(lines)):
        if lines[i] and pattern.match(plain_line(lines[i])):
            return i
    return None


def first(*found: int | None, after: int = -1) -> int | None:
    return min((k for k in found if k is not None and k > after), default=None)


def paragraphs(lines: list[str]) -> list[str]:
    """Prose from broken lines: lines joined into paragraphs, paragraphs a page split mended.

    A blank line ends a paragraph; so does a short line ending a sentence (PDF text often has
    no blank lines). A paragraph that stops mid-sentence and a next one that starts in lower
    case are one paragraph cut by a page break.
    """
    width = max((len(line) for line in lines), default=0)
    blocks: list[list[str]] = [[]]
    for i, line in enumerate(lines):
        if not line:
            if blocks[-1]:
                blocks.append([])
            continue
        blocks[-1].append(line)
        following = lines[i + 1] if i + 1 < len(lines) else ""
        # A short line that ends a sentence ends its paragraph; so does every line of a text
        # whose paragraphs are one line each (a web page's, a typed sheet's).
        short = len(line) < 0.7 * width or len(line) > 150
        if following and short and TERMINAL.search(line) and not following[:1].islower():
            blocks.append([])
    mended: list[str] = []
    for block in blocks:
        if not block:
            continue
        text = join_lines(block)
        if any(p.startswith(text) for p in mended if len(text) > 40) or text in mended:
            continue  # a page that holds its text twice, the second copy perhaps cut short
        if mended and not TERMINAL.search(mended[-1]) and text[:1].islower():
            mended[-1] = join_lines([mended[-1], text])
        else:
            mended.append(text)
    return mended


def join_lines(lines: list[str]) -> str:
    """Lines of one paragraph joined; "re-" at a line's end and "arrested" make "re-arrested"."""
    text = ""
    for written in lines:
        line = written.strip()
        if not text:
            text = line
        elif text.endswith("-") and text[-2:-1].isalpha() and line[:1].islower():
            text += line
        else:
            text = f"{text} {line}"
    return text
