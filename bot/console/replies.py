"""Replies from the authorities in the console: per official of a case, what people answered to
"Did anyone reply?", and each reply they sent (a cleaned picture shown on the page, a PDF
downloaded as it came)."""

from __future__ import annotations

from aiohttp import web

from bot.console.web import SESSION, render, services_of
from bot.db.replies import ReplyRepository
from bot.views.replies import official_name


def _replies(request: web.Request) -> ReplyRepository:
    services = services_of(request)
    return ReplyRepository(services.db, services.settings.default_timezone)


async def replies_page(request: web.Request) -> web.StreamResponse:
    """The case's answers per official, and its replies, newest first."""
    services = services_of(request)
    case = await services.cases.get(request.match_info["slug"])
    if case is None:
        raise web.HTTPNotFound
    language = request[SESSION].language
    renderer = services.renderer
    repository = _replies(request)
    counts = [
        (official_name(case, c.target, language, renderer), c)
        for c in await repository.counts(case.slug)
    ]
    kept = [
        (official_name(case, r.target, language, renderer), r)
        for r in reversed(await repository.replies(case.slug))
    ]
    return render(request, "replies.html", case=case, counts=counts, kept=kept)


async def reply_file(request: web.Request) -> web.StreamResponse:
    """One reply's file: a picture to show, a PDF to download (never opened in the page)."""
    found = await _replies(request).file(int(request.match_info["id"]))
    if found is None or found[0].case_slug != request.match_info["slug"]:
        raise web.HTTPNotFound
    reply, data = found
    disposition = "inline" if reply.kind == "image" else "attachment"
    # The name is the person's: only its ASCII letters and digits go into the header.
    name = "".join(c for c in reply.file_name if c.isascii() and (c.isalnum() or c in "._-"))
    extension = ".jpg" if reply.kind == "image" else ".pdf"
    safe = name if name.endswith(extension) and len(name) > len(extension) else f"reply{extension}"
    return web.Response(
        body=data,
        content_type=reply.mime_type,
        headers={
            "Content-Disposition": f'{disposition}; filename="reply-{reply.id}-{safe}"',
            "Cache-Control": "private, no-store",
        },
    )
