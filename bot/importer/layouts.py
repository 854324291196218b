"""The layouts of Urgent Action sheets, read into their parts: heading, story, asks, officials,
the model letter.

The families in use, each read by its own small reader below over the shared pieces (labels
per language in `labels`, references in `references`, officials' blocks in `officials`):

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

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from bot.domain.cases import TargetRole
from bot.importer import labels
from bot.importer.extract import BULLET
from bot.importer.normalise import PRONOUNS, country_code, one_date
from bot.importer.officials import (
    ORGANISATION,
    TITLE_WORDS,
    TargetBlock,
    read_targets,
    salutation_of,
)
from bot.importer.people import LISTED, names_in_line
from bot.importer.references import find_reference

__all__ = ["CONTACT", "INTERNATIONAL", "SECTION", "Sheet", "TargetBlock", "parse_sheet"]

SECTION = "section"
INTERNATIONAL = "international"
APPEALS = "appeals"
WEB = "web"
CONTACT = labels.CONTACT

_INDEX = re.compile(
    r"(?:index|[íi]ndice|ai-index|index ai|رقم الوثيقة)\s*:?\s*"
    r"(?P<index>[A-Z]{3}\s*\d{2}/\d{3,5}/\d{4})",
    re.IGNORECASE,
)
REFERENCE_END = re.compile(r"\b(?:UA|AU)\s*:?\s*\d{1,4}[/.]\d{2,4}\b", re.IGNORECASE)
_ISSUED = re.compile(
    r"(?:\b(?:date|fecha|datum)|تاريخ الإصدار)\s*:?\s*(?P<date>.*)$", re.IGNORECASE
)
# "(Egypt: UA 132.19)" in a web page's title, "Amnesty Int: Bahrain: URGENT ACTION: ...".
_OPENS_ON_REFERENCE = re.compile(r"^(?:UA|AU|EA)\s*:?\s*\d{1,4}/\d{2,4}\s+\S", re.IGNORECASE)
_DATE_AT_END = re.compile(r"\s\d{1,2}\.?\s+[^\W\d]{3,12}\.?\s+\d{4}\s*$")
_TITLE_COUNTRY = re.compile(r"\((?P<country>[^():]+):\s*(?:UA|AU)\b[^)]*\)")
_IN_PASSING = re.compile(
    r"\b(?:urgent action|action urgente|acci[óo]n urgente)\s+(?P<number>\d{1,4}[./]\d{2})\b",
    re.IGNORECASE,
)
_STEP = re.compile(r"^\d+[.)]\s+\S")
_GENDER = re.compile(r"^(?:gender|genre|g[ée]nero|geschlecht)\b.*$", re.IGNORECASE)
_URGE = re.compile(
    r"\b(?:I|we)\s+(?:therefore\s+|also\s+)?(?:urge|call on|ask|request)\s+you(?:\s+to)?"
    r"\s*(?P<asks>.*)$|\b(?:le|les|vous) (?:prie|exhorte|demande)\s+(?:instamment\s+)?de\s+"
    r"(?P<fr>.*)$|\b(?:le|les) (?:insto|pido|exhorto|ruego)\s+(?:a\s+)?(?:que\s+)?(?P<es>.*)$"
    r"|\b(?:fordere|bitte) ich sie (?:dringend |eindringlich )?(?:auf,?\s+)?(?P<de>.*)$"
    r"|\bich (?:fordere|bitte) sie (?:(?:dringend|eindringlich|au(?:ß|ss)erdem|auch|daher"
    r"|deshalb|hiermit|nachdr[üu]cklich)\s+)*(?:auf,?\s+)?(?P<de2>.*)$"
    # "وأحثكم على الإفراج عن ...", "أدعوكم إلى ...", "أطالبكم بـ...".
    r"|(?:^|\s)و?(?:أحثكم|أدعوكم|أطالبكم|أناشدكم|أحث السلطات|أدعو السلطات)\s+(?:على|إلى)?\s*"
    r"(?P<ar>.*)$",
    re.IGNORECASE | re.DOTALL,
)
_TERMINAL = re.compile(r"[.!?:;][\"”’)]?$")
# A letter's opening that names no "Dear": "Fiscal General de México:", "Señor Ministro:".
_OPENING = re.compile(r"^[^\d:@]{3,70}[:,]$")


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


def parse_sheet(lines: list[str]) -> Sheet:
    """Read cleaned lines (`bot.importer.extract.clean_lines`) into a sheet's parts."""
    plain = [_plain(line) for line in lines]
    sheet = Sheet(_layout(plain))
    body = _meta(lines, sheet)
    READERS[sheet.layout](body, sheet)
    if not sheet.asks:
        _asks_in_a_sentence(sheet)
    return sheet


