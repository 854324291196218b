"""The offer sweep over many people and a week's open cases: what each sweep reads and holds.

    python -m bench.offer_sweep                      # 20,000 people, 20 open cases, SQLite
    python -m bench.offer_sweep --people 1000000 --cases 5
    python -m bench.offer_sweep --database postgresql://user@host:5432/db --people 100000

A fresh database (a temporary SQLite file, or the PostgreSQL database of `--database`, whose
tables it replaces: give it one of its own) holds N subscribers with mixed allowances (a quarter
each of every case, up to 3 a week, 1 a week and 2 a month), a tenth of them on the weekly
digest, a fifth following two countries, and C active cases. The sweep runs at publish (everyone
is looked at once), ten minutes later (the scheduler's next wake-up, nothing new), a day later
with one more case published, and a week later (the weekly slots come round for half of them).

Reported per sweep: wall seconds, the people it looked at, offers queued, its transactions and
reads (`transactions`: on SQLite each holds the one connection) and their median, p95 and
longest, which is what keeps a tap waiting; a tap's latency p95 and worst while the sweep runs
(a task that reads a person and writes their row every 50 ms through the same database and
event loop, as a tap does); and the peak RSS of the sweep (VmHWM, reset through
/proc/self/clear_refs before it); on SQLite, the peak size of the write-ahead log (its file
sampled every second), and how many checkpoints held the writer's slot and the longest of them
(`bot.db.checkpoints`: a tap waits for those too); the longest a tap's own one-row read or
write held the database (`tap_hold_max_ms`: a trivial transaction, so a long one is the
machine); and every hold of 250 ms or more, when and whose (`long_holds`). Last, the wall
time of the organizer's preview of one case more. `--sweeps 1` runs only the sweep at publish.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import contextvars
import dataclasses
import inspect
import json
import os
import statistics
import tempfile
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TypedDict

from bot import eventloop
from bot.catalogue import load_case
from bot.config import Secret
from bot.db.cases import CaseRepository
from bot.db.connection import Connection, Database, is_postgresql
from bot.db.migrations import migrate
from bot.db.offers import OfferReport, preview_reach, sweep_offers
from bot.db.subscribers import SubscriberRepository
from bot.domain.allowance import Allowance
from bot.domain.cases import CaseStatus, UrgentAction
from bot.handlers.allowance import alert_message
from bot.rendering import Renderer

ROOT = Path(__file__).resolve().parent.parent
PUBLISHED = datetime(2022, 5, 20, 9, 0, tzinfo=UTC)
COUNTRIES = ("KZ", "BY", "EG", "IR", "CN")
TAP_EVERY = 0.05
INSERT_CHUNK = 20_000
SWEEPS = 4  # at publish, ten minutes later, a case more a day later, a week later
TAPPER = 999  # the chat id of the person who taps: subscriber 0 is chat 1000
# Set in the tapping task: its own transactions are the tap's, not the sweep's.
TAPPING: contextvars.ContextVar[bool] = contextvars.ContextVar("tapping", default=False)


class SweepFigures(TypedDict):
    """What one sweep measured."""

    sweep: str
    wall_s: float
    looked_at: int
    offers: int
    transactions: int
    longest_ms: float
    longest_by: str
    median_ms: float
    p95_ms: float
    tap_p95_ms: float
    tap_max_ms: float
    peak_rss_mb: float
    wal_peak_mib: float
    checkpoints: int
    checkpoint_longest_ms: float
    tap_hold_max_ms: float
    long_holds: list[tuple[float, float, str]]


def _timed(db: Database, durations: list[float]) -> None:
    """Time every transaction and read of `db` but the taps' into `durations`, and on SQLite
    each checkpoint in the writer's slot into `CHECKPOINTS`: each holds the one connection,
    and a tap waits for it."""
    for name in ("transaction", "read"):
        original = getattr(db, name)

        @asynccontextmanager
        async def held(
            original: Callable[[], contextlib.AbstractAsyncContextManager[Connection]] = original,
        ) -> AsyncIterator[Connection]:
            async with original() as conn:
                started = time.perf_counter()
                yield conn
            held_for = time.perf_counter() - started
            if TAPPING.get():
                TAP_HOLDS.append(held_for)
                _note_long(held_for, "tap")
            else:
                durations.append(held_for)
                _note_long(held_for, _caller())
                if held_for >= max(durations):
                    LONGEST[0] = _caller()

        setattr(db, name, held)
    # SQLite: the checkpointer's hold of the writer's slot, in which the log is made to restart.
    checkpoints = getattr(db, "_checkpoints", None)
    if checkpoints is not None:
        slot = checkpoints._slot

        @asynccontextmanager
        async def checkpointing() -> AsyncIterator[object]:
            async with slot() as held:
                started = time.perf_counter()
                yield held
            CHECKPOINTS.append(time.perf_counter() - started)
            _note_long(CHECKPOINTS[-1], "bot.db.checkpoints")

        checkpoints._slot = checkpointing


# Which function of `bot` held the database longest in the current sweep.
LONGEST = [""]
# How long each checkpoint in the writer's slot held the database in the current sweep.
CHECKPOINTS: list[float] = []
# How long each of the taps' own one-row reads and writes held it: trivial statements, so a
# long one is the machine (the disk, the cores), not the work.
TAP_HOLDS: list[float] = []
# Every hold of 250 ms or more in the current sweep: (seconds into it, ms, whose).
LONG: list[tuple[float, float, str]] = []
LONG_HOLD = 0.25
SWEEP_STARTED = [0.0]


def _note_long(held_for: float, by: str) -> None:
    if held_for >= LONG_HOLD:
        LONG.append((round(time.perf_counter() - SWEEP_STARTED[0], 1), round(held_for * 1000), by))


def _caller() -> str:
    """The innermost function of `bot` on the stack: whose hold this was."""
    for frame in inspect.stack()[2:]:
        module = frame.frame.f_globals.get("__name__", "")
        if module.startswith("bot.db.") and module != "bot.db.connection":
            return f"{module}.{frame.function}"
    return "?"


def _peak_rss_mb() -> float:
    with contextlib.suppress(OSError):
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return 0.0


def _reset_peak() -> None:
    with contextlib.suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")


async def _sample_wal(db: Database, peak: list[float]) -> None:
    """Every second, the size of a SQLite database's write-ahead log; its peak into `peak`."""
    path = getattr(db, "path", None)
    if path is None:
        return
    wal = Path(f"{path}-wal")
    while True:
        with contextlib.suppress(OSError):
            size = await asyncio.to_thread(lambda: wal.stat().st_size)
            peak[0] = max(peak[0], size / 2**20)
        await asyncio.sleep(1.0)


