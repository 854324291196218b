"""The backends bench runs on the suite's database (a SQLite file, or PostgreSQL) and reports
every step of the issue's table with a tap's latency; it asserts no timing."""

from __future__ import annotations

from pathlib import Path

from bench.backends import bench
from tests.conftest import TEST_DATABASE_URL


async def test_the_backends_bench_reports_every_step_on_this_database(tmp_path: Path) -> None:
    target = TEST_DATABASE_URL or str(tmp_path / "bench.sqlite3")
    result = await bench(target, 200, schema="bench_backends_smoke")
    assert result["database"] == ("postgresql" if TEST_DATABASE_URL else "sqlite")
    assert set(result["steps"]) == {
        "publish preview audience size",
        "publish a case (alerts + reminder plan)",
        "broadcast audience size: all",
        "broadcast audience size: notacted",
        "queue a broadcast to all",
        "/results",
        "/mydata",
        "/forget",
    }
    for figures in result["steps"].values():
        assert set(figures) == {"seconds", "tap_p95_ms", "tap_max_ms"}
