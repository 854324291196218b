"""100,000 reminders falling due at once: planning them and handing them to the delivery engine.

    python -m bench.reminders                  # 100,000 people, 3 runs
    python -m bench.reminders --people 20000 --repeats 1

Each run takes a fresh SQLite file with N subscribers the seed case reached, plans their
reminders as publishing does (the offer sweep, in batches), then sweeps at the moment the first
step falls due for all of them: the sweep claims, decides and queues every reminder into the
outbox. What goes out from there is the delivery engine's work, measured by bench/broadcast.py.
Reported: the wall and CPU seconds of planning and of the sweep, the sweep's rate, the outbox rows
queued, and the process's peak RSS.
"""

from __future__ import annotations

import resource
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bench import fresh
from bot.db.offers import sweep_offers
from bot.db.reminders import ReminderRepository
from bot.delivery.messages import OutboundMessage
from bot.domain.cases import UrgentAction
from bot.domain.reminders import steps
from bot.rendering import Renderer
from bot.views.reminders import reminder_screen

PUBLISHED = datetime(2022, 5, 20, 9, 0, tzinfo=UTC)


async def one_run(people: int) -> dict[str, float]:
    """Plan and sweep the reminders of `people` subscribers; return the measurements."""
    renderer = Renderer()
    with tempfile.TemporaryDirectory() as folder:
        db, case = await fresh.seeded(Path(folder) / "bench.sqlite3", people, PUBLISHED)

        wall, cpu = time.perf_counter(), time.process_time()
        await sweep_offers(db, [case], lambda *_: OutboundMessage.text("alert"), PUBLISHED, "UTC")
        publish_wall, publish_cpu = time.perf_counter() - wall, time.process_time() - cpu

        due = steps(case, "UTC", PUBLISHED)[0].due
        cases = {case.slug: case}

        def message_for(found: UrgentAction, language: str) -> OutboundMessage:
            screen = reminder_screen(found, language, renderer, due)
            markup = screen.markup.to_dict() if screen.markup else None
            return OutboundMessage.text(screen.text, reply_markup=markup)

        reminders = ReminderRepository(db, "UTC")
        wall, cpu = time.perf_counter(), time.process_time()
        report = await reminders.send_due(due, cases, message_for, grace=timedelta(hours=12))
        sweep_wall, sweep_cpu = time.perf_counter() - wall, time.process_time() - cpu
        async with db.read() as conn:
            cursor = await conn.execute("SELECT count(*) FROM outbox WHERE kind = 'reminder'")
            row = await cursor.fetchone()
        queued = int(row[0]) if row else 0
        again = await reminders.send_due(due, cases, message_for, grace=timedelta(hours=12))
        await db.close()
    return {
        "people": people,
        "publish_and_plan_s": publish_wall,
        "publish_and_plan_cpu_s": publish_cpu,
        "sweep_s": sweep_wall,
        "sweep_cpu_s": sweep_cpu,
        "sweep_per_s": report.sent / sweep_wall if sweep_wall else 0.0,
        "queued": queued,
        "queued_twice": again.sent,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark, each run in a fresh process; print the medians."""
    return fresh.main("bench.reminders", __doc__, one_run, argv)


if __name__ == "__main__":
    sys.exit(main())
