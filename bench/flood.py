"""Another person's tap, answered while one chat floods the bot or the send queue is full.

```
python -m bench.flood                       # every scenario, this checkout
python -m bench.flood --before /work/main   # and the same scenarios on another checkout, first
python -m bench.flood --taps 10 --json out.json
```

The real bot (SQLite, polling) runs against the in-repo emulator with the service's limits, in
one process. Bob, a subscriber, taps his card's "Background" button again and again (one tap at
a time, each once the last page came, a second apart); a tap's time is from the tap to the
bot's answer to it (`answerCallbackQuery`: the end of the spinner), its page's time from the tap
to the page of background it asked for (a message: what the review's floods held up).
Scenarios, each on a fresh bot:

- quiet: nobody else;
- group flood: Mallory, in a group of her own, sends 25 `/help@bot` every 5 s (the security
  review's proof 1);
- settings flood: 60 members of a group each send `/settings@bot` once, every 5 s (proof 2);
- private flood: Mallory sends 60 `/help` in private every 5 s (proof 3);
- queue full: 5,000 alerts queued for the engine and 300 people starting the bot at once, so
  the replies' queue and the engine both run at the whole bot's limit (issue 22.11).

`--before DIR` runs the same file with DIR's `bot` package first (in a child process, its
working directory DIR), for figures before and after a change in one run.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from datetime import timedelta
from pathlib import Path
from typing import Any

from bot.app import build_application, running
from bot.config import Secret, Settings
from bot.db import outbox
from bot.delivery.messages import Kind, OutboundMessage, Recipient
from bot.emulator import EmulatorLimits, TelegramEmulator

ROOT = Path(__file__).resolve().parent.parent
TOKEN = "123456:BENCH-token-ABCDEFGHIJKLMNOPQRSTUV"
SCENARIOS = ("quiet", "group flood", "settings flood", "private flood", "queue full")


@asynccontextmanager
async def running_bot(directory: Path) -> AsyncIterator[tuple[Any, TelegramEmulator]]:
    """The emulator and the real bot polling it, on a fresh database."""
    emulator = TelegramEmulator(EmulatorLimits(keep_bodies=True))
    emulator.create_bot(TOKEN, "UrgentActionBot")
    await emulator.start()
    settings = Settings(
        token=Secret(TOKEN),
        api_url=emulator.api_url,
        db_path=directory / "bot.sqlite3",
        actions_dir=ROOT / "actions",
    )
    app = build_application(settings)
    try:
        async with running(app, poll_timeout=timedelta(seconds=1)):
            yield app, emulator
    finally:
        await emulator.stop()


async def repeat(every: float, action: Callable[[], Awaitable[None]]) -> None:
    """Run `action` now and every `every` seconds until cancelled."""
    while True:
        await action()
        await asyncio.sleep(every)


async def load_for(scenario: str, app: Any, emulator: Any) -> Callable[[], Awaitable[None]] | None:
    """Set up the scenario's flood; return what repeats it (None: nothing repeats)."""
    if scenario == "group flood":
        mallory = emulator.create_person("Mallory", language_code="en")
        group = (await emulator.create_group("Mallory's", members=[mallory.id])).id

        async def helps() -> None:
            for _ in range(25):
                await emulator.send_text(mallory.id, "/help@UrgentActionBot", chat_id=group)

        return helps
    if scenario == "settings flood":
        members = emulator.create_people(60)
        group = (await emulator.create_group("Busy", members=[m.id for m in members])).id

        async def settings() -> None:
            for member in members:
                await emulator.send_text(member.id, "/settings@UrgentActionBot", chat_id=group)

        return settings
    if scenario == "private flood":
        mallory = emulator.create_person("Mallory", language_code="en")

        async def private() -> None:
            for _ in range(60):
                await emulator.send_text(mallory.id, "/help")

        return private
    if scenario == "queue full":
        await queue_alerts(app, emulator, 5000)
        newcomers = emulator.create_people(300)
        for someone in newcomers:
            await emulator.send_text(someone.id, "/start")
    return None


async def queue_alerts(app: Any, emulator: Any, count: int) -> None:
    """`count` messages in the outbox, for the engine to send at the whole bot's limit."""
    services = app.bot_data.services
    audience = [Recipient(p.id) for p in emulator.create_people(count, first_name="Reader")]
    async with services.db.transaction() as conn:
        await outbox.enqueue(
            conn,
            OutboundMessage.text("A new Urgent Action"),
            audience,
            kind=Kind.ALERT,
            now=services.clock(),
        )
    services.wake_delivery()


