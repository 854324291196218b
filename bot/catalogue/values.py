"""Reading one value of a case mapping: its type, its form, and the problem it has.

The primitives the reader (`bot.catalogue.reader`) builds each table from: a string, a list of
strings, a text in several languages, a date, a time, a timezone, a phone number, an array of
tables, and the fields a table may not hold. Each reports what is wrong at its field's path and
carries on, so that a file's problems are all found in one reading.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

from bot.catalogue import checks
from bot.catalogue.fields import (
    LANGUAGE,
    LIST_LIMITS,
    TIME,
    is_timezone,
    kind_of,
    path_of,
    reflow,
    suggest_number,
    text_limit,
)
from bot.catalogue.problems import Problem
from bot.domain.phones import is_international, to_e164


@dataclass
class ValueReader:
    """Reads the values of a case mapping, collecting every problem rather than the first."""

    source: str
    problems: list[Problem] = field(default_factory=list)
    # A draft may lack what only publishing needs (people, officials, texts): `gaps` names it.
    draft: bool = False

    def problem(self, where: str, what: str) -> None:
        self.problems.append(Problem(self.source, where, what))

    def report(self, findings: Iterable[checks.Finding], *, gaps: bool = False) -> None:
        """The findings of a check across fields; `gaps` when a draft may still lack them."""
        for where, what in findings:
            if gaps:
                self.gap(where, what)
            else:
                self.problem(where, what)

    def gap(self, where: str, what: str) -> None:
        """What a published case must have and a draft may still lack."""
        if not self.draft:
            self.problem(where, what)

    def unknown(self, data: Mapping[str, Any], allowed: Sequence[str], where: str) -> None:
        for key in data:
            if key not in allowed:
                close = difflib.get_close_matches(str(key), allowed, n=1)
                hint = f" (did you mean {close[0]}?)" if close else ""
                self.problem(path_of(where, str(key)), f"unknown field{hint}")

    def string(
        self,
        data: Mapping[str, Any],
        key: str,
        where: str,
        *,
        required: bool = True,
        prose: bool = False,
    ) -> str | None:
        path = path_of(where, key)
        if key not in data:
            if required:
                self.problem(path, "missing")
            return None
        value = data[key]
        if not isinstance(value, str):
            self.problem(path, f"must be a string, not {kind_of(value)}")
            return None
        if not value.strip():
            self.problem(path, "is empty")
            return None
        found = reflow(value) if prose else value.strip()
        return found if self.within(found, key, path) else None

    def within(self, value: str, key: str, path: str) -> bool:
        """Whether a text is within its field's length limit; a problem said when not."""
        limit = text_limit(key)
        if len(value) <= limit:
            return True
        self.problem(path, f"has {len(value)} characters; at most {limit}: shorten it")
        return False

    def not_too_many(self, value: list[Any], key: str, path: str) -> bool:
        """Whether a list is within its field's limit; a problem said when not."""
        limit = LIST_LIMITS.get(key)
        if limit is None or len(value) <= limit:
            return True
        self.problem(path, f"has {len(value)} entries; at most {limit}")
        return False

    def strings(
        self, data: Mapping[str, Any], key: str, where: str, *, prose: bool = False
    ) -> tuple[str, ...]:
        path = path_of(where, key)
        value = data.get(key, [])
        if not isinstance(value, list):
            self.problem(path, f'must be a list of strings, like ["..."], not {kind_of(value)}')
            return ()
        if not self.not_too_many(value, key, path):
            return ()
        found = []
        for i, item in enumerate(value):
            if not isinstance(item, str):
                self.problem(path_of(path, i), f"must be a string, not {kind_of(item)}")
            elif not item.strip():
                self.problem(path_of(path, i), "is empty")
            elif self.within(
                text := reflow(item) if prose else item.strip(), key, path_of(path, i)
            ):
                found.append(text)
        return tuple(found)

    def table_list(self, data: Mapping[str, Any], key: str) -> list[tuple[str, Mapping[str, Any]]]:
        """The tables of an array of tables ([[key]]), each with its path."""
        value = data.get(key, [])
        if not isinstance(value, list):
            self.problem(key, f"must be a list of tables: write [[{key}]], not {kind_of(value)}")
            return []
        if not self.not_too_many(value, key, key):
            return []
        tables = []
        for i, item in enumerate(value):
            if isinstance(item, Mapping):
                tables.append((path_of(key, i), item))
            else:
                self.problem(path_of(key, i), f"must be a table, not {kind_of(item)}")
        return tables

    def localized(
        self,
        data: Mapping[str, Any],
        key: str,
        where: str,
        original: str,
        *,
        required: bool,
        needs_original: bool = True,
    ) -> dict[str, str]:
        """A text in several languages: a table of language = text, or a string in the original.

        The original language must be among them, as what the bot falls back to, unless
        `needs_original` is false (a form only some languages' grammar asks for).
        """
        path = path_of(where, key)
        if key not in data:
            if required:
                self.problem(path, f'missing: add {key} = {{ {original} = "..." }}')
            return {}
        value = data[key]
        if isinstance(value, str):
            if not value.strip():
                self.problem(path, "is empty")
                return {}
            text = reflow(value)
            return {original: text} if self.within(text, key, path) else {}
        if not isinstance(value, Mapping) or not value:
            self.problem(
                path,
                f'must be a string or a table like {{ {original} = "..." }}, not {kind_of(value)}',
            )
            return {}
        texts: dict[str, str] = {}
        for language, text in value.items():
            inner = path_of(path, str(language))
            if not LANGUAGE.match(str(language)):
                self.problem(
                    inner,
                    "not a two-letter language code (ISO 639-1, like en; with a region, pt_BR)",
                )
            elif not isinstance(text, str):
                self.problem(inner, f"must be a string, not {kind_of(text)}")
            elif not text.strip():
                self.problem(inner, "is empty")
            elif self.within(reflow(text), key, inner):
                texts[str(language)] = reflow(text)
        if texts and original not in texts and needs_original:
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
            self.problem(where, f"must be a timezone name like Asia/Almaty, not {kind_of(value)}")
            return None
        if not is_timezone(value):
            self.problem(where, f"{value!r} is not an IANA timezone name like Asia/Almaty")
            return None
        return value

    def phone(self, data: Mapping[str, Any], key: str, where: str) -> str | None:
        path = path_of(where, key)
        raw = data.get(key)
        if raw is None:
            return None
        if not isinstance(raw, str):
            self.problem(path, f'must be a string like "+7 7172 74 56 31", not {kind_of(raw)}')
            return None
        if not is_international(raw):
            self.problem(path, f"{raw!r} is not in international form{suggest_number(raw)}")
            return None
        try:
            return to_e164(raw)
        except ValueError as error:
            self.problem(path, str(error))
            return None

    def draft_string(
        self, data: Mapping[str, Any], key: str, where: str, *, prose: bool = True
    ) -> str | None:
        """A text a published case needs: "" in a draft that lacks it, None if it is wrong."""
        if self.draft and (key not in data or data[key] == "" or data[key] == []):
            return ""
        return self.string(data, key, where, prose=prose)
