"""Results in the console: per case and for the whole network, as counts and charts drawn on
the server (inline SVG, no script), the not-offered reasons, and the CSV. People are counts."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from aiohttp import web

from bot.console.web import SESSION, render, services_of
from bot.db.console import subscribers_by_language
from bot.db.offers import case_offers
from bot.db.plans import PlanRepository
from bot.db.reminder_costs import reminder_costs
from bot.db.results import Day, Funnel, funnel, timeline
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
        # As the chat's results show them (bot.handlers.organizer).
        plans=await PlanRepository(services.db).counts(case.slug),
        costs=await reminder_costs(services.db, case.slug),
        bars=day_bars(shown, label),
        days=shown,
        width=WIDTH,
        height=HEIGHT,
    )


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
