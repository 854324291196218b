"""The case catalogue: Urgent Actions as TOML files under `actions/`, loaded and validated.

One file per case, named after its slug. Loading reports every problem of a file with the field
it concerns, and refuses that file without touching the others. The same mapping the files use
is the JSON the database stores (`case_to_mapping` / `case_from_mapping`).
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.domain.cases import (
    CaseStatus,
    CaseText,
    KeyDate,
    PersonAtRisk,
    Target,
    TargetRole,
    UrgentAction,
)
from bot.domain.phones import display, is_international, to_e164

SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,31}$")
LANGUAGE = re.compile(r"^[a-z]{2}$")
# Deliberately plain: one @, a dotted domain, no spaces; what officials' addresses look like.
EMAIL = re.compile(r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$")
OFFSET = re.compile(r"^(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$")

_TOP = {
    "slug", "reference", "country", "country_code", "status", "outcome", "issued", "timezone",
    "source_url", "people", "text", "targets", "key_dates", "reminders",
}  # fmt: skip
_PERSON = {"name", "pronoun", "description"}
_TEXT = {"title", "summary", "background", "asks"}
_TARGET = {
    "role", "name", "title", "organisation", "address", "emails", "fax", "phone", "salutation",
    "language",
}  # fmt: skip
_KEY_DATE = {"date", "time", "timezone", "label", "deadline"}
_REMINDERS = {"before_deadline"}


class CatalogueError(Exception):
    """A case cannot be loaded; `problems` names each field that is wrong."""

    def __init__(self, problems: Sequence[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = list(problems)


@dataclass(frozen=True)
class CatalogueResult:
    """The cases that loaded, with their files, and every problem found in the others."""

    loaded: tuple[tuple[UrgentAction, Path], ...] = ()
    problems: tuple[str, ...] = ()

    @property
    def cases(self) -> tuple[UrgentAction, ...]:
        """The valid cases."""
        return tuple(case for case, _ in self.loaded)

    def cases_with_paths(self) -> tuple[tuple[UrgentAction, Path], ...]:
        """The valid cases, each with the file it came from."""
        return self.loaded


def load_case(path: Path) -> UrgentAction:
    """Load and validate one case file; CatalogueError lists every problem."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as error:
        raise CatalogueError([f"{path.name}: not valid TOML: {error}"]) from None
    except (OSError, UnicodeDecodeError) as error:
        raise CatalogueError([f"{path.name}: cannot be read: {error}"]) from None
    case = case_from_mapping(data, source=path.name)
    if case.slug != path.stem:
        raise CatalogueError(
            [f"{path.name}: slug: {case.slug!r} must match the file name ({path.stem!r})"]
        )
    return case


def load_catalogue(directory: Path) -> CatalogueResult:
    """Load every `*.toml` in `directory`; a broken file is reported and skipped."""
    loaded: list[tuple[UrgentAction, Path]] = []
    problems: list[str] = []
    if not directory.is_dir():
        return CatalogueResult((), (f"{directory}: no such folder of case files",))
    seen: dict[str, Path] = {}
    for path in sorted(directory.glob("*.toml")):
        try:
            case = load_case(path)
        except CatalogueError as error:
            problems.extend(error.problems)
            continue
        if case.slug in seen:
            problems.append(
                f"{path.name}: slug: {case.slug!r} is already used by {seen[case.slug].name}"
            )
            continue
        seen[case.slug] = path
        loaded.append((case, path))
    return CatalogueResult(tuple(loaded), tuple(problems))


def case_from_mapping(data: Mapping[str, Any], *, source: str) -> UrgentAction:
    """Build a case from its file's mapping (or the stored JSON); CatalogueError on problems."""
    reader = _Reader(source)
    case = reader.case(data)
    if reader.problems or case is None:
        raise CatalogueError(reader.problems or [f"{source}: not a case"])
    return case


