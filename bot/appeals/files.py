"""The files an appeal travels in: an .eml draft, a printable letter with its envelope labels,
and a printable fax with its cover.

Printable files are HTML pages with print styles (A4) rather than PDF: every phone and computer
opens them in a browser, prints them or saves them as PDF for an online fax service, and the
system's fonts render every script (Cyrillic, Arabic, Chinese...) with no font files to ship.
"""

from __future__ import annotations

import itertools
import math
import re
from dataclasses import dataclass
from email.message import EmailMessage
from email.policy import SMTP

from markupsafe import Markup

from bot.appeals.compose import Appeal, Letter
from bot.domain.cases import TargetRole
from bot.domain.countries import country_name
from bot.rendering import Renderer

# A fax cover states the number of pages. The page is set in 11pt type on A4 with 20 mm
# margins: about 80 characters a line and 46 lines a page; the estimate errs towards more.
_CHARACTERS_PER_LINE = 72
_LINES_PER_PAGE = 44
_COVER_LINES = 12


@dataclass(frozen=True)
class EmailParts:
    """What a person copies into their mail app: addresses, subject and body, as plain text."""

    to: str  # "udp@udp-rk.kz"; several are joined with ", "
    cc: str | None  # "ottawa@mfa.kz", or None when nobody is copied
    subject: str
    body: str


def email_message_parts(letter: Letter) -> EmailParts:
    """The fields of an emailed letter, each ready to show in a tap-to-copy span."""
    return EmailParts(
        to=", ".join(letter.to),
        cc=", ".join(letter.cc_emails) or None,
        subject=letter.subject,
        body=letter.body,
    )


def email_file(letter: Letter) -> bytes:
    """An RFC 5322 draft (.eml) with To, Cc, Subject and the body, in UTF-8.

    No From: the person's own mail app fills it in. `X-Unsent: 1` makes Outlook and others open
    the file as a draft to send rather than as a received message.
    """
    if not letter.to:
        raise ValueError(f"the letter to {letter.recipient.name} has no email address")
    parts = email_message_parts(letter)
    message = EmailMessage(policy=SMTP)
    message["To"] = parts.to
    if parts.cc:
        message["Cc"] = parts.cc
    message["Subject"] = parts.subject
    message["X-Unsent"] = "1"
    message.set_content(parts.body, charset="utf-8")
    # After set_content, which replaces every Content-* header.
    message["Content-Language"] = letter.language
    return message.as_bytes()


def post_file(appeal: Appeal, renderer: Renderer, reader: str | None = None) -> bytes:
    """A printable HTML page: each letter, then on its own page its envelope label.

    The appeal comes first, the copy for the embassy after it, each followed by its label.
    The guide on screen is in the `reader`'s language; the letters are in theirs.
    """
    guide = renderer.render(
        reader or appeal.language, "letters/guide_post.html", letters=appeal.letters
    )
    page = renderer.render(
        appeal.language,
        "letters/post.html",
        appeal=appeal,
        letters=appeal.letters,
        guide=Markup(guide),  # noqa: S704 - rendered with autoescape from a template
        parts=[printed_parts(letter) for letter in appeal.letters],
    )
    return page.encode("utf-8")


def printed_parts(letter: Letter) -> list[tuple[str, str]]:
    """A printed letter's body in pieces, each as (what may break across pages, its closing).

    The pieces are the letter and, in a copy sent to an embassy, the appeal it encloses (from
    its "---------- Copy of my appeal ----------" line), which the post file starts on a page
    of its own. Each closing block (the last paragraph, the sign-off, the room to sign, the
    name and the "Copy:" line) prints unbroken, so a page never holds the signature alone.
    """
    starts = [m.start() for m in _ENCLOSURE.finditer(letter.body)]
    bounds = [0, *starts, len(letter.body)]
    pieces = [letter.body[a:b].strip("\n") for a, b in itertools.pairwise(bounds)]
    return [_closing_split(piece) for piece in pieces if piece]


# The line that opens an enclosed copy, in any language: ten dashes, words, ten dashes.
_ENCLOSURE = re.compile(r"^-{10} .+ -{10}$", re.MULTILINE)


def _closing_split(body: str) -> tuple[str, str]:
    # The room to sign is the one run of two empty lines in a printed letter; the closing
    # block starts with the paragraph before the sign-off.
    head, gap, tail = body.rpartition("\n\n\n")
    if not gap:
        return body, ""
    paragraphs = head.split("\n\n")
    keep = min(2, len(paragraphs) - 1)
    if keep <= 0:
        return "", body
    return "\n\n".join(paragraphs[:-keep]), "\n\n".join(paragraphs[-keep:]) + gap + tail


def fax_file(
    letter: Letter, renderer: Renderer, sender: str | None = None, reader: str | None = None
) -> bytes:
    """A printable HTML fax: a cover block (to, fax number, from, date, pages), then the letter.

    `sender` is the cover's "From" line; the letter's signature when not given. The guide on
    screen is in the `reader`'s language, the cover and the letter in the letter's.
    """
    if letter.fax is None:
        raise ValueError(f"the letter to {letter.recipient.name} has no fax number")
    guide_language = reader or letter.language
    guide = renderer.render(
        guide_language,
        "letters/guide_fax.html",
        letter=letter,
        dialled_from=dialled_from(letter, guide_language),
    )
    page = renderer.render(
        letter.language,
        "letters/fax.html",
        letter=letter,
        guide=Markup(guide),  # noqa: S704 - rendered with autoescape from a template
        sender=sender or letter.signature or letter.signer.signature,
        pages=fax_pages(letter),
        parts=printed_parts(letter),
    )
    return page.encode("utf-8")


def dialled_from(letter: Letter, language: str) -> str | None:
    """The name of the country the writer dials from, in `language`, if they said."""
    if letter.writer_country is None:
        return None
    return country_name(letter.writer_country, language)


def fax_pages(letter: Letter) -> int:
    """How many A4 pages the fax of `letter` prints on, cover block included (an estimate)."""
    lines = _COVER_LINES + sum(
        max(1, math.ceil(len(line) / _CHARACTERS_PER_LINE)) for line in letter.body.splitlines()
    )
    return max(1, math.ceil(lines / _LINES_PER_PAGE))


def email_file_name(letter: Letter) -> str:
    """The .eml's name: "appeal-kz-zhanbolat-mamay-president.eml"."""
    return f"appeal-{letter.case_slug}-{_official_key(letter)}.eml"


def fax_file_name(letter: Letter) -> str:
    """The fax page's name: "appeal-kz-zhanbolat-mamay-president-fax.html"."""
    return f"appeal-{letter.case_slug}-{_official_key(letter)}-fax.html"


def post_file_name(appeal: Appeal) -> str:
    """The printable letters' name: "appeal-kz-zhanbolat-mamay-post.html"."""
    return f"appeal-{appeal.case.slug}-post.html"


def _official_key(letter: Letter) -> str:
    """A short ASCII word for the official in file names: "president", "ambassador"."""
    # The title, since names begin with honorifics ("His Excellency") and may not be in Latin.
    word = re.search(r"[a-z]+", (letter.recipient.title or "").lower())
    if word:
        return word.group()
    return "copy" if letter.recipient.role is TargetRole.COPY else "official"
