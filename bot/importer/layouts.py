"""The layouts of Urgent Action sheets, read into their parts: heading, story, asks, officials.

Two layouts are common:

- a national section's sheet (Amnesty International Canada's, for one): the country and the
  title in capitals, the story, "Write to the President urging him to:" with bullet points,
  "Write to:" with the official's name, title and address, "Fax:", "Email:", "Salutation:",
  "And Copy:" with a second official, then "Additional Information";
- the International Secretariat's: "URGENT ACTION", the title, the story, "TAKE ACTION: WRITE AN
  APPEAL IN YOUR OWN WORDS OR USE THIS MODEL LETTER" with the model letter (the official's
  address block, "Dear ...", the asks, "Yours sincerely"), "ADDITIONAL INFORMATION", and lines
  such as "PREFERRED LANGUAGE TO ADDRESS TARGET:", "PLEASE TAKE ACTION AS SOON AS POSSIBLE UNTIL:",
  "NAME AND PRONOUN:", "LINK TO PREVIOUS UA:" and the footer "First UA: 41/23 Index: ... Date:".

Follow-ups ("Further information on UA: 41/23") come in either layout. Nothing here interprets
what it reads: that is `bot.importer.build`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bot.domain.cases import TargetRole
from bot.importer.extract import BULLET
from bot.importer.normalise import country_code

SECTION = "section"
INTERNATIONAL = "international"

_REFERENCE = re.compile(
    r"^(?P<lead>first|further information on|fi on|fu on|update on|additional|follow-up to)?"
    r"\s*UA\s*:?\s*(?P<number>\d{1,4}/\d{2})\b(?P<rest>.*)$",
    re.IGNORECASE,
)
_INDEX = re.compile(r"index\s*:?\s*(?P<index>[A-Z]{3}\s*\d{2}/\d{3,5}/\d{4})", re.IGNORECASE)
_ISSUED = re.compile(r"\bdate\s*:?\s*(?P<date>.+)$", re.IGNORECASE)
_UNTIL = re.compile(
    r"^(?:please take action as soon as possible until|(?:please )?send appeals"
    r" (?:before|by|until)|deadline(?: for appeals)?)\s*:?\s*(?P<date>.+?)\.?$",
    re.IGNORECASE,
)
_LANGUAGE = re.compile(
    r"^preferred languages? to address (?:the )?targets?\s*:?\s*(?P<value>.*)$", re.IGNORECASE
)
_NAME_PRONOUN = re.compile(r"^names? and pronouns?\s*:?\s*(?P<value>.*)$", re.IGNORECASE)
_PREVIOUS = re.compile(r"^links? to previous ua\s*:?\s*(?P<value>.*)$", re.IGNORECASE)
_FURTHER = re.compile(r"^(?:further information|follow-up|update)\b\s*:?\s*", re.IGNORECASE)
_BOILERPLATE = re.compile(
    r"^(?:please check with the amnesty office|you can also write in your own language)",
    re.IGNORECASE,
)
_ASK_INTRO = re.compile(
    r"^(?:please\s+)?write\b.*\b(?:urg|call|ask|demand)\w*\b.*:$", re.IGNORECASE
)
_WRITE_TO = re.compile(r"^(?:please\s+)?(?:write|send (?:your )?appeals)(?: to)?\s*:$", re.I)
_COPY = re.compile(r"^(?:and\s+)?(?:send\s+)?cop(?:y|ies)(?:\s+to)?\s*:?$", re.IGNORECASE)
_ADDITIONAL = re.compile(r"^additional information\s*:?$", re.IGNORECASE)
_TAKE_ACTION = re.compile(r"^take action\b", re.IGNORECASE)
_URGENT_ACTION = re.compile(r"^urgent action$", re.IGNORECASE)
_CLOSING = re.compile(
    r"^(?:yours\s+(?:sincerely|faithfully|truly)|sincerely|kind regards|respectfully)\s*[,.]?$",
    re.IGNORECASE,
)
_DEAR = re.compile(r"^dear\b.{0,60}$", re.IGNORECASE)
CONTACT = re.compile(
    r"^(?P<label>fax|tel|telephone|phone|mobile|e-?mail|twitter|x|facebook|instagram|website"
    r"|salutation)\s*:\s*(?P<value>.*)$",
    re.IGNORECASE,
)
_URGE = re.compile(
    r"\b(?:I|we)\s+(?:therefore\s+|also\s+)?(?:urge|call on|ask|request)\s+you(?:\s+to)?"
    r"\s*(?P<asks>.*)$",
    re.IGNORECASE | re.DOTALL,
)
_TERMINAL = re.compile(r"[.!?:;][\"”’)]?$")


@dataclass
class TargetBlock:
    """An official as the sheet writes them: the lines of name, title and address; contacts."""

    role: TargetRole
    lines: list[str] = field(default_factory=list)
    faxes: list[str] = field(default_factory=list)
    phones: list[str] = field(default_factory=list)
    emails: list[str] = field(default_factory=list)
    salutation: str | None = None


@dataclass
class Sheet:
    """The parts of a sheet, as written."""

    layout: str
    country: str | None = None
    title: str | None = None
    story: list[str] = field(default_factory=list)  # paragraphs before the asks: summary first
    asks: list[str] = field(default_factory=list)
    targets: list[TargetBlock] = field(default_factory=list)
    additional: list[str] = field(default_factory=list)  # "Additional Information"
    reference: str | None = None  # "UA 41/23"
    index: str | None = None  # "MDE 12/6743/2023"
    issued: str | None = None  # the footer's date, as written
    deadline: str | None = None  # the "until" line's date, as written
    languages: list[str] = field(default_factory=list)
    people: list[tuple[str, str | None]] = field(default_factory=list)  # name, pronoun
    previous: str | None = None  # the link to the previous sheet
    follow_up: bool = False


def parse_sheet(lines: list[str]) -> Sheet:
    """Read cleaned lines (`bot.importer.extract.clean_lines`) into a sheet's parts."""
    international = any(_TAKE_ACTION.match(line) for line in lines) or any(
        _URGENT_ACTION.match(line) for line in lines[:3]
    )
    sheet = Sheet(INTERNATIONAL if international else SECTION)
    body = _meta(lines, sheet)
    if international:
        _international(body, sheet)
    else:
        _section(body, sheet)
    return sheet


