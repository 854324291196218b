"""Composing appeals: from a case, a channel and a signer to ready, personal letters.

Code decides *what* goes into a letter (whom it is to, which asks, which variant of each phrase);
the words live in `templates/<language>/letters/`: `letter.txt` frames the letter, `phrases.txt`
holds the lists of subjects, openings, introductions to the asks, closings and sign-offs, and
`subject.txt` the subject line. A seed (the person and the case) picks one of each list, so the
same person gets the same letter again, and officials do not receive thousands of identical ones.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from bot.domain.cases import Channel, PersonAtRisk, Target, UrgentAction
from bot.domain.phones import dialled_from, display
from bot.rendering import Renderer, base_language

# Long enough for a sentence or two of one's own, short enough that the case's asks stay the
# heart of the letter (and the whole letter still fits one chat message).
PERSONAL_LIMIT = 300
# The templates a language needs before letters can be written in it.
LETTER_TEMPLATES = ("letters/letter.txt", "letters/subject.txt", "letters/phrases.txt")
# The slots a seed chooses a phrase for; each gets its own number, so choices are independent.
VARIANT_SLOTS = ("subject", "opening", "ask_intro", "closing", "sign_off")

# Line breaks and tabs become a space (the sentence is one paragraph); other control characters
# are dropped, since they have no meaning on paper and can hide text on screen.
_BREAKS = re.compile(r"[\t\n\v\f\r\x1c-\x1e\x85\u2028\u2029]+")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


class AppealError(ValueError):
    """An appeal cannot be written as asked; the message says why."""


class PersonalLineError(AppealError):
    """The personal sentence is longer than PERSONAL_LIMIT: refused whole, never cut."""

    def __init__(self, length: int, limit: int = PERSONAL_LIMIT) -> None:
        super().__init__(
            f"the personal sentence has {length} characters; the limit is {limit}; nothing was cut"
        )
        self.length = length
        self.limit = limit


class SignerError(AppealError):
    """A signature is neither a full name nor initials with a city."""


class UnreachableError(AppealError):
    """No official of the case can be written to through the chosen channel."""


class LanguageError(AppealError):
    """The case has no texts, or the bot no letter templates, in the chosen language."""


@dataclass(frozen=True)
class Signer:
    """How the person signs: a full name, or initials and a city.

    Amnesty advises people with ties to the target country to sign with initials and city only.
    """

    full_name: str | None = None
    initials: str | None = None
    city: str | None = None

    def __post_init__(self) -> None:
        for part in (self.full_name, self.initials, self.city):
            if part is not None and (_CONTROL.search(part) or part != part.strip()):
                # Never the value itself: what a person typed stays out of errors and the log.
                raise SignerError("a signature is one line, without outer spaces")
        if self.full_name:
            if self.initials or self.city:
                raise SignerError("a signer has a full name, or initials and a city, not both")
        elif not (self.initials and self.city):
            raise SignerError("a signer needs a full name, or initials and a city")

    @property
    def signature(self) -> str:
        """The line under the letter: "Anna Petrova", or "A. P., Toronto"."""
        return self.signed()

    def signed(self, comma: str = ", ") -> str:
        """The signature with initials and city joined by the letter's comma ("أ. ك.، ليون")."""
        if self.full_name:
            return self.full_name
        return f"{self.initials}{comma}{self.city}"

    def to_mapping(self) -> dict[str, str]:
        """The signer as stored when the person asks the bot to remember it."""
        if self.full_name:
            return {"full_name": self.full_name}
        return {"initials": self.initials or "", "city": self.city or ""}


