"""Issue 13's table at 100,000 and a million subscribers, on SQLite or PostgreSQL.

    python -m bench.scale                                    # a temporary SQLite file, 100,000
    python -m bench.scale /tmp/bench.sqlite3 --subscribers 1000000
    python -m bench.scale postgresql://user@host/db --subscribers 100000
    python -m bench.scale --steps preview,publish --before --repeats 3

The database is a SQLite file (made afresh; a temporary one when none is named) or a PostgreSQL
URL (a schema of its own, `--schema`, made afresh). It gets N subscribers (a third Russian
speakers, one in 20 a group, one in 10 wanting only another country's cases, one in 50
stopped), the shipped case seeded active, and one in ten people acted on it. Then, in one
process, each step as the bot runs it, in the order they come in a case's life:

- `preview`: the publish preview's reach (`offers.reach_at_publish`);
- `publish`: the case offered to everyone due, with alerts and reminder plans
  (`offers.sweep_offers`);
- `count all` / `count notacted`: a broadcast's audience (`BroadcastRepository.audience_size`);
- `queue`: a broadcast to all, recorded and queued (`create`, `fill`);
- `results`: /results' numbers (`funnel`, `timeline`);
- `mydata x20`, `forget x20`: twenty people's /mydata and /forget;
- `start`: a start (open and migrate, outbox recovery, the sweep a start runs, resumption of
  queueing).

`--steps` runs only the steps named (comma-separated); when `publish` is not among them, the
alerts it would leave, which later steps read, are made in one untimed statement. For each
step: its wall time; the longest any one transaction or read held the database, and the p95 of
those holds; which code held it longest (the caller in `bot/`, so a long hold is traced to its
statement; the five longest holders go to the JSON); a tap's latency while the
step runs, p95, from a task that taps every 50 ms (reads the person and writes a setting, as a
tap does, through the same `Database` and event loop); the peak RSS of the step (VmHWM reset
through /proc/self/clear_refs before it); and the load average of the machine then.

`--before` also times the statements issue 13 measured, in the same process on the same
database: publishing with `NOT IN` rebuilt per batch, the broadcast queued in one transaction
built in Python, and audiences counted by loading every row (bench/before.py), for the ratios.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import contextvars
import dataclasses
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path
from types import FrameType
from typing import Any

from bench import before
from bot import eventloop
from bot.catalogue import load_case
from bot.config import Secret
from bot.db import results
from bot.db.alerts import AlertRepository
from bot.db.broadcasts import BroadcastRepository
from bot.db.cases import CaseRepository
from bot.db.connection import Connection, Database, is_postgresql
from bot.db.dialect import Dialect
from bot.db.migrations import migrate
from bot.db.offers import reach_at_publish, sweep_offers
from bot.db.outbox import OutboxRepository
from bot.db.reminders import ReminderRepository
from bot.db.startup import open_migrated
from bot.db.subscribers import SubscriberRepository
from bot.delivery.messages import OutboundMessage
from bot.domain.cases import CaseStatus, UrgentAction

ROOT = Path(__file__).resolve().parent.parent
BOT = ROOT / "bot"
NOW = datetime(2022, 5, 20, 9, 0, tzinfo=UTC)
TAP_EVERY = 0.05
SCHEMA = "bench_scale"
STEPS = (
    "preview",
    "publish",
    "count all",
    "count notacted",
    "queue",
    "results",
    "mydata x20",
    "forget x20",
    "start",
)
# Where a hold is traced to: the first caller in the bot outside the database's own plumbing.
# Set in the tapping task: its own holds are the tap's, not the step's.
TAPPING: contextvars.ContextVar[bool] = contextvars.ContextVar("tapping", default=False)
_BEFORE = str(ROOT / "bench" / "before.py")
_PLUMBING = {str(BOT / "db" / "connection.py"), str(BOT / "db" / "postgres.py")}


def caller() -> str:
    """The bot function (module:function) that opened the transaction or read being timed."""
    if TAPPING.get():
        return "tap"
    frame: FrameType | None = sys._getframe(2)
    while frame is not None:
        name = frame.f_code.co_filename
        if (name.startswith(str(BOT)) or name == _BEFORE) and name not in _PLUMBING:
            module = Path(name).relative_to(ROOT).with_suffix("").as_posix().replace("/", ".")
            return f"{module}:{frame.f_code.co_name}"
        frame = frame.f_back
    return "bench"


class TimedDatabase(Database):
    """The bot's Database, noting how long each transaction or read holds it, and for whom.

    On SQLite a hold is the one connection's lock; on PostgreSQL the process's turn (its
    transactions and reads take turns, `bot.db.postgres`), which is what a tap waits behind."""

    def __init__(self, inner: Database) -> None:
        self.inner = inner
        self.dialect = inner.dialect
        self.holds: list[tuple[float, str]] = []

    async def close(self) -> None:
        await self.inner.close()

    async def schema_changed(self) -> None:
        await self.inner.schema_changed()

    def exclusive(self, name: str, *, wait: bool) -> AbstractAsyncContextManager[bool]:
        return self.inner.exclusive(name, wait=wait)

    def transaction(self) -> AbstractAsyncContextManager[Connection]:
        return self._timed(self.inner.transaction(), caller())

    def read(self) -> AbstractAsyncContextManager[Connection]:
        return self._timed(self.inner.read(), caller())

    def bulk(self) -> AbstractAsyncContextManager[Connection]:
        return self._timed(self.inner.bulk(), caller())

    @asynccontextmanager
    async def _timed(
        self, block: AbstractAsyncContextManager[Connection], who: str
    ) -> AsyncIterator[Connection]:
        # Timed from BEGIN done (the lock taken) to COMMIT done.
        conn = await block.__aenter__()
        start = time.perf_counter()
        try:
            yield conn
        except BaseException as error:
            if not await block.__aexit__(type(error), error, error.__traceback__):
                raise
        else:
            await block.__aexit__(None, None, None)
        finally:
            self.holds.append((time.perf_counter() - start, who))


def connect_url(target: str, schema: str) -> Path | Secret:
    """What the bot's setting would hold for `target`: the file, or the URL in that schema."""
    if is_postgresql(target):
        return Secret(f"{target}{'&' if '?' in target else '?'}search_path={schema}")
    return Path(target)


