"""Charts as PNG images: numbers and labels in, bytes out; nothing here knows Telegram or SQL.

Matplotlib draws through its object API and the Agg canvas alone, never `pyplot`: pyplot keeps
global state, and charts are drawn in worker threads (asyncio.to_thread) so the bot keeps
answering while one renders.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import accumulate

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

# 1200 x 800 pixels: clear on a phone, far inside Telegram's photo limits (10 MB, width plus
# height at most 10000, sides at most 20 to 1).
WIDTH_INCHES, HEIGHT_INCHES, DPI = 12, 8, 100
MAX_TICKS = 8
MAX_MARKED_DAYS = 31  # beyond a month, a dot on every day blurs the line


@dataclass(frozen=True)
class ResultsChartLabels:
    """The words on the results chart, in the organizer's language (templates/charts.txt).

    Plain text: matplotlib draws it as is, except that a "$" would start a formula.
    """

    title: str
    funnel_axis: str
    alerted: str
    opened: str
    acted: str
    subscribers_axis: str
    active: str


@dataclass(frozen=True)
class ResultsSeries:
    """A case's days: each day's label and what happened that day; subscribers at its end."""

    days: Sequence[str]
    alerted: Sequence[int]
    opened: Sequence[int]
    acted: Sequence[int]
    active: Sequence[int]

    def __post_init__(self) -> None:
        lengths = {len(self.alerted), len(self.opened), len(self.acted), len(self.active)}
        if lengths != {len(self.days)} or not self.days:
            raise ValueError("a chart needs at least one day, and every series one value a day")


def draw_results(series: ResultsSeries, labels: ResultsChartLabels) -> bytes:
    """A PNG: above, the funnel in running totals; below, the active subscribers, day by day."""
    figure = results_figure(series, labels)
    out = io.BytesIO()
    # No "Software" stamp: the same numbers give the same bytes.
    figure.savefig(out, format="png", metadata={"Software": None})
    return out.getvalue()


def results_figure(series: ResultsSeries, labels: ResultsChartLabels) -> Figure:
    """The results chart drawn, before it is saved: its two axes are the figure's `axes`."""
    figure = Figure(figsize=(WIDTH_INCHES, HEIGHT_INCHES), dpi=DPI, layout="constrained")
    FigureCanvasAgg(figure)
    funnel_axes, subscribers_axes = figure.subplots(2, 1, sharex=True, height_ratios=(3, 2))
    figure.suptitle(labels.title, fontsize=16)
    x = range(len(series.days))
    marker = "o" if len(series.days) <= MAX_MARKED_DAYS else ""
    # Each line thinner than the one before, so that equal totals still show every line.
    for values, label, colour, width in (
        (series.alerted, labels.alerted, "#7f7f7f", 5.0),
        (series.opened, labels.opened, "#1f77b4", 3.0),
        (series.acted, labels.acted, "#d62728", 1.5),
    ):
        funnel_axes.plot(
            x,
            list(accumulate(values)),
            marker=marker,
            markersize=width * 2 + 2,
            linewidth=width,
            label=label,
            color=colour,
        )
    funnel_axes.set_ylabel(labels.funnel_axis)
    funnel_axes.legend(loc="upper left")
    subscribers_axes.plot(
        x, list(series.active), marker=marker, color="#2ca02c", label=labels.active
    )
    subscribers_axes.set_ylabel(labels.subscribers_axis)
    subscribers_axes.legend(loc="upper left")
    highest = (
        max(sum(series.alerted), sum(series.opened), sum(series.acted)),
        max(series.active),
    )
    for axes, top in zip((funnel_axes, subscribers_axes), highest, strict=True):
        axes.grid(visible=True, alpha=0.3)
        # People come whole: every tick a whole number, even with few people or none (below
        # two whole numbers in view matplotlib would fall back to 0.2, 0.4...), so the axis
        # reaches at least 1 and one whole tick suffices.
        axes.set_ylim(bottom=0, top=max(top, 1) * 1.05)
        axes.yaxis.set_major_locator(MaxNLocator(integer=True, min_n_ticks=1))
    ticks = _ticks(len(series.days))
    subscribers_axes.set_xticks(ticks, [series.days[i] for i in ticks])
    if len(series.days) == 1:
        subscribers_axes.set_xlim(-0.5, 0.5)
    return figure


def _ticks(count: int) -> list[int]:
    """At most MAX_TICKS evenly spread day indexes, the first and the last among them."""
    if count <= MAX_TICKS:
        return list(range(count))
    step = (count - 1) / (MAX_TICKS - 1)
    return sorted({round(i * step) for i in range(MAX_TICKS)})