def _asks_in_a_sentence(sheet: Sheet) -> None:
    """Asks written only as a sentence of the story ("Please write ... calling on the
    authorities to release ... and to ensure ..."): the asks it holds, and the sentence out of
    the story, where it is an instruction and not what happened."""
    for k, paragraph in enumerate(sheet.story):
        sentences = re.split(r"(?<=[.!?])\s+(?=[A-ZÀ-Ý])", paragraph)
        for j, sentence in enumerate(sentences):
            match = labels.ASK_SENTENCE.match(sentence.strip())
            if match is None:
                continue
            found = next(g for g in match.groups() if g)
            # "calling on the authorities to release ...": the asks start after "... to".
            found = _ASKED_WHO.sub("", found, count=1)
            found = re.sub(r"^(?:for|to)\s+", "", found, flags=re.IGNORECASE)
            asks = _split_asks(_ASK_END.sub("", found), again=True)
            if not asks:
                continue
            sheet.asks, sheet.asked_in = asks, sentence
            rest = " ".join(sentences[:j] + sentences[j + 1 :]).strip()
            sheet.story[k : k + 1] = [rest] if rest else []
            return


# Whom the sentence asks, before its asks: "the authorities to", "the Minister of Justice to".
_ASKED_WHO = re.compile(
    r"^(?:(?!and\b|to\b|for\b)[\w'’-]+\s+){0,4}?(?:authorities|government|minister|president"
    r"|prosecutor|king|governor|him|her|them)(?:\s+(?:of|for)\s+(?:(?!and\b|to\b)[\w'’-]+\s*){1,4}?)?"
    r"\s+to\s+",
    re.IGNORECASE,
)
# A German sentence's asks, each an infinitive with "zu": "Ana Ruiz freizulassen und sie vor
# Folter zu schützen" holds two.
# Words are bounded (no German word is longer), so a crafted endless word costs a bounded look.
_ZU_AND = re.compile(
    r"(?<=\wen)\s+und\s+(?=(?:\S{1,40}\s+){0,8}?(?:zu\s+\S{1,40}en|\S{1,40}zu\S{1,40}en)\b)"
)


def _zu_end(text: str) -> bool:
    """Whether `text` ends in an infinitive with "zu": "zu schützen", "freizulassen"."""
    words = text.split()
    if not words or not words[-1].endswith("en") or text[-1:].isspace():
        return False
    last = words[-1]
    if last.find("zu", 1, len(last) - 3) != -1:
        return True
    return len(words) > 1 and re.search(r"(?:^|\W)zu$", words[-2]) is not None


# What ends an ask sentence and is not an ask: its full stop, a pointer ("see attachment").
_ASK_END = re.compile(
    r"(?:,\s*see\b[^,;]*?|\s*\((?:see|voir|ver|siehe)\b[^;]*?)?\s*[.!)]?\s*$", re.IGNORECASE
)


def _layout(lines: list[str]) -> str:
    """Which family a sheet is of, from the lines that only that family has."""
    if any(_STEP.match(line) and labels.INSTRUCTION.match(line) for line in lines):
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


def _meta(lines: list[str], sheet: Sheet) -> list[str]:
    """Take the labelled lines (reference, deadline, language, names) out; return the rest."""
    rest: list[str] = []
    skip = False
    for i, line in enumerate(lines):
        if skip:
            skip = False
            continue
        following = lines[i + 1] if i + 1 < len(lines) else ""
        taken, skip = _take(_plain(line), following, sheet, top=i < 8)
        if not taken:
            rest.append(line)
    if sheet.reference is None:
        # Named in passing only: "the actions you took on Urgent Action 132.19", "(UA 17/08)".
        for line in lines:
            found = find_reference(line) or _IN_PASSING.search(line)
            if isinstance(found, re.Match):
                sheet.reference = f"UA {found['number']}"
            elif found is not None:
                sheet.reference = found.reference
            if sheet.reference:
                break
    return _squeeze(rest)


