"""SQLite at 100,000 and a million subscribers: each step of issue 13's table, timed.

    python -m bench.scale                          # 100,000 subscribers, the steps once
    python -m bench.scale --subscribers 1000000
    python -m bench.scale --subscribers 100000 --before --repeats 3

A fresh SQLite file in a temporary folder gets N subscribers (a third Russian speakers, one in
20 a group, one in 10 wanting only another country's cases, one in 50 stopped), the shipped case
seeded active, and one in ten people acted on it. Then, in one process, each step as the bot
runs it, in the order they come in a case's life:

- `preview`: the publish preview's audience (`offers.reach_at_publish`);
- `publish`: the case's alert and reminder plan for everyone (`offers.sweep_offers`);
- `count all` / `count notacted`: a broadcast's audience (`BroadcastRepository.audience_size`);
- `queue`: a broadcast to all, recorded and queued (`create`, `fill`);
- `results`: /results' numbers (`funnel`, `timeline`);
- `forget`, `mydata`: one person's /forget and /mydata, the median of 20 people;
- `start`: a start with nothing unfinished (open and migrate, outbox recovery, resumption of
  publishing and queueing).

For each step: its wall time; the longest any one transaction or read held the database (the
one connection's lock); a tap's latency while the step runs, p95, from a task that taps every
50 ms (reads the person and writes a setting, as a tap does, through the same connection and
event loop); and the peak RSS of the step (VmHWM reset through /proc/self/clear_refs before it).

`--before` also times the statements issue 13 measured, in the same process on the same file:
publishing with `NOT IN` rebuilt per batch, the broadcast queued in one transaction built in
Python, and audiences counted by loading every row (bench/before.py), for the ratios.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import dataclasses
import json
import secrets
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import aiosqlite

from bench import before
from bot import eventloop
from bot.catalogue import load_case
from bot.db import results
from bot.db.alerts import AlertRepository
from bot.db.broadcasts import BroadcastRepository
from bot.db.cases import CaseRepository
from bot.db.connection import Connection, Database, SQLiteDatabase
from bot.db.migrations import migrate
from bot.db.offers import reach_at_publish, sweep_offers
from bot.db.outbox import OutboxRepository
from bot.db.reminders import ReminderRepository
from bot.db.startup import open_migrated
from bot.db.subscribers import SubscriberRepository
from bot.delivery.messages import OutboundMessage
from bot.domain.cases import CaseStatus, UrgentAction

ROOT = Path(__file__).resolve().parent.parent
NOW = datetime(2022, 5, 20, 9, 0, tzinfo=UTC)
TAP_EVERY = 0.05


class TimedDatabase(SQLiteDatabase):
    """The bot's Database, noting how long each transaction or read holds the connection."""

    def __init__(self, connection: aiosqlite.Connection, path: Path) -> None:
        super().__init__(connection, path)
        self.longest = 0.0
        self.holds: list[float] = []

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[Connection]:
        """As Database.transaction, timed from BEGIN done to COMMIT done."""
        manager = super().transaction()
        conn = await manager.__aenter__()
        start = time.perf_counter()
        try:
            yield conn
        except BaseException as error:
            await manager.__aexit__(type(error), error, error.__traceback__)
            raise
        else:
            await manager.__aexit__(None, None, None)
        finally:
            self._note(time.perf_counter() - start)

    @asynccontextmanager
    async def read(self) -> AsyncIterator[Connection]:
        """As Database.read, timed while the lock is held."""
        async with super().read() as conn:
            start = time.perf_counter()
            try:
                yield conn
            finally:
                self._note(time.perf_counter() - start)

    def _note(self, held: float) -> None:
        self.longest = max(self.longest, held)
        self.holds.append(held)


async def open_timed(path: Path) -> TimedDatabase:
    """The database at `path`, timed."""
    db = await TimedDatabase.connect(path)
    assert isinstance(db, TimedDatabase)
    return db