def case_to_mapping(case: UrgentAction) -> dict[str, Any]:
    """The case as the mapping its file holds; dates as ISO strings so JSON can store it."""
    data: dict[str, Any] = {"slug": case.slug}
    if case.reference:
        data["reference"] = case.reference
    data["country"] = case.country
    data["country_code"] = case.country_code
    data["status"] = str(case.status)
    if case.outcome:
        data["outcome"] = case.outcome
    if case.issued:
        data["issued"] = case.issued.isoformat()
    data["timezone"] = case.timezone
    if case.source_url:
        data["source_url"] = case.source_url
    data["people"] = [
        _compact(
            {
                "name": dict(p.names) if len(p.names) > 1 else p.name,
                "pronoun": p.pronoun,
                "description": dict(p.description),
            }
        )
        for p in case.people
    ]
    data["text"] = {
        language: {
            "title": t.title,
            "summary": t.summary,
            "background": t.background,
            "asks": list(t.asks),
        }
        for language, t in case.texts.items()
    }
    data["targets"] = [
        _compact(
            {
                "role": str(t.role),
                "name": t.name,
                "title": t.title,
                "organisation": t.organisation,
                "address": list(t.address),
                "emails": list(t.emails),
                "fax": t.fax,
                "phone": t.phone,
                "salutation": dict(t.salutations) if len(t.salutations) > 1 else t.salutation,
                "language": t.language,
            }
        )
        for t in case.targets
    ]
    data["key_dates"] = [
        _compact(
            {
                "date": d.on.isoformat(),
                "time": d.time.strftime("%H:%M") if d.time else None,
                "timezone": d.timezone,
                "label": dict(d.label),
                "deadline": d.deadline or None,
            }
        )
        for d in case.key_dates
    ]
    if case.reminder_offsets is not None:
        data["reminders"] = {"before_deadline": [format_offset(o) for o in case.reminder_offsets]}
    return data


def parse_offset(raw: str) -> timedelta:
    """An offset such as "7d", "36h", "1d12h", "90m" or "30s"; ValueError otherwise."""
    match = OFFSET.match(raw.strip())
    if match is None or not raw.strip():
        raise ValueError(f"{raw!r} is not an offset like 7d, 36h, 1d12h, 90m or 30s")
    days, hours, minutes, seconds = (int(part or 0) for part in match.groups())
    return timedelta(days=days, hours=hours, minutes=minutes, seconds=seconds)


def format_offset(offset: timedelta) -> str:
    """The inverse of parse_offset: "7d", "1d12h", "0d"."""
    seconds = int(offset.total_seconds())
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, seconds = divmod(rest, 60)
    parts = [(days, "d"), (hours, "h"), (minutes, "m"), (seconds, "s")]
    text = "".join(f"{n}{unit}" for n, unit in parts if n)
    return text or "0d"


def _compact(data: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if v not in (None, [], {}, "")}