# What a labelled line's rule says: whether the line was read (and leaves the story), and
# whether its value was on the following line. None: the line is not the rule's.
Taken = tuple[bool, bool] | None


def _take(line: str, following: str, sheet: Sheet, *, top: bool) -> tuple[bool, bool]:
    """Whether `line` is a labelled line (read into `sheet`), and whether its value was on the
    following line: the first of the rules that knows the line says."""
    for rule in _RULES:
        taken = rule(line, following, sheet, top)
        if taken is not None:
            return taken
    return False, False


def _reference_line(line: str, following: str, sheet: Sheet, top: bool) -> Taken:
    """ "UA: 166/14 Index: MDE 11/034/2014 Bahrain Date: 29 August 2014", "UA 88/05 Fear of
    torture", "Further information on UA 79/11"."""
    reference = find_reference(line)
    index = _INDEX.search(line)
    issued = _ISSUED.search(line)
    # The older mailings open on it: "UA 123/03 Fear of torture/incommunicado detention 14 April
    # 2003" (the date unlabelled at the end).
    opens = top and _OPENS_ON_REFERENCE.match(line) is not None and len(line) < 160
    if not reference or not (
        index
        or issued
        or reference.first
        or reference.follow_up
        or (top and len(line) < 60)
        or opens
    ):
        return None
    sheet.reference = sheet.reference or reference.reference
    sheet.follow_up = sheet.follow_up or reference.follow_up
    if index:
        _index_and_country(line, index, sheet)
    if issued and one_date(issued["date"]):
        sheet.issued = sheet.issued or issued["date"].strip()
    if opens and not issued and (at_end := _DATE_AT_END.search(line)) and one_date(at_end[0]):
        sheet.issued = sheet.issued or at_end[0].strip()
        line = line[: at_end.start()]
    _concern(line, sheet, top=top, index=index is not None, issued=issued is not None)
    if title := _TITLE_COUNTRY.search(line):
        sheet.country = sheet.country or title["country"].strip()
        return False, False  # a web page's title: the heading, read again there
    if len(line) > 120:
        # A web page runs the header into the story and the deadline: both are read too.
        _deadline_line(line, following, sheet, top)
        return False, False
    return True, False


def _index_and_country(line: str, index: re.Match[str], sheet: Sheet) -> None:
    sheet.index = sheet.index or " ".join(index["index"].split())
    after = re.split(r"\b(?:date|fecha|datum)\b", line[index.end() :], flags=re.I)
    for chunk in re.split(r"[|]", after[0]) + re.split(r"[|]", after[-1]):
        if sheet.country is None and country_code(chunk.strip(" :|")):
            sheet.country = chunk.strip(" :|")


def _concern(line: str, sheet: Sheet, *, top: bool, index: bool, issued: bool) -> None:
    """The older mailings' header after the reference: "UA 88/05 Fear of torture"."""
    ends = REFERENCE_END.search(line)
    concern = line[ends.end() :] if ends else ""
    # "Further Information on UA 24/09 (2 February 2009) and follow-up (9 February 2009) –
    # Arbitrary detention": the dates of the earlier sheets are not the concern.
    concern = re.sub(r"^(?:\s*\([^)]{0,40}\)|\s*and follow-ups?\b)+\s*[–—-]?", "", concern)
    # A sentence going on to a link ("... de la AU 234/18. Más información: https://...") is
    # no header.
    if re.match(r"^\s*[.;]", concern) or re.search(r"https?:|www\.", concern):
        return
    if top and not index and len(concern.split()) >= 2 and not issued:
        sheet.title = sheet.title or concern.strip(" :-")
        sheet.concern = sheet.concern or concern.strip(" :-")


