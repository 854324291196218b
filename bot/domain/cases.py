"""Urgent Actions as values: the case, the people at risk, the officials to write to, the dates.

Pure data, no I/O. The catalogue (`bot.catalogue`) builds these from TOML files, the database
stores them as JSON documents (`bot.db.cases`), and everything else reads them.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.rendering import list_of


class CaseStatus(enum.StrEnum):
    """Where a case stands: drafts are invisible to subscribers, closed cases take no appeals."""

    DRAFT = "draft"
    ACTIVE = "active"
    CLOSED = "closed"


class TargetRole(enum.StrEnum):
    """Whether an official is written *to*, or receives a *copy* (usually an embassy)."""

    TO = "to"
    COPY = "copy"


class Channel(enum.StrEnum):
    """How an appeal leaves: by email, by fax, or by post."""

    EMAIL = "email"
    FAX = "fax"
    POST = "post"


@dataclass(frozen=True)
class PersonAtRisk:
    """Someone the case is about."""

    name: str  # in the case's original language
    pronoun: str | None = None
    description: Mapping[str, str] = field(default_factory=dict)  # language -> one line
    names: Mapping[str, str] = field(default_factory=dict)  # language -> name, where it differs

    def name_in(self, language: str) -> str:
        """The person's name as written in `language`."""
        return self.names.get(language, self.name)


# What became of the people at risk, as a closed case says (button labels outcome_*): freed,
# sentenced, executed despite the appeals, or no further action asked for.
OUTCOMES = ("released", "sentenced", "executed", "nfa")


@dataclass(frozen=True)
class Target:
    """An official to write to (role `to`) or to copy (role `copy`)."""

    role: TargetRole
    name: str
    title: str | None = None
    organisation: str | None = None
    address: tuple[str, ...] = ()
    emails: tuple[str, ...] = ()
    fax: str | None = None  # E.164, e.g. "+77172745631"
    phone: str | None = None  # E.164
    salutation: str | None = None  # as the sheet gives it, e.g. "Dear Mr President"
    salutations: Mapping[str, str] = field(default_factory=dict)  # language -> salutation
    language: str | None = None  # the target's preferred language, ISO 639-1
    # Every language the official reads, the preferred first ("ru", "kk", "en"); empty: only
    # `language`, if given.
    languages: tuple[str, ...] = ()
    titles: Mapping[str, str] = field(default_factory=dict)  # language -> title, where given
    # The name and the organisation as each language writes them ("Касым-Жомарт Токаев",
    # "Ambassade de la République du Kazakhstan"), where the case gives them. The address is
    # not among them: it stays as the post of the official's country needs it.
    names: Mapping[str, str] = field(default_factory=dict)
    organisations: Mapping[str, str] = field(default_factory=dict)
    # How a language names the official at the head of a letter, where its grammar asks for
    # more than the name and title: Russian writes the addressee in the dative ("Президенту
    # Республики Казахстан К.-Ж. К. Токаеву"). It stands in the address block for the name and
    # the title; copy lines keep the name.
    addressees: Mapping[str, str] = field(default_factory=dict)

    def title_in(self, language: str) -> str | None:
        """The official's title in `language` where the case gives it, else as written."""
        return self.titles.get(language, self.title)

    @property
    def reads(self) -> tuple[str, ...]:
        """The languages the official reads, the preferred first; empty when not known."""
        return self.languages or ((self.language,) if self.language else ())

    def name_in(self, language: str) -> str:
        """The official's name as `language` writes it where the case gives it, else as written."""
        return self.names.get(language, self.name)

    def organisation_in(self, language: str) -> str | None:
        """The official's organisation in `language` where the case gives it, else as written."""
        return self.organisations.get(language, self.organisation)

    # For a copy target: the writers' countries (ISO 3166 alpha-2) it is meant for, as "the
    # embassy accredited to your country" is; empty means every writer copies it.
    for_countries: tuple[str, ...] = ()

    def copied_by(self, writer_country: str | None) -> bool:
        """Whether a writer living in `writer_country` (None: not said) copies this target."""
        if not self.for_countries:
            return True
        return writer_country is not None and writer_country in self.for_countries

    def addressee_in(self, language: str) -> str | None:
        """The address block's opening line in `language`, where the case gives one."""
        return self.addressees.get(language)

    def salutation_in(self, language: str) -> str | None:
        """The salutation for a letter in `language`, if the case gives one."""
        return self.salutations.get(language)

    def reaches_by(self, channel: Channel) -> bool:
        """Whether this target can be written to through `channel`."""
        if channel is Channel.EMAIL:
            return bool(self.emails)
        if channel is Channel.FAX:
            return self.fax is not None
        return bool(self.address)


@dataclass(frozen=True)
class KeyDate:
    """A date that matters for the case: a hearing, the end of custody. One is the deadline."""

    on: date
    label: Mapping[str, str]  # language -> label
    time: time | None = None
    timezone: str | None = None  # IANA name; the case's timezone when absent
    deadline: bool = False

    def moment(self, default_timezone: str) -> datetime:
        """This date as a UTC instant; a date without a time means its last minute."""
        tz = ZoneInfo(self.timezone or default_timezone)
        local = datetime.combine(self.on, self.time or time(23, 59), tzinfo=tz)
        return local.astimezone(UTC)


