"""A case as a mapping: what a case file holds, and the JSON document the database stores.

Read back through the same reader and checks as a file, so a stored case is as valid as one
loaded from `actions/`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bot.catalogue.fields import format_offset
from bot.catalogue.problems import CatalogueError
from bot.catalogue.reader import Reader
from bot.domain.cases import Target, UrgentAction


def case_from_mapping(data: Mapping[str, Any], *, source: str = "case") -> UrgentAction:
    """Build a case from a case file's mapping (or the stored JSON); CatalogueError on problems."""
    reader = Reader(source)
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
            **({"card_asks": list(t.card_asks)} if t.card_asks else {}),
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
            "name": _localized_out(target.names or {original: target.name}, original),
            "title": _localized_out(
                target.titles or ({original: target.title} if target.title else {}), original
            ),
            "organisation": _localized_out(
                target.organisations
                or ({original: target.organisation} if target.organisation else {}),
                original,
            ),
            "address": list(target.address),
            "emails": list(target.emails),
            "fax": target.fax,
            "phone": target.phone,
            "salutation": _localized_out(salutations, original),
            "addressee": dict(target.addressees) or None,
            "language": list(target.languages) if target.languages else target.language,
            "for_country": (
                target.for_countries[0]
                if len(target.for_countries) == 1
                else list(target.for_countries)
            ),
        }
    )


def _compact(data: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if v not in (None, [], {}, "")}