def _deadline_line(line: str, following: str, sheet: Sheet, top: bool) -> Taken:
    """ "PLEASE SEND APPEALS BEFORE 10 OCTOBER 2014 TO:", "Deadline: 12 June"."""
    match = labels.DEADLINE.search(line) or labels.DEADLINE_LINE.match(line)
    if not (match and one_date(match["date"])):
        return None
    if sheet.deadline is None:
        sheet.deadline = match["date"].strip()
        words = line[: match.start("date")]
        if len(line) > 120 or any(c.isdigit() for c in line[: match.start()]):
            # "Fr. 0.85 (courrier B)  Délai d'envoi: ...", or a sentence of the story: the
            # label starts at its words.
            words = line[match.start() : match.start("date")]
        sheet.deadline_words = words.strip(" :")
    # "PLEASE SEND APPEALS BEFORE ... TO:" also opens the officials; a step stays a step,
    # and a sentence of the story stays in the story.
    keep = labels.WRITE_TO.match(line) or _STEP.match(line) or len(line) > 120
    return not keep, False


def _themes_line(line: str, following: str, sheet: Sheet, top: bool) -> Taken:
    if (topics := labels.THEMES.match(line)) and len(line) < 200:
        sheet.themes.append(topics["value"].strip())
        return True, False
    return None


def _furniture(line: str, following: str, sheet: Sheet, top: bool) -> Taken:
    return (True, False) if labels.BOILERPLATE.match(line) or _GENDER.match(line) else None


def _index_line(line: str, following: str, sheet: Sheet, top: bool) -> Taken:
    """ "PUBLIC AI Index: ASA 33/021/2005" at the top."""
    if top and (index := _INDEX.search(line)):
        sheet.index = sheet.index or " ".join(index["index"].split())
        return True, False
    return None


def _listed_line(line: str, following: str, sheet: Sheet, top: bool) -> Taken:
    """The older mailings' list: "PAKISTAN Imran Qureshi (m), aged 31, journalist"."""
    if not top:
        return None
    country, _, rest = line.partition(" ")
    if _is_caps(country) and country_code(country) and LISTED.match(rest):
        sheet.country = sheet.country or country
        line = rest
    if listed := LISTED.match(line):
        sheet.people.append((listed["name"], None))
        if listed["what"]:
            sheet.described[listed["name"]] = listed["what"].strip()
        return True, False
    return None


def _names_line(line: str, following: str, sheet: Sheet, top: bool) -> Taken:
    if names := names_in_line(line):
        sheet.people = sheet.people or [(name, None) for name in names if name]
        return True, False
    return None


def _date_line(line: str, following: str, sheet: Sheet, top: bool) -> Taken:
    """A web page's date under its title."""
    mention = one_date(line) if top and sheet.issued is None and len(line) < 30 else None
    if mention and mention.year:
        sheet.issued = line.strip()
        return True, False
    return None


def _labelled_value(line: str, following: str, sheet: Sheet, top: bool) -> Taken:
    """The preferred language, names and pronouns, the link to the previous sheet: the value
    on the label's line or on the next."""
    for pattern in (labels.PREFERRED_LANGUAGE, labels.NAME_PRONOUN, labels.PREVIOUS):
        if match := pattern.match(line):
            value = match["value"].strip() or following.strip()
            if pattern is labels.PREFERRED_LANGUAGE:
                sheet.languages = [
                    v.strip()
                    for v in re.split(r",|/|\b(?:and|or|y|o|et|ou|und|oder)\b", value)
                    if v.strip()
                ]
            elif pattern is labels.NAME_PRONOUN:
                sheet.people = _names_and_pronouns(value)
            else:
                sheet.previous = value if value.lower().startswith("http") else None
            return True, not match["value"].strip()
    return None


_RULES: tuple[Callable[[str, str, Sheet, bool], Taken], ...] = (
    _reference_line,
    _deadline_line,
    _themes_line,
    _furniture,
    _index_line,
    _listed_line,
    _names_line,
    _date_line,
    _labelled_value,
)


def _names_and_pronouns(value: str) -> list[tuple[str, str | None]]:
    """ "Ana Ruiz (she/her), Luis Ortega (he/him)" as names with their first pronoun."""
    people = []
    for match in re.finditer(r"([^,;()]+?)\s*(?:\(([^)]*)\))?\s*(?:[,;]|$|\band\b)", value):
        name = match[1].strip()
        if not name:
            continue
        written = match[2].split("/")[0].strip().lower() if match[2] else None
        pronoun = PRONOUNS.get(written, written) if written else None
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
    while (
        i < len(lines)
        and lines[i]
        and (_is_caps(lines[i]) or labels.FOLLOW_UP.match(lines[i]))
        and not labels.TAKE_ACTION.match(lines[i])
    ):
        heading.append(lines[i])
        i += 1
    return heading, i


