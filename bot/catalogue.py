"""The case catalogue: Urgent Actions as TOML files under `actions/`, loaded and validated.

One file per case, named after its slug. Loading reports every problem of a file, each with the
file and the field it concerns, and refuses that file without touching the others. The mapping
the files hold is also the JSON document the database stores (`case_to_mapping` and
`case_from_mapping`), read back through the same checks.
"""

from __future__ import annotations

import difflib
import re
import tomllib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import cache
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, available_timezones

import phonenumbers

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
from bot.domain.phones import display, from_dialled, is_international, to_e164
from bot.domain.themes import THEMES, is_theme

SLUG = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,30}[a-z0-9])?$")
LANGUAGE = re.compile(r"^[a-z]{2}$")
OFFSET = re.compile(r"^(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$")
TIME = re.compile(r"^\d{2}:\d{2}$")
# A letter's statement of what happened is a paragraph: with the opening, the asks and the
# person's own sentence the whole letter still fits one chat message (bot.handlers.appeal).
FACTS_LIMIT = 1000
# Sheets come from Amnesty International Canada and write numbers for dialling from there; a
# number not in international form is read that way to suggest what was meant.
SHEET_REGION = "CA"

# The fields each table may hold; anything else is a typo or a misplaced line.
_TOP = (
    "slug", "reference", "country", "country_code", "status", "outcome", "issued", "timezone",
    "source_url", "people", "text", "targets", "key_dates", "reminders", "themes", "urgent",
)  # fmt: skip
_PERSON = ("name", "pronoun", "description")
_TEXT = ("title", "summary", "facts", "background", "asks")
_TARGET = (
    "role", "name", "title", "organisation", "address", "emails", "fax", "phone", "salutation",
    "language", "for_country",
)  # fmt: skip
_KEY_DATE = ("date", "time", "timezone", "label", "deadline")
_REMINDERS = ("before_deadline",)

_T = TypeVar("_T")


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a case: the file (or stored document), the field path, and what."""

    source: str  # "kz-zhanbolat-mamay.toml", "closed/eg-alaa.toml", "database:kz-zhanbolat-mamay"
    field: str  # "targets[1].fax", "text.en.asks"; "" for the file as a whole
    message: str

    def __str__(self) -> str:
        if self.field:
            return f"{self.source}: {self.field}: {self.message}"
        return f"{self.source}: {self.message}"


class CatalogueError(Exception):
    """A case cannot be loaded; `problems` names each field that is wrong."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = tuple(problems)


@dataclass(frozen=True)
class CatalogueResult:
    """The cases that loaded, with their files, and every problem found in the others."""

    loaded: tuple[tuple[UrgentAction, Path], ...] = ()
    problems: tuple[Problem, ...] = ()

    @property
    def cases(self) -> tuple[UrgentAction, ...]:
        """The valid cases, in file name order."""
        return tuple(case for case, _ in self.loaded)

    def cases_with_paths(self) -> tuple[tuple[UrgentAction, Path], ...]:
        """The valid cases, each with the file it came from."""
        return self.loaded


def load_case(path: Path) -> UrgentAction:
    """Load and validate one case file; CatalogueError lists every problem."""
    return _load(path, path.name)


def load_catalogue(directory: Path) -> CatalogueResult:
    """Load every `*.toml` under `directory`; a broken file is reported and skipped.

    Subfolders are read too (organizers may keep `closed/` apart), which is how two files can
    claim one slug: both are then refused, since neither is evidently the right one.
    """
    if not directory.is_dir():
        return CatalogueResult((), (Problem(str(directory), "", "no such folder of case files"),))
    loaded: dict[Path, UrgentAction] = {}
    problems: list[Problem] = []
    paths = sorted(
        p
        for p in directory.rglob("*.toml")
        if not any(part.startswith(".") for part in p.relative_to(directory).parts)
    )
    for path in paths:
        try:
            loaded[path] = _load(path, path.relative_to(directory).as_posix())
        except CatalogueError as error:
            problems.extend(error.problems)
    by_slug: dict[str, list[Path]] = {}
    for path, case in loaded.items():
        by_slug.setdefault(case.slug, []).append(path)
    for slug, claimants in by_slug.items():
        if len(claimants) < 2:
            continue
        names = [p.relative_to(directory).as_posix() for p in claimants]
        for path, name in zip(claimants, names, strict=True):
            others = ", ".join(n for n in names if n != name)
            problems.append(
                Problem(name, "slug", f"{slug!r} is also the slug of {others}; neither is loaded")
            )
            del loaded[path]
    return CatalogueResult(tuple((c, p) for p, c in loaded.items()), tuple(problems))


