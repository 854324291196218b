"""The issue's table (publish, queue, counts, /results, /forget, /mydata) on either database.

    .venv/bin/python -m bench.backends postgresql://user@host/db --subscribers 100000
    .venv/bin/python -m bench.backends /tmp/bench.sqlite3 --subscribers 100000

The database is a SQLite file (created afresh) or a PostgreSQL URL (a schema of its own,
created afresh). Each step is the bot's own code path, timed on its own; while it runs, a "tap"
(the read a button press makes: one subscriber by chat id) is timed every 20 ms on the same
database, and the p95 of those taps is reported beside the step. A tenth of the subscribers
acted on the case, so `notacted` differs from `case`.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import json
import resource
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bot import eventloop
from bot.catalogue import load_case
from bot.config import Secret
from bot.db.actions import ActionRepository
from bot.db.alerts import AlertRepository
from bot.db.broadcasts import BroadcastRepository
from bot.db.cases import CaseRepository
from bot.db.connection import Database, is_postgresql
from bot.db.migrations import migrate
from bot.db.offers import reach_at_publish, sweep_offers
from bot.db.results import funnel, timeline
from bot.db.subscribers import SubscriberRepository
from bot.delivery.messages import OutboundMessage
from bot.domain.cases import CaseStatus, Channel

ROOT = Path(__file__).resolve().parent.parent
PUBLISHED = datetime(2022, 5, 20, 9, 0, tzinfo=UTC)
SCHEMA = "bench_backends"
FIRST_CHAT = 100_000


async def fresh(target: str, schema: str = SCHEMA) -> Path | Secret:
    """An empty database at `target`: a new schema on PostgreSQL, a new file on SQLite."""
    if is_postgresql(target):
        import asyncpg  # noqa: PLC0415

        admin = await asyncpg.connect(target)
        await admin.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE; CREATE SCHEMA {schema}")
        await admin.close()
        return Secret(f"{target}{'&' if '?' in target else '?'}search_path={schema}")
    path = Path(target)
    for leftover in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        leftover.unlink(missing_ok=True)
    return path


async def populate(db: Database, subscribers: int) -> None:
    rows = [
        (
            FIRST_CHAT + n,
            f"actor-{n}",
            "ru" if n % 3 == 0 else "en",
            PUBLISHED.isoformat(),
            PUBLISHED.isoformat(),
        )
        for n in range(subscribers)
    ]
    for start in range(0, len(rows), 10_000):
        async with db.transaction() as conn:
            await conn.executemany(
                "INSERT INTO subscribers (chat_id, chat_type, actor, language, status,"
                " subscribed_at, updated_at) VALUES (?, 'private', ?, ?, 'active', ?, ?)",
                rows[start : start + 10_000],
            )


async def with_taps(
    db: Database, step: Callable[[], Awaitable[Any]]
) -> tuple[float, float, float]:
    """Run `step` while a tap reads one subscriber every 20 ms; (seconds, tap p95 ms, max)."""
    subscribers = SubscriberRepository(db)
    latencies: list[float] = []
    done = asyncio.Event()

    async def taps() -> None:
        chat = FIRST_CHAT
        while not done.is_set():
            started = time.perf_counter()
            await subscribers.get(chat)
            latencies.append(time.perf_counter() - started)
            chat += 1
            await asyncio.sleep(0.02)

    tapping = asyncio.create_task(taps())
    started = time.perf_counter()
    await step()
    seconds = time.perf_counter() - started
    done.set()
    await tapping
    ordered = sorted(latencies) or [0.0]
    p95 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]
    return seconds, p95 * 1000, ordered[-1] * 1000


async def bench(target: str, subscribers: int, schema: str = SCHEMA) -> dict[str, Any]:
    """Every step on a fresh database at `target` with `subscribers` subscribers."""
    case = dataclasses.replace(
        load_case(ROOT / "actions" / "kz-zhanbolat-mamay.toml"), status=CaseStatus.ACTIVE
    )
    db = await Database.open(await fresh(target, schema))
    steps: dict[str, dict[str, float]] = {}

    async def measure(name: str, step: Callable[[], Awaitable[Any]]) -> None:
        seconds, p95, worst = await with_taps(db, step)
        steps[name] = {
            "seconds": round(seconds, 3),
            "tap_p95_ms": round(p95, 1),
            "tap_max_ms": round(worst, 1),
        }

    try:
        await migrate(db)
        await CaseRepository(db).seed([(case, "bench")], PUBLISHED)
        await populate(db, subscribers)
        alerts = AlertRepository(db, "UTC")
        broadcasts = BroadcastRepository(db)
        await measure(
            "publish preview audience size",
            lambda: reach_at_publish(db, [case], case.slug, PUBLISHED, "UTC"),
        )
        await measure(
            "publish a case (alerts + reminder plan)",
            lambda: sweep_offers(
                db,
                [case],
                lambda _case, _audience: OutboundMessage.text("alert"),
                PUBLISHED,
                "UTC",
            ),
        )
        actions = ActionRepository(db)
        for n in range(0, subscribers, 10):
            await actions.record(case.slug, f"actor-{n}", Channel.EMAIL, 0, PUBLISHED)
        await measure("broadcast audience size: all", lambda: broadcasts.audience_size("all"))
        await measure(
            "broadcast audience size: notacted",
            lambda: broadcasts.audience_size(f"notacted:{case.slug}"),
        )
        await measure(
            "queue a broadcast to all",
            lambda: broadcasts.queue(
                created_by=1,
                text="Hello",
                audience="all",
                send_at=PUBLISHED,
                message_for=lambda _language: OutboundMessage.text("Hello"),
                now=PUBLISHED,
            ),
        )

        async def results() -> None:
            await funnel(db, case.slug)
            await timeline(db, case.slug, PUBLISHED)

        await measure("/results", results)
        people = SubscriberRepository(db)

        async def mydata() -> None:
            found = await people.get(FIRST_CHAT + subscribers // 2)
            assert found is not None
            await alerts.of_subscriber(found.id)
            await actions.of_actor(found.actor)
            await actions.opened_by(found.actor)

        await measure("/mydata", mydata)
        await measure("/forget", lambda: people.forget(FIRST_CHAT + subscribers // 2 + 1))
    finally:
        await db.close()
    return {
        "database": "postgresql" if is_postgresql(target) else "sqlite",
        "subscribers": subscribers,
        "loop": eventloop.NAME,
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "steps": steps,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("database", help="a postgresql:// URL, or a SQLite file to create")
    parser.add_argument("--subscribers", type=int, default=100_000)
    parser.add_argument("--json", type=Path, help="write the result here")
    args = parser.parse_args()
    result = eventloop.run(bench(args.database, args.subscribers))
    print("| step | seconds | tap p95 (ms) | tap max (ms) |")
    print("|---|---:|---:|---:|")
    for name, figures in result["steps"].items():
        print(
            f"| {name} | {figures['seconds']:.3f} | {figures['tap_p95_ms']:.1f}"
            f" | {figures['tap_max_ms']:.1f} |"
        )
    print(f"peak RSS {result['peak_rss_mb']} MiB, {result['database']}, {result['loop']}")
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