def _title_and_country(heading: list[str], sheet: Sheet) -> None:
    words = []
    for written in heading:
        line = written
        if labels.URGENT_ACTION.match(line.strip()):
            continue
        if further := re.match(r"^(?:further information|follow-up|update)\b\s*:?\s*", line, re.I):
            sheet.follow_up = True
            line = line[further.end() :]
            if line and not _is_caps(line) and further.group().rstrip().endswith(":"):
                # "Update: Activist vrijgelaten": the follow-up's own title, in ordinary case.
                if _a_heading_line(line):
                    words.append(line)
                continue
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
    sheet.title = " ".join(words) or sheet.title


def _find(lines: list[str], pattern: re.Pattern[str], start: int = 0) -> int | None:
    for i in range(start, len(lines)):
        if lines[i] and pattern.match(_plain(lines[i])):
            return i
    return None


def _first(*found: int | None, after: int = -1) -> int | None:
    return min((k for k in found if k is not None and k > after), default=None)


# A heading in ordinary case after the sheet's label: "Honduras: amenazan a una defensora".
_COUNTRY_HEADING = re.compile(r"^(?P<country>[^:.]{3,40}):\s*(?P<title>[^:]{3,120}?)$")


def _country_heading(lines: list[str], i: int, sheet: Sheet) -> int:
    """A heading in ordinary case (or in a script without capitals) after the sheet's label:
    "Acción urgente" / "Honduras: amenazan a una defensora del río", "مصر: احتجاز صحفية". Where
    the story starts: after the heading, or at `i` where there is none."""
    k = i
    while k < len(lines) and (not lines[k] or labels.URGENT_ACTION.match(lines[k].strip())):
        k += 1
    found = _COUNTRY_HEADING.match(lines[k].strip()) if k < len(lines) else None
    if found is None or not country_code(found["country"]) or _TERMINAL.search(found["title"]):
        return i
    sheet.country = sheet.country or found["country"].strip()
    title = found["title"].strip()
    sheet.title = title[:1].upper() + title[1:]
    return k + 1


def _short_heading(lines: list[str], i: int, sheet: Sheet) -> int:
    """A heading in ordinary case on lines of its own, the country in capitals above or below
    it (German sections: "Gewerkschafter in Haft" / "VIETNAM"). Where the story starts."""
    k = i
    while k < len(lines) and (not lines[k] or labels.URGENT_ACTION.match(lines[k].strip())):
        k += 1
    if not any(labels.URGENT_ACTION.match(line.strip()) for line in lines[:k]):
        return i  # no sheet's heading above: a letter's addressee, a page's first line
    title: str | None = None
    start = k
    while k < len(lines) and k < start + 3 and _a_heading_line(_labelled_update(lines[k])):
        line = _labelled_update(lines[k]).strip()
        if line != lines[k].strip():
            sheet.follow_up = True
        if sheet.country is None and country_code(line):
            sheet.country = line
        elif title is None and not _is_caps(line):
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
        and not _TERMINAL.search(text)
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


def _section(lines: list[str], sheet: Sheet) -> None:
    heading, i = _heading(lines, 0)
    _title_and_country(heading, sheet)
    if sheet.title is None:
        i = _country_heading(lines, i, sheet)
    if sheet.title is None:
        i = _short_heading(lines, i, sheet)
    ask_intro = _find(lines, labels.ASK_INTRO, i)
    write_to = _find(lines, labels.WRITE_TO, i)
    additional = _find(lines, labels.ADDITIONAL, i)
    headed = _addressed_letter(lines, i) if write_to is None else None
    story_end = _first(ask_intro, write_to, additional, headed[0] if headed else None)
    sheet.story = paragraphs(lines[i : story_end or len(lines)])
    if ask_intro is not None:
        ask_end = _first(write_to, additional, after=ask_intro) or len(lines)
        sheet.asks = _asks(lines[ask_intro + 1 : ask_end])
    if write_to is not None:
        target_end = _first(additional, after=write_to)
        _targets_and_letter(lines[write_to + 1 : target_end], sheet)
    elif headed is not None:
        _headed_letter(lines, headed, _first(additional, after=headed[1]), sheet)
    if additional is not None:
        end = _first(write_to, ask_intro, after=additional)
        sheet.additional = paragraphs(lines[additional + 1 : end])