def case_from_mapping(data: Mapping[str, Any], *, source: str = "case") -> UrgentAction:
    """Build a case from a case file's mapping (or the stored JSON); CatalogueError on problems."""
    reader = _Reader(source)
    case = reader.case(data, expected_slug=None)
    if case is None:
        raise CatalogueError(reader.problems)
    return case


def case_to_mapping(case: UrgentAction) -> dict[str, Any]:
    """The case as its file's mapping, with dates as ISO strings so that JSON can hold it."""
    original = case.original_language
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
                "name": _localized_out(p.names or {original: p.name}, original),
                "pronoun": p.pronoun,
                "description": _localized_out(p.description, original),
            }
        )
        for p in case.people
    ]
    data["text"] = {
        language: {
            "title": t.title,
            "summary": t.summary,
            **({"facts": t.facts} if t.facts else {}),
            "background": t.background,
            "asks": list(t.asks),
        }
        for language, t in case.texts.items()
    }
    data["targets"] = [_target_out(t, original) for t in case.targets]
    data["key_dates"] = [
        _compact(
            {
                "date": d.on.isoformat(),
                "time": d.time.strftime("%H:%M") if d.time else None,
                "timezone": d.timezone,
                "label": _localized_out(d.label, original),
                "deadline": d.deadline or None,
            }
        )
        for d in case.key_dates
    ]
    if case.reminder_offsets is not None:
        data["reminders"] = {"before_deadline": [format_offset(o) for o in case.reminder_offsets]}
    if case.themes:
        data["themes"] = list(case.themes)
    if case.urgent:
        data["urgent"] = True
    return data


def parse_offset(raw: str) -> timedelta:
    """An offset before the deadline such as "7d", "36h", "1d12h", "90m" or "0d"; ValueError else.

    Seconds ("30s") are accepted too, for demonstrations and tests that cannot wait a day.
    """
    text = "".join(raw.split())
    match = OFFSET.match(text)
    if match is None or not text:
        raise ValueError(f"{raw!r} is not an offset like 7d, 36h, 1d12h or 90m")
    days, hours, minutes, seconds = (int(part or 0) for part in match.groups())
    return timedelta(days=days, hours=hours, minutes=minutes, seconds=seconds)


def format_offset(offset: timedelta) -> str:
    """The inverse of parse_offset: "7d", "1d12h", "90m" becomes "1h30m", "0d"."""
    seconds = int(offset.total_seconds())
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, seconds = divmod(rest, 60)
    parts = [(days, "d"), (hours, "h"), (minutes, "m"), (seconds, "s")]
    return "".join(f"{n}{unit}" for n, unit in parts if n) or "0d"


def is_email(address: str) -> bool:
    """Whether `address` looks like a deliverable email address (a plain RFC 5322 addr-spec)."""
    local, at, domain = address.rpartition("@")
    if not at or not local or len(local) > 64 or not _ATOMS.match(local):
        return False
    try:
        ascii_domain = domain.encode("idna").decode("ascii")
    except UnicodeError:
        return False
    labels = ascii_domain.split(".")
    return (
        len(ascii_domain) <= 253
        and len(labels) >= 2
        and all(_LABEL.match(label) for label in labels)
        and (labels[-1].isalpha() or labels[-1].startswith("xn--"))
    )


# RFC 5322 dot-atoms without the quoted forms, which officials' addresses never use.
_ATOMS = re.compile(r"^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$")
_LABEL = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$")