def _meta(lines: list[str], sheet: Sheet) -> list[str]:
    """Take the labelled lines (reference, deadline, language, names) out; return the rest."""
    rest: list[str] = []
    skip = False
    for i, line in enumerate(lines):
        if skip:
            skip = False
            continue
        following = lines[i + 1] if i + 1 < len(lines) else ""
        taken, skip = _take(line, following, sheet)
        if not taken:
            rest.append(line)
    return _squeeze(rest)


def _take(line: str, following: str, sheet: Sheet) -> tuple[bool, bool]:
    """Whether `line` is a labelled line (read into `sheet`), and whether its value was on the
    following line."""
    if (match := _REFERENCE.match(line)) and (
        match["lead"] is not None or _INDEX.search(line) or _ISSUED.search(line)
    ):
        sheet.reference = sheet.reference or f"UA {match['number']}"
        sheet.follow_up = sheet.follow_up or (match["lead"] or "first").lower() != "first"
        if index := _INDEX.search(line):
            sheet.index = sheet.index or " ".join(index["index"].split())
            between = re.split(r"\bdate\b", line[index.end() :], flags=re.IGNORECASE)[0]
            sheet.country = sheet.country or between.strip() or None
        if issued := _ISSUED.search(match["rest"]):
            sheet.issued = sheet.issued or issued["date"].strip()
        return True, False
    if match := _UNTIL.match(line):
        sheet.deadline = match["date"].strip()
        return True, False
    if _BOILERPLATE.match(line):
        return True, False
    for pattern in (_LANGUAGE, _NAME_PRONOUN, _PREVIOUS):
        if match := pattern.match(line):
            value = match["value"].strip() or following.strip()
            if pattern is _LANGUAGE:
                sheet.languages = [v.strip() for v in re.split(r",|/|\band\b", value) if v.strip()]
            elif pattern is _NAME_PRONOUN:
                sheet.people = _names_and_pronouns(value)
            else:
                sheet.previous = value if value.lower().startswith("http") else None
            return True, not match["value"].strip()
    return False, False