async def scenario_run(scenario: str, taps: int) -> dict[str, Any]:
    """Bob's taps during one scenario: each tap's answer time, and what the flood met."""
    with tempfile.TemporaryDirectory() as directory:
        async with running_bot(Path(directory)) as (app, emulator):
            bob = emulator.create_person("Bob", language_code="en")
            await emulator.send_text(bob.id, "/start")
            _, card = await emulator.wait_for_messages(bob.id, 2, timeout=30)
            flood = await load_for(scenario, app, emulator)
            task = asyncio.create_task(repeat(5.0, flood)) if flood is not None else None
            await asyncio.sleep(1.0)  # the flood under way
            times: list[float] = []
            pages: list[float] = []
            unanswered = 0
            try:
                for _ in range(taps):
                    emulator.elapse(1.5)  # Bob taps at a person's pace
                    mark = emulator.last_id(bob.id)
                    started = time.perf_counter()
                    answer = await emulator.press(bob.id, card, "Background", timeout=70)
                    if answer is None:
                        unanswered += 1
                    times.append(time.perf_counter() - started)
                    await emulator.wait_for_messages(bob.id, 1, after=mark, timeout=130)
                    pages.append(time.perf_counter() - started)
                    await asyncio.sleep(1.0)
            finally:
                if task is not None:
                    task.cancel()
                    with contextlib.suppress(asyncio.CancelledError):
                        await task
            stats = emulator.stats
            return {
                "scenario": scenario,
                "taps": len(times),
                "unanswered": unanswered,
                "median_ms": round(statistics.median(times) * 1000, 1),
                "p95_ms": round(percentile(times, 0.95) * 1000, 1),
                "max_ms": round(max(times) * 1000, 1),
                "page_median_ms": round(statistics.median(pages) * 1000, 1),
                "page_p95_ms": round(percentile(pages, 0.95) * 1000, 1),
                "page_max_ms": round(max(pages) * 1000, 1),
                "too_many_by_scope": dict(stats.too_many_by_scope),
            }


def percentile(values: list[float], share: float) -> float:
    """The value below which `share` of the values lie (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


async def measure(scenarios: list[str], taps: int) -> list[dict[str, Any]]:
    """Every scenario, one after the other, each on a fresh bot."""
    results = []
    for scenario in scenarios:
        result = await scenario_run(scenario, taps)
        print(json.dumps(result), flush=True)
        results.append(result)
    return results


def before(directory: Path, arguments: list[str]) -> list[dict[str, Any]]:
    """The same scenarios on the checkout in `directory` (its `bot` package first)."""
    environment = {**os.environ, "PYTHONPATH": str(directory)}
    # Run as a path, not as `bench.flood` (the other checkout may not have it); from -c, so
    # that bench/http.py is not taken for the standard library's http.
    script = (
        "import runpy, sys; sys.argv = [sys.argv[0], *sys.argv[1:]];"
        f" runpy.run_path({str(Path(__file__).resolve())!r}, run_name='__main__')"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, *arguments],
        cwd=directory,
        env=environment,
        capture_output=True,
        text=True,
        check=True,
    )
    return [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]


def main() -> None:
    """Run the benchmark and print one JSON line per scenario."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--taps", type=int, default=20, help="Bob's taps per scenario")
    parser.add_argument("--scenario", action="append", choices=SCENARIOS)
    parser.add_argument("--before", type=Path, help="a checkout to measure first")
    parser.add_argument("--json", type=Path, help="write every figure here")
    args = parser.parse_args()
    scenarios = args.scenario or list(SCENARIOS)
    report: dict[str, Any] = {}
    if args.before is not None:
        own = ["--taps", str(args.taps)] + [a for s in scenarios for a in ("--scenario", s)]
        print(f"before ({args.before}):", flush=True)
        report["before"] = before(args.before, own)
        for result in report["before"]:
            print(json.dumps(result), flush=True)
        print("after:", flush=True)
    report["after"] = asyncio.run(measure(scenarios, args.taps))
    if args.json is not None:
        args.json.write_text(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
