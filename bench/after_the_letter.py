"""After the letter, at scale: the outcome told to each person, and what reminders cost.

    python -m bench.after_the_letter                  # 100,000 people
    python -m bench.after_the_letter --people 20000

One run takes a fresh SQLite file with N subscribers the seed case reached; 30% of them acted,
each by one to three channels to one of two officials; each got the three reminders of the
default plan. Measured: queueing the closed case's outcome for everyone (bot.db.news: one
payload per language and part, batches of 250, each its own transaction) and reading the
reminder steps' figures /results shows (bot.db.reminder_costs), with the number of payloads.
"""

from __future__ import annotations

import argparse
import dataclasses
import random
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot import eventloop
from bot.catalogue import load_case
from bot.db.cases import CaseRepository
from bot.db.connection import Database
from bot.db.migrations import migrate
from bot.db.news import NEWS_BATCH, Letter, queue_outcome
from bot.db.reminder_costs import reminder_costs
from bot.delivery.messages import OutboundMessage

ROOT = Path(__file__).resolve().parent.parent
T0 = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
STEPS = ("604800", "172800", "54000")


async def one_run(people: int) -> dict[str, float]:
    """Fill a database for `people`, then time the outcome's queueing and the steps' figures."""
    case = dataclasses.replace(load_case(ROOT / "actions" / "kz-zhanbolat-mamay.toml"))
    chance = random.Random(1)
    with tempfile.TemporaryDirectory() as folder:
        db = await Database.open(Path(folder) / "bench.sqlite3")
        await migrate(db)
        await CaseRepository(db).seed([(case, "bench")], T0)
        at = T0.isoformat()
        async with db.transaction() as conn:
            await conn.executemany(
                "INSERT INTO subscribers (chat_id, chat_type, actor, language, subscribed_at,"
                " updated_at) VALUES (?, 'private', ?, ?, ?, ?)",
                [(n, f"a{n}", "ru" if n % 3 == 0 else "en", at, at) for n in range(1, people + 1)],
            )
            await conn.execute(
                "INSERT INTO case_alerts (case_slug, subscriber_id, alerted_at)"
                " SELECT ?, id, ? FROM subscribers",
                (case.slug, at),
            )
            letters = [
                (case.slug, f"a{n}", channel, chance.randint(0, 1), at)
                for n in range(1, people + 1)
                if chance.random() < 0.3
                for channel in chance.sample(["email", "fax", "post"], chance.randint(1, 3))
            ]
            await conn.executemany(
                "INSERT INTO actions (case_slug, actor, channel, target, acted_at)"
                " VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                letters,
            )
            await conn.executemany(
                "INSERT INTO reminders (case_slug, subscriber_id, step, due_at, status,"
                " settled_at) VALUES (?, ?, ?, ?, 'sent', ?)",
                [
                    (case.slug, n, f"{step}s@x", at, (T0 + timedelta(days=day)).isoformat())
                    for n in range(1, people + 1)
                    for day, step in enumerate(STEPS)
                ],
            )
        payloads: set[tuple[str, tuple[Letter, ...]]] = set()

        def message_for(language: str, part: tuple[Letter, ...]) -> OutboundMessage:
            payloads.add((language, part))
            return OutboundMessage.text("news")

        started = time.perf_counter()
        told = await queue_outcome(db, case.slug, message_for, T0)
        outcome_s = time.perf_counter() - started
        started = time.perf_counter()
        costs = await reminder_costs(db, case.slug)
        costs_s = time.perf_counter() - started
        await db.close()
    batches = -(-people // NEWS_BATCH)
    return {
        "people": people,
        "letters": len(letters),
        "told": told,
        "payloads": len(payloads),
        "outcome_s": outcome_s,
        "outcome_ms_per_batch": outcome_s / batches * 1000,
        "reminders_sent": sum(c.sent for c in costs),
        "step_figures_s": costs_s,
    }


def main(argv: list[str] | None = None) -> int:
    """Run once and print the measurements."""
    parser = argparse.ArgumentParser(prog="python -m bench.after_the_letter", description=__doc__)
    parser.add_argument("--people", type=int, default=100_000)
    args = parser.parse_args(argv)
    for key, value in eventloop.run(one_run(args.people)).items():
        print(f"  {key:22} {value:12.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
