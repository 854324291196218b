"""Broadcasts from the console: composed with a live audience count, scheduled, followed and
cancelled, through the same operations as the chat's /broadcast (bot/operations/broadcasting.py).
"""

from __future__ import annotations

import html
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from aiohttp import web

from bot.console.web import SESSION, render, services_of, site_of
from bot.db.broadcasts import AUDIENCE, BroadcastRepository
from bot.db.console import recent_broadcasts
from bot.db.outbox import OutboxRepository
from bot.operations.broadcasting import cancel_broadcast, queue_broadcast

MESSAGE_CHARACTERS = 4096  # Telegram's longest message
WHEN = ("now", "1h", "tomorrow")


async def _audiences(request: web.Request) -> list[tuple[str, str, str | None]]:
    """The audiences to choose from: (value, kind, what it names)."""
    services = services_of(request)
    found: list[tuple[str, str, str | None]] = [("all", "all", None)]
    found += [(f"lang:{code}", "lang", code) for code in services.renderer.languages]
    language = request[SESSION].language
    for case in await services.cases.all():
        if str(case.status) == "draft":
            continue  # nobody received a draft
        title = case.text(language).title or case.slug
        found += [(f"{kind}:{case.slug}", kind, title) for kind in ("case", "acted", "notacted")]
    return found


async def _page(
    request: web.Request, *, problem: str | None = None, status: int = 200, text: str = ""
) -> web.StreamResponse:
    services = services_of(request)
    repository = BroadcastRepository(services.db)
    outbox = OutboxRepository(services.db)
    now = services.clock()
    rows = []
    for broadcast_id in await recent_broadcasts(services.db):
        broadcast = await repository.get(broadcast_id)
        if broadcast is None:
            continue
        progress = await outbox.progress(broadcast_id)
        done = broadcast.status in ("cancelled", "finished") or (
            progress.finished and broadcast.queued and broadcast.send_at <= now
        )
        report = services.renderer.render(
            request[SESSION].language,
            "broadcast_status.html",
            broadcast=broadcast,
            progress=progress,
            done=done,
            scheduled=not done and broadcast.send_at > now,
        )
        rows.append((broadcast, report, done))
    return render(
        request,
        "broadcasts.html",
        status=status,
        audiences=await _audiences(request),
        rows=rows,
        problem=problem,
        text=text,
        limit=MESSAGE_CHARACTERS,
    )


async def broadcasts_page(request: web.Request) -> web.StreamResponse:
    """Compose a broadcast; the latest ones, with their progress and a cancel button."""
    return await _page(request)


async def audience_count(request: web.Request) -> web.StreamResponse:
    """How many chats an audience is, now (the page asks as the organizer chooses)."""
    services = services_of(request)
    audience = request.query.get("audience", "")
    if not AUDIENCE.match(audience):
        raise web.HTTPBadRequest
    size = await BroadcastRepository(services.db).audience_size(audience)
    words = services.renderer.render(
        request[SESSION].language, "console/audience_count.txt", count=size
    )
    return web.json_response({"count": size, "text": words})


async def send(request: web.Request) -> web.StreamResponse:
    """Queue the broadcast now, in an hour, or tomorrow at 09:00 in the bot's time zone."""
    services = services_of(request)
    form = await request.post()
    typed = str(form.get("text", "")).strip().replace("\r\n", "\n")
    audience = str(form.get("audience", ""))
    when = str(form.get("when", "now"))
    # The organizer's words are text, never markup: escaped, they are valid Telegram HTML.
    body = html.escape(typed, quote=False)
    if not typed or len(body) > MESSAGE_CHARACTERS:
        return await _page(request, problem="length", status=400, text=typed)
    if not AUDIENCE.match(audience) or when not in WHEN:
        return await _page(request, problem="choice", status=400, text=typed)
    now = services.clock()
    send_at = now
    if when == "1h":
        send_at = now + timedelta(hours=1)
    elif when == "tomorrow":
        zone = ZoneInfo(services.settings.default_timezone)
        local = now.astimezone(zone)
        send_at = datetime.combine(
            local.date() + timedelta(days=1), time(9, 0), tzinfo=zone
        ).astimezone(now.tzinfo)
    broadcast = await queue_broadcast(services, request[SESSION].user_id, body, audience, send_at)
    site_of(request).follow_broadcast(broadcast.id)
    raise web.HTTPSeeOther(str(request.app.router["console.broadcasts"].url_for()))


async def cancel(request: web.Request) -> web.StreamResponse:
    """Cancel a broadcast: what is not yet sent stays unsent."""
    services = services_of(request)
    broadcast_id = int(request.match_info["id"])
    if await BroadcastRepository(services.db).get(broadcast_id) is None:
        raise web.HTTPNotFound
    await cancel_broadcast(services, request[SESSION].user_id, broadcast_id)
    raise web.HTTPSeeOther(str(request.app.router["console.broadcasts"].url_for()))
