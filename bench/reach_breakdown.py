"""The reach before publishing, by reason (`offers.reach_breakdown`), beside the headline count
(`offers.preview_reach`) that the console's publish page and the chat's confirmation show with
it: wall time of each over N subscribers and 20 open cases, in a fresh SQLite file.

    python -m bench.reach_breakdown                  # 2,000, 20,000 and 100,000 subscribers
    python -m bench.reach_breakdown --people 5000
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import json
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from bot.catalogue import load_case
from bot.db.cases import CaseRepository
from bot.db.connection import Database
from bot.db.migrations import migrate
from bot.db.offers import preview_reach, reach_breakdown
from bot.domain.allowance import Allowance
from bot.domain.cases import CaseStatus

ROOT = Path(__file__).resolve().parent.parent
PUBLISHED = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
COUNTRIES = ("KZ", "BY", "RU", "TN", "MX")
CHUNK = 5_000


async def run(people: int, cases: int = 20) -> dict[str, float]:
    """Seconds for the headline count and for the breakdown, over `people` subscribers."""
    seed = dataclasses.replace(
        load_case(ROOT / "actions" / "kz-zhanbolat-mamay.toml"), key_dates=()
    )
    standing = [
        dataclasses.replace(
            seed, slug=f"case-{i}", country_code=COUNTRIES[i % 5], status=CaseStatus.ACTIVE
        )
        for i in range(cases)
    ]
    allowances = list(Allowance)
    with tempfile.TemporaryDirectory() as folder:
        db = await Database.open(Path(folder) / "bench.sqlite3")
        await migrate(db)
        await CaseRepository(db).seed([(c, "bench") for c in standing], PUBLISHED)
        for low in range(0, people, CHUNK):
            async with db.transaction() as conn:
                await conn.executemany(
                    "INSERT INTO subscribers (chat_id, chat_type, actor, language, status,"
                    " subscribed_at, updated_at, allowance, digest, countries)"
                    " VALUES (?, 'private', ?, ?, ?, ?, ?, ?, ?, ?)",
                    [
                        (
                            1000 + i,
                            f"actor-{i}",
                            ("en", "fr", "pt")[i % 3],
                            "stopped" if i % 50 == 0 else "active",
                            PUBLISHED.isoformat(),
                            PUBLISHED.isoformat(),
                            str(allowances[i % 4]),
                            int(i % 10 == 0),
                            json.dumps(["KZ", "BY"]) if i % 5 == 0 else None,
                        )
                        for i in range(low, min(people, low + CHUNK))
                    ],
                )
        new = dataclasses.replace(seed, slug="new-case", country_code="TN")
        await CaseRepository(db).seed([(new, "bench")], PUBLISHED)
        cases_now = [*standing, dataclasses.replace(new, status=CaseStatus.ACTIVE)]
        started = time.perf_counter()
        await preview_reach(db, cases_now, "new-case", PUBLISHED, "UTC")
        headline = time.perf_counter() - started
        started = time.perf_counter()
        await reach_breakdown(db, cases_now, "new-case", PUBLISHED, "UTC")
        breakdown = time.perf_counter() - started
        await db.close()
    return {"people": people, "headline_s": headline, "breakdown_s": breakdown}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--people", type=int, action="append")
    args = parser.parse_args()
    for people in args.people or [2_000, 20_000, 100_000]:
        print(json.dumps(asyncio.run(run(people))))


if __name__ == "__main__":
    main()
