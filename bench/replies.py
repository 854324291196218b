""" "Did anyone reply?" at scale: the sweep that asks everyone who acted two weeks ago, and the
cleaning of one reply's photo.

    python -m bench.replies                    # 100,000 people, 3 runs
    python -m bench.replies --people 20000 --repeats 1

Each run takes a fresh SQLite file with N subscribers who each recorded an appeal at the same
moment, then sweeps: thirteen days on (nothing is due: what an hourly sweep costs on an
ordinary day), fourteen days on (every question is due: rows written and messages queued in
batches of 500, each one transaction), and again at once (nothing is asked twice). Then a
12-megapixel phone photo with its EXIF is cleaned five times. Reported: wall and CPU seconds,
the questions queued, and the photo's median.
"""

from __future__ import annotations

import io
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

from PIL import ExifTags, Image

from bench import fresh
from bot.db.replies import ReplyRepository
from bot.delivery.messages import OutboundMessage
from bot.domain.cases import UrgentAction
from bot.domain.reply_files import clean_image
from bot.rendering import Renderer
from bot.views.replies import question_screen

ACTED = datetime(2022, 5, 20, 9, 0, tzinfo=UTC)


async def one_run(people: int, photo: tuple[int, int] = (4000, 3000)) -> dict[str, float]:
    """Sweep the questions of `people` who acted, and clean a `photo`-sized picture; return
    the measurements."""
    renderer = Renderer()
    with tempfile.TemporaryDirectory() as folder:
        db, case = await fresh.seeded(Path(folder) / "bench.sqlite3", people, ACTED)
        async with db.transaction() as conn:
            await conn.executemany(
                "INSERT INTO actions (case_slug, actor, channel, target, acted_at)"
                " VALUES (?, ?, 'email', 0, ?)",
                [(case.slug, f"actor-{n}", ACTED.isoformat()) for n in range(people)],
            )
        cases = {case.slug: case}

        def message_for(
            found: UrgentAction, language: str, targets: Sequence[int]
        ) -> OutboundMessage:
            screen = question_screen(found, language, targets, renderer)
            markup = screen.markup.to_dict() if screen.markup else None
            return OutboundMessage.text(screen.text, reply_markup=markup)

        replies = ReplyRepository(db, "UTC")
        wall, cpu = time.perf_counter(), time.process_time()
        early = await replies.ask_due(ACTED + timedelta(days=13), cases, message_for)
        idle_wall, idle_cpu = time.perf_counter() - wall, time.process_time() - cpu
        due = ACTED + timedelta(days=14)
        wall, cpu = time.perf_counter(), time.process_time()
        asked = await replies.ask_due(due, cases, message_for)
        sweep_wall, sweep_cpu = time.perf_counter() - wall, time.process_time() - cpu
        wall = time.perf_counter()
        again = await replies.ask_due(due, cases, message_for)
        again_wall = time.perf_counter() - wall
        async with db.read() as conn:
            row = await conn.fetchone("SELECT count(*) FROM outbox_payloads")
        payloads = int(row[0]) if row else 0
        await db.close()
    return {
        "people": people,
        "nothing_due_s": idle_wall,
        "nothing_due_cpu_s": idle_cpu,
        "asked_early": early,
        "sweep_s": sweep_wall,
        "sweep_cpu_s": sweep_cpu,
        "asked_per_s": asked / sweep_wall if sweep_wall else 0.0,
        "asked": asked,
        "asked_twice": again,
        "payloads": payloads,
        "second_sweep_s": again_wall,
        "photo_12mp_clean_s": photo_seconds(photo),
    }


def photo_seconds(size: tuple[int, int], times: int = 5) -> float:
    """The median time to clean a JPEG with EXIF (12 megapixels: a phone's photo of a letter)."""
    picture = Image.effect_noise(size, 40).convert("RGB")
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "Phone"
    out = io.BytesIO()
    picture.save(out, format="JPEG", quality=90, exif=exif.tobytes())
    data = out.getvalue()
    runs = []
    for _ in range(times):
        started = time.perf_counter()
        clean_image(data)
        runs.append(time.perf_counter() - started)
    return statistics.median(runs)


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark, each run in a fresh process; print the medians."""
    return fresh.main("bench.replies", __doc__, one_run, argv)


if __name__ == "__main__":
    sys.exit(main())
