"""From a sheet's parts to a case: the facts normalised, checked, and matched to known cases.

`import_sheet` reads the text of a sheet and returns the case file's mapping (the format of
`actions/*.toml`), the case when that mapping loads, and a report of what to check. A follow-up
("Further information") is matched to the case it continues, by UA reference, by the link to
the previous sheet or by the person's name, and becomes that case updated.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from bot.catalogue import (
    FACTS_LIMIT,
    SHEET_REGION,
    CatalogueError,
    Problem,
    case_from_mapping,
    gaps,
)
from bot.catalogue.fields import TEXT_LIMITS
from bot.domain.cases import CaseStatus, TargetRole, UrgentAction
from bot.domain.phones import display
from bot.importer import followups, pages, sections
from bot.importer.asks import letter_ready
from bot.importer.dates import APPOSITIVE, NOUNS_CAPITALISED, KeyDates
from bot.importer.extract import clean_lines
from bot.importer.layouts import Sheet, parse_sheet
from bot.importer.layouts.headings import headed_country
from bot.importer.normalise import (
    country_code,
    emails_in,
    english_name,
    find_country,
    language_code,
    language_of,
    one_date,
    phone_number,
    proper_words,
    recase_title,
    recase_words,
    region_of,
    slug_for,
    timezone_for,
)
from bot.importer.officials import TargetBlock, address_block
from bot.importer.people import (
    FoundPerson,
    group_at_risk,
    joined,
    people_asked_for,
    people_in,
    people_introduced,
    people_listed,
    people_named_again,
    without_article,
)
from bot.importer.report import ImportReport, Note, NoteKind, gap_notes
from bot.importer.themes import read_themes

_HE = re.compile(r"\b(?:he|him|his|himself)\b", re.IGNORECASE)
_SHE = re.compile(r"\b(?:she|her|hers|herself)\b", re.IGNORECASE)
# The International Secretariat's index ("MDE 12/6743/2023") names the sheet's web page.
_DOCUMENT_URL = "https://www.amnesty.org/en/documents/{region}{number}/{serial}/{year}/en/"
# The summary's room on the case's card, which is one message with the people and the asks.
SUMMARY_CHARACTERS = 700


@dataclass(frozen=True)
class Imported:
    """An imported sheet: the case file's mapping, the case if it loads, and what to check."""

    mapping: dict[str, Any]
    case: UrgentAction | None
    report: ImportReport
    update_of: UrgentAction | None = None
    problems: tuple[Problem, ...] = ()

    @property
    def slug(self) -> str:
        """The case's slug."""
        return str(self.mapping.get("slug", ""))

    @property
    def gaps(self) -> tuple[str, ...]:
        """What the draft still lacks before it can be published."""
        return gaps(self.case) if self.case is not None else ()

    @property
    def gap_notes(self) -> tuple[Note, ...]:
        """The gaps, as the organizer's words name them."""
        return gap_notes(self.gaps)


def import_sheet(
    text: str,
    *,
    deadline_label: Mapping[str, str],
    existing: Sequence[UrgentAction] = (),
    dialled_from: str = SHEET_REGION,
    today: date | None = None,
    source: str = "sheet",
) -> Imported:
    """Read a sheet's text into a case; a follow-up of one of `existing` updates that case.

    `deadline_label` labels a deadline the sheet states ("until: 29 June 2023"), by language;
    numbers not in
    international form are read as dialled from `dialled_from`; `today` gives the year when
    nothing in the sheet does.
    """
    lines, other_cases = pages.first_case(clean_lines(text))
    sheet = parse_sheet(lines)
    report = ImportReport(layout=sheet.layout)
    if other_cases:
        report.note(NoteKind.MORE_CASES, "reference", value=", ".join(other_cases))
    if dialled_from == SHEET_REGION:
        # Not told otherwise: a section's sheet writes numbers as dialled from its country.
        words = language_of(" ".join([*sheet.story, *sheet.letter, *sheet.asks]))
        dialled_from = sections.dialled_from(sheet, words) or dialled_from
    reader = _Reader(sheet, report, dialled_from, today or date.today())
    mapping = reader.mapping(deadline_label)
    original = followups.known_case(sheet, mapping, existing)
    if original is not None:
        report.note(NoteKind.UPDATE, "slug", slug=original.slug)
        mapping = followups.updated(original, mapping, sheet, report)
        if mapping.get("themes"):
            # The case it updates has its themes: the follow-up not labelling any is no gap.
            missing = Note(NoteKind.MISSING, "themes")
            report.notes = [n for n in report.notes if n != missing]
    else:
        mapping["slug"] = unique_slug(mapping["slug"], {c.slug for c in existing})
        if sheet.follow_up:
            report.note(NoteKind.FOLLOW_UP, "reference", reference=sheet.reference or "")
            mapping = followups.closed_if_whole(mapping, sheet, report, source)
    try:
        case = case_from_mapping(mapping, source=source)
    except CatalogueError as error:
        for problem in error.problems:
            report.note(NoteKind.PROBLEM, problem.field, message=problem.message)
        return Imported(mapping, None, report, original, error.problems)
    return Imported(mapping, case, report, original)