def _headed_letter(
    lines: list[str], headed: tuple[int, int], end: int | None, sheet: Sheet
) -> None:
    """The official's block written at the head of a model letter, and the letter."""
    block_start, opening = headed
    block = [
        line.rstrip(",").strip()
        for line in lines[block_start:opening]
        if not _PLACE_AND_DATE.match(line)
    ]
    _targets_and_letter(block + lines[opening:end], sheet)


# The line between a letter's addressee and its opening: "Apeldoorn, April 2020.", "[Date]",
# "Im Juli 2021".
_PLACE_AND_DATE = re.compile(
    r"^(?:\[\s*date\s*\]|[^\d,]{2,40},\s*(?:\d{1,2}\s+)?\S+\s+\d{4}\.?"
    r"|(?:im|in|en|le|el)?\s*(?:\d{1,2}\.?\s+)?(?:de\s+)?[^\W\d_]{3,12}\s+(?:de\s+)?\d{4}\.?)$",
    re.I,
)


def _addressed_letter(lines: list[str], start: int) -> tuple[int, int] | None:
    """A model letter with its addressee written at its head, and no "Write to:" above it
    (sections' pages of sample letters): where the official's block starts, and where the
    letter opens. None unless the lines above the opening are an official's block."""
    opening = _letter_opening(lines[start:])
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
_appeals = _section


def _international(lines: list[str], sheet: Sheet) -> None:
    start = 0
    marker = next(
        (k for k, line in enumerate(lines[:4]) if labels.URGENT_ACTION.match(line.strip())), None
    )
    if marker is not None:
        # A web page's title line above the sheet: "Amnesty Int: Bahrain: URGENT ACTION: ...".
        for line in lines[:marker]:
            _page_title(line, sheet)
        start = marker
    while start < len(lines) and (not lines[start] or labels.URGENT_ACTION.match(lines[start])):
        start += 1
    heading, i = _heading(lines, start)
    if not heading and start < len(lines) and _joined_heading(lines[start], sheet):
        i = start + 1
    if heading:
        _title_and_country(heading, sheet)
    elif sheet.title is None:
        i = _country_heading(lines, i, sheet)
    if sheet.title is None:
        i = _short_heading(lines, i, sheet)
    i = _country_line(lines, i, sheet)
    take_action = _find(lines, labels.TAKE_ACTION, i)
    additional = _find(lines, labels.ADDITIONAL, i)
    ask_intro = _find(lines, labels.ASK_INTRO, i)
    # No "TAKE ACTION": a page may write the letter with its addressee at its head.
    headed = _addressed_letter(lines, i) if take_action is None else None
    story_end = _first(take_action, additional, ask_intro, headed[0] if headed else None)
    sheet.story = paragraphs(lines[i : story_end or len(lines)])
    if headed is not None:
        _headed_letter(lines, headed, _first(additional, after=headed[1]), sheet)
    if ask_intro is not None and (take_action is None or ask_intro < take_action):
        sheet.asks = _asks(lines[ask_intro + 1 : _first(take_action, additional, after=ask_intro)])
    if take_action is not None:
        _targets_and_letter(lines[take_action + 1 : _first(additional, after=take_action)], sheet)
    if additional is not None:
        sheet.additional = paragraphs(
            lines[additional + 1 : _first(take_action, after=additional)]
        )


def _country_line(lines: list[str], i: int, sheet: Sheet) -> int:
    """A line holding only the country, under the heading ("Nicaragua"): the country, and the
    story starts after it."""
    k = i
    while k < len(lines) and not lines[k]:
        k += 1
    if k < len(lines) and len(lines[k]) <= 40 and country_code(lines[k].strip()):
        sheet.country = sheet.country or lines[k].strip()
        return k + 1
    return i


