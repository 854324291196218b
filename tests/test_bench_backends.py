"""The scale bench runs on the suite's database (a SQLite file, or PostgreSQL), reports every
step of the issue's table with a tap's latency and who held the database longest, and re-runs
the steps it is asked for; it asserts no timing."""

from __future__ import annotations

from pathlib import Path

from bench.scale import STEPS, one_run
from tests.conftest import TEST_DATABASE_URL


async def test_the_scale_bench_reports_every_step_on_this_database(tmp_path: Path) -> None:
    target = TEST_DATABASE_URL or str(tmp_path / "bench.sqlite3")
    figures = await one_run(target, 300, False, frozenset(STEPS), "bench_scale_smoke")
    assert [step["name"] for step in figures] == list(STEPS)
    for step in figures:
        assert step["taps"] >= 1
        assert step["longest_by"].startswith("bot."), step
    by_name = {step["name"]: step for step in figures}
    # Publishing is the offer sweep (its body is `_sweep`, under the sweep's lock).
    assert by_name["publish"]["longest_by"].startswith("bot.db.offers:"), by_name["publish"]
    assert by_name["forget x20"]["longest_by"] == "bot.db.subscribers:forget"


async def test_one_step_is_run_alone_on_the_alerts_a_publish_leaves(tmp_path: Path) -> None:
    target = TEST_DATABASE_URL or str(tmp_path / "bench.sqlite3")
    figures = await one_run(target, 300, False, frozenset({"count notacted"}), "bench_scale_one")
    (step,) = figures
    assert step["name"] == "count notacted"
    assert step["longest_by"] == "bot.db.broadcasts:audience_size"
