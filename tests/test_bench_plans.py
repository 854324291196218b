"""The plans simulation runs on a small scale and reports its figures for both designs."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

from bench.plans import DESIGNS, Model, main, run, simulate


def test_a_small_run_reports_appeals_stops_and_letters_per_stop_for_both_designs() -> None:
    report = run(500, seed=3)
    assert set(report) == set(DESIGNS)
    for figures in report.values():
        assert figures["appeals per case"] == round(figures["appeals"] / 52, 1)
        assert figures["stops per 1,000 people"] == round(1000 * figures["stops"] / 500, 1)
        assert figures["letters per stop"] == round(figures["appeals"] / figures["stops"], 1)
    prompt, default = report["planning prompt"], report["default plan"]
    # Only the prompt has plans and cases passed on; it sends fewer reminders.
    assert default["planned a time"] == default["passed on"] == 0
    assert prompt["planned a time"] > prompt["passed on"] > 0
    assert prompt["reminders per person"] < default["reminders per person"]


def test_reminders_that_never_stop_anyone_leave_only_the_alerts_stops() -> None:
    harmless = dataclasses.replace(Model(), stop_per_reminder=0.0)
    figures = simulate(300, "default plan", harmless, seed=5)
    assert figures["of which after a reminder"] == 0
    # Without a reminder, nobody acts after the alert: fewer appeals.
    silent = dataclasses.replace(harmless, reminder_share=())
    assert simulate(300, "default plan", silent, seed=5)["appeals"] < figures["appeals"]


def test_the_command_line_writes_the_figures_with_the_assumptions(tmp_path: Path) -> None:
    out = tmp_path / "plans.json"
    assert main(["--people", "200", "--json", str(out)]) == 0
    written = json.loads(out.read_text())
    assert written["model"]["stop_per_reminder"] == Model().stop_per_reminder
    assert {"default plan", "planning prompt", "stop per reminder"} <= written.keys()