def _page_title(line: str, sheet: Sheet) -> None:
    parts = [p.strip() for p in line.split(":")]
    for k, part in enumerate(parts):
        if labels.URGENT_ACTION.match(part) and k + 1 < len(parts):
            sheet.title = sheet.title or ": ".join(parts[k + 1 :]) or None
        elif sheet.country is None and country_code(part):
            sheet.country = part


def _joined_heading(line: str, sheet: Sheet) -> bool:
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


def _web(lines: list[str], sheet: Sheet) -> None:
    """A web page: its title line, the story, numbered steps, officials, the sample letter."""
    i = 0
    while i < len(lines) and (not lines[i] or labels.URGENT_ACTION.match(lines[i].lstrip("• "))):
        i += 1
    if i < len(lines):
        _web_title(lines[i], sheet)
        i += 1
    steps = [k for k, line in enumerate(lines) if _STEP.match(line) and k >= i]
    ask_intro = _find(lines, labels.ASK_INTRO, i)
    additional = _find(lines, labels.ADDITIONAL, i)
    story_end = _first(steps[0] if steps else None, ask_intro, additional)
    sheet.story = paragraphs(lines[i : story_end or len(lines)])
    if ask_intro is not None:
        sheet.asks = _asks(
            lines[ask_intro + 1 : _first(steps[0] if steps else None, additional, after=ask_intro)]
        )
    start = steps[-1] + 1 if steps else (story_end or len(lines))
    _targets_and_letter(lines[start : _first(additional, after=start)], sheet)
    if additional is not None:
        sheet.additional = paragraphs(lines[additional + 1 :])


def _web_title(line: str, sheet: Sheet) -> None:
    text = _TITLE_COUNTRY.sub("", line).strip()
    if re.match(r"^(?:urgent action )?update\b|^further information\b", text, re.I):
        sheet.follow_up = True
    text = re.sub(r"^(?:urgent action(?: update)?|update)\s*:\s*", "", text, flags=re.I)
    sheet.title = text or None


def _targets_and_letter(lines: list[str], sheet: Sheet) -> None:
    """The officials' blocks, then the model letter: its opening is the salutation of the first
    official written to who has none, its asks the case's where the sheet lists none."""
    opening = _letter_opening(lines)
    end = opening if opening is not None else len(lines)
    # The sample letter may write its addressee again at its head: not another official.
    heading = _find(lines[:end], labels.SAMPLE_LETTER)
    sheet.targets = read_targets(lines[: heading if heading is not None else end])
    if opening is None:
        return
    first_line = re.sub(r"^.*?\b(?:sample|model) letter\s*:?\s*", "", lines[opening], flags=re.I)
    comma = "," if "," in first_line else "،"
    dear, _, rest = first_line.partition(comma) if comma in first_line else (first_line, "", "")
    recipients = [t for t in sheet.targets if t.role is TargetRole.TO]
    if recipients and recipients[0].salutation is None:
        recipients[0].salutation = salutation_of(dear)
    closing = _find(lines, labels.CLOSING, opening + 1)
    body = ([rest.strip()] if rest.strip() else []) + lines[opening + 1 : closing]
    after = closing + 1 if closing is not None else None
    contacts = _find(lines, _CONTACT_DETAILS, after) if after is not None else None
    copies = _find(lines, labels.COPY, after) if after is not None else None
    if contacts is not None and not sheet.targets:
        # "TARGET'S CONTACT DETAILS & "COPIES TO"" after the letter: the officials written to.
        sheet.targets = read_targets(lines[contacts + 1 : copies])
    if copies is not None:  # "And copies to:" after the letter's closing
        sheet.targets += read_targets(lines[copies : _find(lines, _BACKGROUND, copies + 1)])
    sheet.letter = paragraphs(body)
    if sheet.asks:
        return
    bullets = [k for k, line in enumerate(body) if line.startswith(BULLET)]
    if bullets:
        sheet.asks = _asks(body[bullets[0] :])
        return
    for paragraph in sheet.letter:
        if match := _URGE.search(paragraph):
            found = next(g for g in match.groups() if g)
            sheet.asks = _split_asks(found)
            return