async def fresh(target: str, schema: str) -> None:
    """Make the database at `target` empty: a new schema on PostgreSQL, a new file on SQLite."""
    if is_postgresql(target):
        import asyncpg  # noqa: PLC0415 - only where PostgreSQL is benched

        admin = await asyncpg.connect(target)
        await admin.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE; CREATE SCHEMA {schema}")
        await admin.close()
        return
    for leftover in (Path(target), Path(f"{target}-wal"), Path(f"{target}-shm")):
        leftover.unlink(missing_ok=True)


async def build(db: Database, count: int, case: UrgentAction) -> None:
    """N subscribers, the case seeded active, a tenth of the people acted on it."""
    await migrate(db)
    await CaseRepository(db).seed([(case, "bench")], NOW)
    stamp = NOW.isoformat()
    rows = []
    for n in range(1, count + 1):
        group = n % 20 == 0
        rows.append(
            (
                -n if group else n,
                "supergroup" if group else "private",
                f"actor-{n:08d}",
                "ru" if n % 3 == 0 else "en",
                '["RU"]' if n % 10 == 7 else None,
                "stopped" if n % 50 == 1 else "active",
                stamp,
                stamp,
            )
        )
        if len(rows) == 50_000 or n == count:
            async with db.transaction() as conn:
                await conn.executemany(
                    "INSERT INTO subscribers (chat_id, chat_type, actor, language, countries,"
                    " status, subscribed_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    rows,
                )
            rows = []
    async with db.transaction() as conn:
        await conn.execute(
            "INSERT INTO actions (case_slug, actor, channel, target, acted_at)"
            " SELECT ?, actor, 'email', 0, ? FROM subscribers WHERE id % 10 = 3",
            (case.slug, stamp),
        )
    if db.dialect is Dialect.POSTGRESQL:
        async with db.transaction() as conn:
            await conn.execute("ANALYZE")


@dataclasses.dataclass
class Step:
    """One step's figures."""

    name: str
    wall_s: float
    longest_hold_ms: float
    p95_hold_ms: float
    longest_by: str
    longest_per_caller_ms: dict[str, float]
    over_250_ms: dict[str, int]
    tap_p95_ms: float
    tap_max_ms: float
    taps: int
    peak_rss_mib: float
    load: float


