"""Closing from the console: the outcome asked first, then the act (bot/operations/closing.py)."""

from __future__ import annotations

from aiohttp import web

from bot.console.web import SESSION, render, services_of
from bot.domain.cases import OUTCOMES, CaseStatus, UrgentAction
from bot.operations.closing import CloseRefusedError, close_case


async def _case(request: web.Request) -> UrgentAction:
    case = await services_of(request).cases.get(request.match_info["slug"])
    if case is None:
        raise web.HTTPNotFound
    return case


def _words(request: web.Request) -> dict[str, str]:
    """The chat's own button labels for the outcomes and the two ways to close."""
    renderer = services_of(request).renderer
    language = request[SESSION].language
    keys = [f"outcome_{o}" for o in OUTCOMES] + ["org_close_notify", "org_close_quiet"]
    return {key: renderer.button(language, key) for key in keys}


async def close_page(request: web.Request) -> web.StreamResponse:
    """What became of the people at risk, and whether to tell everyone the case reached."""
    case = await _case(request)
    return render(
        request, "close.html", case=case, outcomes=OUTCOMES, missing=False, buttons=_words(request)
    )


async def close(request: web.Request) -> web.StreamResponse:
    """Close the case with the chosen outcome, as the chat's 🔒 Close does."""
    services = services_of(request)
    case = await _case(request)
    form = await request.post()
    outcome = str(form.get("outcome", ""))
    if case.status is CaseStatus.CLOSED or outcome not in OUTCOMES:
        return render(
            request,
            "close.html",
            status=400,
            case=case,
            outcomes=OUTCOMES,
            missing=True,
            buttons=_words(request),
        )
    try:
        await close_case(
            services, request[SESSION].user_id, case, outcome, notify=form.get("notify") == "yes"
        )
    except CloseRefusedError:
        return render(
            request,
            "close.html",
            status=409,
            case=case,
            outcomes=OUTCOMES,
            missing=True,
            buttons=_words(request),
        )
    raise web.HTTPSeeOther(str(request.app.router["console.case"].url_for(slug=case.slug)))