_BACKGROUND = re.compile(r"^(?:additional|background) information\b", re.IGNORECASE)
# The 2017 template's heading of the officials' block after its model letter.
_CONTACT_DETAILS = re.compile(r"^target'?s'? contact details\b", re.IGNORECASE)


def _letter_opening(lines: list[str]) -> int | None:
    """Where the model letter starts: "Dear ...", "SAMPLE LETTER Dear ...", or a short line
    ending in ":" or "," followed by prose ("Fiscal General de México:")."""
    for i, line in enumerate(lines):
        plain = _plain(line)
        if labels.SAMPLE_LETTER.match(plain):
            rest = labels.SAMPLE_LETTER.sub("", plain, count=1).strip()
            if rest and not rest.startswith(("(", "[")):  # not "SAMPLE LETTER (GENERAL):"
                return i
            continue
        if labels.DEAR.match(plain) and plain[-1:] in ",:!،" and not labels.CONTACT.match(plain):
            return i
        if labels.DEAR.match(plain.split(",", 1)[0]) and len(plain) > 80:
            return i
        following = next((n for n in lines[i + 1 :] if n), "")
        if (
            _OPENING.match(plain)
            and not _is_caps(plain)  # a heading: "WRITE A LETTER OF APPEAL:"
            and not labels.INSTRUCTION.match(plain)
            and not labels.WRITE_TO.match(plain)
            and not labels.COPY.match(plain)
            and len(following) > 100
            and i > 0
        ):
            return i
    return None


# In a sentence of asks, each ask again after "and": "de libérer ... et de garantir ...",
# "que investigue ... y que proteja ...".
_AND_AGAIN_AR = r"|،\s*و(?=على\s|إلى\s|ب)"
_AND_AGAIN = r"|,?\s+(?:et|ainsi que)\s+(?=(?:de\s|d')\s*)|,?\s+y\s+(?=(?:que|a que)\s+)"


def _split_asks(sentence: str, *, again: bool = False) -> list[str]:
    """ "release her immediately, and to ensure that ..." as the two asks it holds."""
    parts = re.split(
        r";\s*(?:(?:and|et|y|und)\s+)?(?:(?:to|de|d'|a|zu|que)\s*)?"
        # "and to ensure ...", not "access to lawyers and to their families".
        r"|,?\s+and\s+to\s+(?!(?:the|their|his|her|its|a|an|all|any|other)\b)"
        + _AND_AGAIN_AR
        + (_AND_AGAIN if again else ""),
        sentence,
    )
    asks: list[str] = []
    for part in parts:
        cut = 0
        for match in _ZU_AND.finditer(part):
            if _zu_end(part[cut : match.start()]):
                asks.append(part[cut : match.start()])
                cut = match.end()
        asks.append(part[cut:])
    return [_ask(p) for p in asks if _ask(p)]


def _ask(text: str) -> str:
    text = " ".join(text.split())
    text = re.sub(r"^(?:على|إلى)\s+", "", text)  # "وعلى ضمان ...": the Arabic ask's joint
    text = re.sub(r"(?:[;,]\s*and|[;,.،])$", "", text).strip()
    return re.sub(r"\s+and$", "", text)


def _asks(lines: list[str]) -> list[str]:
    """Bullet points, each possibly wrapped over several lines; or paragraphs without bullets."""
    items: list[list[str]] = []
    for line in lines:
        if line.startswith(BULLET):
            items.append([line[len(BULLET) :]])
        elif line and items and not labels.CLOSING.match(line):
            items[-1].append(line)
        elif not line and items and items[-1]:
            items.append([])
    found = [_ask(join_lines(item)) for item in items if item]
    if not found:
        found = [_ask(p) for p in paragraphs(lines)]
    return [ask for ask in found if ask]


READERS: dict[str, Callable[[list[str], Sheet], None]] = {
    SECTION: _section,
    APPEALS: _appeals,
    INTERNATIONAL: _international,
    WEB: _web,
}


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
        if following and short and _TERMINAL.search(line) and not following[:1].islower():
            blocks.append([])
    mended: list[str] = []
    for block in blocks:
        if not block:
            continue
        text = join_lines(block)
        if any(p.startswith(text) for p in mended if len(text) > 40) or text in mended:
            continue  # a page that holds its text twice, the second copy perhaps cut short
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