@dataclass(frozen=True)
class CaseText:
    """Everything about a case that is written in one language."""

    title: str
    summary: str  # two or three sentences: what happened
    background: str  # the "Additional Information" of the sheet
    asks: tuple[str, ...]  # the bullet points: what the officials are urged to do
    # What happened, in a few sentences a letter states between its opening and its asks:
    # who, what, when and where, so that the official can identify the case.
    facts: str | None = None
    # The asks as the card tells the subscriber what is asked of the officials ("that the
    # authorities release him"); `asks` are written to the official ("release him") for the
    # letters. Empty: the card shows the letters' asks as what the letters ask.
    card_asks: tuple[str, ...] = ()


@dataclass(frozen=True)
class UrgentAction:
    """One Urgent Action case."""

    slug: str  # stable id, [a-z0-9-], at most 32 characters: used in deep links and buttons
    country: str  # the country of the people at risk, in English ("Kazakhstan")
    country_code: str  # ISO 3166-1 alpha-2 ("KZ"): preferences filter on it
    people: tuple[PersonAtRisk, ...]
    texts: Mapping[str, CaseText]  # language -> texts; the first language is the original
    targets: tuple[Target, ...]
    key_dates: tuple[KeyDate, ...]
    status: CaseStatus = CaseStatus.DRAFT
    reference: str | None = None  # the UA reference, e.g. "UA 41/22"
    issued: date | None = None
    timezone: str = "UTC"  # where the key dates are local to, e.g. "Asia/Almaty"
    outcome: str | None = None  # for closed cases: one of OUTCOMES
    source_url: str | None = None
    # Reminders before the deadline; None means the bot's default plan.
    reminder_offsets: tuple[timedelta, ...] | None = None
    # What the case is about, keys of bot.domain.themes.THEMES: people may follow some themes.
    themes: tuple[str, ...] = ()
    # An execution or a transfer imminent: the case goes to everyone whose filters accept it,
    # whatever their allowance (bot.domain.allowance).
    urgent: bool = False

    @property
    def languages(self) -> tuple[str, ...]:
        """The languages the case is written in, the original first."""
        return tuple(self.texts)

    @property
    def original_language(self) -> str:
        """The language the case was written in."""
        return next(iter(self.texts))

    def text(self, language: str) -> CaseText:
        """The case's texts in `language`, else in the language without its region ("pt" for
        "pt_BR"), else in its original language."""
        found = self.texts.get(language) or self.texts.get(language.split("_", maxsplit=1)[0])
        return found or self.texts[self.original_language]

    @property
    def deadline(self) -> KeyDate | None:
        """The key date by which appeals must arrive, if the case has one."""
        return next((d for d in self.key_dates if d.deadline), None)

    def deadline_moment(self) -> datetime | None:
        """The deadline as a UTC instant."""
        deadline = self.deadline
        return deadline.moment(self.timezone) if deadline else None

    @property
    def recipients(self) -> tuple[Target, ...]:
        """The officials written to."""
        return tuple(t for t in self.targets if t.role is TargetRole.TO)

    @property
    def copies(self) -> tuple[Target, ...]:
        """The officials who receive a copy."""
        return tuple(t for t in self.targets if t.role is TargetRole.COPY)

    def copies_for(self, writer_country: str | None) -> tuple[Target, ...]:
        """The copy targets a writer living in `writer_country` copies: those meant for every
        writer, and the embassy accredited to that country (None: the writer has not said)."""
        return tuple(t for t in self.copies if t.copied_by(writer_country))

    def lacks_embassy_for(self, writer_country: str | None) -> bool:
        """Whether the case lists embassies per writer's country but none for this writer's."""
        bound = [t for t in self.copies if t.for_countries]
        return bool(bound) and not any(t.copied_by(writer_country) for t in bound)

    def targets_for(self, writer_country: str | None) -> tuple[tuple[int, Target], ...]:
        """The targets a writer's appeal goes to, each with its index in `targets`."""
        return tuple(
            (i, t)
            for i, t in enumerate(self.targets)
            if t.role is TargetRole.TO or t.copied_by(writer_country)
        )

    def channels(self) -> tuple[Channel, ...]:
        """The channels through which at least one recipient can be reached."""
        return tuple(c for c in Channel if any(t.reaches_by(c) for t in self.recipients))

    @property
    def agreement(self) -> str | None:
        """What a word about the people at risk agrees with: "he", "she", "they" (several
        people), or None where the case does not say (a word that fits anyone is used)."""
        if len(self.people) > 1:
            return "they"
        pronoun = self.people[0].pronoun if self.people else None
        return pronoun if pronoun in ("he", "she") else None

    def names_in(self, language: str) -> str:
        """The names of the people at risk in `language`, joined for a sentence as the language
        joins a list ("A, B and C"; in Arabic "A وB وC")."""
        return list_of([p.name_in(language) for p in self.people], language)
