"""Results in the console: per case and for the whole network, as counts and charts drawn on
the server (inline SVG, no script), the not-offered reasons, and the CSV. People are counts."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from aiohttp import web

from bot.console.web import SESSION, render, services_of
from bot.context import Services
from bot.db.console import subscribers_by_language
from bot.db.offers import case_offers
from bot.db.plans import PlanRepository
from bot.db.reminder_costs import reminder_costs
from bot.db.results import Day, Funnel, funnel, timeline
from bot.db.shares import ShareRepository
from bot.domain.cases import UrgentAction
from bot.domain.reminders import PRESET_PLANS
from bot.operations.reminder_plans import choose_case_plan, choose_network_plan, plans_of
from bot.operations.results import results_csv

# The chart's drawing area, in SVG units; the page scales it to its width.
WIDTH, HEIGHT, BASE = 640, 220, 190
MEASURES = ("alerted", "opened", "acted")


@dataclass(frozen=True)
class Bar:
    """One bar of a chart: where it is drawn, and what it counts."""

    x: float
    y: float
    width: float
    height: float
    measure: str
    count: int
    label: str


def day_bars(days: list[Day], label: Callable[[Day], str]) -> list[Bar]:
    """Three bars a day (alerted, opened, acted), scaled to the largest count."""
    if not days:
        return []
    top = max(max(d.alerted, d.opened, d.acted) for d in days) or 1
    slot = WIDTH / len(days)
    width = min(24.0, slot / 4)
    bars = []
    for i, day in enumerate(days):
        for j, measure in enumerate(MEASURES):
            count = int(getattr(day, measure))
            height = (BASE - 20) * count / top
            x = i * slot + slot / 2 + (j - 1.5) * width
            bars.append(Bar(x, BASE - height, width, height, measure, count, label(day)))
    return bars


def case_bars(rows: list[tuple[str, Funnel]]) -> list[Bar]:
    """Three bars a case (alerted, opened, acted), scaled to the largest count."""
    if not rows:
        return []
    top = max(max(f.alerted, f.opened, f.acted) for _, f in rows) or 1
    slot = WIDTH / len(rows)
    width = min(24.0, slot / 4)
    bars = []
    for i, (title, numbers) in enumerate(rows):
        for j, measure in enumerate(MEASURES):
            count = int(getattr(numbers, measure))
            height = (BASE - 20) * count / top
            x = i * slot + slot / 2 + (j - 1.5) * width
            bars.append(Bar(x, BASE - height, width, height, measure, count, title))
    return bars


async def case_results(request: web.Request) -> web.StreamResponse:
    """A case's funnel, its days as a chart, and why some were not offered it."""
    services = services_of(request)
    case = await services.cases.get(request.match_info["slug"])
    if case is None:
        raise web.HTTPNotFound
    numbers = await funnel(services.db, case.slug)
    days = await timeline(services.db, case.slug, services.clock())
    shown = [d for d in days if d.alerted or d.opened or d.acted][-14:]
    language = request[SESSION].language
    renderer = services.renderer

    def label(day: Day) -> str:
        return renderer.short_date(day.day, language)

    return render(
        request,
        "results.html",
        case=case,
        funnel=numbers,
        offers=await case_offers(services.db, case.slug),
        shares=await ShareRepository(services.db).counts(case.slug),
        # As the chat's results show them (bot.handlers.organizer).
        plans=await PlanRepository(services.db).counts(case.slug),
        costs=await reminder_costs(services.db, case.slug),
        plan_form=await _plans(services, case, language),
        bars=day_bars(shown, label),
        days=shown,
        width=WIDTH,
        height=HEIGHT,
    )


@dataclass(frozen=True)
class _PlanForm:
    """The reminder plans' form: the choices in words, and the ones in force."""

    title: str
    choices: list[tuple[str, str]]
    case: str | None
    network: str | None
    network_label: str


async def _plans(services: Services, case: UrgentAction, language: str) -> _PlanForm:
    renderer = services.renderer
    chosen = await plans_of(services, case)
    choices = [
        (str(n), renderer.render(language, "reminder_plan.txt", offsets=offsets))
        for n, offsets in enumerate(PRESET_PLANS)
    ]
    return _PlanForm(
        title=renderer.button(language, "org_reminder_plan"),
        choices=choices,
        case=chosen.case_preset(),
        network=chosen.network_preset(),
        network_label=renderer.button(language, "org_plan_network"),
    )


async def save_reminder_plans(request: web.Request) -> web.StreamResponse:
    """The case's plan and the network's default, as the chat's ⏰ Reminder plan sets them."""
    services = services_of(request)
    case = await services.cases.get(request.match_info["slug"])
    if case is None:
        raise web.HTTPNotFound
    form = await request.post()
    user = request[SESSION].user_id
    chosen = await plans_of(services, case)
    wanted_case, wanted_network = str(form.get("case", "")), str(form.get("network", ""))
    try:
        if wanted_network and wanted_network != chosen.network_preset():
            await choose_network_plan(services, user, wanted_network)
        if wanted_case and wanted_case != chosen.case_preset():
            await choose_case_plan(services, user, case, wanted_case)
    except ValueError:
        raise web.HTTPBadRequest from None
    raise web.HTTPSeeOther(str(request.app.router["console.results"].url_for(slug=case.slug)))


async def case_csv(request: web.Request) -> web.StreamResponse:
    """The case's results as the chat's CSV file."""
    services = services_of(request)
    case = await services.cases.get(request.match_info["slug"])
    if case is None:
        raise web.HTTPNotFound
    return web.Response(
        body=await results_csv(services, case),
        content_type="text/csv",
        charset="utf-8",
        headers={"Content-Disposition": f'attachment; filename="results-{case.slug}.csv"'},
    )


async def network_results(request: web.Request) -> web.StreamResponse:
    """Every published case side by side, and the network's readers by language."""
    services = services_of(request)
    cases = [c for c in await services.cases.all() if str(c.status) != "draft"]
    rows = [(c, await funnel(services.db, c.slug)) for c in cases]
    return render(
        request,
        "network.html",
        rows=rows,
        totals=Funnel(
            alerted=sum(f.alerted for _, f in rows),
            opened=sum(f.opened for _, f in rows),
            acted=sum(f.acted for _, f in rows),
            by_channel={},
        ),
        bars=case_bars([(c.slug, f) for c, f in rows]),
        languages=await subscribers_by_language(services.db),
        width=WIDTH,
        height=HEIGHT,
    )
