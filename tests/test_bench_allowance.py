"""The allowance simulation runs on a small scale and reports every figure for each policy."""

from __future__ import annotations

import json
from pathlib import Path

from bench import allowance


def test_a_small_simulation_reports_each_policy_and_keeps_to_allowances(tmp_path: Path) -> None:
    out = tmp_path / "report.json"
    assert allowance.main(["--people", "150", "--weeks", "5", "--json", str(out)]) == 0
    report = json.loads(out.read_text())
    assert list(report) == ["everyone", "newest first", "ours"]
    for name, figures in report.items():
        assert figures["appeals"] > 0, name
        assert set(figures["by allowance"]) == {"every", "3-week", "1-week", "2-month"}
    # Only today's "everyone gets everything" sends people more than they asked for.
    assert report["everyone"]["people over their allowance"] > 0
    assert report["newest first"]["people over their allowance"] == 0
    assert report["ours"]["people over their allowance"] == 0
    assert report["ours"]["by allowance"]["1-week"]["most in any 7 days"] == 1