@dataclass
class _Reader:
    """Reads one sheet's parts into a case file's mapping, noting what to check."""

    sheet: Sheet
    report: ImportReport
    dialled_from: str
    today: date

    def mapping(self, deadline_label: Mapping[str, str]) -> dict[str, Any]:
        sheet, note = self.sheet, self.report.note
        story = " ".join(sheet.story + sheet.additional)
        country, code = self.country(story)
        shared_salutation(sheet.targets)
        targets = [self.target(block, i, code) for i, block in enumerate(sheet.targets)]
        code, timezone = self.place(code, targets)
        lang = self.language
        title = self.title(story)
        people = self.people()
        summary = sheet.story[0] if sheet.story else ""
        background = "\n\n".join(sheet.story[1:] + sheet.additional)
        if len(summary) > SUMMARY_CHARACTERS:
            # A summary is two or three sentences; the paragraph goes on in the background.
            first = _within(summary, SUMMARY_CHARACTERS)
            rest = summary[len(first) :].strip()
            summary, background = first, "\n\n".join(p for p in (rest, background) if p)
            note(NoteKind.GUESSED, f"text.{lang}.summary", value=summary)
        for where, value in (("summary", summary), ("background", background)):
            if not value:
                note(NoteKind.MISSING, f"text.{lang}.{where}")
        asks, card_asks = self.asks(lang), self.card_asks(lang)
        if not asks:
            note(NoteKind.MISSING, f"text.{lang}.asks")
        facts = self.facts()
        issued = self.issued()
        data: dict[str, Any] = {
            "slug": slug_for(code or "xx", people[0]["name"] if people else title or "case"),
        }
        if sheet.reference:
            data["reference"] = sheet.reference
        else:
            note(NoteKind.MISSING, "reference")
        data["country"] = country or ""
        data["country_code"] = code or ""
        data["status"] = str(CaseStatus.DRAFT)
        if issued:
            data["issued"] = issued
        else:
            note(NoteKind.MISSING, "issued")
        data["timezone"] = timezone or "UTC"
        if url := self.source_url():
            data["source_url"] = url
        data["people"] = people
        data["text"] = {
            lang: {
                "title": title,
                "summary": summary,
                "background": background,
                "asks": asks,
                **({"card_asks": card_asks} if card_asks else {}),
                **({"facts": facts} if facts else {}),
            }
        }
        data["targets"] = targets
        if not targets:
            note(NoteKind.MISSING, "targets")
        data["key_dates"] = KeyDates(sheet, self.report, self.today, lang).read(
            issued, deadline_label
        )
        if themes := self.themes():
            data["themes"] = themes
        return data

    def _told_apart(self) -> bool:
        """Whether the sheet lists its asks to the reader in other words than its model letter
        asks them of the official, one for one."""
        sheet = self.sheet
        return len(sheet.letter_asks) == len(sheet.asks) > 0 and [
            _plain_ask(a) for a in sheet.letter_asks
        ] != [_plain_ask(a) for a in sheet.asks]

    def card_asks(self, language: str) -> list[str]:
        """The sheet's own list of asks for the card, where its model letter words them for
        the official; none where the two say the same."""
        if not self._told_apart():
            return []
        return [letter_ready(written, language)[0] for written in self.sheet.asks]

    def asks(self, language: str) -> list[str]:
        """The sheet's asks as the letters can use them; those they cannot, flagged. Where the
        model letter words them for the official, the letter's."""
        asks = []
        written_asks = self.sheet.letter_asks if self._told_apart() else self.sheet.asks
        for i, written in enumerate(written_asks):
            ask, ready = letter_ready(written, language)
            if not ready:
                self.report.note(NoteKind.ASK_NOT_READY, f"text.{language}.asks[{i}]", written=ask)
            asks.append(ask)
        return asks

    def place(
        self, code: str | None, targets: list[dict[str, Any]]
    ) -> tuple[str | None, str | None]:
        """The case's country code (from the officials' numbers where the story names none)
        and its time zone."""
        note = self.report.note
        to_numbers = [
            number
            for target in targets
            if target["role"] == TargetRole.TO
            for number in (target.get("fax"), target.get("phone"))
            if number
        ]
        if code is None and to_numbers:
            code = region_of(to_numbers[0])
            if code:
                note(NoteKind.GUESSED, "country_code", value=code)
        elif code and to_numbers and region_of(to_numbers[0]) not in (code, None):
            note(NoteKind.GUESSED, "country_code", value=code)
        if code is None:
            note(NoteKind.MISSING, "country_code")
        # An embassy's numbers tell where the embassy is, not where the case is.
        local = [n for n in to_numbers if code is None or region_of(n) == code]
        timezone, certain = timezone_for(local, code)
        if timezone is None:
            note(NoteKind.MISSING, "timezone")
        elif not certain:
            note(NoteKind.GUESSED, "timezone", value=timezone)
        return code, timezone

    def themes(self) -> list[str]:
        """The themes the sheet labels, else those its words name outright (noted as inferred,
        for the organizer to check); topics that are no theme of ours are noted, not mapped."""
        sheet, note = self.sheet, self.report.note
        words = " ".join([sheet.title or "", *sheet.story, *sheet.additional, *sheet.asks])
        found = read_themes(sheet.themes, sheet.concern, " ".join([words, *sheet.letter]))
        for topic in found.unknown:
            note(NoteKind.THEME_UNKNOWN, "themes", written=topic)
        if not found.keys:
            note(NoteKind.MISSING, "themes")
        elif not found.labelled:
            note(NoteKind.THEMES_INFERRED, "themes", value=", ".join(found.keys))
        return list(found.keys)

    @property
    def language(self) -> str:
        """The language the sheet is written in (two letters)."""
        sheet = self.sheet
        return language_of(" ".join([*sheet.story, *sheet.letter, *sheet.asks]))

    def facts(self) -> str | None:
        """What happened, as the model letter states it: its first paragraph that names the
        people at risk, else the summary; for the letters, in the sheet's language."""
        letter = self.sheet.letter
        names = [n for n, _ in self.sheet.people] or [p.name for p in self.found_people]
        words = {w.lower() for n in names for w in n.split() if len(w) > 3}
        naming = [p for p in letter if words & {w.lower().strip(".,’'s") for w in p.split()}]
        found = (naming or letter or self.sheet.story[:1] or [""])[0]
        facts = _within(without_asks(found, self.sheet.asks, names), FACTS_LIMIT)
        if facts:
            self.report.note(NoteKind.GUESSED, f"text.{self.language}.facts", value=facts)
        return facts or None

    def country(self, story: str) -> tuple[str | None, str | None]:
        written = self.sheet.country
        if written:
            code = country_code(written)
            name = recase_words(written) if written == written.upper() else written
            if code:
                return english_name(code) or name, code
        if self.sheet.story and (headed := headed_country(self.sheet.story[0])):
            code = country_code(headed)
            self.report.note(NoteKind.GUESSED, "country", value=headed)
            return english_name(code) if code else headed, code
        # The story, else the officials' blocks ("Embassy of the Arab Republic of Egypt"): in
        # English and the sheet's language first, then in the other languages sheets use.
        blocks = [b for b in self.sheet.targets if b.role is TargetRole.TO]
        texts = [
            # The sentence the asks were read from names whom to write to ("the Bahraini
            # authorities"), and so the country, as the story would.
            " ".join([self.sheet.title or "", story, self.sheet.asked_in or ""]),
            " ".join(line for b in blocks for line in b.lines),
        ]
        own = tuple(dict.fromkeys(("en", self.language)))
        found = next(
            (f for languages in (own, None) for t in texts if (f := find_country(t, languages))),
            None,
        )
        if found is None:
            self.report.note(NoteKind.MISSING, "country")
            return written, None
        name, code = found
        self.report.note(NoteKind.GUESSED, "country", value=name)
        return english_name(code) or name, code

    def title(self, story: str) -> str:
        written, where = self.sheet.title, f"text.{self.language}.title"
        if not written:
            self.report.note(NoteKind.MISSING, where)
            return ""
        title = recase_title(written, story, nouns_capitalised=self.language in NOUNS_CAPITALISED)
        if title != written:
            self.report.note(NoteKind.RECASED, where, written=written, value=title)
        if len(title) > TEXT_LIMITS["title"]:
            # A page whose heading is a paragraph: its first sentence, or its first words, as a
            # title to check; the case's rules would refuse it whole.
            title = shortened_title(title, TEXT_LIMITS["title"])
            self.report.note(NoteKind.GUESSED, where, value=title)
        return title

    @property
    def found_people(self) -> list[FoundPerson]:
        """The people the story names as at risk (not the officials it names)."""
        sheet = self.sheet
        officials = [line for block in sheet.targets for line in block.lines[:2]]
        # The story names them; where it does not (a page of sample letters in another language
        # than the letter), the model letter does: "the arrest of ... Patrick Zaki George".
        found = people_in(sheet.story, not_people=officials) or people_in(
            sheet.letter, not_people=officials
        )
        # Named only in a list ("Honorary Members A, B ... and G") or in the asks ("release A
        # and B"): the same people however they are spelt are one.
        told = [*sheet.story, *sheet.letter]
        return joined(
            found,
            people_listed(told, not_people=officials),
            people_asked_for(sheet.asks, told, not_people=officials),
            people_named_again(told, not_people=officials),
            people_introduced(told, not_people=officials),
        )

    def people(self) -> list[dict[str, Any]]:
        sheet, note = self.sheet, self.report.note
        summary = sheet.story[0] if sheet.story else ""
        named = list(sheet.people)
        found = self.found_people
        described = {**{p.name: p.description for p in found}, **sheet.described}
        if not named:
            named = [(p.name, None) for p in found]
            for i, someone in enumerate(found):
                note(NoteKind.GUESSED, f"people[{i}].name", value=someone.name)
        if not named and (group := group_at_risk(summary)):
            # No one named: a group the story opens on ("Six men", "the members of ...").
            named = [(group, None)]
            note(NoteKind.GUESSED, "people[0].name", value=group)
        if not named:
            note(NoteKind.MISSING, "people")
            return []
        people = []
        for i, (name, written_pronoun) in enumerate(named):
            person: dict[str, Any] = {"name": name}
            pronoun = written_pronoun
            # A group ("Community of Restinga") is no "he" or "she".
            a_group = group_at_risk(f"{name}.") is not None
            if pronoun is None and len(named) == 1 and self.language == "en" and not a_group:
                pronoun = _pronoun(" ".join(sheet.story + sheet.additional))
                if pronoun:
                    note(NoteKind.GUESSED, f"people[{i}].pronoun", value=pronoun)
            if pronoun is None:
                note(NoteKind.MISSING, f"people[{i}].pronoun")
            if pronoun:
                person["pronoun"] = pronoun
            story = " ".join(sheet.story + sheet.additional)
            description = described.get(name)
            if description is None and len(named) == 1:
                description = _description(summary, name, story, self.language)
            if description:
                person["description"] = description
                note(NoteKind.GUESSED, f"people[{i}].description", value=description)
            else:
                note(NoteKind.MISSING, f"people[{i}].description")
            people.append(person)
        return people

    def target(self, block: TargetBlock, index: int, country: str | None) -> dict[str, Any]:
        where, note = f"targets[{index}]", self.report.note
        name, title, organisation, address = address_block(block.lines)
        if name is None and organisation and block.role is TargetRole.COPY:
            # "Embassy of Kazakhstan" and its address, no ambassador named: the copy goes to the
            # embassy itself, and its letter is headed with the embassy's name.
            name, organisation = organisation, None
            note(NoteKind.GUESSED, f"{where}.name", value=name)
        elif name is None:
            note(NoteKind.MISSING, f"{where}.name")
        elif title is None:
            note(NoteKind.MISSING, f"{where}.title")
        target: dict[str, Any] = {"role": str(block.role), "name": name or ""}
        if title:
            target["title"] = title
        if organisation:
            target["organisation"] = organisation
        target["address"] = address
        target["emails"] = self.emails(block, where)
        for key, numbers in (("fax", block.faxes), ("phone", block.phones)):
            if numbers:
                target[key] = self.number(numbers[0], f"{where}.{key}", country)
        if block.salutations:
            target["salutation"] = dict(block.salutations)
        elif block.salutation:
            target["salutation"] = block.salutation
        elif block.role is TargetRole.TO:
            note(NoteKind.MISSING, f"{where}.salutation")
        self.language_of_target(block, target, where)
        return {k: v for k, v in target.items() if v not in (None, [], "") or k == "name"}

    def emails(self, block: TargetBlock, where: str) -> list[str]:
        """An official's addresses, each once; what is no address is noted."""
        emails: list[str] = []
        for written in block.emails:
            good, bad = emails_in(written)
            emails.extend(e for e in good if e not in emails)
            for address_text in bad or ([] if good else [written]):
                self.report.note(NoteKind.EMAIL_INVALID, f"{where}.emails", written=address_text)
        return emails

    def language_of_target(self, block: TargetBlock, target: dict[str, Any], where: str) -> None:
        """The language an official is written to in, where the sheet names one."""
        note = self.report.note
        if block.role is TargetRole.TO and self.sheet.languages:
            code = language_code(self.sheet.languages[0])
            if code:
                target["language"] = code
            if len(self.sheet.languages) > 1:
                note(
                    NoteKind.SEVERAL_LANGUAGES,
                    f"{where}.language",
                    value=", ".join(self.sheet.languages),
                )

    def number(self, written: str, where: str, country: str | None) -> str | None:
        e164, problem = phone_number(written, dialled_from=self.dialled_from, country=country)
        if e164 is None:
            self.report.note(NoteKind.NUMBER_INVALID, where, written=written, why=problem or "")
            return None
        if not written.strip().startswith("+"):
            self.report.note(
                NoteKind.NUMBER_CONVERTED,
                where,
                written=written,
                value=display(e164),
                region=self.dialled_from,
            )
        return display(e164)

    def issued(self) -> date | None:
        mention = one_date(self.sheet.issued or "")
        return mention.on(mention.year) if mention and mention.year else None

    def source_url(self) -> str | None:
        index = re.fullmatch(r"([A-Z]{3})\s*(\d{2})/(\d{3,5})/(\d{4})", self.sheet.index or "")
        if index is None:
            return None
        region, number, serial, year = index.groups()
        url = _DOCUMENT_URL.format(region=region.lower(), number=number, serial=serial, year=year)
        self.report.note(NoteKind.GUESSED, "source_url", value=url)
        return url