def build(path: Path, count: int, case: UrgentAction) -> None:
    """N subscribers, the case seeded active, a tenth of the people acted on it."""
    with contextlib.closing(sqlite3.connect(path)) as conn:
        conn.execute("PRAGMA journal_mode=WAL")
        stamp = NOW.isoformat()
        rows = []
        for n in range(1, count + 1):
            group = n % 20 == 0
            rows.append(
                (
                    -n if group else n,
                    "supergroup" if group else "private",
                    secrets.token_hex(16),
                    "ru" if n % 3 == 0 else "en",
                    '["RU"]' if n % 10 == 7 else None,
                    "stopped" if n % 50 == 1 else "active",
                    stamp,
                    stamp,
                )
            )
            if len(rows) == 100_000 or n == count:
                conn.executemany(
                    "INSERT INTO subscribers (chat_id, chat_type, actor, language, countries,"
                    " status, subscribed_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    rows,
                )
                rows = []
        conn.execute(
            "INSERT INTO actions (case_slug, actor, channel, target, acted_at)"
            " SELECT ?, actor, 'email', 0, ? FROM subscribers WHERE id % 10 = 3",
            (case.slug, stamp),
        )
        conn.commit()


@dataclasses.dataclass
class Step:
    """One step's figures."""

    name: str
    wall_s: float
    longest_hold_ms: float
    p95_hold_ms: float
    tap_p95_ms: float
    taps: int
    peak_rss_mib: float
    result: Any = None


def peak_rss_mib() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def reset_peak() -> None:
    with contextlib.suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")


async def measure(
    db: TimedDatabase, name: str, work: Callable[[], Awaitable[Any]], tapper: int
) -> Step:
    """Run `work` while a person taps every 50 ms; return the step's figures."""
    subscribers = SubscriberRepository(db)
    latencies: list[float] = []
    done = asyncio.Event()

    async def tap() -> None:
        while not done.is_set():
            start = time.perf_counter()
            await subscribers.get(tapper)
            await subscribers.set_language(tapper, "en", NOW)
            latencies.append(time.perf_counter() - start)
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(TAP_EVERY):
                    await done.wait()

    reset_peak()
    db.longest = 0.0
    db.holds = []
    tapping = asyncio.create_task(tap())
    await asyncio.sleep(0)
    start = time.perf_counter()
    result = await work()
    wall = time.perf_counter() - start
    done.set()
    await tapping
    return Step(
        name,
        wall,
        db.longest * 1000,
        p95(db.holds) * 1000,
        p95(latencies) * 1000,
        len(latencies),
        peak_rss_mib(),
        result,
    )


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))] if ordered else 0.0


