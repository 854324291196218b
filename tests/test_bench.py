"""The benchmarks run end to end on a small scale and report every figure."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from bot import eventloop

ROOT = Path(__file__).resolve().parent.parent


def test_a_small_broadcast_benchmark_reports_every_figure(tmp_path: Path) -> None:
    report_path = tmp_path / "report.json"
    command = [
        sys.executable,
        "-m",
        "bench.broadcast",
        "--subscribers",
        "120",
        "--rate",
        "400",
        "--repeats",
        "1",
        "--asyncio",
        "--json",
        str(report_path),
    ]
    done = subprocess.run(
        command, cwd=ROOT, capture_output=True, text=True, timeout=300, check=False
    )
    assert done.returncode == 0, done.stderr
    report = json.loads(report_path.read_text())
    scenarios = [s["scenario"] for s in report["summaries"]]
    expected = ["engine 400/s", "engine paid", "PTB 400/s", "PTB paid"]
    if eventloop.NAME != "asyncio":
        expected[2:2] = ["engine 400/s on asyncio", "engine paid on asyncio"]
        assert "engine paid on asyncio: " in done.stdout  # its ratio to the engine on uvloop
    assert scenarios == expected
    loops = {s["scenario"]: s["loop"] for s in report["summaries"]}
    assert loops["engine paid"] == loops["PTB paid"] == report["machine"]["event_loop"]
    assert loops.get("engine paid on asyncio", "asyncio") == "asyncio"
    for summary in report["summaries"]:
        assert summary["subscribers"] == 120
        assert summary["all_delivered"], summary
        for field in ("effective_rate", "rate_ratio", "cpu_ms_per_message"):
            assert summary[field] > 0, (field, summary)
        # Sampled once a second: a run this short may end before two samples.
        assert summary["sustained_rate"] >= 0
        assert summary["peak_rss_mb"] >= summary["sending_peak_rss_mb"] > 0
        assert {"floods_seen", "emulator_429s", "errors"} <= summary.keys()
    assert report["machine"]["cores"]
    assert "| engine paid | 120 |" in done.stdout


def test_the_http_client_benchmark_measures_every_client() -> None:
    command = [sys.executable, "-m", "bench.http", "--calls", "60", "--rounds", "1"]
    done = subprocess.run(
        command, cwd=ROOT, capture_output=True, text=True, timeout=300, check=False
    )
    assert done.returncode == 0, done.stderr
    rows = [line for line in done.stdout.splitlines() if line.startswith("| ")]
    clients = [row.split("|")[1].strip() for row in rows[1:]]
    assert clients == [
        "HttpClient",
        "aiohttp",
        "httpx",
        "AiohttpRequest",
        "Bot + httpx",
        "Bot + AiohttpRequest",
    ]
    for row in rows[1:]:
        cells = [cell.strip() for cell in row.split("|")[2:-1]]
        assert all(float(cell.rstrip("x")) > 0 for cell in cells), row
    assert rows[1].split("|")[3].strip() == "1.0x"