def _names_and_pronouns(value: str) -> list[tuple[str, str | None]]:
    """ "Ana Ruiz (she/her), Luis Ortega (he/him)" as names with their first pronoun."""
    people = []
    for match in re.finditer(r"([^,;()]+?)\s*(?:\(([^)]*)\))?\s*(?:[,;]|$|\band\b)", value):
        name = match[1].strip()
        if not name:
            continue
        pronoun = match[2].split("/")[0].strip().lower() if match[2] else None
        people.append((name, pronoun or None))
    return people


def _squeeze(lines: list[str]) -> list[str]:
    out: list[str] = []
    for line in lines:
        if line or (out and out[-1]):
            out.append(line)
    while out and not out[-1]:
        out.pop()
    return out


def _plain(line: str) -> str:
    return line.translate(str.maketrans("‘’“”", "''\"\"")).strip()


def _is_caps(line: str) -> bool:
    letters = [c for c in line if c.isalpha()]
    return bool(letters) and all(c.isupper() for c in letters)


def _heading(lines: list[str], start: int) -> tuple[list[str], int]:
    """The lines in capitals from `start` (blank lines skipped first), and where they end."""
    i = start
    while i < len(lines) and not lines[i]:
        i += 1
    heading = []
    while i < len(lines) and lines[i] and (_is_caps(lines[i]) or _FURTHER.match(lines[i])):
        heading.append(lines[i])
        i += 1
    return heading, i


def _title_and_country(heading: list[str], sheet: Sheet) -> None:
    words = []
    for written in heading:
        line = written
        if further := _FURTHER.match(line):
            sheet.follow_up = True
            line = line[further.end() :]
            if not line or not _is_caps(line):
                continue
        if sheet.country is None and country_code(line):
            sheet.country = line
            continue
        country, colon, title = line.partition(":")
        if colon and sheet.country is None and country_code(country):
            sheet.country = country.strip()
            line = title.strip()
        words.append(line)
    sheet.title = " ".join(words) or None


def _find(lines: list[str], pattern: re.Pattern[str], start: int = 0) -> int | None:
    for i in range(start, len(lines)):
        if lines[i] and pattern.match(_plain(lines[i])):
            return i
    return None


def _section(lines: list[str], sheet: Sheet) -> None:
    heading, i = _heading(lines, 0)
    _title_and_country(heading, sheet)
    ask_intro = _find(lines, _ASK_INTRO, i)
    write_to = _find(lines, _WRITE_TO, i)
    additional = _find(lines, _ADDITIONAL, i)
    ends = [k for k in (ask_intro, write_to, additional) if k is not None]
    story_end = min(ends) if ends else len(lines)
    sheet.story = paragraphs(lines[i:story_end])
    if ask_intro is not None:
        ask_end = min(
            (k for k in (write_to, additional) if k is not None and k > ask_intro),
            default=len(lines),
        )
        sheet.asks = _asks(lines[ask_intro + 1 : ask_end])
    if write_to is not None:
        target_end = additional if additional is not None and additional > write_to else None
        sheet.targets = _targets(lines[write_to + 1 : target_end], TargetRole.TO)
    if additional is not None:
        sheet.additional = paragraphs(lines[additional + 1 :])


def _international(lines: list[str], sheet: Sheet) -> None:
    start = 0
    while start < len(lines) and (not lines[start] or _URGENT_ACTION.match(lines[start])):
        start += 1
    heading, i = _heading(lines, start)
    _title_and_country(heading, sheet)
    take_action = _find(lines, _TAKE_ACTION, i)
    additional = _find(lines, _ADDITIONAL, i)
    ends = [k for k in (take_action, additional) if k is not None]
    sheet.story = paragraphs(lines[i : min(ends) if ends else len(lines)])
    if take_action is not None:
        letter_end = additional if additional is not None and additional > take_action else None
        _letter(lines[take_action + 1 : letter_end], sheet)
    if additional is not None:
        end = take_action if take_action is not None and take_action > additional else None
        sheet.additional = paragraphs(lines[additional + 1 : end])


