"""Follow-ups: the known case a sheet continues, and that case updated with what the sheet
says (its texts, officials, dates), closed when the sheet asks for no further action.

A follow-up is found by its reference, its link to the previous sheet, or the person and the
country it is about; a closing follow-up of a case no catalogue holds is itself a closed case
when it is whole enough to be one.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from bot.catalogue import CatalogueError, case_from_mapping, case_to_mapping
from bot.domain.cases import CaseStatus, UrgentAction
from bot.importer.labels import NO_FURTHER_ACTION
from bot.importer.layouts import Sheet
from bot.importer.report import ImportReport, NoteKind
from bot.importer.words import alternatives


def known_case(
    sheet: Sheet, mapping: Mapping[str, Any], existing: Sequence[UrgentAction]
) -> UrgentAction | None:
    """The known case this sheet continues: by reference, previous link, or person."""
    if not sheet.follow_up and not any(c.slug == mapping.get("slug") for c in existing):
        return None
    for case in existing:
        if sheet.reference and case.reference == sheet.reference:
            return case
        if sheet.previous and case.source_url and _same_url(case.source_url, sheet.previous):
            return case
    names = {_plain_name(p["name"]) for p in mapping.get("people", [])}
    for case in existing:
        known = {_plain_name(n) for p in case.people for n in (p.name, *p.names.values())}
        if names & known and case.country_code == mapping.get("country_code"):
            return case
    return None


def _same_url(a: str, b: str) -> bool:
    return a.rstrip("/").lower() == b.rstrip("/").lower()


def _plain_name(name: str) -> str:
    return " ".join(name.lower().split())


def updated(
    original: UrgentAction, new: dict[str, Any], sheet: Sheet, report: ImportReport
) -> dict[str, Any]:
    """The known case with the follow-up's facts: its texts, officials, dates and status."""
    data = case_to_mapping(original)
    language = original.original_language
    _texts(data, new, language, report)
    if new.get("themes") and not data.get("themes"):
        data["themes"] = new["themes"]
    if new["targets"]:
        data["targets"] = [_keep_translations(t, original, language) for t in new["targets"]]
    people = data["people"]
    for person, found in zip(people, new["people"], strict=False):
        if "pronoun" not in person and "pronoun" in found:
            person["pronoun"] = found["pronoun"]
    data["key_dates"] = _dates(data["key_dates"], new["key_dates"])
    data.setdefault("reference", new.get("reference"))
    if data.get("reference") is None:
        data.pop("reference")
    if "source_url" not in data and new.get("source_url"):
        data["source_url"] = new["source_url"]
    # What the follow-up lacks, the case already has: those are no longer missing.
    report.notes = [
        n
        for n in report.notes
        if not (n.kind is NoteKind.MISSING and _has(data, n.field))
        and not (n.field == "source_url" and data.get("source_url") != new.get("source_url"))
    ]
    story = " ".join(sheet.story)
    if NO_FURTHER_ACTION.search(story):
        outcome = _outcome(" ".join([sheet.title or "", story]))
        data["status"] = str(CaseStatus.CLOSED)
        data["outcome"] = outcome
        report.note(NoteKind.CLOSES, "status", outcome=outcome)
    return data


def _texts(
    data: dict[str, Any], new: Mapping[str, Any], language: str, report: ImportReport
) -> None:
    """The case's text in its language, with what the follow-up says; translations of the
    earlier text are dropped and noted."""
    old_text = data["text"][language]
    written_in, new_text = next(iter(new["text"].items()))
    text = dict(new_text) if written_in == language else dict(old_text)
    if written_in != language:
        # The case's texts stay: a translation of the follow-up is for an organizer to make.
        report.note(NoteKind.OTHER_LANGUAGE, f"text.{written_in}", language=written_in)
    for key in ("title", "summary", "background", "asks"):
        if not text.get(key):
            text[key] = old_text[key]
    if _words(text) != _words(old_text):
        for other in data["text"]:
            if other != language:
                report.note(NoteKind.TRANSLATION_DROPPED, f"text.{other}", language=other)
        data["text"] = {language: text}


def _dates(known: list[dict[str, Any]], new: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The case's key dates with the follow-up's: a new deadline replaces the old one."""
    replaced = any(n.get("deadline") for n in new)
    dates = [{**d, "deadline": False} if replaced else d for d in known]
    on = {d["date"] for d in dates}
    dates.extend(
        {**d, "date": d["date"].isoformat()} for d in new if d["date"].isoformat() not in on
    )
    dates.sort(key=lambda d: str(d["date"]))
    return [{k: v for k, v in d.items() if v is not False} for d in dates]


def closed_if_whole(
    mapping: dict[str, Any], sheet: Sheet, report: ImportReport, source: str
) -> dict[str, Any]:
    """A follow-up that asks for no further action, of a case no catalogue holds: closed with
    its outcome when it is whole enough to be a closed case; else a draft, the outcome noted."""
    story = " ".join(sheet.story)
    if not NO_FURTHER_ACTION.search(story):
        return mapping
    outcome = _outcome(" ".join([sheet.title or "", story]))
    report.note(NoteKind.CLOSES, "status", outcome=outcome)
    closed = {**mapping, "status": str(CaseStatus.CLOSED), "outcome": outcome}
    try:
        case_from_mapping(closed, source=source)
    except CatalogueError:
        return mapping
    return closed


def _has(data: Mapping[str, Any], where: str) -> bool:
    """Whether the case file's mapping holds a value at `where` ("text.en.asks", "people[0]")."""
    if where == "key_dates.deadline":
        return any(d.get("deadline") for d in data.get("key_dates", []))
    value: Any = data
    for part in re.findall(r"[^.\[\]]+", where):
        if isinstance(value, Mapping):
            value = value.get(part)
        elif isinstance(value, list) and part.isdigit() and int(part) < len(value):
            value = value[int(part)]
        else:
            return False
    return value not in (None, "", [], {})


def _words(text: Mapping[str, Any]) -> list[str]:
    """A text's words, however its lines are broken: what tells a changed text."""
    return " ".join(str(text[k]) for k in ("title", "summary", "background")).split() + [
        " ".join(ask.split()) for ask in text["asks"]
    ]


def _keep_translations(
    target: dict[str, Any], original: UrgentAction, language: str
) -> dict[str, Any]:
    """A follow-up's official, with the salutation's translations if the case had them."""
    for known in original.targets:
        if known.name == target["name"] and len(known.salutations) > 1:
            salutations = dict(known.salutations)
            written = target.get("salutation")
            if isinstance(written, dict):  # the follow-up's own, in several languages
                salutations.update(written)
            elif written:
                salutations[language] = written
            return {**target, "salutation": salutations}
    return target


# A closing follow-up's outcome, in each language's words (`bot/importer/languages/`).
_RELEASED = re.compile(rf"\b(?:{alternatives('released')})\b", re.IGNORECASE)
_NOT_RELEASED = re.compile(rf"\b(?:{alternatives('not_released')})", re.IGNORECASE)
_SENTENCED = re.compile(rf"\b(?:{alternatives('sentenced')})\b", re.IGNORECASE)
_EXECUTED = re.compile(rf"(?<!\w)(?:{alternatives('executed')})(?!\w)", re.IGNORECASE)


def _outcome(text: str) -> str:
    # An execution is what the story ends on, whatever else it tells (an earlier release of
    # another, the sentence handed down before).
    if _EXECUTED.search(text):
        return "executed"
    if _RELEASED.search(text) and not _NOT_RELEASED.search(text):
        return "released"
    if _SENTENCED.search(text):
        return "sentenced"
    return "nfa"
