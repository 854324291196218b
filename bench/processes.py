"""A paid broadcast (1000 a second) drained by one or two bot processes on one PostgreSQL.

    .venv/bin/python -m bench.processes postgresql://user@host/db [--subscribers 20000]
        [--processes 1 2] [--json out.json]

For each count of processes: a fresh schema, migrated; the subscribers; one broadcast to all of
them queued as the bot queues it (BroadcastRepository.queue); then that many processes, each a
delivery engine of its own (`--worker`, the same engine as `python -m bot run`), drain the outbox
against the Telegram emulator (in a process of its own, flood limits on: 30 a second for the
bot, 1000 with allow_paid_broadcast). The rate is the bot's, shared through the database. The
parent counts the outbox every quarter second: the sustained rate is between 10% and 90% sent.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import asyncpg

from bench.broadcast import PAID_RATE, TEXT, TOKEN, WORKERS, Emulator, Scenario, expected_chat_ids
from bot import eventloop
from bot.config import Secret
from bot.db.broadcasts import BroadcastRepository
from bot.db.connection import Database
from bot.db.migrations import migrate
from bot.delivery.engine import DeliveryConfig, DeliveryEngine
from bot.delivery.messages import OutboundMessage, Status
from bot.delivery.transport import BotApiClient

SCHEMA = "bench_processes"
ROOT = Path(__file__).resolve().parent.parent


def schema_url(url: str) -> str:
    return f"{url}{'&' if '?' in url else '?'}search_path={SCHEMA}"


async def prepare(url: str, subscribers: int) -> float:
    """A fresh schema with the subscribers and the broadcast queued; seconds the queueing took."""
    admin = await asyncpg.connect(url)
    await admin.execute(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE; CREATE SCHEMA {SCHEMA}")
    await admin.close()
    db = await Database.open(Secret(schema_url(url)))
    try:
        await migrate(db)
        now = datetime.now(UTC).isoformat()
        async with db.transaction() as conn:
            await conn.executemany(
                "INSERT INTO subscribers (chat_id, chat_type, actor, language, status,"
                " subscribed_at, updated_at) VALUES (?, 'private', ?, 'en', 'active', ?, ?)",
                [(chat, f"actor-{chat}", now, now) for chat in expected_chat_ids(subscribers)],
            )
        started = time.perf_counter()
        moment = datetime.now(UTC)
        broadcast = await BroadcastRepository(db).queue(
            created_by=1,
            text=TEXT,
            audience="all",
            send_at=moment,
            message_for=lambda _language: OutboundMessage.text(TEXT),
            now=moment,
        )
        if broadcast.recipients != subscribers:
            raise RuntimeError(f"queued {broadcast.recipients} of {subscribers}")
        return time.perf_counter() - started
    finally:
        await db.close()


async def worker(url: str, api: str) -> None:
    """One bot process's delivery engine, until the outbox has nothing left to send."""
    db = await Database.open(Secret(schema_url(url)))
    config = DeliveryConfig(rate=PAID_RATE, paid_broadcast=True, max_in_flight=WORKERS)
    cpu = time.process_time()
    async with BotApiClient(api, Secret(TOKEN)) as client:
        engine = DeliveryEngine(db, client, config=config)
        await engine.start()
        while True:
            counts = await engine.outbox.counts()
            if not counts.get(Status.PENDING) and not counts.get(Status.SENDING):
                break
            await asyncio.sleep(0.25)
        await engine.stop()
    await db.close()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        "RESULT "
        + json.dumps(
            {
                "sent": engine.stats.sent,
                "floods": engine.stats.floods,
                "cpu_seconds": time.process_time() - cpu,
                "peak_rss_mb": round(peak, 1),
            }
        ),
        flush=True,
    )


async def run(url: str, processes: int, subscribers: int) -> dict[str, Any]:
    scenario = Scenario("paid", "engine", PAID_RATE, True, subscribers)
    with tempfile.TemporaryDirectory() as folder:
        async with Emulator(scenario, Path(folder)) as emulator:
            await emulator.create_people(subscribers)
            enqueue = await prepare(url, subscribers)
            await emulator.reset_stats()
            db = await Database.open(Secret(schema_url(url)))
            samples: list[tuple[float, int]] = []
            started = time.perf_counter()
            children = [
                await asyncio.create_subprocess_exec(
                    sys.executable,
                    "-m",
                    "bench.processes",
                    url,
                    "--worker",
                    emulator.url,
                    stdout=asyncio.subprocess.PIPE,
                    cwd=ROOT,
                    env=os.environ.copy(),
                )
                for _ in range(processes)
            ]
            waiting = [asyncio.ensure_future(child.communicate()) for child in children]
            while not all(task.done() for task in waiting):
                async with db.read() as conn:
                    row = await conn.fetchone("SELECT count(*) FROM outbox WHERE status = 'sent'")
                samples.append((time.perf_counter() - started, int(row[0]) if row else 0))
                await asyncio.sleep(0.25)
            outputs = [(await task)[0].decode() for task in waiting]
            await db.close()
            stats = await emulator.stats()
    results = [
        json.loads(line.removeprefix("RESULT "))
        for output in outputs
        for line in output.splitlines()
        if line.startswith("RESULT ")
    ]
    sent = sum(r["sent"] for r in results)
    low = next(t for t, n in samples if n >= subscribers * 0.1)
    high = next(t for t, n in samples if n >= subscribers * 0.9)
    cpu = sum(r["cpu_seconds"] for r in results)
    return {
        "processes": processes,
        "subscribers": subscribers,
        "enqueue_seconds": round(enqueue, 2),
        "sustained_rate": round(subscribers * 0.8 / (high - low), 1),
        "sent": sent,
        "sent_by_each": [r["sent"] for r in results],
        "emulator_429s": stats.get("too_many_requests", 0),
        "floods_seen": sum(r["floods"] for r in results),
        "cpu_ms_per_message": round(cpu * 1000 / max(sent, 1), 3),
        "peak_rss_mb": [r["peak_rss_mb"] for r in results],
        "loop": eventloop.NAME,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("url", help="a PostgreSQL database to create the bench's schema in")
    parser.add_argument("--subscribers", type=int, default=20_000)
    parser.add_argument("--processes", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--json", type=Path, help="write the runs here")
    parser.add_argument("--worker", metavar="API_URL", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        eventloop.run(worker(args.url, args.worker))
        return
    runs = [eventloop.run(run(args.url, n, args.subscribers)) for n in args.processes]
    for result in runs:
        print(json.dumps(result))
    if args.json:
        args.json.write_text(json.dumps(runs, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