async def one_run(count: int, compare: bool) -> list[dict[str, Any]]:
    """Every step on a fresh file of `count` subscribers; their figures."""
    case = dataclasses.replace(
        load_case(ROOT / "actions" / "kz-zhanbolat-mamay.toml"), status=CaseStatus.ACTIVE
    )
    steps: list[Step] = []
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.sqlite3"
        db0 = await Database.open(path)
        await migrate(db0)
        await CaseRepository(db0).seed([(case, "bench")], NOW)
        await db0.close()
        built = time.perf_counter()
        build(path, count, case)
        print(f"built {count} subscribers in {time.perf_counter() - built:.1f}s", file=sys.stderr)
        db = await open_timed(path)
        tapper = 2  # a person who taps throughout
        broadcasts = BroadcastRepository(db)

        def alert(_case: UrgentAction, _audience: object) -> OutboundMessage:
            return OutboundMessage.text("A new Urgent Action")

        def news(_: str) -> OutboundMessage:
            return OutboundMessage.text("News")

        async def run(name: str, work: Callable[[], Awaitable[Any]]) -> None:
            step = await measure(db, name, work, tapper)
            steps.append(step)
            print(
                f"{name:24} {step.wall_s:8.2f}s  hold {step.longest_hold_ms:7.1f} ms"
                f" (p95 {step.p95_hold_ms:6.1f})"
                f"  tap p95 {step.tap_p95_ms:7.1f} ms  rss {step.peak_rss_mib:6.0f} MiB",
                file=sys.stderr,
            )

        await run("preview", lambda: reach_at_publish(db, [case], case.slug, NOW, "UTC"))
        if compare:
            await run("preview (before)", lambda: before.case_audience_size(db, case))
            # The old publish over the first half only (it grows with N squared); the new one
            # then finishes the job, as a resumed publish would.
            await run(
                "publish half (before)",
                lambda: before.alert_subscribers(
                    db, case, lambda audience: alert(case, audience), NOW, "UTC", stop=count // 2
                ),
            )
            await run(
                "publish rest",
                lambda: sweep_offers(db, [case], alert, NOW, "UTC"),
            )
        else:
            await run("publish", lambda: sweep_offers(db, [case], alert, NOW, "UTC"))
        await run("count all", lambda: broadcasts.audience_size("all"))
        await run("count notacted", lambda: broadcasts.audience_size(f"notacted:{case.slug}"))
        if compare:
            await run("count all (before)", lambda: before.broadcast_audience_size(db, "all"))
            await run(
                "count notacted (before)",
                lambda: before.broadcast_audience_size(db, f"notacted:{case.slug}"),
            )

        async def queue() -> int:
            broadcast = await broadcasts.queue(
                created_by=1, text="News", audience="all", send_at=NOW, message_for=news, now=NOW
            )
            return broadcast.recipients

        await run("queue", queue)
        if compare:
            await run("queue (before)", lambda: before.queue(db, "all", news, NOW))

        async def show_results() -> None:
            await results.funnel(db, case.slug)
            await results.timeline(db, case.slug, NOW)

        await run("results", show_results)

        people = [n for n in range(count // 3, count // 3 + 40) if n % 20 and n % 50 != 1]
        reminders = ReminderRepository(db, "UTC")
        alerts = AlertRepository(db, "UTC")

        async def mydata() -> None:
            for chat_id in people[:20]:
                subscriber = await SubscriberRepository(db).get(chat_id)
                assert subscriber is not None
                await alerts.of_subscriber(subscriber.id)
                await reminders.pending(subscriber.id)
                await reminders.stopped(subscriber.id)

        async def forget() -> None:
            for chat_id in people[20:40]:
                await SubscriberRepository(db).forget(chat_id)

        await run("mydata x20", mydata)
        await run("forget x20", forget)
        await db.close()

        async def start() -> None:
            opened, _ = await open_migrated(path)
            await opened.close()
            started = await open_timed(path)
            await OutboxRepository(started).recover()
            await sweep_offers(started, await CaseRepository(started).active(), alert, NOW, "UTC")
            repository = BroadcastRepository(started)
            for broadcast in await repository.unqueued():
                await repository.fill(broadcast.id, news, NOW)
            await repository.unfinished()
            db.longest = max(db.longest, started.longest)
            db.holds += started.holds
            await started.close()

        db = await open_timed(path)
        await run("start", start)
        await db.close()
    return [
        {k: v for k, v in dataclasses.asdict(s).items() if k != "result"} | {"subscribers": count}
        for s in steps
    ]


def main(argv: list[str] | None = None) -> int:
    """Run the steps, each run in a fresh process; print the medians per step."""
    parser = argparse.ArgumentParser(prog="python -m bench.scale", description=__doc__)
    parser.add_argument("--subscribers", type=int, default=100_000)
    parser.add_argument("--repeats", type=int, default=1)
    parser.add_argument("--before", action="store_true", help="time the old statements too")
    parser.add_argument("--json", type=Path, help="write every run's figures here")
    parser.add_argument("--one", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.one:
        print(json.dumps(eventloop.run(one_run(args.subscribers, args.before))))
        return 0
    runs = []
    for _ in range(args.repeats):
        command = [sys.executable, "-m", "bench.scale", "--one"]
        command += ["--subscribers", str(args.subscribers)] + (["--before"] if args.before else [])
        out = subprocess.run(command, check=True, stdout=subprocess.PIPE, text=True)
        runs.append(json.loads(out.stdout))
    if args.json:
        args.json.write_text(json.dumps(runs, indent=1), encoding="utf-8")
    print(f"{args.subscribers} subscribers, {args.repeats} run(s), medians:")
    print("| step | wall s | longest hold ms | hold p95 ms | tap p95 ms | peak RSS MiB |")
    print("|---|---:|---:|---:|---:|---:|")
    for index, first in enumerate(runs[0]):

        def median(key: str, index: int = index) -> float:
            return statistics.median(float(run[index][key]) for run in runs)

        print(
            f"| {first['name']} | {median('wall_s'):.2f} | {median('longest_hold_ms'):.0f}"
            f" | {median('p95_hold_ms'):.0f} | {median('tap_p95_ms'):.0f}"
            f" | {median('peak_rss_mib'):.0f} |"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
