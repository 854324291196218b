"""Composing appeals: from a case, a channel and a signer to ready, personal letters.

The wording lives in `templates/<language>/letters/`: the letter's frame in `letter.txt`, and in
`phrases.toml` several openings, introductions to the asks, closings and sign-offs. A seed
(the person and the case) picks one of each, so the same person gets the same letter again, and
officials do not receive thousands of identical ones.
"""

from __future__ import annotations

import hashlib
import re
import tomllib
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from bot.domain.cases import Channel, Target, UrgentAction
from bot.domain.phones import display
from bot.rendering import Renderer

PERSONAL_LIMIT = 300
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


class PersonalLineError(ValueError):
    """The personal sentence is empty or longer than PERSONAL_LIMIT; nothing is cut silently."""


@dataclass(frozen=True)
class Signer:
    """How the person signs: a full name, or initials and a city (safer for some)."""

    full_name: str | None = None
    initials: str | None = None
    city: str | None = None

    def __post_init__(self) -> None:
        if not self.full_name and not (self.initials and self.city):
            raise ValueError("a signer needs a full name, or initials and a city")

    @property
    def signature(self) -> str:
        """The line under the letter."""
        if self.full_name:
            return self.full_name
        return f"{self.initials}, {self.city}"

    def to_mapping(self) -> dict[str, str]:
        """The signer as stored when the person asks the bot to remember it."""
        if self.full_name:
            return {"full_name": self.full_name}
        return {"initials": self.initials or "", "city": self.city or ""}


@dataclass(frozen=True)
class Letter:
    """One letter to one official, ready to send."""

    recipient: Target
    channel: Channel
    language: str
    subject: str
    body: str
    cc: tuple[Target, ...] = ()
    is_copy: bool = False  # a copy of the appeal, addressed to a `copy` target

    @property
    def to(self) -> tuple[str, ...]:
        """The email addresses the letter is written to."""
        return self.recipient.emails

    @property
    def cc_emails(self) -> tuple[str, ...]:
        """The email addresses that receive a copy."""
        return tuple(email for target in self.cc for email in target.emails)

    @property
    def fax(self) -> str | None:
        """The recipient's fax number, readable."""
        return display(self.recipient.fax) if self.recipient.fax else None


@dataclass(frozen=True)
class Appeal:
    """A person's appeal on a case: its letters, for one channel, in one language."""

    case: UrgentAction
    channel: Channel
    language: str
    signer: Signer
    letters: tuple[Letter, ...] = field(default_factory=tuple)


def clean_personal_line(raw: str | None) -> str | None:
    """The personal sentence without control characters; PersonalLineError past the limit."""
    if raw is None:
        return None
    line = " ".join(_CONTROL.sub(" ", raw).split())
    if not line:
        return None
    if len(line) > PERSONAL_LIMIT:
        raise PersonalLineError(
            f"the personal sentence has {len(line)} characters; the limit is {PERSONAL_LIMIT}"
        )
    return line


def available_languages(
    case: UrgentAction, renderer: Renderer, person_language: str
) -> tuple[str, ...]:
    """The languages a letter can be written in: the targets' preferred language first (Amnesty
    advises writing in it), then the person's, then the case's own."""
    possible = [lang for lang in case.languages if lang in renderer.languages]
    preferred = [t.language for t in case.recipients if t.language in possible]
    order = [*preferred, person_language, case.original_language, *possible]
    seen: list[str] = []
    for language in order:
        if language in possible and language not in seen:
            seen.append(language)
    return tuple(seen)


def compose_appeal(
    case: UrgentAction,
    *,
    channel: Channel,
    language: str,
    signer: Signer,
    personal_line: str | None,
    today: date,
    variant_seed: str,
    renderer: Renderer,
) -> Appeal:
    """The appeal's letters: one to each recipient reachable by `channel`.

    By email the copies go in Cc; by fax and by post each copy target gets its own letter,
    introduced as a copy, because an embassy reads its own post, not a cc line.
    """
    line = clean_personal_line(personal_line)
    phrases = _phrases(renderer, language)
    pick = _Picker(variant_seed)
    texts = case.text(language)
    names = case.names_in(language)
    people = [
        {"name": p.name_in(language), "description": p.description.get(language, "")}
        for p in case.people
    ]
    context: dict[str, Any] = {
        "case": case,
        "names": names,
        "people": people,
        "country": renderer.country_name(case.country_code, language, case.country),
    }
    opening = _fill(renderer, pick.one(phrases["openings"]), context)
    ask_intro = _fill(renderer, pick.one(phrases["ask_intros"]), context)
    closing = _fill(renderer, pick.one(phrases["closings"]), context)
    sign_off = pick.one(phrases["sign_offs"])
    subject = _fill(renderer, pick.one(phrases["subjects"]), context)
    written = renderer.long_date(today, language)
    recipients = [t for t in case.recipients if t.reaches_by(channel)]
    copies = [t for t in case.copies if t.reaches_by(channel)]

    def letter(to: Target, *, cc: tuple[Target, ...], copy_of: Target | None) -> Letter:
        body = renderer.render(
            language,
            "letters/letter.txt",
            date=written,
            recipient=to,
            show_address=channel is not Channel.EMAIL,
            salutation=salutation(to, language, phrases),
            copy_of=copy_of,
            opening=opening,
            ask_intro=ask_intro,
            asks=texts.asks,
            personal_line=line,
            closing=closing,
            sign_off=sign_off,
            signature=signer.signature,
            cc=cc,
        )
        return Letter(to, channel, language, subject, body, cc, is_copy=copy_of is not None)

    letters = [letter(recipient, cc=tuple(copies), copy_of=None) for recipient in recipients]
    if channel is not Channel.EMAIL and recipients:
        for copy in copies:
            letters.append(letter(copy, cc=(), copy_of=recipients[0]))
    return Appeal(case, channel, language, signer, tuple(letters))


def salutation(target: Target, language: str, phrases: dict[str, Any]) -> str:
    """The salutation the sheet gives for `language`; a respectful default where it gives none."""
    given = target.salutation_in(language)
    if given is None and target.salutation and not target.salutations:
        given = target.salutation if language == "en" else None
    if given:
        return given
    if target.name.lower().startswith(("his excellency", "her excellency")):
        return str(phrases["salutation_excellency"])
    return str(phrases["salutation_default"])


def _phrases(renderer: Renderer, language: str) -> dict[str, Any]:
    path = renderer.directory / language / "letters" / "phrases.toml"
    if not path.exists():
        path = renderer.directory / "en" / "letters" / "phrases.toml"
    return tomllib.loads(path.read_text(encoding="utf-8"))


def _fill(renderer: Renderer, phrase: str, context: dict[str, Any]) -> str:
    return renderer.plain(phrase, **context)


class _Picker:
    """Deterministic choices from a seed: one hash per choice, so choices are independent."""

    def __init__(self, seed: str) -> None:
        self._seed = seed
        self._count = 0

    def one(self, options: list[str]) -> str:
        self._count += 1
        digest = hashlib.sha256(f"{self._seed}:{self._count}".encode()).digest()
        return options[int.from_bytes(digest[:4], "big") % len(options)]