def shared_salutation(blocks: Sequence[TargetBlock]) -> None:
    """One letter for every official, opening with each one's salutation in turn ("Dear
    Attorney General of Mexico / Your Excellency,"): each official takes their own, where the
    parts are as many as the officials written to and the others have none."""
    written = [b for b in blocks if b.role is TargetRole.TO]
    if len(written) < 2 or written[0].salutations or written[0].salutation is None:
        return
    parts = [p.strip() for p in written[0].salutation.split(" / ")]
    if len(parts) != len(written) or any(b.salutation for b in written[1:]):
        return
    for block, part in zip(written, parts, strict=True):
        block.salutation = part


# Where a paragraph's sentences end.
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
# Of an ask's words, the share a sentence holds when it restates the ask; less when the
# sentence speaks to the official ("I urge you to release him": a pronoun for the name).
_RESTATED = 0.7
_RESTATED_TO_YOU = 0.5
_TO_YOU = re.compile(r"(?i:\b(?:you|vous|usted|ustedes|le insto|le pido)\b)|\b(?:Sie|Ihnen)\b")


def without_asks(paragraph: str, asks: Sequence[str], names: Sequence[str]) -> str:
    """The paragraph without the sentences that restate an ask: a model letter's paragraph
    often tells what happened and then asks ("I urge you to release ..."), and the letter
    states the asks after the facts, so the facts leave them out.

    A sentence restates an ask when it holds the ask's first word (its verb: "release",
    "libérer") and most of its other words. The people's names count for neither: the story
    names them as the asks do."""
    named = {w.lower() for name in names for w in name.split()}

    def words(text: str) -> list[str]:
        found = re.findall(r"[^\W\d_]+", text.lower())
        return [w for w in found if len(w) > 3 and w not in named]

    asked = [(w[0], set(w)) for ask in asks if len(w := words(ask)) >= 3]

    def restates(sentence: str) -> bool:
        share = _RESTATED_TO_YOU if _TO_YOU.search(sentence) else _RESTATED
        said = set(words(sentence))
        return any(verb in said and len(ask & said) >= share * len(ask) for verb, ask in asked)

    kept = [s for s in _SENTENCE_END.split(paragraph) if not restates(s)]
    return " ".join(kept)