def _p95(values: list[float]) -> float:
    if len(values) < 2:
        return max(values, default=0.0)
    return statistics.quantiles(values, n=20)[-1]


async def _with_taps(
    db: Database, work: Callable[[], Awaitable[OfferReport]]
) -> tuple[OfferReport, float, list[float], float]:
    """Run `work` while a person taps every 50 ms; its report, wall seconds, tap latencies and
    the peak size of the write-ahead log in MiB (SQLite; 0 on PostgreSQL)."""
    latencies: list[float] = []
    wal_peak = [0.0]
    sampling = asyncio.create_task(_sample_wal(db, wal_peak))
    done = asyncio.Event()
    subscribers = SubscriberRepository(db)

    async def tap() -> None:
        TAPPING.set(True)
        while not done.is_set():
            start = time.perf_counter()
            await subscribers.get(TAPPER)
            async with db.transaction() as conn:
                await conn.execute(
                    "UPDATE subscribers SET updated_at = ? WHERE chat_id = ?",
                    (PUBLISHED.isoformat(), TAPPER),
                )
            latencies.append(time.perf_counter() - start)
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(TAP_EVERY):
                    await done.wait()

    tapping = asyncio.create_task(tap())
    await asyncio.sleep(0)
    started = time.perf_counter()
    report = await work()
    wall = time.perf_counter() - started
    done.set()
    await tapping
    sampling.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await sampling
    return report, wall, latencies, round(wal_peak[0], 1)


async def _fresh(database: str | None, folder: Path) -> Database:
    if database is None:
        return await Database.open(folder / "bench.sqlite3")
    if not is_postgresql(database):
        return await Database.open(Path(database))
    # A schema of its own, dropped first: the run starts from nothing each time.
    import asyncpg  # noqa: PLC0415

    admin = await asyncpg.connect(database)
    try:
        await admin.execute("DROP SCHEMA IF EXISTS bench_offer_sweep CASCADE")
        await admin.execute("CREATE SCHEMA bench_offer_sweep")
    finally:
        await admin.close()
    separator = "&" if "?" in database else "?"
    return await Database.open(Secret(f"{database}{separator}search_path=bench_offer_sweep"))


def _case(seed: UrgentAction, i: int) -> UrgentAction:
    return dataclasses.replace(
        seed,
        slug=f"case-{i}",
        country_code=COUNTRIES[i % len(COUNTRIES)],
        status=CaseStatus.ACTIVE,
    )