@dataclass(frozen=True)
class Letter:
    """One letter to one official, ready to send: its words and where it goes."""

    case_slug: str
    recipient: Target
    channel: Channel
    language: str
    subject: str
    body: str  # plain text, the whole letter
    signer: Signer
    dated: date
    cc: tuple[Target, ...] = ()  # by email in Cc; by fax and post named on a "Copy:" line
    copy_of: Target | None = None  # set on the copy sent to a `copy` target: whom it copies
    writer_country: str | None = None  # ISO alpha-2 of where the writer lives, if they said
    signature: str = ""  # the signature as the letter writes it; the signer's own when empty
    # The address block's lines as the letter gives them (the envelope label repeats them).
    address: tuple[str, ...] = ()

    @property
    def is_copy(self) -> bool:
        """Whether this letter is the copy of an appeal, sent to a `copy` target."""
        return self.copy_of is not None

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
        """The recipient's fax number in readable international form: "+7 7172 74 56 31"."""
        return display(self.recipient.fax) if self.recipient.fax else None

    @property
    def fax_dialled(self) -> str | None:
        """The fax number as dialled from the writer's country ("00 7 7172 74 56 31" from
        France); None when the country is unknown or the number reads the same as `fax`."""
        if not self.recipient.fax or not self.writer_country:
            return None
        try:
            dialled = dialled_from(self.recipient.fax, self.writer_country)
        except ValueError:
            return None
        return dialled if dialled != self.fax else None


@dataclass(frozen=True)
class Appeal:
    """A person's appeal on a case: its letters, for one channel, in one language.

    The first letter goes to the first official written to; by fax and by post each copy target
    follows the letter it copies.
    """

    case: UrgentAction
    channel: Channel
    language: str
    signer: Signer
    letters: tuple[Letter, ...] = field(default_factory=tuple)
    personal_line: str | None = None
    writer_country: str | None = None
    # The case names embassies per writer's country, but none for this writer's: the person is
    # told how to find the one accredited to their country.
    embassy_missing: bool = False


def clean_personal_line(raw: str | None) -> str | None:
    """The personal sentence as one line, without control characters; None when empty.

    PersonalLineError when it is longer than PERSONAL_LIMIT: the person shortens it, since a
    sentence cut short would say something they did not write.
    """
    if raw is None:
        return None
    line = _CONTROL.sub("", _BREAKS.sub(" ", raw)).strip()
    if not line:
        return None
    if len(line) > PERSONAL_LIMIT:
        raise PersonalLineError(len(line))
    return line


def available_languages(
    case: UrgentAction, renderer: Renderer, person_language: str | None = None
) -> tuple[str, ...]:
    """The languages a letter can be written in: the case has texts and the bot templates.

    Ordered as a letter is best written: in a language the officials read (Amnesty advises
    writing in theirs): the person's own if the officials read it, else the officials'
    preferred one; then the person's own, the officials' other languages, the case's original,
    and the rest.
    """
    possible = [lang for lang in case.languages if _has_letter_templates(renderer, lang)]
    if person_language and person_language not in possible:
        # A reader in "pt_BR" reads a case written in "pt".
        person_language = base_language(person_language)
    read = [lang for lang in officials_read(case) if lang in possible]
    first = [person_language] if person_language in read else read[:1]
    order = [*first, person_language, *read, case.original_language, *possible]
    found: list[str] = []
    for language in order:
        if language in possible and language not in found:
            found.append(language)
    return tuple(found)


