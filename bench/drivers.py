"""asyncpg against psycopg 3 on the bot's own statements, on one PostgreSQL database.

    .venv/bin/pip install 'psycopg[binary]'   # asyncpg is a dependency already
    .venv/bin/python -m bench.drivers postgresql://user@host/db [--rows 20000]

Each driver gets a fresh schema migrated by the bot's runner, then runs, in its own idiom and
with the same SQL (bot.db.dialect's translation; psycopg's placeholders are %s):
- queueing a broadcast: the outbox INSERT of `enqueue`, as executemany, 2,000 rows a batch;
- claiming: the engine's claim query (FOR UPDATE SKIP LOCKED, 100 rows), in a transaction;
- one subscriber by chat id (a tap's read), one statement at a time.
Figures are the median of five rounds; bench/README.md keeps them.
"""

from __future__ import annotations

import argparse
import asyncio
import re
import statistics
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

import asyncpg

from bot.config import Secret
from bot.db.connection import Database
from bot.db.dialect import Dialect, to_postgresql
from bot.db.migrations import migrate
from bot.db.outbox import claim_parameters, claimable, timestamp

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
ENQUEUE = (
    "INSERT INTO outbox (payload_id, chat_id, subscriber_id, params, kind, broadcast_id,"
    " priority, not_before, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
SUBSCRIBER = (
    "SELECT id, chat_id, chat_type, actor, language, countries, timezone, signature, status,"
    " subscribed_at, updated_at FROM subscribers WHERE chat_id = ?"
)


def psycopg_sql(sql: str) -> str:
    """The translated statement with psycopg's placeholders ($1 becomes %s, in order)."""
    return re.sub(r"\$\d+", "%s", sql)


async def prepare(url: str, schema: str, rows: int) -> None:
    admin = await asyncpg.connect(url)
    await admin.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE; CREATE SCHEMA {schema}")
    await admin.close()
    db = await Database.open(Secret(f"{url}?search_path={schema}"))
    await migrate(db)
    async with db.transaction() as conn:
        await conn.executemany(
            "INSERT INTO subscribers (chat_id, chat_type, actor, language, status,"
            " subscribed_at, updated_at) VALUES (?, 'private', ?, 'en', 'active', ?, ?)",
            [(n, f"actor-{n}", NOW.isoformat(), NOW.isoformat()) for n in range(1, rows + 1)],
        )
        await conn.execute(
            "INSERT INTO outbox_payloads (id, method, params, created_at)"
            " VALUES (1, 'sendMessage', '{}', ?)",
            (NOW.isoformat(),),
        )
    await db.close()


def outbox_rows(start: int, count: int) -> list[tuple[Any, ...]]:
    at = timestamp(NOW)
    return [
        (1, chat, chat, None, "broadcast", 1, 20, at, at) for chat in range(start, start + count)
    ]


async def timed(run: Callable[[], Awaitable[None]], rounds: int = 5) -> float:
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        await run()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


async def with_asyncpg(url: str, rows: int) -> dict[str, float]:
    conn = await asyncpg.connect(f"{url}?search_path=bench_asyncpg")
    insert = to_postgresql(ENQUEUE).sql
    claim = to_postgresql(claimable(Dialect.POSTGRESQL)).sql
    lookup = to_postgresql(SUBSCRIBER).sql
    offset = [0]

    async def enqueue() -> None:
        offset[0] += 2000
        await conn.executemany(insert, outbox_rows(offset[0], 2000))

    async def claim_batch() -> None:
        for _ in range(20):
            async with conn.transaction():
                await conn.fetch(claim, *claim_parameters(Dialect.POSTGRESQL, NOW, 100))

    async def lookups() -> None:
        for chat in range(1, 2001):
            await conn.fetchrow(lookup, chat % rows + 1)

    figures = {
        "enqueue 2,000 rows (ms)": await timed(enqueue) * 1000,
        "claim 100 rows (ms)": await timed(claim_batch) * 1000 / 20,
        "one subscriber (µs)": await timed(lookups) * 1e6 / 2000,
    }
    await conn.close()
    return figures


async def with_psycopg(url: str, rows: int) -> dict[str, float]:
    import psycopg  # noqa: PLC0415

    conn = await psycopg.AsyncConnection.connect(
        url, options="-c search_path=bench_psycopg", autocommit=True
    )
    insert = psycopg_sql(to_postgresql(ENQUEUE).sql)
    claim = psycopg_sql(to_postgresql(claimable(Dialect.POSTGRESQL)).sql)
    lookup = psycopg_sql(to_postgresql(SUBSCRIBER).sql)
    offset = [0]

    async def enqueue() -> None:
        offset[0] += 2000
        async with conn.cursor() as cursor:
            await cursor.executemany(insert, outbox_rows(offset[0], 2000))

    async def claim_batch() -> None:
        for _ in range(20):
            async with conn.transaction(), conn.cursor() as cursor:
                await cursor.execute(claim, claim_parameters(Dialect.POSTGRESQL, NOW, 100))
                await cursor.fetchall()

    async def lookups() -> None:
        async with conn.cursor() as cursor:
            for chat in range(1, 2001):
                await cursor.execute(lookup, (chat % rows + 1,), prepare=True)
                await cursor.fetchone()

    figures = {
        "enqueue 2,000 rows (ms)": await timed(enqueue) * 1000,
        "claim 100 rows (ms)": await timed(claim_batch) * 1000 / 20,
        "one subscriber (µs)": await timed(lookups) * 1e6 / 2000,
    }
    await conn.close()
    return figures


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("url", help="a PostgreSQL database to create two schemas in")
    parser.add_argument("--rows", type=int, default=20000, help="subscribers in each schema")
    args = parser.parse_args()
    await prepare(args.url, "bench_asyncpg", args.rows)
    await prepare(args.url, "bench_psycopg", args.rows)
    results = {
        "asyncpg": await with_asyncpg(args.url, args.rows),
        "psycopg": await with_psycopg(args.url, args.rows),
    }
    print(f"| statement | {' | '.join(results)} |")
    print(f"|---|{'---:|' * len(results)}")
    for name in results["asyncpg"]:
        print(f"| {name} | {' | '.join(f'{r[name]:.2f}' for r in results.values())} |")


if __name__ == "__main__":
    asyncio.run(main())
