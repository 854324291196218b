"""Publishing from the console: the reach first, then the act (bot/operations/publishing.py)."""

from __future__ import annotations

from aiohttp import web

from bot.console.web import SESSION, render, services_of, site_of
from bot.operations.publishing import PublishRefusedError, foresee, publish_case


async def publish_page(request: web.Request) -> web.StreamResponse:
    """Whom publishing reaches now, a clear warning at nobody, and the button."""
    services = services_of(request)
    case = await services.cases.get(request.match_info["slug"])
    if case is None:
        raise web.HTTPNotFound
    foreseen = await foresee(services, case)
    moment = case.deadline_moment()
    return render(
        request,
        "publish.html",
        case=case,
        reach=foreseen.now,
        rest=foreseen.rest,
        deadline_passed=moment is not None and moment <= services.clock(),
        refused=None,
    )


async def publish(request: web.Request) -> web.StreamResponse:
    """Publish the case, as the chat's ✅ Publish now does; back to the case with the count."""
    services = services_of(request)
    case = await services.cases.get(request.match_info["slug"])
    if case is None:
        raise web.HTTPNotFound
    try:
        done = await publish_case(
            services, request[SESSION].user_id, case, site_of(request).bot_username()
        )
    except PublishRefusedError as refused:
        foreseen = await foresee(services, case)
        return render(
            request,
            "publish.html",
            status=409,
            case=case,
            reach=foreseen.now,
            rest=foreseen.rest,
            deadline_passed=False,
            refused=refused,
        )
    url = request.app.router["console.case"].url_for(slug=case.slug)
    query = {"published": str(done.alerts)}
    if done.at_morning:
        query["at_morning"] = str(done.at_morning)
    raise web.HTTPSeeOther(str(url.with_query(query)))
