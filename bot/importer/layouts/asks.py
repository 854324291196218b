"""Asks as sheets write them: bullet points, paragraphs, or one sentence of the story ("Please
write ... calling on the authorities to release ... and to ensure ...").
"""

from __future__ import annotations

import re

from bot.importer import labels
from bot.importer.extract import BULLET
from bot.importer.layouts.sheet import Sheet, join_lines, paragraphs


def asks_in_a_sentence(sheet: Sheet) -> None:
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
            asks = split_asks(_ASK_END.sub("", found), again=True)
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


# In a sentence of asks, each ask again after "and": "de libérer ... et de garantir ...",
# "que investigue ... y que proteja ...".
_AND_AGAIN_AR = r"|،\s*و(?=على\s|إلى\s|ب)"


_AND_AGAIN = r"|,?\s+(?:et|ainsi que)\s+(?=(?:de\s|d')\s*)|,?\s+y\s+(?=(?:que|a que)\s+)"


def split_asks(sentence: str, *, again: bool = False) -> list[str]:
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


def asks(lines: list[str]) -> list[str]:
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
