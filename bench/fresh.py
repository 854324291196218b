"""A benchmark of `--people` run `--repeats` times, each run in a fresh process (so one run's
caches and memory do not help the next), printing the median of each figure."""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
from collections.abc import Callable, Coroutine
from typing import Any

from bot import eventloop

OneRun = Callable[[int], Coroutine[Any, Any, dict[str, float]]]


def main(module: str, description: str | None, one_run: OneRun, argv: list[str] | None) -> int:
    """`python -m <module> [--people N] [--repeats K]`: the runs and their medians."""
    parser = argparse.ArgumentParser(prog=f"python -m {module}", description=description)
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--one", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.one:
        print(json.dumps(eventloop.run(one_run(args.people))))
        return 0
    runs = []
    for _ in range(args.repeats):
        out = subprocess.run(
            [sys.executable, "-m", module, "--one", "--people", str(args.people)],
            check=True,
            capture_output=True,
            text=True,
        )
        runs.append(json.loads(out.stdout))
    print(f"{args.people} people, {args.repeats} runs, medians:")
    for key in runs[0]:
        print(f"  {key:24} {statistics.median(float(r[key]) for r in runs):12.2f}")
    return 0
