"""The results chart: a PNG Telegram takes as a photo, the same for the same numbers."""

from __future__ import annotations

import pytest

from bot.rendering import Renderer
from bot.views.charts import ResultsChartLabels, ResultsSeries, draw_results, results_figure

PNG = b"\x89PNG\r\n\x1a\n"


def png_size(data: bytes) -> tuple[int, int]:
    assert data.startswith(PNG)
    assert data[12:16] == b"IHDR"
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")


def series(days: int) -> ResultsSeries:
    return ResultsSeries(
        days=[f"{i + 1} May" for i in range(days)],
        alerted=[500 if i == 0 else 3 for i in range(days)],
        opened=[i % 7 for i in range(days)],
        acted=[i % 3 for i in range(days)],
        active=[500 + i for i in range(days)],
    )


@pytest.mark.parametrize("language", Renderer().languages)
@pytest.mark.parametrize("days", [1, 2, 60])
def test_the_chart_is_a_png_telegram_takes_as_a_photo(language: str, days: int) -> None:
    labels = ResultsChartLabels(**Renderer().labels(language, "charts.txt"))

    image = draw_results(series(days), labels)

    width, height = png_size(image)
    assert (width, height) == (1200, 800)  # whatever the number of days
    # Telegram's photo limits: 10 MB, width plus height at most 10000, sides at most 20 to 1.
    assert len(image) < 1_000_000
    assert width + height <= 10_000
    assert max(width, height) / min(width, height) <= 20


def test_the_same_numbers_draw_the_same_picture_and_other_numbers_another() -> None:
    labels = ResultsChartLabels(**Renderer().labels("en", "charts.txt"))
    assert draw_results(series(5), labels) == draw_results(series(5), labels)
    assert draw_results(series(5), labels) != draw_results(series(6), labels)


def test_a_chart_needs_a_value_for_every_day() -> None:
    with pytest.raises(ValueError, match="every series"):
        ResultsSeries(days=["1 May", "2 May"], alerted=[1], opened=[1], acted=[1], active=[1])
    with pytest.raises(ValueError, match="at least one day"):
        ResultsSeries(days=[], alerted=[], opened=[], acted=[], active=[])


@pytest.mark.parametrize(
    "numbers",
    [
        (0, 0, 0, 0),  # a case just published, with nobody subscribed yet
        (1, 0, 0, 1),
        (2, 1, 1, 2),
        (3, 2, 1, 3),
        (7, 5, 3, 1200),
    ],
)
@pytest.mark.parametrize("days", [1, 3])
def test_the_axes_count_whole_people_however_few(numbers: tuple[int, ...], days: int) -> None:
    alerted, opened, acted, active = numbers
    few = ResultsSeries(
        days=[f"{i + 1} May" for i in range(days)],
        alerted=[alerted] + [0] * (days - 1),
        opened=[opened] + [0] * (days - 1),
        acted=[acted] + [0] * (days - 1),
        active=[active] * days,
    )
    labels = ResultsChartLabels(**Renderer().labels("en", "charts.txt"))
    figure = results_figure(few, labels)
    figure.canvas.draw()
    for axes in figure.axes:
        bottom, top = axes.get_ylim()
        shown = [t for t in axes.get_yticks() if bottom <= t <= top]
        assert shown, "an axis without a number on it"
        assert all(float(t).is_integer() for t in shown), shown
        labels_read = [t.get_text() for t in axes.get_yticklabels() if t.get_text()]
        assert all("." not in text for text in labels_read), labels_read
    funnel, subscribers = figure.axes
    # The highest total stays in view.
    assert funnel.get_ylim()[1] >= alerted
    assert subscribers.get_ylim()[1] >= active
