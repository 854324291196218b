"""The checks across fields: rules no single value can break alone, and a draft's gaps.

Each check yields (field path, what is wrong) for the reader to report as it reads, so the
problems of a file keep the order of the file.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from datetime import date
from typing import Any

from bot.domain.cases import CaseStatus, CaseText, TargetRole, UrgentAction

Finding = tuple[str, str]  # (field path, message)


def slug_names_the_file(slug: str | None, expected_slug: str | None) -> Iterator[Finding]:
    """A case file is named after its slug, so that the folder shows which case is which."""
    if slug is not None and expected_slug is not None and slug != expected_slug:
        yield "slug", f"{slug!r} must be the file's name ({expected_slug!r}.toml): rename one"


def outcome_fits_status(
    status: CaseStatus | None, has_outcome: bool, outcome: str | None
) -> Iterator[Finding]:
    """A closed case says how it ended; an open one cannot have ended yet."""
    if status is CaseStatus.CLOSED and not has_outcome:
        yield "outcome", "a closed case needs an outcome (released, sentenced, ...)"
    if status in (CaseStatus.DRAFT, CaseStatus.ACTIVE) and outcome is not None:
        yield "outcome", f"only a closed case has an outcome; status is {status}"


def translations_keep_asks(texts: Mapping[str, CaseText]) -> Iterator[Finding]:
    """A translation with more or fewer asks than the original has lost or invented one."""
    if not texts:
        return
    original, *others = texts
    for language in others:
        have, want = len(texts[language].asks), len(texts[original].asks)
        if have != want:
            yield (
                f"text.{language}.asks",
                f"has {have} asks, the original ({original}) has {want}",
            )


def card_asks_match(
    asks: Sequence[str], card_asks: Sequence[str], where: str
) -> Iterator[Finding]:
    """The card's asks say the letters' asks again, to the reader: one for each."""
    if card_asks and len(card_asks) != len(asks):
        yield (
            f"{where}.card_asks",
            f"has {len(card_asks)} asks, the letters' asks have {len(asks)}: "
            "write each ask once for the card",
        )


def for_country_on_a_copy(role: TargetRole | None, path: str) -> Iterator[Finding]:
    """Only an embassy copied is per writer's country; whom the appeal is to is everyone's."""
    if role is TargetRole.TO:
        yield (
            path,
            'only a copy target is for the writer\'s country (role = "copy"): '
            "whom the appeal is written to is the same for everyone",
        )


def written_to_is_reachable(
    role: TargetRole | None, item: Mapping[str, Any], where: str
) -> Iterator[Finding]:
    """An official written to needs a way for the letter to reach them (a gap in a draft)."""
    reachable = any(item.get(k) for k in ("emails", "fax", "address"))
    if role is TargetRole.TO and not reachable:
        yield where, "an official written to needs emails, a fax or an address"


def someone_written_to(roles: Sequence[TargetRole | None]) -> Iterator[Finding]:
    """Copies alone make no appeal (a gap in a draft); a role in error is reported already."""
    if TargetRole.TO not in roles and None not in roles:
        yield "targets", 'no target has role = "to": whom is the appeal written to?'


def deadline_after_issue(on: date | None, issued: date | None, where: str) -> Iterator[Finding]:
    """Appeals cannot be due before the sheet asking for them was issued."""
    if on and issued and on < issued:
        yield (
            f"{where}.date",
            f"the deadline {on.isoformat()} is before the issue date {issued.isoformat()}",
        )


def one_deadline(deadlines: Sequence[str]) -> Iterator[Finding]:
    """Reminders count down to one date; two deadlines would leave it a guess."""
    if len(deadlines) > 1:
        yield "key_dates", f"{' and '.join(deadlines)} are both deadlines: mark only one"


def reminders_need_deadline(offsets: Sequence[Any], has_deadline: bool) -> Iterator[Finding]:
    """Reminders before the deadline need a deadline."""
    if offsets and not has_deadline:
        yield "reminders.before_deadline", "the case has no deadline to remind before"


def gaps(case: UrgentAction) -> tuple[str, ...]:
    """The fields a draft still lacks that publishing needs (an imported sheet's gaps)."""
    missing = [key for key in ("country", "country_code") if not getattr(case, key)]
    for language, text in case.texts.items():
        for key in ("title", "summary", "background"):
            if not getattr(text, key):
                missing.append(f"text.{language}.{key}")
        if not text.asks:
            missing.append(f"text.{language}.asks")
    if not case.people:
        missing.append("people")
    if not case.recipients:
        missing.append("targets")
    for i, target in enumerate(case.targets):
        if not target.name:
            missing.append(f"targets[{i}].name")
        if target.role is TargetRole.TO and not (target.emails or target.fax or target.address):
            missing.append(f"targets[{i}]")
    return tuple(missing)