def peak_rss_mib() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def reset_peak() -> None:
    with contextlib.suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")


@contextlib.contextmanager
def into(db: TimedDatabase, other: TimedDatabase) -> Iterator[None]:
    """Count `other`'s holds as `db`'s while the block runs (the start opens its own)."""
    try:
        yield
    finally:
        db.holds += other.holds


async def measure(
    db: TimedDatabase,
    name: str,
    work: Callable[[], Awaitable[Any]],
    tapper: int,
    tapped: Callable[[], Database] | None = None,
) -> Step:
    """Run `work` while a person taps every 50 ms; return the step's figures.

    The taps go through `tapped()` (the database the bot has open at that moment), `db` when
    not given."""
    latencies: list[float] = []
    done = asyncio.Event()

    async def tap() -> None:
        TAPPING.set(True)
        while not done.is_set():
            subscribers = SubscriberRepository(tapped() if tapped is not None else db)
            start = time.perf_counter()
            await subscribers.get(tapper)
            await subscribers.set_language(tapper, "en", NOW)
            latencies.append(time.perf_counter() - start)
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(TAP_EVERY):
                    await done.wait()

    reset_peak()
    db.holds = []
    tapping = asyncio.create_task(tap())
    await asyncio.sleep(0)
    start = time.perf_counter()
    await work()
    wall = time.perf_counter() - start
    done.set()
    await tapping
    work_holds = [(held, who) for held, who in db.holds if who != "tap"]
    longest = max(work_holds or [(0.0, "")])
    over: dict[str, int] = {}
    per_caller: dict[str, float] = {}
    for held, who in work_holds:
        per_caller[who] = max(per_caller.get(who, 0.0), held * 1000)
        if held > 0.25:
            over[who] = over.get(who, 0) + 1
    return Step(
        name,
        wall,
        longest[0] * 1000,
        p95([held for held, _ in work_holds]) * 1000,
        longest[1],
        dict(sorted(per_caller.items(), key=lambda item: -item[1])[:5]),
        over,
        p95(latencies) * 1000,
        max(latencies, default=0.0) * 1000,
        len(latencies),
        peak_rss_mib(),
        os.getloadavg()[0],
    )


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))] if ordered else 0.0