def officials_read(case: UrgentAction) -> tuple[str, ...]:
    """The languages the officials written to read, each official's preferred first."""
    found: list[str] = []
    for target in case.recipients:
        found.extend(lang for lang in target.reads if lang not in found)
    return tuple(found)


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
    writer_country: str | None = None,
) -> Appeal:
    """The appeal's letters: one to each official written to who is reachable by `channel`.

    Copy targets meant for every writer are copied; of those bound to writers' countries (an
    embassy accredited to one country), only the one for `writer_country`. The case's `facts`
    in the letter's language stand between the opening and the asks.

    By email the copy targets go in Cc, as Amnesty's sheets ask ("and copy"). By fax and by post
    a Cc line alone would reach no one, so each copy target also gets its own letter: a short
    note asking the embassy to convey the concern to its government, with the appeal below it.
    The appeal itself names them on a "Copy:" line, so its reader knows the embassy was told.
    """
    if language not in available_languages(case, renderer):
        raise LanguageError(f"no letter in {language!r} for {case.slug}: no texts or templates")
    line = clean_personal_line(personal_line)
    recipients = [t for t in case.recipients if t.reaches_by(channel)]
    if not recipients:
        raise UnreachableError(f"no official of {case.slug} can be reached by {channel}")
    copies = tuple(t for t in case.copies_for(writer_country) if t.reaches_by(channel))
    texts = case.text(language)
    context: dict[str, Any] = {
        "channel": str(channel),
        "dated": today,
        "people": [_person(p, language) for p in case.people],
        # Only facts written in the letter's own language: a paragraph in another would not do.
        "facts": texts.facts if language in case.texts and texts.facts else "",
        "asks": [_as_clause(ask, language) for ask in texts.asks],
        "personal_line": line,
        "signer": signer,
        # As the letter's language writes it: "أ. ك.، ليون" (the fax cover's "From" too).
        "signature": renderer.render(language, "letters/signature.txt", signer=signer),
        "variant": _variant(variant_seed),
    }
    subject = renderer.render(language, "letters/subject.txt", **context)

    def letter(to: Target, cc: tuple[Target, ...], copy_of: Letter | None = None) -> Letter:
        salutation = _salutation(case, to, language)
        address = renderer.render(
            language, "letters/address.txt", recipient=to, salutation=salutation
        )
        body = renderer.render(
            language,
            "letters/letter.txt",
            **context,
            recipient=to,
            salutation=salutation,
            address=address,
            cc=cc,
            copy_of=copy_of.recipient if copy_of else None,
            original=copy_of.body if copy_of else None,
        )
        return Letter(
            case_slug=case.slug,
            recipient=to,
            channel=channel,
            language=language,
            subject=subject,
            body=body,
            signer=signer,
            signature=context["signature"],
            dated=today,
            cc=cc,
            copy_of=copy_of.recipient if copy_of else None,
            writer_country=writer_country,
            address=tuple(address.splitlines()),
        )

    letters: list[Letter] = []
    for recipient in recipients:
        appeal = letter(recipient, copies)
        letters.append(appeal)
        if channel is not Channel.EMAIL:
            letters.extend(letter(copy, (), copy_of=appeal) for copy in copies)
    return Appeal(
        case,
        channel,
        language,
        signer,
        tuple(letters),
        line,
        writer_country=writer_country,
        embassy_missing=case.lacks_embassy_for(writer_country),
    )


def _has_letter_templates(renderer: Renderer, language: str) -> bool:
    return all((renderer.directory / language / name).is_file() for name in LETTER_TEMPLATES)


def _person(person: PersonAtRisk, language: str) -> Mapping[str, Any]:
    """What the templates need of a person: the name and one-line description in `language`."""
    return {
        "name": person.name_in(language),
        "description": person.description.get(language),
        "pronoun": person.pronoun,
    }


# Languages that write every noun with a capital: there a capital tells nothing of where a
# sentence starts ("Haftbedingungen", "Herrn Mamay", "Generalstaatsanwalt"), and is kept.
NOUNS_CAPITALISED = frozenset({"de", "lb"})


def _as_clause(ask: str, language: str) -> str:
    """An ask as it continues "I urge you to ...": sheets write them as bullets, some capitalised
    or ending in a full stop; the words themselves are kept."""
    clause = ask.strip().rstrip(".;")
    first = clause.split(" ", 1)[0]
    # Lower-case a capitalised first word ("Release"), but not a name or an acronym ("UN"),
    # nor a noun in a language that capitalises its nouns.
    if language in NOUNS_CAPITALISED:
        return clause
    if first[:1].isupper() and first[1:].islower() and first.isalpha() and len(first) > 1:
        clause = clause[0].lower() + clause[1:]
    return clause


def _salutation(case: UrgentAction, target: Target, language: str) -> str | None:
    """The salutation the case gives for a letter in `language`, if any.

    A target built with only `salutation` (no per-language table) has it in the case's original
    language. With none, the letter template chooses a respectful default.
    """
    given = target.salutation_in(language)
    if given is None and not target.salutations and language == case.original_language:
        given = target.salutation
    # The sheet writes "Dear Mr President:"; the template adds the punctuation its language uses.
    return given.strip().rstrip(",:;!") if given else None


def _variant(seed: str) -> Mapping[str, int]:
    """A large number per phrase slot, from the seed; a template takes it modulo its list."""
    return {
        slot: int.from_bytes(hashlib.sha256(f"{slot}\x00{seed}".encode()).digest()[:8], "big")
        for slot in VARIANT_SLOTS
    }
