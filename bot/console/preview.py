"""What people get, before they get it: the card, the reminder and every letter of a case, in
a chosen language and channel, for a writer in a chosen country, rendered by the very functions
the bot sends them with (bot/views, bot/appeals)."""

from __future__ import annotations

import re

from aiohttp import web

from bot.appeals.compose import (
    AppealError,
    Signer,
    available_languages,
    compose_appeal,
)
from bot.appeals.files import email_message_parts, fax_file, post_file
from bot.console.web import SESSION, render, services_of, site_of
from bot.domain.cases import Channel, UrgentAction
from bot.domain.countries import countries_by_name
from bot.views.cards import case_card
from bot.views.reminders import reminder_screen

_COUNTRY = re.compile(r"^[A-Z]{2}$")
# The printable pages carry their own styles and no script: they may style, never run.
PRINTABLE_POLICY = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; "
    "frame-ancestors 'self'"
)


def _choices(request: web.Request, case: UrgentAction) -> tuple[str, Channel, str | None]:
    services = services_of(request)
    languages = available_languages(case, services.renderer)
    language = request.query.get("language", "")
    if language not in languages:
        language = languages[0] if languages else case.original_language
    try:
        channel = Channel(request.query.get("channel", "email"))
    except ValueError:
        channel = Channel.EMAIL
    country = request.query.get("country", "").strip().upper()
    return language, channel, country if _COUNTRY.match(country) else None


def _signer(request: web.Request, language: str) -> Signer:
    words = services_of(request).renderer.labels(language, "console/preview.txt")
    return Signer(full_name=words["sample_signer"])


async def _case(request: web.Request) -> UrgentAction:
    case = await services_of(request).cases.get(request.match_info["slug"])
    if case is None:
        raise web.HTTPNotFound
    return case


async def preview_page(request: web.Request) -> web.StreamResponse:
    """The card and reminder in the organizer's chosen language; the letters by channel."""
    services = services_of(request)
    case = await _case(request)
    language, channel, country = _choices(request, case)
    renderer = services.renderer
    now = services.clock()
    username = site_of(request).bot_username()
    card = case_card(
        case, language=language, renderer=renderer, now=now, acted=0, bot_username=username
    )
    # Reminders count down to the deadline: a case without one has none.
    reminder = reminder_screen(case, language, renderer, now) if case.deadline else None
    letters = []
    refused = None
    try:
        appeal = compose_appeal(
            case,
            channel=channel,
            language=language,
            signer=_signer(request, language),
            personal_line=None,
            today=now.date(),
            variant_seed=f"preview:{case.slug}",
            renderer=renderer,
            writer_country=country,
        )
        letters = [(letter, email_message_parts(letter)) for letter in appeal.letters]
    except AppealError as error:
        refused = type(error).__name__
    return render(
        request,
        "preview.html",
        case=case,
        chosen=language,
        channel=str(channel),
        channels=[str(c) for c in Channel],
        country=country or "",
        # Every country the bot knows, by its name in the organizer's language.
        countries=countries_by_name(request[SESSION].language),
        languages=available_languages(case, renderer),
        card=card.text,
        card_buttons=[b.text for row in card.markup.inline_keyboard for b in row]
        if card.markup
        else [],
        reminder=reminder.text if reminder is not None else None,
        letters=letters,
        refused=refused,
        session_language=request[SESSION].language,
    )


async def printable(request: web.Request) -> web.StreamResponse:
    """The printable fax or post pages, exactly the files the bot sends."""
    services = services_of(request)
    case = await _case(request)
    language, _, country = _choices(request, case)
    channel = Channel(request.match_info["channel"])
    if channel is Channel.EMAIL:
        raise web.HTTPNotFound
    try:
        appeal = compose_appeal(
            case,
            channel=channel,
            language=language,
            signer=_signer(request, language),
            personal_line=None,
            today=services.clock().date(),
            variant_seed=f"preview:{case.slug}",
            renderer=services.renderer,
            writer_country=country,
        )
    except AppealError:
        raise web.HTTPNotFound from None
    reader = request[SESSION].language
    if channel is Channel.FAX:
        body = fax_file(appeal.letters[0], services.renderer, reader=reader)
    else:
        body = post_file(appeal, services.renderer, reader=reader)
    response = web.Response(body=body, content_type="text/html", charset="utf-8")
    response.headers["Content-Security-Policy"] = PRINTABLE_POLICY
    return response