@dataclass
class _Reader:
    """Reads a case mapping, collecting every problem instead of stopping at the first."""

    source: str
    problems: list[str] = field(default_factory=list)

    def problem(self, where: str, what: str) -> None:
        self.problems.append(f"{self.source}: {where}: {what}")

    def unknown(self, data: Mapping[str, Any], allowed: set[str], where: str) -> None:
        for key in sorted(set(data) - allowed):
            self.problem(f"{where}{key}", "unknown field")

    def string(
        self, data: Mapping[str, Any], key: str, where: str, *, required: bool = True
    ) -> str | None:
        value = data.get(key)
        if value is None:
            if required:
                self.problem(f"{where}{key}", "missing")
            return None
        if not isinstance(value, str) or not value.strip():
            self.problem(f"{where}{key}", "must be a non-empty string")
            return None
        return value.strip()

    def strings(self, data: Mapping[str, Any], key: str, where: str) -> tuple[str, ...]:
        value = data.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            self.problem(f"{where}{key}", "must be a list of non-empty strings")
            return ()
        return tuple(v.strip() for v in value)

    def localized(self, data: Mapping[str, Any], key: str, where: str) -> dict[str, str]:
        value = data.get(key)
        if isinstance(value, str) and value.strip():
            return {"": value.strip()}  # the case's original language, filled in later
        if isinstance(value, Mapping) and value:
            result: dict[str, str] = {}
            for language, text in value.items():
                if not LANGUAGE.match(str(language)):
                    self.problem(f"{where}{key}.{language}", "not a two-letter language code")
                elif not isinstance(text, str) or not text.strip():
                    self.problem(f"{where}{key}.{language}", "must be a non-empty string")
                else:
                    result[str(language)] = text.strip()
            return result
        self.problem(f"{where}{key}", "missing (a string, or a table of language = text)")
        return {}

    def a_date(self, value: Any, where: str) -> date | None:
        if isinstance(value, datetime):
            self.problem(where, "must be a date without a time (use the time field)")
            return None
        if isinstance(value, date):
            return value
        if isinstance(value, str):
            try:
                return date.fromisoformat(value)
            except ValueError:
                pass
        self.problem(where, f"{value!r} is not a date (YYYY-MM-DD)")
        return None

    def timezone(self, value: Any, where: str) -> str | None:
        if not isinstance(value, str):
            self.problem(where, "must be an IANA timezone name such as Asia/Almaty")
            return None
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            self.problem(where, f"{value!r} is not an IANA timezone")
            return None
        return value

    def phone(self, data: Mapping[str, Any], key: str, where: str) -> str | None:
        raw = data.get(key)
        if raw is None:
            return None
        if not isinstance(raw, str):
            self.problem(f"{where}{key}", "must be a string in international form (+...)")
            return None
        if not is_international(raw):
            self.problem(
                f"{where}{key}", f"{raw!r} is not in international form (+country code ...)"
            )
            return None
        try:
            return to_e164(raw)
        except ValueError as error:
            self.problem(f"{where}{key}", str(error))
            return None

    def case(self, data: Mapping[str, Any]) -> UrgentAction | None:
        self.unknown(data, _TOP, "")
        slug = self.string(data, "slug", "")
        if slug is not None and not SLUG.match(slug):
            self.problem(
                "slug", f"{slug!r}: use 1-32 of a-z, 0-9 and -, starting with a letter or digit"
            )
        country = self.string(data, "country", "")
        country_code = self.string(data, "country_code", "")
        if country_code is not None and not re.fullmatch(r"[A-Z]{2}", country_code):
            self.problem("country_code", f"{country_code!r} is not an ISO 3166 code like KZ")
        status = CaseStatus.DRAFT
        raw_status = data.get("status", "draft")
        try:
            status = CaseStatus(raw_status)
        except ValueError:
            self.problem("status", f"{raw_status!r} is not one of draft, active, closed")
        outcome = self.string(data, "outcome", "", required=False)
        if status is CaseStatus.CLOSED and not outcome:
            self.problem("outcome", "a closed case needs an outcome (released, sentenced, ...)")
        issued = self.a_date(data["issued"], "issued") if "issued" in data else None
        timezone = self.timezone(data.get("timezone", "UTC"), "timezone") or "UTC"
        texts = self.texts(data.get("text"))
        original = next(iter(texts), "en")
        people = self.people(data.get("people"), original)
        targets = self.targets(data.get("targets"), original)
        key_dates = self.key_dates(data.get("key_dates", []), original, issued)
        offsets = self.reminders(data.get("reminders"))
        if self.problems or slug is None or country is None or country_code is None:
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
            reference=self.string(data, "reference", "", required=False),
            issued=issued,
            timezone=timezone,
            outcome=outcome,
            source_url=self.string(data, "source_url", "", required=False),
            reminder_offsets=offsets,
        )

    def texts(self, value: Any) -> dict[str, CaseText]:
        if not isinstance(value, Mapping) or not value:
            self.problem(
                "text", "missing: add a [text.en] table with title, summary, background, asks"
            )
            return {}
        texts: dict[str, CaseText] = {}
        for language, table in value.items():
            where = f"text.{language}."
            if not LANGUAGE.match(str(language)):
                self.problem(f"text.{language}", "not a two-letter language code")
                continue
            if not isinstance(table, Mapping):
                self.problem(f"text.{language}", "must be a table")
                continue
            self.unknown(table, _TEXT, where)
            title = self.string(table, "title", where)
            summary = self.string(table, "summary", where)
            background = self.string(table, "background", where)
            asks = self.strings(table, "asks", where)
            if "asks" in table and not asks:
                self.problem(f"{where}asks", "needs at least one ask")
            elif "asks" not in table:
                self.problem(f"{where}asks", "missing")
            if title and summary and background and asks:
                texts[str(language)] = CaseText(title, summary, background, asks)
        return texts

    def people(self, value: Any, original: str) -> tuple[PersonAtRisk, ...]:
        if not isinstance(value, list) or not value:
            self.problem("people", "missing: add at least one [[people]] with a name")
            return ()
        people = []
        for i, item in enumerate(value):
            where = f"people[{i}]."
            if not isinstance(item, Mapping):
                self.problem(f"people[{i}]", "must be a table")
                continue
            self.unknown(item, _PERSON, where)
            names = {k or original: v for k, v in self.localized(item, "name", where).items()}
            name = names.get(original) or next(iter(names.values()), None)
            description = (
                self.localized(item, "description", where) if "description" in item else {}
            )
            description = {k or original: v for k, v in description.items()}
            if name:
                pronoun = self.string(item, "pronoun", where, required=False)
                people.append(PersonAtRisk(name, pronoun, description, names))
        return tuple(people)

    def targets(self, value: Any, original: str) -> tuple[Target, ...]:
        if not isinstance(value, list) or not value:
            self.problem("targets", 'missing: add at least one [[targets]] with role = "to"')
            return ()
        targets = []
        for i, item in enumerate(value):
            where = f"targets[{i}]."
            if not isinstance(item, Mapping):
                self.problem(f"targets[{i}]", "must be a table")
                continue
            self.unknown(item, _TARGET, where)
            role = None
            try:
                role = TargetRole(str(item.get("role")))
            except ValueError:
                self.problem(f"{where}role", f'{item.get("role")!r} is not "to" or "copy"')
            name = self.string(item, "name", where)
            emails = self.strings(item, "emails", where)
            for email in emails:
                if not EMAIL.match(email):
                    self.problem(f"{where}emails", f"{email!r} is not an email address")
            fax = self.phone(item, "fax", where)
            phone = self.phone(item, "phone", where)
            address = self.strings(item, "address", where)
            language = self.string(item, "language", where, required=False)
            if language is not None and not LANGUAGE.match(language):
                self.problem(f"{where}language", f"{language!r} is not a two-letter language code")
            salutations = self.localized(item, "salutation", where) if "salutation" in item else {}
            salutations = {k or original: v for k, v in salutations.items()}
            if role is TargetRole.TO and not (emails or item.get("fax") or address):
                self.problem(f"targets[{i}]", "a recipient needs an email, a fax or an address")
            if role is not None and name:
                targets.append(
                    Target(
                        role=role,
                        name=name,
                        title=self.string(item, "title", where, required=False),
                        organisation=self.string(item, "organisation", where, required=False),
                        address=address,
                        emails=emails,
                        fax=fax,
                        phone=phone,
                        salutation=salutations.get(original)
                        or next(iter(salutations.values()), None),
                        salutations=salutations,
                        language=language,
                    )
                )
        if targets and not any(t.role is TargetRole.TO for t in targets):
            self.problem("targets", 'no target has role "to": whom is the appeal written to?')
        return tuple(targets)

    def key_dates(self, value: Any, original: str, issued: date | None) -> tuple[KeyDate, ...]:
        if not isinstance(value, list):
            self.problem("key_dates", "must be a list of [[key_dates]] tables")
            return ()
        dates = []
        for i, item in enumerate(value):
            where = f"key_dates[{i}]."
            if not isinstance(item, Mapping):
                self.problem(f"key_dates[{i}]", "must be a table")
                continue
            self.unknown(item, _KEY_DATE, where)
            on = self.a_date(item.get("date"), f"{where}date") if "date" in item else None
            if "date" not in item:
                self.problem(f"{where}date", "missing")
            at = None
            if "time" in item:
                raw = item["time"]
                if isinstance(raw, time):
                    at = raw
                elif isinstance(raw, str) and re.fullmatch(r"\d{2}:\d{2}", raw):
                    try:
                        at = time.fromisoformat(raw)
                    except ValueError:
                        self.problem(f"{where}time", f"{raw!r} is not a time (HH:MM)")
                else:
                    self.problem(f"{where}time", f"{raw!r} is not a time (HH:MM)")
            timezone = (
                self.timezone(item["timezone"], f"{where}timezone") if "timezone" in item else None
            )
            label = {k or original: v for k, v in self.localized(item, "label", where).items()}
            deadline = item.get("deadline", False)
            if not isinstance(deadline, bool):
                self.problem(f"{where}deadline", "must be true or false")
                deadline = False
            if deadline and on and issued and on < issued:
                self.problem(
                    f"{where}date",
                    f"the deadline {on.isoformat()} is before the issue date {issued.isoformat()}",
                )
            if on and label:
                dates.append(KeyDate(on, label, at, timezone, deadline))
        if sum(1 for d in dates if d.deadline) > 1:
            self.problem("key_dates", "more than one key date is marked as the deadline")
        return tuple(dates)

    def reminders(self, value: Any) -> tuple[timedelta, ...] | None:
        if value is None:
            return None
        if not isinstance(value, Mapping):
            self.problem("reminders", "must be a table with before_deadline = [...]")
            return None
        self.unknown(value, _REMINDERS, "reminders.")
        raw = value.get("before_deadline")
        if not isinstance(raw, list) or not all(isinstance(o, str) for o in raw):
            self.problem("reminders.before_deadline", 'must be a list like ["7d", "2d", "0d"]')
            return None
        offsets = []
        for i, item in enumerate(raw):
            try:
                offsets.append(parse_offset(item))
            except ValueError as error:
                self.problem(f"reminders.before_deadline[{i}]", str(error))
        return tuple(sorted(offsets, reverse=True))


def readable_fax(target: Target) -> str | None:
    """The target's fax number as people read it."""
    return display(target.fax) if target.fax else None
