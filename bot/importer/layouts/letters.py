"""The action part shared by the 2020s sheets and web pages: the officials' blocks, then the model
letter, and the asks the letter makes ("I urge you to ...").
"""

from __future__ import annotations

import re

from bot.domain.cases import TargetRole
from bot.importer import labels
from bot.importer.extract import BULLET
from bot.importer.layouts.asks import asks, split_asks
from bot.importer.layouts.sheet import Sheet, find, is_caps, paragraphs, plain_line
from bot.importer.normalise import country_code
from bot.importer.officials import (
    ORGANISATION,
    TITLE_WORDS,
    read_targets,
    salutation_of,
)
from bot.importer.people import NAME

_URGE = re.compile(
    r"\b(?:I|we)\s+(?:therefore\s+|also\s+)?(?:urge|call on|ask|request)\s+you(?:\s+to)?"
    r"\s*(?P<asks>.*)$|\b(?:le|les|vous) (?:prie|exhorte|demande)\s+(?:instamment\s+)?de\s+"
    r"(?P<fr>.*)$|\b(?:le|les) (?:insto|pido|exhorto|ruego)\s+(?:a\s+)?(?:que\s+)?(?P<es>.*)$"
    r"|\b(?:fordere|bitte) ich sie (?:dringend |eindringlich )?(?:auf,?\s+)?(?P<de>.*)$"
    r"|\bich (?:fordere|bitte) sie (?:(?:dringend|eindringlich|au(?:ß|ss)erdem|auch|daher"
    r"|deshalb|hiermit|h[öo]flich|nachdr[üu]cklich)\s+)*(?:auf,?\s+)?(?P<de2>.*)$"
    # "وأحثكم على الإفراج عن ...", "أدعوكم إلى ...", "أطالبكم بـ...".
    r"|(?:^|\s)و?(?:أحثكم|أدعوكم|أطالبكم|أناشدكم|أحث السلطات|أدعو السلطات)\s+(?:على|إلى)?\s*"
    r"(?P<ar>.*)$",
    re.IGNORECASE | re.DOTALL,
)


# A letter's opening that names no "Dear": "Fiscal General de México:", "Señor Ministro:".
_OPENING = re.compile(r"^[^\d:@]{3,70}[:,]$")


def targets_and_letter(lines: list[str], sheet: Sheet) -> None:
    """The officials' blocks, then the model letter: its opening is the salutation of the first
    official written to who has none, its asks the case's where the sheet lists none."""
    opening = letter_opening(lines)
    end = opening if opening is not None else len(lines)
    if opening is None and (signed := find(lines, labels.CLOSING)) is not None:
        # No letter below: a team's note signed off ("In solidarity," / "Individuals at Risk
        # Team") after its new addressee; what follows the signature is no official's block.
        end = signed
    # The sample letter may write its addressee again at its head: not another official.
    if (subject := _subject_line(lines, end)) is not None:
        # "Salaheddin al-Tabbaa" alone between the addressee and "Exzellenz,": whom the letter
        # is about, not a line of the address.
        if not sheet.people:
            sheet.people.append((lines[subject].strip(), None))
        lines = lines[:subject] + lines[subject + 1 :]
        opening = opening - 1 if opening is not None else None
        end -= 1
    heading = find(lines[:end], labels.SAMPLE_LETTER)
    if heading is not None and not any(lines[:heading]):
        # Nothing above the heading ("Musterbriefe" over each letter): the addressee written
        # at the letter's head is the official.
        sheet.targets = read_targets(lines[heading + 1 : end])
    else:
        sheet.targets = read_targets(lines[: heading if heading is not None else end])
    if opening is None:
        return
    first_line = re.sub(r"^.*?\b(?:sample|model) letter\s*:?\s*", "", lines[opening], flags=re.I)
    comma = "," if "," in first_line else "،"
    dear, _, rest = first_line.partition(comma) if comma in first_line else (first_line, "", "")
    recipients = [t for t in sheet.targets if t.role is TargetRole.TO]
    if recipients and recipients[0].salutation is None:
        recipients[0].salutation = salutation_of(dear)
    closing = find(lines, labels.CLOSING, opening + 1)
    body = ([rest.strip()] if rest.strip() else []) + lines[opening + 1 : closing]
    after = closing + 1 if closing is not None else None
    contacts = find(lines, _CONTACT_DETAILS, after) if after is not None else None
    copies = find(lines, labels.COPY, after) if after is not None else None
    if contacts is not None and not sheet.targets:
        # "TARGET'S CONTACT DETAILS & "COPIES TO"" after the letter: the officials written to.
        sheet.targets = read_targets(lines[contacts + 1 : copies])
    if copies is not None:  # "And copies to:" after the letter's closing
        sheet.targets += read_targets(lines[copies : find(lines, _BACKGROUND, copies + 1)])
    sheet.letter = paragraphs(body)
    if sheet.asks:
        # The sheet's own list tells the reader what is asked; the letter asks the official.
        sheet.letter_asks = _letters_asks(body, sheet.letter)
    else:
        sheet.asks = _letters_asks(body, sheet.letter)


def _subject_line(lines: list[str], end: int) -> int | None:
    """A model letter's subject line: a person's name alone, a blank line above it, just before
    the letter's opening and after the addressee's block."""
    k = end - 1
    while k >= 0 and not lines[k].strip():
        k -= 1
    if k < 2 or lines[k - 1].strip() or not any(line.strip() for line in lines[: k - 1]):
        return None
    line = lines[k].strip()
    if not re.fullmatch(NAME, line) or not 2 <= len(line.split()) <= 5:
        return None
    if TITLE_WORDS.search(line) or ORGANISATION.search(line) or country_code(line):
        return None
    # Whom the letter is about, its text names; an official's one-line block it does not.
    letter = " ".join(lines[end + 1 :])
    return k if line in letter else None


def _letters_asks(body: list[str], letter: list[str]) -> list[str]:
    """The model letter's asks: its bullets, or what its "I urge you to ..." sentence asks."""
    bullets = [k for k, line in enumerate(body) if line.startswith(BULLET)]
    if bullets:
        return asks(body[bullets[0] :])
    for paragraph in letter:
        if match := _URGE.search(paragraph):
            found = next(g for g in match.groups() if g)
            return split_asks(found)
    return []


_BACKGROUND = re.compile(r"^(?:additional|background) information\b", re.IGNORECASE)


# The 2017 template's heading of the officials' block after its model letter.
_CONTACT_DETAILS = re.compile(r"^target'?s'? contact details\b", re.IGNORECASE)


def letter_opening(lines: list[str]) -> int | None:
    """Where the model letter starts: "Dear ...", "SAMPLE LETTER Dear ...", or a short line
    ending in ":" or "," followed by prose ("Fiscal General de México:")."""
    for i, line in enumerate(lines):
        plain = plain_line(line)
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
            and not is_caps(plain)  # a heading: "WRITE A LETTER OF APPEAL:"
            and not labels.INSTRUCTION.match(plain)
            and not labels.WRITE_TO.match(plain)
            and not labels.COPY.match(plain)
            and len(following) > 100
            and i > 0
        ):
            return i
    return None