async def run(
    people: int,
    cases: int,
    database: str | None = None,
    batch: int | None = None,
    sweeps: int = 4,
) -> list[SweepFigures]:
    """Sweep over `people` subscribers and `cases` open cases at the first `sweeps` of four
    moments (and, after all four, the preview); the figures."""
    seed = dataclasses.replace(
        load_case(ROOT / "actions" / "kz-zhanbolat-mamay.toml"), key_dates=()
    )
    open_cases = [_case(seed, i) for i in range(cases)]
    allowances = list(Allowance)
    with tempfile.TemporaryDirectory() as folder:
        db = await _fresh(database, Path(folder))
        await migrate(db)
        await CaseRepository(db).seed([(c, "bench") for c in open_cases], PUBLISHED)
        for low in range(0, people, INSERT_CHUNK):
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
                        for i in range(low, min(people, low + INSERT_CHUNK))
                    ],
                )
        async with db.transaction() as conn:
            await conn.execute(
                "INSERT INTO subscribers (chat_id, chat_type, actor, language, status,"
                " subscribed_at, updated_at, digest) VALUES (?, 'private', 'tapper', 'en',"
                " 'stopped', ?, ?, 0)",
                (TAPPER, PUBLISHED.isoformat(), PUBLISHED.isoformat()),
            )
        message_for = alert_message(Renderer(), PUBLISHED, "UrgentActionBot")
        durations: list[float] = []
        _timed(db, durations)
        results: list[SweepFigures] = []
        later = _case(seed, cases)
        day = PUBLISHED + timedelta(days=1)
        for label, at, sweeping in (
            ("at publish", PUBLISHED, open_cases),
            ("ten minutes later", PUBLISHED + timedelta(minutes=10), open_cases),
            ("a case more a day later", day, [*open_cases, later]),
            ("a week later", PUBLISHED + timedelta(days=7), [*open_cases, later]),
        ):
            if sweeping[-1] is later and at == day:
                await CaseRepository(db).seed([(later, "bench")], at)
            durations.clear()
            CHECKPOINTS.clear()
            TAP_HOLDS.clear()
            LONG.clear()
            SWEEP_STARTED[0] = time.perf_counter()
            LONGEST[0] = ""
            _reset_peak()

            def work(
                at: datetime = at, sweeping: list[UrgentAction] = sweeping
            ) -> Awaitable[OfferReport]:
                if batch is None:
                    return sweep_offers(db, sweeping, message_for, at, "UTC")
                return sweep_offers(db, sweeping, message_for, at, "UTC", batch=batch)

            report, wall, taps, wal_peak = await _with_taps(db, work)
            sweep_holds = durations or [0.0]
            results.append(
                SweepFigures(
                    sweep=label,
                    wall_s=round(wall, 2),
                    looked_at=report.looked_at,
                    offers=report.offered,
                    transactions=len(durations),
                    longest_ms=round(max(sweep_holds) * 1000, 1),
                    longest_by=LONGEST[0],
                    median_ms=round(statistics.median(sweep_holds) * 1000, 1),
                    p95_ms=round(_p95(sweep_holds) * 1000, 1),
                    tap_p95_ms=round(_p95(taps) * 1000, 1),
                    tap_max_ms=round(max(taps, default=0.0) * 1000, 1),
                    peak_rss_mb=round(_peak_rss_mb(), 1),
                    wal_peak_mib=wal_peak,
                    checkpoints=len(CHECKPOINTS),
                    checkpoint_longest_ms=round(max(CHECKPOINTS, default=0.0) * 1000, 1),
                    tap_hold_max_ms=round(max(TAP_HOLDS, default=0.0) * 1000, 1),
                    long_holds=list(LONG),
                )
            )
            if len(results) == sweeps:
                break
        if len(results) < SWEEPS:
            await db.close()
            return results
        # The organizer's preview of one case more, while the others are open.
        extra = _case(seed, cases + 1)
        at = PUBLISHED + timedelta(days=7)
        durations.clear()
        LONGEST[0] = ""
        _reset_peak()
        started = time.perf_counter()
        reach = await preview_reach(db, [*open_cases, later, extra], extra.slug, at, "UTC")
        wall = time.perf_counter() - started
        results.append(
            SweepFigures(
                sweep=f"preview: {reach.people} people{'' if reach.exact else ' (about)'}",
                wall_s=round(wall, 2),
                looked_at=0,
                offers=0,
                transactions=0,
                longest_ms=round(max(durations, default=0.0) * 1000, 1),
                longest_by=LONGEST[0],
                median_ms=0.0,
                p95_ms=0.0,
                tap_p95_ms=0.0,
                tap_max_ms=0.0,
                peak_rss_mb=round(_peak_rss_mb(), 1),
                wal_peak_mib=0.0,
                checkpoints=0,
                checkpoint_longest_ms=0.0,
                tap_hold_max_ms=0.0,
                long_holds=[],
            )
        )
        await db.close()
    return results


def main() -> None:
    """Run the benchmark and print its figures as JSON lines, and the machine's load."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--people", type=int, default=20_000)
    parser.add_argument("--cases", type=int, default=20)
    parser.add_argument("--database", help="a SQLite file or a postgresql:// URL")
    parser.add_argument("--batch", type=int, help="people per transaction (the bot's default)")
    parser.add_argument(
        "--sweeps",
        type=int,
        default=SWEEPS,
        choices=range(1, SWEEPS + 1),
        help="run only the first N sweeps (1: at publish); the preview runs after all four",
    )
    args = parser.parse_args()
    print(json.dumps({"load_average": os.getloadavg()}))
    figures = run(args.people, args.cases, args.database, args.batch, args.sweeps)
    for row in eventloop.run(figures):
        print(json.dumps(row))
    print(json.dumps({"load_average": os.getloadavg()}))


if __name__ == "__main__":
    main()