# Past the complexity limit on purpose: one run's steps in the order they are measured;
# split, the sequence the figures come from would be spread over many functions.
async def one_run(  # noqa: C901
    target: str, count: int, compare: bool, steps: frozenset[str], schema: str
) -> list[dict[str, Any]]:
    """The steps on a fresh database of `count` subscribers at `target`; their figures."""
    case = dataclasses.replace(
        load_case(ROOT / "actions" / "kz-zhanbolat-mamay.toml"), status=CaseStatus.ACTIVE
    )
    figures: list[Step] = []
    await fresh(target, schema)
    url = connect_url(target, schema)
    built = time.perf_counter()
    db0 = await Database.open(url)
    try:
        await build(db0, count, case)
    finally:
        await db0.close()
    print(f"built {count} subscribers in {time.perf_counter() - built:.1f}s", file=sys.stderr)
    db = TimedDatabase(await Database.open(url))
    tapper = 2  # a person who taps throughout
    broadcasts = BroadcastRepository(db)

    def alert(_case: UrgentAction, _audience: object) -> OutboundMessage:
        return OutboundMessage.text("A new Urgent Action")

    def news(_: str) -> OutboundMessage:
        return OutboundMessage.text("News")

    async def run(
        name: str,
        work: Callable[[], Awaitable[Any]],
        tapped: Callable[[], Database] | None = None,
    ) -> None:
        if name.removesuffix(" (before)").removesuffix(" half").removesuffix(" rest") not in steps:
            return
        step = await measure(db, name, work, tapper, tapped)
        figures.append(step)
        print(
            f"{name:24} {step.wall_s:8.2f}s  hold {step.longest_hold_ms:7.1f} ms"
            f" (p95 {step.p95_hold_ms:6.1f}, {step.longest_by})"
            f"  tap p95 {step.tap_p95_ms:7.1f} ms  rss {step.peak_rss_mib:6.0f} MiB"
            f"  load {step.load:.1f}",
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
        await run("publish rest", lambda: sweep_offers(db, [case], alert, NOW, "UTC"))
    elif "publish" in steps:
        await run("publish", lambda: sweep_offers(db, [case], alert, NOW, "UTC"))
    elif steps & {"count notacted", "results", "mydata x20", "forget x20"}:
        # Later steps read the alerts publishing makes: made, untimed, as a quick bulk insert.
        await before.offer_to_all(db, case, NOW)
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

    # A start, as the bot makes it: the database opened and migrated, then the work a start
    # does on it while the first taps come in (on the database the start opened, as in the bot:
    # one connection on SQLite).
    await db.close()
    opened: list[Database] = []

    def current() -> Database:
        return opened[-1] if opened else db

    async def start() -> None:
        started, _ = await open_migrated(url)
        await started.close()
        timed = TimedDatabase(await Database.open(url))
        opened.append(timed)
        with into(db, timed):
            await OutboxRepository(timed).recover()
            active = await CaseRepository(timed).active()
            await sweep_offers(timed, active, alert, NOW, "UTC")
            repository = BroadcastRepository(timed)
            for broadcast in await repository.unqueued():
                await repository.fill(broadcast.id, news, NOW)
            await repository.unfinished()

    if "start" in steps:
        # Taps wait for the database to open; the first go to the closed one otherwise.
        db = TimedDatabase(await Database.open(url))
        await run("start", start, current)
        await db.close()
    for started in opened:
        await started.close()
    return [dataclasses.asdict(s) | {"subscribers": count} for s in figures]


def main(argv: list[str] | None = None) -> int:
    """Run the steps, each run in a fresh process; print the medians per step."""
    parser = argparse.ArgumentParser(prog="python -m bench.scale", description=__doc__)
    parser.add_argument(
        "database", nargs="?", help="a SQLite file to make afresh, or a postgresql:// URL"
    )
    parser.add_argument("--subscribers", type=int, default=100_000)
    parser.add_argument("--repeats", type=int, default=1)
    parser.add_argument(
        "--steps", default=",".join(STEPS), help="comma-separated, of: %(default)s"
    )
    parser.add_argument("--schema", default=SCHEMA, help="PostgreSQL: the schema made afresh")
    parser.add_argument("--before", action="store_true", help="time the old statements too")
    parser.add_argument("--json", type=Path, help="write every run's figures here")
    parser.add_argument("--one", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    steps = frozenset(s.strip() for s in args.steps.split(",") if s.strip())
    if unknown := steps - set(STEPS):
        parser.error(f"unknown steps: {', '.join(sorted(unknown))}")
    if args.one:
        figures = eventloop.run(
            one_run(args.database, args.subscribers, args.before, steps, args.schema)
        )
        print(json.dumps(figures))
        return 0
    with tempfile.TemporaryDirectory() as folder:
        target = args.database or str(Path(folder) / "bench.sqlite3")
        runs = []
        for _ in range(args.repeats):
            command = [sys.executable, "-m", "bench.scale", target, "--one"]
            command += ["--subscribers", str(args.subscribers), "--steps", ",".join(steps)]
            command += ["--schema", args.schema] + (["--before"] if args.before else [])
            out = subprocess.run(command, check=True, stdout=subprocess.PIPE, text=True)
            runs.append(json.loads(out.stdout))
    if args.json:
        args.json.write_text(json.dumps(runs, indent=1), encoding="utf-8")
    backend = "PostgreSQL" if target and is_postgresql(target) else "SQLite"
    print(f"{backend}, {args.subscribers} subscribers, {args.repeats} run(s), medians:")
    print("| step | wall s | longest hold ms | hold p95 ms | tap p95 ms | peak RSS MiB | load |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for index, first in enumerate(runs[0]):

        def median(key: str, index: int = index) -> float:
            return statistics.median(float(run[index][key]) for run in runs)

        print(
            f"| {first['name']} | {median('wall_s'):.2f} | {median('longest_hold_ms'):.0f}"
            f" | {median('p95_hold_ms'):.0f} | {median('tap_p95_ms'):.0f}"
            f" | {median('peak_rss_mib'):.0f} | {median('load'):.1f} |"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
