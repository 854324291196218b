"""The case's key dates from a sheet: its deadline, and the latest event its story dates.

A date written without a year ("29 January", "nach dem 9. Januar") takes the sheet's year and is
moved across the year's end where it must: a deadline falls after the sheet's date (a sheet of
December asking for appeals until 29 January means the next January), an event before it. A
sheet without a date of its own is placed by the latest dated event of its story.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from bot.importer.layouts import Sheet
from bot.importer.normalise import DateMention, dates_in, years_in
from bot.importer.report import ImportReport, NoteKind

# Languages whose nouns are written with a capital: their words are never lower-cased.
NOUNS_CAPITALISED = frozenset({"de", "lb"})
# A key date's label: the start of the sentence that gives it, in so many words at most.
LABEL_WORDS = 14
# A deadline line that moves the deadline: its last date is the one that holds.
_EXTENDED = re.compile(
    r"\b(?:extended|postponed|moved|prolong[ée]e?|report[ée]e?|prorrogad[oa]|ampliad[oa]"
    r"|extendid[oa]|verl[äa]ngert|verschoben)\b",
    re.IGNORECASE,
)
_UNTIL_WORDS = re.compile(r"\b(?:until|by|before)\s*$", re.IGNORECASE)
_NAME = r"(?:[A-Z][\w’'-]+\s+){1,3}[A-Z][\w’'-]+"
APPOSITIVE = re.compile(
    rf"^(?P<name>{_NAME}),\s+(?P<description>[^,]+?)(?:,|\s+(?:will|is|has|had|was|were"
    r"|remains|faces|could|may|must|continues)\b)"
)


@dataclass
class KeyDates:
    """Reads one sheet's key dates, noting what the organizer should check."""

    sheet: Sheet
    report: ImportReport
    today: date
    language: str

    def read(self, issued: date | None, deadline_label: Mapping[str, str]) -> list[dict[str, Any]]:
        """The story's latest dated event, then the deadline, as the case file holds them."""
        year = self.context_year(issued)
        deadline, deadline_mention = self.deadline(year, issued or self.latest_written())
        if deadline is None:
            self.report.note(NoteKind.MISSING, "key_dates.deadline")
        dates: list[dict[str, Any]] = []
        if event := self.latest_event(year, issued, deadline, deadline_mention):
            dates.append(event)
        if deadline is not None:
            labels = self.deadline_labels(deadline_label)
            dates.append({"date": deadline, "label": labels, "deadline": True})
        return dates

    def context_year(self, issued: date | None) -> int:
        """The year a date without one is in: the sheet's, else the latest the text names."""
        if issued:
            return issued.year
        sheet = self.sheet
        years = years_in(" ".join([*sheet.story, *sheet.additional, sheet.deadline or ""]))
        return max(years) if years else self.today.year

    def latest_written(self) -> date | None:
        """The latest date the story writes with its year: the sheet is no older."""
        found = [
            on
            for paragraph in self.sheet.story
            for mention in dates_in(paragraph)
            if mention.year and (on := mention.on(mention.year))
        ]
        return max(found, default=None)

    def deadline(self, year: int, anchor: date | None) -> tuple[date | None, DateMention | None]:
        """The "until" line's date, else a date the summary gives after "until" or "by"."""
        sheet = self.sheet
        if sheet.deadline and (written := dates_in(sheet.deadline)):
            # "Deadline extended from August 8, 2024 to October 3, 2024": the new date.
            mention = written[-1] if _EXTENDED.search(sheet.deadline) else written[0]
            return self.resolve(mention, year, anchor, "key_dates", after=True), None
        if not sheet.story:
            return None, None
        for mention in dates_in(sheet.story[0]):
            if _UNTIL_WORDS.search(sheet.story[0][: mention.start]):
                on = self.resolve(mention, year, anchor, "key_dates", after=True)
                self.report.note(NoteKind.DEADLINE_GUESSED, "key_dates", written=mention.written)
                return on, mention
        return None, None

    def latest_event(
        self,
        year: int,
        issued: date | None,
        deadline: date | None,
        deadline_mention: DateMention | None,
    ) -> dict[str, Any] | None:
        """The story's latest dated event before the sheet's date (or the deadline)."""
        latest: tuple[date, str, DateMention] | None = None
        limit = issued or deadline
        for paragraph in self.sheet.story:
            for mention in dates_in(paragraph):
                if mention == deadline_mention:
                    continue
                on = self.resolve(mention, year, issued, "", after=False, quiet=True)
                if on is None or (limit and on > limit) or on == deadline:
                    continue
                if latest is None or on > latest[0]:
                    latest = (on, paragraph, mention)
        if latest is None:
            return None
        on, paragraph, mention = latest
        self.resolve(mention, year, issued, "key_dates", after=False)
        label = _label(paragraph, mention)
        self.report.note(NoteKind.LABEL_WRITTEN, "key_dates", date=on.isoformat(), value=label)
        return {"date": on, "label": label}

    def deadline_labels(self, deadline_label: Mapping[str, str]) -> dict[str, str]:
        """The deadline's label in the bot's languages, the case's own language first (the
        catalogue falls back to it)."""
        own = deadline_label.get(self.language)
        if own is None:
            # A language the bot does not speak: the sheet's own words label the date.
            words = self.sheet.deadline_words or self.sheet.deadline or ""
            own = sentence_case(words, self.language)
            self.report.note(NoteKind.GUESSED, "key_dates.label", value=own)
        return {self.language: own, **deadline_label}

    def resolve(
        self,
        mention: DateMention,
        year: int,
        anchor: date | None,
        where: str,
        *,
        after: bool,
        quiet: bool = False,
    ) -> date | None:
        """The date of a mention; a year it lacks is the sheet's, moved so that a deadline
        falls after `anchor` (the sheet's date) and an event before it."""
        on = mention.on(year)
        if on is None or mention.year is not None:
            return on
        if anchor and after and on < anchor:
            on = mention.on(year + 1)
        elif anchor and not after and on > anchor:
            on = mention.on(year - 1)
        if on is not None and not quiet:
            self.report.note(
                NoteKind.YEAR_INFERRED, where, written=mention.written, value=on.isoformat()
            )
        return on


def sentence_case(words: str, language: str) -> str:
    """A sheet's words as a label: its first letter a capital. Words written in capitals are
    lower-cased, except in a language whose nouns are capitalised (German), where the
    capitals a reader cannot restore are kept; words in mixed case stay as written."""
    if words.isupper() and language not in NOUNS_CAPITALISED:
        words = words.lower()
    return words[:1].upper() + words[1:]


def _label(paragraph: str, mention: DateMention) -> str:
    """The clause the date is written in, without the person's description, cut short."""
    sentences = re.split(r"(?<=[.!?])\s+", paragraph)
    sentence = next((s for s in sentences if mention.written in s), mention.written)
    if appositive := APPOSITIVE.match(sentence):
        sentence = appositive["name"] + sentence[appositive.end("description") :].lstrip(",")
    clauses = re.split(r"[:;]\s+", sentence)
    clause = next((c for c in clauses if mention.written in c), sentence)
    words = clause.rstrip(".!?").split()
    label = " ".join(words[:LABEL_WORDS]).rstrip(",;:")
    if len(words) > LABEL_WORDS:
        label += "…"
    return label[:1].upper() + label[1:]
