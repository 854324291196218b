"""The files an appeal travels in: an .eml draft, a printable letter with its envelope label,
and a fax page with its cover. Printable files are HTML with print styles: they open in any
browser and print in any script, with no fonts to ship."""

from __future__ import annotations

from email.message import EmailMessage
from email.policy import SMTP

from bot.appeals.compose import Appeal, Letter
from bot.domain.phones import display
from bot.rendering import Renderer


def email_file(letter: Letter) -> bytes:
    """An RFC 5322 draft: To, Cc, Subject and the body; mail apps open it ready to send.

    No From: the person's own mail app fills it in. `X-Unsent: 1` makes Outlook and others open
    the file as a draft rather than as a received message.
    """
    message = EmailMessage(policy=SMTP)
    message["To"] = ", ".join(letter.to)
    if letter.cc_emails:
        message["Cc"] = ", ".join(letter.cc_emails)
    message["Subject"] = letter.subject
    message["X-Unsent"] = "1"
    message.set_content(letter.body, charset="utf-8")
    return message.as_bytes()


def post_file(appeal: Appeal, renderer: Renderer) -> bytes:
    """A printable page per letter, then an envelope label per letter."""
    page = renderer.render(appeal.language, "letters/print.html", appeal=appeal)
    return page.encode("utf-8")


def fax_file(letter: Letter, renderer: Renderer, signature: str) -> bytes:
    """A printable fax: a cover sheet (to, fax number, from, pages), then the letter."""
    number = display(letter.recipient.fax) if letter.recipient.fax else ""
    page = renderer.render(
        letter.language, "letters/fax.html", letter=letter, fax=number, sender=signature
    )
    return page.encode("utf-8")
