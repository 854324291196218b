"""The labelled lines any layout may hold, each read by a small rule of its own and taken out of
the story: the reference, index and date, the deadline, topics, people's names, the older
mailings' list of people.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from bot.importer import labels
from bot.importer.layouts.sheet import STEP, Sheet, Taken, is_caps, plain_line, squeeze
from bot.importer.normalise import PRONOUNS, country_code, one_date
from bot.importer.people import LISTED, group_at_risk, names_in_line
from bot.importer.references import find_reference

_INDEX = re.compile(
    r"(?:index|[íi]ndice|ai-index|index ai|رقم الوثيقة)\s*:?\s*"
    r"(?P<index>[A-Z]{3}\s*\d{2}/\d{3,5}/\d{4})",
    re.IGNORECASE,
)


REFERENCE_END = re.compile(
    r"\b(?:UA|AU)\s*[:-]?\s*\d{1,4}(?:-\d{1,2})?[/.]\d{2,4}(?:-\d{1,2})?\b", re.IGNORECASE
)


_ISSUED = re.compile(
    r"(?:\b(?:date|fecha|datum)|تاريخ الإصدار)\s*:?\s*(?P<date>.*)$", re.IGNORECASE
)


# "(Egypt: UA 132.19)" in a web page's title, "Amnesty Int: Bahrain: URGENT ACTION: ...".
# "UA 123/03 Fear of torture", and a German section's "UA-313/2014 Verschwindenlassen".
_OPENS_ON_REFERENCE = re.compile(
    r"^(?:UA|AU|EA)\s*[:-]?\s*\d{1,4}(?:-\d{1,2})?/\d{2,4}(?:-\d{1,2})?\s+\S", re.IGNORECASE
)


_DATE_AT_END = re.compile(r"\s\d{1,2}\.?\s+[^\W\d]{3,12}\.?\s+\d{4}\s*$")


TITLE_COUNTRY = re.compile(r"\((?P<country>[^():]+):\s*(?:UA|AU)\b[^)]*\)")


_IN_PASSING = re.compile(
    r"\b(?:urgent action|action urgente|acci[óo]n urgente)\s+(?P<number>\d{1,4}[./]\d{2})\b",
    re.IGNORECASE,
)


_GENDER = re.compile(r"^(?:gender|genre|g[ée]nero|geschlecht)\b.*$", re.IGNORECASE)


def meta(lines: list[str], sheet: Sheet) -> list[str]:
    """Take the labelled lines (reference, deadline, language, names) out; return the rest."""
    rest: list[str] = []
    skip = False
    # The header is the sheet's top, or the lines from where an older mailing opens on its
    # reference ("UA 165/09 Forced eviction") when a blog or a mail archive put its own lines
    # above the sheet.
    opening = next(
        (k for k, line in enumerate(lines[:80]) if _opens_a_mailing(line.strip())),
        0,
    )
    for i, line in enumerate(lines):
        if skip:
            skip = False
            continue
        following = lines[i + 1] if i + 1 < len(lines) else ""
        # The mailing's date stands just above where it opens ("30 January 2009").
        top = i < 8 or opening - 3 <= i < opening + 8
        taken, skip = _take(plain_line(line), following, sheet, top=top)
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
    return squeeze(rest)


def _opens_a_mailing(line: str) -> bool:
    """Where an older mailing starts under a blog's or a team's own lines: on its reference
    ("UA 165/09 Forced eviction"), or on the follow-up's ("Further information on UA 97/10
    (28 April 2010) ..."), the list of people coming right after."""
    if _OPENS_ON_REFERENCE.match(line):
        return True
    label = labels.FOLLOW_UP.match(line)
    found = find_reference(line) if label else None
    return found is not None and found.follow_up and len(line) < 200


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
    dated = opens and not issued and not labels.DEADLINE.search(line)  # "Appelle bis ..."
    if dated and (at_end := _DATE_AT_END.search(line)) and one_date(at_end[0]):
        sheet.issued = sheet.issued or at_end[0].strip()
        line = line[: at_end.start()]
    _concern(line, sheet, top=top, index=index is not None, issued=issued is not None)
    if title := TITLE_COUNTRY.search(line):
        sheet.country = sheet.country or title["country"].strip()
        return False, False  # a web page's title: the heading, read again there
    if len(line) > 120:
        # A web page runs the header into the story and the deadline: both are read too.
        _deadline_line(line, following, sheet, top)
        return False, False
    if opens:
        _deadline_line(line, following, sheet, top)  # "... Appelle bis 27. Januar 2015"
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
        # A section's page of letters: "UA-313/2014 Verschwindenlassen - Syrien. Appelle bis
        # 27. Januar 2015": the concern, the country after a dash, then the deadline.
        if deadline := labels.DEADLINE.search(concern):
            concern = concern[: deadline.start()]
        if (dashed := _COUNTRY_AFTER_DASH.match(concern.strip())) and country_code(
            dashed["country"]
        ):
            sheet.country = sheet.country or dashed["country"]
            concern = dashed["concern"]
        sheet.title = sheet.title or concern.strip(" :-")
        sheet.concern = sheet.concern or concern.strip(" :-")


