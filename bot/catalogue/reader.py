"""The reader: a case mapping, table by table, into the domain's frozen dataclasses.

It reads every table and field (each value through `bot.catalogue.values`), reporting each
problem with its path ("targets[1].fax") instead of stopping at the first, and asks
`bot.catalogue.checks` for the rules that span fields. A draft may lack what only publishing
needs; those are gaps, reported for other statuses only.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any

import phonenumbers

from bot.catalogue import checks
from bot.catalogue.fields import (
    FACTS_LIMIT,
    KEY_DATE_FIELDS,
    LANGUAGE,
    PERSON_FIELDS,
    REMINDER_FIELDS,
    SLUG,
    TARGET_FIELDS,
    TEXT_FIELDS,
    TOP_FIELDS,
    is_email,
    is_url,
    kind_of,
    original_language,
    parse_offset,
    path_of,
    try_parse,
)
from bot.catalogue.values import ValueReader
from bot.domain.cases import (
    CaseStatus,
    CaseText,
    KeyDate,
    PersonAtRisk,
    Target,
    TargetRole,
    UrgentAction,
)
from bot.domain.countries import is_country
from bot.domain.themes import THEMES, is_theme


class Reader(ValueReader):
    """Reads a case mapping table by table into an UrgentAction, every problem collected."""

    def case(self, data: Mapping[str, Any], *, expected_slug: str | None) -> UrgentAction | None:
        self.unknown(data, TOP_FIELDS, "")
        self.draft = data.get("status", str(CaseStatus.DRAFT)) == str(CaseStatus.DRAFT)
        slug = self.string(data, "slug", "")
        if slug is not None and not SLUG.match(slug):
            self.problem(
                "slug", f"{slug!r}: use at most 32 of a-z, 0-9 and -, not starting or ending in -"
            )
            slug = None
        self.report(checks.slug_names_the_file(slug, expected_slug))
        reference = self.string(data, "reference", "", required=False)
        country = self.draft_string(data, "country", "", prose=False)
        country_code = self.draft_string(data, "country_code", "", prose=False)
        if country_code and country_code not in phonenumbers.SUPPORTED_REGIONS:
            self.problem("country_code", f"{country_code!r} is not an ISO 3166 code like KZ")
        status = self.status(data)
        outcome = self.string(data, "outcome", "", required=False)
        self.report(checks.outcome_fits_status(status, "outcome" in data, outcome))
        issued = self.a_date(data["issued"], "issued") if "issued" in data else None
        timezone = self.timezone(data.get("timezone", "UTC"), "timezone")
        source_url = self.string(data, "source_url", "", required=False)
        if source_url is not None and not is_url(source_url):
            self.problem("source_url", f"{source_url!r} is not an http(s) address")
        texts = self.texts(data.get("text"))
        original = original_language(data.get("text"))
        people = self.people(data, original)
        targets = self.targets(data, original)
        key_dates = self.key_dates(data, original, issued)
        offsets = self.reminders(data.get("reminders"), any(d.deadline for d in key_dates))
        themes = self.themes(data)
        urgent = data.get("urgent", False)
        if not isinstance(urgent, bool):
            self.problem("urgent", f"must be true or false, not {kind_of(urgent)}")
        if self.problems:
            return None
        # Each of these, when None, has been reported above; the test narrows the types.
        if slug is None or country is None or country_code is None:
            return None
        if status is None or timezone is None:
            return None
        return UrgentAction(
            slug=slug,
            country=country,
            country_code=country_code,
            people=people,
            texts=texts,
            targets=targets,
            key_dates=key_dates,
            status=status,
            reference=reference,
            issued=issued,
            timezone=timezone,
            outcome=outcome,
            source_url=source_url,
            reminder_offsets=offsets,
            themes=themes,
            urgent=urgent is True,
        )

    def themes(self, data: Mapping[str, Any]) -> tuple[str, ...]:
        found: list[str] = []
        for i, key in enumerate(self.strings(data, "themes", "")):
            if not is_theme(key):
                close = difflib.get_close_matches(key, THEMES, n=1)
                hint = f" (did you mean {close[0]}?)" if close else ""
                every = ", ".join(THEMES)
                self.problem(path_of("themes", i), f"{key!r} is not a theme{hint}: one of {every}")
            elif key not in found:
                found.append(key)
        return tuple(found)

    def status(self, data: Mapping[str, Any]) -> CaseStatus | None:
        raw = data.get("status", str(CaseStatus.DRAFT))
        try:
            return CaseStatus(raw)
        except ValueError:
            self.problem("status", f"{raw!r} is not one of draft, active, closed")
            return None

    def texts(self, value: Any) -> dict[str, CaseText]:
        if value is None:
            self.problem(
                "text", "missing: add a [text.en] table with title, summary, background, asks"
            )
            return {}
        if not isinstance(value, Mapping) or not value:
            self.problem("text", "must hold [text.<language>] tables, like [text.en]")
            return {}
        texts: dict[str, CaseText] = {}
        for language, table in value.items():
            where = path_of("text", str(language))
            if not LANGUAGE.match(str(language)):
                self.problem(
                    where,
                    "not a two-letter language code (ISO 639-1, like en; with a region, pt_BR)",
                )
                continue
            if not isinstance(table, Mapping):
                self.problem(where, f"must be a table [{where}], not {kind_of(table)}")
                continue
            self.unknown(table, TEXT_FIELDS, where)
            title, summary, background = (
                self.draft_string(table, key, where) for key in ("title", "summary", "background")
            )
            facts = self.facts(table, where)
            asks = self.strings(table, "asks", where, prose=True)
            if "asks" not in table:
                self.gap(path_of(where, "asks"), 'missing: add asks = ["..."]')
            elif not asks and isinstance(table["asks"], list) and not table["asks"]:
                self.gap(path_of(where, "asks"), "is empty: what are the officials urged to do?")
            card_asks = self.strings(table, "card_asks", where, prose=True)
            self.report(checks.card_asks_match(asks, card_asks, where))
            if None not in (title, summary, background) and (asks or self.draft):
                texts[str(language)] = CaseText(
                    title or "", summary or "", background or "", asks, facts, card_asks
                )
        self.report(checks.translations_keep_asks(texts))
        return texts

    def people(self, data: Mapping[str, Any], original: str) -> tuple[PersonAtRisk, ...]:
        if "people" not in data:
            self.gap("people", "missing: add a [[people]] table with a name")
            return ()
        tables = self.table_list(data, "people")
        if not tables and isinstance(data["people"], list):
            self.gap("people", "is empty: add a [[people]] table with a name")
        people = []
        for where, item in tables:
            self.unknown(item, PERSON_FIELDS, where)
            names = self.localized(item, "name", where, original, required=True)
            pronoun = self.string(item, "pronoun", where, required=False)
            description = self.localized(item, "description", where, original, required=False)
            if names:
                name = names.get(original) or next(iter(names.values()))
                people.append(PersonAtRisk(name, pronoun, description, names))
        return tuple(people)

    def targets(self, data: Mapping[str, Any], original: str) -> tuple[Target, ...]:
        if "targets" not in data:
            self.gap("targets", 'missing: add a [[targets]] table with role = "to"')
            return ()
        targets = []
        roles = []
        for where, item in self.table_list(data, "targets"):
            self.unknown(item, TARGET_FIELDS, where)
            role = self.role(item, where)
            roles.append(role)
            names = self.official_names(item, where, original)
            name = names.get(original) if names is not None else None
            titles = self.localized(item, "title", where, original, required=False)
            title = titles.get(original) or next(iter(titles.values()), None)
            organisations = self.localized(item, "organisation", where, original, required=False)
            organisation = organisations.get(original) or next(iter(organisations.values()), None)
            address = self.strings(item, "address", where)
            emails = self.strings(item, "emails", where)
            for i, email in enumerate(emails):
                if not is_email(email):
                    self.problem(
                        path_of(path_of(where, "emails"), i), f"{email!r} is not an email address"
                    )
            fax = self.phone(item, "fax", where)
            phone = self.phone(item, "phone", where)
            salutations = self.localized(item, "salutation", where, original, required=False)
            addressees = self.localized(
                item, "addressee", where, original, required=False, needs_original=False
            )
            # One language, or the list of those the official reads, the preferred first.
            if isinstance(item.get("language"), list):
                reads = self.strings(item, "language", where)
            else:
                one = self.string(item, "language", where, required=False)
                reads = (one,) if one is not None else ()
            for i, code in enumerate(reads):
                if not LANGUAGE.match(code):
                    at = path_of(where, "language")
                    self.problem(
                        path_of(at, i) if len(reads) > 1 else at,
                        f"{code!r} is not a two-letter language code",
                    )
            language = reads[0] if reads else None
            for_countries = self.countries(item, where, role)
            self.report(checks.written_to_is_reachable(role, item, where), gaps=True)
            if role is not None and name is not None:
                targets.append(
                    Target(
                        role=role,
                        name=name,
                        title=title,
                        organisation=organisation,
                        address=address,
                        emails=emails,
                        fax=fax,
                        phone=phone,
                        salutation=salutations.get(original),
                        salutations=salutations,
                        language=language,
                        languages=reads if len(reads) > 1 else (),
                        titles=titles if len(titles) > 1 else {},
                        names=names if names and len(names) > 1 else {},
                        organisations=organisations if len(organisations) > 1 else {},
                        addressees=addressees,
                        for_countries=for_countries,
                    )
                )
        self.report(checks.someone_written_to(roles), gaps=True)
        return tuple(targets)

    def official_names(
        self, item: Mapping[str, Any], where: str, original: str
    ) -> dict[str, str] | None:
        """An official's name: one string, or one per language (`name.ru = "..."`); None if
        wrong. A draft may leave it empty."""
        if isinstance(item.get("name"), Mapping):
            names = self.localized(item, "name", where, original, required=True)
            return names if original in names else None
        name = self.draft_string(item, "name", where)
        return None if name is None else {original: name}

    def facts(self, table: Mapping[str, Any], where: str) -> str | None:
        """A text's optional statement of what happened, short enough for a letter."""
        facts = self.string(table, "facts", where, required=False, prose=True)
        if facts is not None and len(facts) > FACTS_LIMIT:
            self.problem(
                path_of(where, "facts"),
                f"has {len(facts)} characters; a letter's facts are at most {FACTS_LIMIT}: "
                "keep who, what, when and where, and leave the rest to background",
            )
        return facts

    def countries(
        self, item: Mapping[str, Any], where: str, role: TargetRole | None
    ) -> tuple[str, ...]:
        """A copy target's `for_country`: one ISO 3166 code ("FR") or a list of them."""
        path = path_of(where, "for_country")
        if "for_country" not in item:
            return ()
        raw = item["for_country"]
        items = raw if isinstance(raw, list) else [raw]
        if not items or not all(isinstance(code, str) for code in items):
            self.problem(
                path,
                'must be a country code like "FR" or a list like ["FR", "BE"], '
                f"not {kind_of(raw)}",
            )
            return ()
        codes: list[str] = []
        for i, code in enumerate(items):
            inner = path_of(path, i) if isinstance(raw, list) else path
            if code.strip().upper() != code.strip() and is_country(code.strip().upper()):
                self.problem(inner, f"{code!r}: write country codes in capitals ({code.upper()})")
            elif not is_country(code.strip()):
                self.problem(inner, f"{code!r} is not an ISO 3166 country code like FR or KE")
            elif code.strip() in codes:
                self.problem(inner, f"{code!r} is listed twice")
            else:
                codes.append(code.strip())
        self.report(checks.for_country_on_a_copy(role, path))
        return tuple(codes)

    def role(self, item: Mapping[str, Any], where: str) -> TargetRole | None:
        if "role" not in item:
            self.problem(path_of(where, "role"), 'missing: role = "to" or role = "copy"')
            return None
        try:
            return TargetRole(item["role"])
        except ValueError:
            self.problem(path_of(where, "role"), f'{item["role"]!r} is not "to" or "copy"')
            return None

    def key_dates(
        self, data: Mapping[str, Any], original: str, issued: date | None
    ) -> tuple[KeyDate, ...]:
        dates = []
        deadlines = []
        for where, item in self.table_list(data, "key_dates"):
            self.unknown(item, KEY_DATE_FIELDS, where)
            on = None
            if "date" in item:
                on = self.a_date(item["date"], path_of(where, "date"))
            else:
                self.problem(path_of(where, "date"), "missing: add date = 2022-06-12")
            at = self.a_time(item["time"], path_of(where, "time")) if "time" in item else None
            timezone = (
                self.timezone(item["timezone"], path_of(where, "timezone"))
                if "timezone" in item
                else None
            )
            label = self.localized(item, "label", where, original, required=True)
            deadline = item.get("deadline", False)
            if not isinstance(deadline, bool):
                self.problem(
                    path_of(where, "deadline"), f"must be true or false, not {kind_of(deadline)}"
                )
                deadline = False
            if deadline:
                deadlines.append(where)
                self.report(checks.deadline_after_issue(on, issued, where))
            if on and label:
                dates.append(KeyDate(on, label, at, timezone, deadline))
        self.report(checks.one_deadline(deadlines))
        return tuple(dates)

    def reminders(self, value: Any, has_deadline: bool) -> tuple[timedelta, ...] | None:
        if value is None:
            return None
        if not isinstance(value, Mapping):
            self.problem("reminders", f"must be a [reminders] table, not {kind_of(value)}")
            return None
        self.unknown(value, REMINDER_FIELDS, "reminders")
        where = "reminders.before_deadline"
        if "before_deadline" not in value:
            self.problem(where, 'missing: add before_deadline = ["7d", "2d", "0d"]')
            return None
        raw = value["before_deadline"]
        if not isinstance(raw, list):
            self.problem(where, f'must be a list like ["7d", "2d", "0d"], not {kind_of(raw)}')
            return None
        if not self.not_too_many(raw, "reminders", where):
            return None
        self.report(checks.reminders_need_deadline(raw, has_deadline))
        offsets: dict[timedelta, int] = {}
        for i, item in enumerate(raw):
            offset = try_parse(parse_offset, item) if isinstance(item, str) else None
            if offset is None:
                self.problem(
                    path_of(where, i), f"{item!r} is not an offset like 7d, 36h, 1d12h or 90m"
                )
            elif offset in offsets:
                self.problem(path_of(where, i), f"{item!r} repeats {where}[{offsets[offset]}]")
            else:
                offsets[offset] = i
        return tuple(sorted(offsets, reverse=True))
