"""The offer sweep over many people and a week's open cases: how long each transaction holds.

    python -m bench.offer_sweep                   # 20,000 people, 20 open cases
    python -m bench.offer_sweep --people 5000 --cases 10

A fresh SQLite file holds N subscribers with mixed allowances (a quarter each of every case,
up to 3 a week, 1 a week and 2 a month), a tenth of them on the weekly digest, a fifth following
two countries, and C active cases. The sweep runs three times: at publish (everyone is due),
an hour later (almost nobody is), and a week later (the weekly slots come round). Reported per
sweep: wall seconds, offers queued, transactions and the longest and median transaction, which
is what keeps a tap waiting while the sweep holds the one writer.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import statistics
import tempfile
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TypedDict

from bot import eventloop
from bot.catalogue import load_case
from bot.db.cases import CaseRepository
from bot.db.connection import Connection, SQLiteDatabase
from bot.db.migrations import migrate
from bot.db.offers import sweep_offers
from bot.domain.allowance import Allowance
from bot.domain.cases import CaseStatus
from bot.handlers.allowance import alert_message
from bot.rendering import Renderer

ROOT = Path(__file__).resolve().parent.parent
PUBLISHED = datetime(2022, 5, 20, 9, 0, tzinfo=UTC)
COUNTRIES = ("KZ", "BY", "EG", "IR", "CN")


class SweepFigures(TypedDict):
    """What one sweep measured."""

    sweep: str
    wall_s: float
    offers: int
    transactions: int
    longest_ms: float
    median_ms: float
    p95_ms: float
    longest_at: int


class TimedDatabase(SQLiteDatabase):
    """The bot's database, timing every transaction."""

    durations: list[float]

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[Connection]:
        async with super().transaction() as conn:
            started = time.perf_counter()
            yield conn
        self.durations.append(time.perf_counter() - started)


async def run(people: int, cases: int) -> list[SweepFigures]:
    """Sweep three times over `people` subscribers and `cases` open cases; the figures."""
    seed = load_case(ROOT / "actions" / "kz-zhanbolat-mamay.toml")
    open_cases = [
        dataclasses.replace(
            seed,
            slug=f"case-{i}",
            country_code=COUNTRIES[i % len(COUNTRIES)],
            status=CaseStatus.ACTIVE,
        )
        for i in range(cases)
    ]
    allowances = list(Allowance)
    with tempfile.TemporaryDirectory() as folder:
        db = await TimedDatabase.connect(Path(folder) / "bench.sqlite3")
        assert isinstance(db, TimedDatabase)
        db.durations = []
        await migrate(db)
        await CaseRepository(db).seed([(c, "bench") for c in open_cases], PUBLISHED)
        async with db.transaction() as conn:
            await conn.executemany(
                "INSERT INTO subscribers (chat_id, chat_type, actor, language, status,"
                " subscribed_at, updated_at, allowance, digest, countries)"
                " VALUES (?, 'private', ?, 'en', 'active', ?, ?, ?, ?, ?)",
                [
                    (
                        1000 + i,
                        f"actor-{i}",
                        PUBLISHED.isoformat(),
                        PUBLISHED.isoformat(),
                        str(allowances[i % 4]),
                        int(i % 10 == 0),
                        json.dumps(["KZ", "BY"]) if i % 5 == 0 else None,
                    )
                    for i in range(people)
                ],
            )
        message_for = alert_message(Renderer(), PUBLISHED, "UrgentActionBot")
        results: list[SweepFigures] = []
        for label, at in (
            ("at publish", PUBLISHED),
            ("an hour later", PUBLISHED + timedelta(hours=1)),
            ("a week later", PUBLISHED + timedelta(days=7)),
        ):
            db.durations = []
            started = time.perf_counter()
            report = await sweep_offers(db, open_cases, message_for, at, "UTC")
            wall = time.perf_counter() - started
            durations = db.durations
            results.append(
                SweepFigures(
                    sweep=label,
                    wall_s=round(wall, 2),
                    offers=report.offered,
                    transactions=len(durations),
                    longest_ms=round(max(durations) * 1000, 1),
                    median_ms=round(statistics.median(durations) * 1000, 1),
                    p95_ms=round(statistics.quantiles(durations, n=20)[-1] * 1000, 1),
                    longest_at=durations.index(max(durations)),
                )
            )
        await db.close()
    return results


def main() -> None:
    """Run the benchmark and print its figures as JSON lines."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--people", type=int, default=20_000)
    parser.add_argument("--cases", type=int, default=20)
    args = parser.parse_args()
    for row in eventloop.run(run(args.people, args.cases)):
        print(json.dumps(row))


if __name__ == "__main__":
    main()