_COUNTRY_AFTER_DASH = re.compile(
    r"^(?P<concern>.{3,80}?)\s+[–—-]\s+(?P<country>[^.–—-]{3,40})\.?$"
)


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
    keep = labels.WRITE_TO.match(line) or STEP.match(line) or len(line) > 120
    return not (keep or _HEADING_AFTER_DATE.match(_after_date(match["date"]))), False


# A list of current actions gives each one's deadline before its heading: "Aktuelle Eilaktion
# bis zum 7. Dezember 2017, Kolumbien: Indigene in Gefahr". What follows the date is still the
# heading (the country and the title), so the line stays for the heading's rule.
_HEADING_AFTER_DATE = re.compile(r"^\s*[,–—-]\s*[^\W\d][^:]{1,40}:\s*\w")


def _after_date(text: str) -> str:
    mention = one_date(text)
    return text[mention.end :] if mention else ""


def dated_heading(line: str) -> str | None:
    """The heading after a deadline on one line ("Aktuelle Eilaktion bis zum 7. Dezember 2017,
    Kolumbien: Indigene in Gefahr" gives "Kolumbien: Indigene in Gefahr"), or None."""
    match = labels.DEADLINE.search(line)
    if match is None or not one_date(match["date"]):
        return None
    after = _after_date(match["date"])
    return after.strip(" ,–—-") if _HEADING_AFTER_DATE.match(after) else None


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
    if is_caps(country) and country_code(country) and LISTED.match(rest):
        sheet.country = sheet.country or country
        line = rest
    elif region := _COUNTRY_AND_REGION.match(line):
        # "USA-Ohio Kevin Keith (m)", "USA (Texas) David Lee Powell": the country and the state.
        if not (is_caps(region["country"]) and country_code(region["country"])):
            return None
        sheet.country = sheet.country or region["country"]
        if not LISTED.match(region["rest"]):
            return None  # the story runs on from the name: read there
        line = region["rest"]
    if listed := LISTED.match(line):
        sheet.people.append((listed["name"], None))
        if listed["what"]:
            sheet.described[listed["name"]] = listed["what"].strip()
        return True, False
    return _listed_group(line, sheet)


# A country in capitals with the state or region the case is in, before the list of people.
_COUNTRY_AND_REGION = re.compile(
    r"^(?P<country>[A-Z][A-Z.]{1,30})(?:\s*\((?P<region>[A-Z][^()]{1,30})\)|-(?P<state>[A-Z][a-z]+"
    r"(?:\s[A-Z][a-z]+)??))\s+(?P<rest>[A-Z].*)$"
)


# Where a group listed in the header is: "in Tunisia", "aus Kolumbien", "en Chiapas".
_WHERE = re.compile(r"\s+(?:in|im|en|aus|from|near|bei|nahe|à|di|del?)\s+[A-ZÀ-Ý][\w'’ -]{1,40}")


def _listed_group(line: str, sheet: Sheet) -> Taken:
    """The older mailings' list naming a group where a name would be: "BRAZIL Over 200
    homeless families", "BRAZIL Community of Restinga": the group, as the sheet describes it."""
    words = line.split()
    for k in range(min(3, len(words) - 1), 0, -1):
        country, rest = " ".join(words[:k]), " ".join(words[k:])
        if not (is_caps(country) and country_code(country)) or is_caps(rest):
            continue
        group = group_at_risk(f"{rest}.") or ""
        after = rest[len(group) :] if rest.lower().startswith(group.lower()) else ""
        # The group, and where it is: "TUNISIA human rights activists in Tunisia".
        if group and (not after or _WHERE.fullmatch(after)):
            sheet.country = sheet.country or country
            sheet.people.append((rest[:1].upper() + rest[1:], None))
            return True, False
        return None
    return None


def _names_line(line: str, following: str, sheet: Sheet, top: bool) -> Taken:
    if names := names_in_line(line):
        sheet.people = sheet.people or [(name, None) for name in names if name]
        return True, False
    return None


def _date_line(line: str, following: str, sheet: Sheet, top: bool) -> Taken:
    """A web page's date under its title."""
    mention = one_date(line) if top and len(line) < 30 else None
    if mention and mention.year:
        # A blog's date of posting above the mailing's own: the first is kept, neither is story.
        sheet.issued = sheet.issued or line.strip()
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