def _load(path: Path, source: str) -> UrgentAction:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as error:
        raise CatalogueError([Problem(source, "", f"not valid TOML: {error}")]) from None
    except (OSError, UnicodeDecodeError) as error:
        raise CatalogueError([Problem(source, "", f"cannot be read: {error}")]) from None
    reader = _Reader(source)
    case = reader.case(data, expected_slug=path.stem)
    if case is None:
        raise CatalogueError(reader.problems)
    return case


def _localized_out(texts: Mapping[str, str], original: str) -> str | dict[str, str] | None:
    """A plain string when only the original language is given, as a hand-written file has it."""
    if not texts:
        return None
    if set(texts) == {original}:
        return texts[original]
    return dict(texts)


def _target_out(target: Target, original: str) -> dict[str, Any]:
    salutations = target.salutations or (
        {original: target.salutation} if target.salutation else {}
    )
    return _compact(
        {
            "role": str(target.role),
            "name": target.name,
            "title": target.title,
            "organisation": target.organisation,
            "address": list(target.address),
            "emails": list(target.emails),
            "fax": target.fax,
            "phone": target.phone,
            "salutation": _localized_out(salutations, original),
            "language": target.language,
            "for_country": (
                target.for_countries[0]
                if len(target.for_countries) == 1
                else list(target.for_countries)
            ),
        }
    )


def _compact(data: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if v not in (None, [], {}, "")}


def _at(where: str, key: str | int) -> str:
    """The path of `key` inside `where`: "targets[1]" + "fax" -> "targets[1].fax"."""
    if isinstance(key, int):
        return f"{where}[{key}]"
    return f"{where}.{key}" if where else key


@cache
def _timezones() -> frozenset[str]:
    return frozenset(available_timezones())


def _is_timezone(name: str) -> bool:
    known = _timezones()
    if known and name not in known:
        return False
    try:
        ZoneInfo(name)
    except (ValueError, OSError, KeyError):  # ZoneInfoNotFoundError is a KeyError
        return False
    return True


def _kind(value: Any) -> str:
    """What a value is, in the words of TOML, for messages about wrong types."""
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, datetime):
        return "a date and time"
    if isinstance(value, date):
        return "a date"
    if isinstance(value, time):
        return "a time"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, Mapping):
        return "a table"
    return type(value).__name__