def _within(text: str, limit: int) -> str:
    """The text's first sentences that fit `limit` characters (at least the first, cut)."""
    if len(text) <= limit:
        return text
    kept = ""
    for sentence in _SENTENCE_END.split(text):
        if len(kept) + len(sentence) + 1 > limit:
            break
        kept = f"{kept} {sentence}".strip()
    return kept or text[: limit - 1].rstrip() + "…"


def unique_slug(slug: str, taken: set[str]) -> str:
    """`slug`, or `slug-2`, `slug-3`... (within 32 characters): a new case never takes the
    slug of another, whose file and stored case it would overwrite."""
    if slug not in taken:
        return slug
    n = 2
    while True:
        suffix = f"-{n}"
        candidate = slug[: 32 - len(suffix)].rstrip("-") + suffix
        if candidate not in taken:
            return candidate
        n += 1


def _description(summary: str, name: str, story: str, language: str = "en") -> str | None:
    """What the summary says the person is: "Zhanbolat Mamay, journalist and ..., will" or
    "Journalist Karim Adel has"."""
    match = APPOSITIVE.match(summary)
    if match and match["name"] == name:
        found = match["description"]
    else:
        before = re.match(
            rf"^(?:On [^,]+,\s*)?(?P<words>[A-Za-z][\w -]{{2,60}}?)\s+{re.escape(name)}\b",
            summary,
        )
        if before is None:
            return None
        found = before["words"]
    found = without_article(found)
    first = found.split(" ", 1)[0]
    if first.lower() in proper_words(story) or language in NOUNS_CAPITALISED:
        return found  # "Journalistin": a German noun keeps its capital
    return (found[:1].lower() + found[1:]) if found else None


def _pronoun(text: str) -> str | None:
    """He or she, when the story clearly says which: one is used more than twice the other."""
    he, she = len(_HE.findall(text)), len(_SHE.findall(text))
    if he > 2 * she and he >= 2:
        return "he"
    if she > 2 * he and she >= 2:
        return "she"
    return None


def shortened_title(title: str, limit: int) -> str:
    """A heading too long for a title: its first sentence if that fits, else its first words
    within `limit`, ending in an ellipsis."""
    sentence = re.split(r"(?<=[.!?])\s", title, maxsplit=1)[0].rstrip(".")
    if len(sentence) <= limit:
        return sentence
    cut = title[: limit - 1].rsplit(" ", 1)[0].rstrip(" ,;:-–—")
    return cut + "…"


def _plain_ask(ask: str) -> str:
    """An ask without its case, punctuation and spacing, to tell two wordings apart."""
    return " ".join(re.sub(r"[^\w\s]", " ", ask.casefold()).split())
