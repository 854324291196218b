"""The after-the-letter benchmark runs on a small scale and reports every figure."""

from __future__ import annotations

from bench.after_the_letter import one_run


async def test_a_small_run_tells_everyone_once_and_counts_every_reminder() -> None:
    figures = await one_run(300)
    assert figures["told"] == 300
    assert figures["reminders_sent"] == 900
    # Two languages, and a handful of parts: never one payload per person.
    assert 2 < figures["payloads"] < 100
    assert {"outcome_s", "outcome_ms_per_batch", "step_figures_s", "letters"} <= figures.keys()
