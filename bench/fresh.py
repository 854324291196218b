"""A benchmark of `--people` run `--repeats` times, each run in a fresh process (so one run's
caches and memory do not help the next), printing the median of each figure."""

from __future__ import annotations

import argparse
import dataclasses
import json
import statistics
import subprocess
import sys
from collections.abc import Callable, Coroutine
from datetime import datetime
from pathlib import Path
from typing import Any

from bot import eventloop
from bot.catalogue import load_case
from bot.db.cases import CaseRepository
from bot.db.connection import Database
from bot.db.migrations import migrate
from bot.domain.cases import CaseStatus, UrgentAction

ROOT = Path(__file__).resolve().parent.parent

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


async def seeded(path: Path, people: int, at: datetime) -> tuple[Database, UrgentAction]:
    """A fresh SQLite file at `path` with the shipped case active and `people` private chats
    subscribed at `at`, one in three reading Russian, the others English."""
    case = dataclasses.replace(
        load_case(ROOT / "actions" / "kz-zhanbolat-mamay.toml"), status=CaseStatus.ACTIVE
    )
    db = await Database.open(path)
    await migrate(db)
    await CaseRepository(db).seed([(case, "bench")], at)
    async with db.transaction() as conn:
        await conn.executemany(
            "INSERT INTO subscribers (chat_id, chat_type, actor, language, status,"
            " subscribed_at, updated_at) VALUES (?, 'private', ?, ?, 'active', ?, ?)",
            [
                (100_000 + n, f"actor-{n}", "ru" if n % 3 == 0 else "en", at.isoformat(),
                 at.isoformat())
                for n in range(people)
            ],
        )  # fmt: skip
    return db, case