@dataclass
class _Reader:
    """Reads a case mapping, collecting every problem instead of stopping at the first."""

    source: str
    problems: list[Problem] = field(default_factory=list)

    def problem(self, where: str, what: str) -> None:
        self.problems.append(Problem(self.source, where, what))

    def unknown(self, data: Mapping[str, Any], allowed: Sequence[str], where: str) -> None:
        for key in data:
            if key not in allowed:
                close = difflib.get_close_matches(str(key), allowed, n=1)
                hint = f" (did you mean {close[0]}?)" if close else ""
                self.problem(_at(where, str(key)), f"unknown field{hint}")

    def string(
        self,
        data: Mapping[str, Any],
        key: str,
        where: str,
        *,
        required: bool = True,
        prose: bool = False,
    ) -> str | None:
        path = _at(where, key)
        if key not in data:
            if required:
                self.problem(path, "missing")
            return None
        value = data[key]
        if not isinstance(value, str):
            self.problem(path, f"must be a string, not {_kind(value)}")
            return None
        if not value.strip():
            self.problem(path, "is empty")
            return None
        return _reflow(value) if prose else value.strip()

    def strings(
        self, data: Mapping[str, Any], key: str, where: str, *, prose: bool = False
    ) -> tuple[str, ...]:
        path = _at(where, key)
        value = data.get(key, [])
        if not isinstance(value, list):
            self.problem(path, f'must be a list of strings, like ["..."], not {_kind(value)}')
            return ()
        found = []
        for i, item in enumerate(value):
            if not isinstance(item, str):
                self.problem(_at(path, i), f"must be a string, not {_kind(item)}")
            elif not item.strip():
                self.problem(_at(path, i), "is empty")
            else:
                found.append(_reflow(item) if prose else item.strip())
        return tuple(found)

    def table_list(self, data: Mapping[str, Any], key: str) -> list[tuple[str, Mapping[str, Any]]]:
        """The tables of an array of tables ([[key]]), each with its path."""
        value = data.get(key, [])
        if not isinstance(value, list):
            self.problem(key, f"must be a list of tables: write [[{key}]], not {_kind(value)}")
            return []
        tables = []
        for i, item in enumerate(value):
            if isinstance(item, Mapping):
                tables.append((_at(key, i), item))
            else:
                self.problem(_at(key, i), f"must be a table, not {_kind(item)}")
        return tables

    def localized(
        self, data: Mapping[str, Any], key: str, where: str, original: str, *, required: bool
    ) -> dict[str, str]:
        """A text in several languages: a table of language = text, or a string in the original.

        The original language must be among them: it is what the bot falls back to.
        """
        path = _at(where, key)
        if key not in data:
            if required:
                self.problem(path, f'missing: add {key} = {{ {original} = "..." }}')
            return {}
        value = data[key]
        if isinstance(value, str):
            if not value.strip():
                self.problem(path, "is empty")
                return {}
            return {original: _reflow(value)}
        if not isinstance(value, Mapping) or not value:
            self.problem(
                path,
                f'must be a string or a table like {{ {original} = "..." }}, not {_kind(value)}',
            )
            return {}
        texts: dict[str, str] = {}
        for language, text in value.items():
            inner = _at(path, str(language))
            if not LANGUAGE.match(str(language)):
                self.problem(inner, "not a two-letter language code (ISO 639-1, like en)")
            elif not isinstance(text, str):
                self.problem(inner, f"must be a string, not {_kind(text)}")
            elif not text.strip():
                self.problem(inner, "is empty")
            else:
                texts[str(language)] = _reflow(text)
        if texts and original not in texts:
            self.problem(path, f"has no {original} text (the case's original language)")
        return texts

    def a_date(self, value: Any, where: str) -> date | None:
        if isinstance(value, datetime):
            self.problem(where, "must be a date without a time, like 2022-06-12")
            return None
        if isinstance(value, date):
            return value
        if isinstance(value, str):
            try:
                return date.fromisoformat(value)
            except ValueError:
                pass
        self.problem(where, f"{value!r} is not a date like 2022-06-12")
        return None

    def a_time(self, value: Any, where: str) -> time | None:
        parsed = value
        if isinstance(value, str) and TIME.match(value):
            try:
                parsed = time.fromisoformat(value)
            except ValueError:
                parsed = None
        # Times are kept to the minute, which is what the file and the stored document hold.
        if isinstance(parsed, time) and not (parsed.second or parsed.microsecond):
            return parsed
        self.problem(where, f'{value!r} is not a time like "14:30"')
        return None

    def timezone(self, value: Any, where: str) -> str | None:
        if not isinstance(value, str):
            self.problem(where, f"must be a timezone name like Asia/Almaty, not {_kind(value)}")
            return None
        if not _is_timezone(value):
            self.problem(where, f"{value!r} is not an IANA timezone name like Asia/Almaty")
            return None
        return value

    def phone(self, data: Mapping[str, Any], key: str, where: str) -> str | None:
        path = _at(where, key)
        raw = data.get(key)
        if raw is None:
            return None
        if not isinstance(raw, str):
            self.problem(path, f'must be a string like "+7 7172 74 56 31", not {_kind(raw)}')
            return None
        if not is_international(raw):
            self.problem(path, f"{raw!r} is not in international form{_guess(raw)}")
            return None
        try:
            return to_e164(raw)
        except ValueError as error:
            self.problem(path, str(error))
            return None

    def case(self, data: Mapping[str, Any], *, expected_slug: str | None) -> UrgentAction | None:
        self.unknown(data, _TOP, "")
        slug = self.string(data, "slug", "")
        if slug is not None and not SLUG.match(slug):
            self.problem(
                "slug", f"{slug!r}: use at most 32 of a-z, 0-9 and -, not starting or ending in -"
            )
            slug = None
        if slug is not None and expected_slug is not None and slug != expected_slug:
            self.problem(
                "slug", f"{slug!r} must be the file's name ({expected_slug!r}.toml): rename one"
            )
        reference = self.string(data, "reference", "", required=False)
        country = self.string(data, "country", "")
        country_code = self.string(data, "country_code", "")
        if country_code is not None and country_code not in phonenumbers.SUPPORTED_REGIONS:
            self.problem("country_code", f"{country_code!r} is not an ISO 3166 code like KZ")
        status = self.status(data)
        outcome = self.string(data, "outcome", "", required=False)
        if status is CaseStatus.CLOSED and "outcome" not in data:
            self.problem("outcome", "a closed case needs an outcome (released, sentenced, ...)")
        if status in (CaseStatus.DRAFT, CaseStatus.ACTIVE) and outcome is not None:
            self.problem("outcome", f"only a closed case has an outcome; status is {status}")
        issued = self.a_date(data["issued"], "issued") if "issued" in data else None
        timezone = self.timezone(data.get("timezone", "UTC"), "timezone")
        source_url = self.string(data, "source_url", "", required=False)
        if source_url is not None and not _is_url(source_url):
            self.problem("source_url", f"{source_url!r} is not an http(s) address")
        texts = self.texts(data.get("text"))
        original = _original_language(data.get("text"))
        people = self.people(data, original)
        targets = self.targets(data, original)
        key_dates = self.key_dates(data, original, issued)
        offsets = self.reminders(data.get("reminders"), any(d.deadline for d in key_dates))
        themes = self.themes(data)
        urgent = data.get("urgent", False)
        if not isinstance(urgent, bool):
            self.problem("urgent", f"must be true or false, not {_kind(urgent)}")
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
        found = []
        for i, key in enumerate(self.strings(data, "themes", "")):
            if not is_theme(key):
                close = difflib.get_close_matches(key, THEMES, n=1)
                hint = f" (did you mean {close[0]}?)" if close else ""
                self.problem(
                    _at("themes", i), f"{key!r} is not a theme{hint}: one of {', '.join(THEMES)}"
                )
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
            where = _at("text", str(language))
            if not LANGUAGE.match(str(language)):
                self.problem(where, "not a two-letter language code (ISO 639-1, like en)")
                continue
            if not isinstance(table, Mapping):
                self.problem(where, f"must be a table [{where}], not {_kind(table)}")
                continue
            self.unknown(table, _TEXT, where)
            title = self.string(table, "title", where, prose=True)
            summary = self.string(table, "summary", where, prose=True)
            facts = self.facts(table, where)
            background = self.string(table, "background", where, prose=True)
            asks = self.strings(table, "asks", where, prose=True)
            if "asks" not in table:
                self.problem(_at(where, "asks"), 'missing: add asks = ["..."]')
            elif not asks and isinstance(table["asks"], list) and not table["asks"]:
                self.problem(_at(where, "asks"), "is empty: what are the officials urged to do?")
            if title and summary and background and asks:
                texts[str(language)] = CaseText(title, summary, background, asks, facts)
        # A translation with more or fewer asks than the original has lost or invented one.
        if texts:
            original, *others = texts
            for language in others:
                have, want = len(texts[language].asks), len(texts[original].asks)
                if have != want:
                    self.problem(
                        f"text.{language}.asks",
                        f"has {have} asks, the original ({original}) has {want}",
                    )
        return texts

    def people(self, data: Mapping[str, Any], original: str) -> tuple[PersonAtRisk, ...]:
        if "people" not in data:
            self.problem("people", "missing: add a [[people]] table with a name")
            return ()
        tables = self.table_list(data, "people")
        if not tables and isinstance(data["people"], list):
            self.problem("people", "is empty: add a [[people]] table with a name")
        people = []
        for where, item in tables:
            self.unknown(item, _PERSON, where)
            names = self.localized(item, "name", where, original, required=True)
            pronoun = self.string(item, "pronoun", where, required=False)
            description = self.localized(item, "description", where, original, required=False)
            if names:
                name = names.get(original) or next(iter(names.values()))
                people.append(PersonAtRisk(name, pronoun, description, names))
        return tuple(people)

    def targets(self, data: Mapping[str, Any], original: str) -> tuple[Target, ...]:
        if "targets" not in data:
            self.problem("targets", 'missing: add a [[targets]] table with role = "to"')
            return ()
        targets = []
        roles = []
        for where, item in self.table_list(data, "targets"):
            self.unknown(item, _TARGET, where)
            role = self.role(item, where)
            roles.append(role)
            name = self.string(item, "name", where)
            title = self.string(item, "title", where, required=False)
            organisation = self.string(item, "organisation", where, required=False)
            address = self.strings(item, "address", where)
            emails = self.strings(item, "emails", where)
            for i, email in enumerate(emails):
                if not is_email(email):
                    self.problem(
                        _at(_at(where, "emails"), i), f"{email!r} is not an email address"
                    )
            fax = self.phone(item, "fax", where)
            phone = self.phone(item, "phone", where)
            salutations = self.localized(item, "salutation", where, original, required=False)
            language = self.string(item, "language", where, required=False)
            if language is not None and not LANGUAGE.match(language):
                self.problem(
                    _at(where, "language"), f"{language!r} is not a two-letter language code"
                )
            for_countries = self.countries(item, where, role)
            reachable = any(item.get(k) for k in ("emails", "fax", "address"))
            if role is TargetRole.TO and not reachable:
                self.problem(where, "an official written to needs emails, a fax or an address")
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
                        for_countries=for_countries,
                    )
                )
        if "targets" in data and TargetRole.TO not in roles and None not in roles:
            self.problem("targets", 'no target has role = "to": whom is the appeal written to?')
        return tuple(targets)

    def facts(self, table: Mapping[str, Any], where: str) -> str | None:
        """A text's optional statement of what happened, short enough for a letter."""
        facts = self.string(table, "facts", where, required=False, prose=True)
        if facts is not None and len(facts) > FACTS_LIMIT:
            self.problem(
                _at(where, "facts"),
                f"has {len(facts)} characters; a letter's facts are at most {FACTS_LIMIT}: "
                "keep who, what, when and where, and leave the rest to background",
            )
        return facts

    def countries(
        self, item: Mapping[str, Any], where: str, role: TargetRole | None
    ) -> tuple[str, ...]:
        """A copy target's `for_country`: one ISO 3166 code ("FR") or a list of them."""
        path = _at(where, "for_country")
        if "for_country" not in item:
            return ()
        raw = item["for_country"]
        items = raw if isinstance(raw, list) else [raw]
        if not items or not all(isinstance(code, str) for code in items):
            self.problem(
                path,
                f'must be a country code like "FR" or a list like ["FR", "BE"], not {_kind(raw)}',
            )
            return ()
        codes: list[str] = []
        for i, code in enumerate(items):
            inner = _at(path, i) if isinstance(raw, list) else path
            if code.strip().upper() != code.strip() and is_country(code.strip().upper()):
                self.problem(inner, f"{code!r}: write country codes in capitals ({code.upper()})")
            elif not is_country(code.strip()):
                self.problem(inner, f"{code!r} is not an ISO 3166 country code like FR or KE")
            elif code.strip() in codes:
                self.problem(inner, f"{code!r} is listed twice")
            else:
                codes.append(code.strip())
        if role is TargetRole.TO:
            self.problem(
                path,
                'only a copy target is for the writer\'s country (role = "copy"): '
                "whom the appeal is written to is the same for everyone",
            )
        return tuple(codes)

    def role(self, item: Mapping[str, Any], where: str) -> TargetRole | None:
        if "role" not in item:
            self.problem(_at(where, "role"), 'missing: role = "to" or role = "copy"')
            return None
        try:
            return TargetRole(item["role"])
        except ValueError:
            self.problem(_at(where, "role"), f'{item["role"]!r} is not "to" or "copy"')
            return None

    def key_dates(
        self, data: Mapping[str, Any], original: str, issued: date | None
    ) -> tuple[KeyDate, ...]:
        dates = []
        deadlines = []
        for where, item in self.table_list(data, "key_dates"):
            self.unknown(item, _KEY_DATE, where)
            on = None
            if "date" in item:
                on = self.a_date(item["date"], _at(where, "date"))
            else:
                self.problem(_at(where, "date"), "missing: add date = 2022-06-12")
            at = self.a_time(item["time"], _at(where, "time")) if "time" in item else None
            timezone = (
                self.timezone(item["timezone"], _at(where, "timezone"))
                if "timezone" in item
                else None
            )
            label = self.localized(item, "label", where, original, required=True)
            deadline = item.get("deadline", False)
            if not isinstance(deadline, bool):
                self.problem(
                    _at(where, "deadline"), f"must be true or false, not {_kind(deadline)}"
                )
                deadline = False
            if deadline:
                deadlines.append(where)
                if on and issued and on < issued:
                    self.problem(
                        _at(where, "date"),
                        f"the deadline {on.isoformat()} is before the issue date "
                        f"{issued.isoformat()}",
                    )
            if on and label:
                dates.append(KeyDate(on, label, at, timezone, deadline))
        if len(deadlines) > 1:
            self.problem(
                "key_dates", f"{' and '.join(deadlines)} are both deadlines: mark only one"
            )
        return tuple(dates)

    def reminders(self, value: Any, has_deadline: bool) -> tuple[timedelta, ...] | None:
        if value is None:
            return None
        if not isinstance(value, Mapping):
            self.problem("reminders", f"must be a [reminders] table, not {_kind(value)}")
            return None
        self.unknown(value, _REMINDERS, "reminders")
        where = "reminders.before_deadline"
        if "before_deadline" not in value:
            self.problem(where, 'missing: add before_deadline = ["7d", "2d", "0d"]')
            return None
        raw = value["before_deadline"]
        if not isinstance(raw, list):
            self.problem(where, f'must be a list like ["7d", "2d", "0d"], not {_kind(raw)}')
            return None
        if raw and not has_deadline:
            self.problem(where, "the case has no deadline to remind before")
        offsets: dict[timedelta, int] = {}
        for i, item in enumerate(raw):
            offset = _try(parse_offset, item) if isinstance(item, str) else None
            if offset is None:
                self.problem(
                    _at(where, i), f"{item!r} is not an offset like 7d, 36h, 1d12h or 90m"
                )
            elif offset in offsets:
                self.problem(_at(where, i), f"{item!r} repeats {where}[{offsets[offset]}]")
            else:
                offsets[offset] = i
        return tuple(sorted(offsets, reverse=True))


def _reflow(text: str) -> str:
    """Text as prose: line breaks inside a paragraph joined, paragraphs apart by a blank line.

    Organizers wrap long texts in the file as they like; Telegram and letters reflow them anyway.
    """
    paragraphs = (" ".join(p.split()) for p in _PARAGRAPH_BREAK.split(text))
    return "\n\n".join(p for p in paragraphs if p)


_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n\s*")


def _original_language(texts: Any) -> str:
    """The first [text.*] table's language, even when that table has problems of its own."""
    if isinstance(texts, Mapping):
        return next((str(k) for k in texts if LANGUAGE.match(str(k))), "en")
    return "en"


def _try(parse: Callable[[str], _T], raw: str) -> _T | None:
    try:
        return parse(raw)
    except ValueError:
        return None


def _guess(raw: str) -> str:
    """A suggestion for a number written for dialling from Canada: " (+1 613 695 8755?)"."""
    e164 = _try(lambda r: from_dialled(r, SHEET_REGION), raw)
    return f" ({display(e164)}?)" if e164 else " (+ and the country code)"


def _is_url(value: str) -> bool:
    parts = urlsplit(value)
    return parts.scheme in ("http", "https") and bool(parts.netloc) and not re.search(r"\s", value)