def _letter(lines: list[str], sheet: Sheet) -> None:
    """The model letter: the addressee block, "Dear ...", the letter with its asks, closing."""
    dear = _find(lines, _DEAR)
    closing = _find(lines, _CLOSING, dear or 0)
    sheet.targets = _targets(lines[:dear], TargetRole.TO)
    if dear is None:
        return
    if sheet.targets:
        sheet.targets[0].salutation = _salutation(lines[dear])
    letter = lines[dear + 1 : closing]
    bullets = [k for k, line in enumerate(letter) if line.startswith(BULLET)]
    if bullets:
        sheet.asks = _asks(letter[bullets[0] :])
        return
    for paragraph in paragraphs(letter):
        if match := _URGE.search(paragraph):
            sheet.asks = _split_asks(match["asks"])
            return


def _salutation(line: str) -> str:
    return line.strip().rstrip(",:;.! ").strip()


def _split_asks(sentence: str) -> list[str]:
    """ "release her immediately, and to ensure that ..." as the two asks it holds."""
    parts = re.split(r";\s*(?:and\s+)?(?:to\s+)?|,?\s+and\s+to\s+", sentence)
    return [_ask(p) for p in parts if _ask(p)]


def _ask(text: str) -> str:
    text = " ".join(text.split())
    text = re.sub(r"(?:[;,]\s*and|[;,.])$", "", text).strip()
    return re.sub(r"\s+and$", "", text)


def _asks(lines: list[str]) -> list[str]:
    """Bullet points, each possibly wrapped over several lines; or paragraphs without bullets."""
    items: list[list[str]] = []
    for line in lines:
        if line.startswith(BULLET):
            items.append([line[len(BULLET) :]])
        elif line and items and not _CLOSING.match(line):
            items[-1].append(line)
        elif not line and items and items[-1]:
            items.append([])
    found = [_ask(join_lines(item)) for item in items if item]
    if not found:
        found = [_ask(p) for p in paragraphs(lines)]
    return [ask for ask in found if ask]


def _targets(lines: list[str], role: TargetRole) -> list[TargetBlock]:
    """Officials' blocks: a name line after a contact line starts the next official."""
    blocks: list[TargetBlock] = []
    current: TargetBlock | None = None
    after_contact = False
    i = 0
    while i < len(lines):
        line = lines[i]
        i += 1
        if not line:
            continue
        if _COPY.match(_plain(line)):
            role, current = TargetRole.COPY, None
            continue
        if _DEAR.match(line) and current is not None and current.salutation is None:
            current.salutation = _salutation(line)
            continue
        match = CONTACT.match(line)
        if match is None:
            if current is None or after_contact:
                current = TargetBlock(role)
                blocks.append(current)
                after_contact = False
            current.lines.append(line)
            continue
        if current is None:
            current = TargetBlock(role)
            blocks.append(current)
        value = match["value"].strip()
        if not value and i < len(lines) and lines[i] and not CONTACT.match(lines[i]):
            value, i = lines[i], i + 1
        label = match["label"].lower().replace("-", "")
        if label == "fax":
            current.faxes.extend(v for v in re.split(r"\s*(?:;|/|,|\bor\b)\s*", value) if v)
        elif label in ("tel", "telephone", "phone", "mobile"):
            current.phones.extend(v for v in re.split(r"\s*(?:;|/|,|\bor\b)\s*", value) if v)
        elif label == "email":
            current.emails.append(value)
        elif label == "salutation":
            current.salutation = _salutation(value)
        after_contact = True
    return blocks


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
        short = len(line) < 0.7 * width
        if following and short and _TERMINAL.search(line) and not following[:1].islower():
            blocks.append([])
    mended: list[str] = []
    for block in blocks:
        if not block:
            continue
        text = join_lines(block)
        if mended and not _TERMINAL.search(mended[-1]) and text[:1].islower():
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
