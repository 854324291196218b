"""A broadcast to many subscribers against the Telegram emulator, with its flood limits on.

    python -m bench.broadcast                      # every scenario, 100,000 subscribers, 3 runs
    python -m bench.broadcast --mode paid --repeats 1
    python -m bench.broadcast --mode standard --rate 25 --duration-cap 60

Each run is a fresh process (so its peak RSS is its own) with a fresh SQLite file and its own
emulator in a further process (so the CPU time and RSS measured are the bot's alone). The run
queues one broadcast to every subscriber in one transaction, starts the delivery engine and
measures until the outbox is drained. The comparison runs send the same message in a loop over
python-telegram-bot's `AIORateLimiter`, with PTB's default HTTPX transport.

The emulator's whole-bot limit is the service's 30 a second against the engine's 25 a second; a
standard run at another rate scales that limit the same way (rate x 30/25), so a run of 100,000
messages at a scaled rate checks the same pacing in minutes instead of an hour.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import dataclasses
import json
import os
import platform
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import aiohttp
import telegram
from telegram import LinkPreviewOptions
from telegram.error import RetryAfter, TelegramError
from telegram.ext import AIORateLimiter, ApplicationBuilder

from bot import eventloop
from bot.config import Secret
from bot.db.broadcasts import BroadcastRepository
from bot.db.connection import Database
from bot.db.migrations import migrate
from bot.db.subscribers import SubscriberRepository
from bot.delivery.engine import DeliveryConfig, DeliveryEngine
from bot.delivery.messages import OutboundMessage, Status
from bot.delivery.transport import BotApiClient
from bot.domain.subscribers import ChatType

TOKEN = "123456:BENCH-token-for-local-use-only"  # the emulator's, local only
FIRST_PERSON_ID = 100_001  # the emulator numbers its people from here, in order
SERVICE_BOT_LIMIT = 30.0  # the service's messages a second for a whole bot
SERVICE_PAID_LIMIT = 1000.0  # ... and with allow_paid_broadcast
DEFAULT_RATE = 25.0  # the engine's default pace, below the service's 30
PAID_RATE = 1000.0
WORKERS = 32  # sends in flight at once, for the engine (max_in_flight) and the PTB loop
RESULT_MARK = "RESULT "
TEXT = (
    "<b>Urgent Action: a journalist detained for her reporting</b>\n\n"
    "Aigerim was arrested on 3 March after publishing an investigation into the use of forced "
    "labour. She is held incommunicado and at risk of torture. Write to the Prosecutor General "
    "today and ask for her immediate release.\n\n"
    '<a href="https://www.amnesty.org/">Read the case</a> · /act to write your letter'
)


@dataclass(frozen=True)
class Scenario:
    """One kind of run: who sends, how fast, to how many."""

    name: str
    sender: str  # "engine" (the bot's DeliveryEngine) or "ptb" (a loop over AIORateLimiter)
    rate: float  # the configured rate, messages a second
    paid: bool  # with allow_paid_broadcast
    subscribers: int
    loop: str = eventloop.NAME  # the event loop: the bot's own, or "asyncio" to compare

    @property
    def bot_limit(self) -> float:
        """The emulator's whole-bot limit: the service's, scaled with the configured rate."""
        if self.paid:
            return SERVICE_BOT_LIMIT
        return self.rate * SERVICE_BOT_LIMIT / DEFAULT_RATE


@dataclass(frozen=True)
class Measurement:
    """What one run measured."""

    scenario: str
    sender: str
    loop: str  # the event loop it ran on
    subscribers: int
    configured_rate: float
    emulator_bot_limit: float
    emulator_paid_limit: float
    enqueue_seconds: float  # queueing the broadcast in one transaction (engine runs only)
    wall_seconds: float  # from the start of sending until the outbox is drained
    effective_rate: float  # messages sent / wall_seconds
    sustained_rate: float  # between 10% and 90% of the messages sent
    rate_ratio: float  # effective / configured
    sent: int
    delivered: int  # as the emulator counted them
    floods_seen: int  # 429s the bot received
    emulator_429s: int  # 429s the emulator gave
    errors: int  # other failed sends
    cpu_seconds: float  # the bot process's CPU time (every thread) while sending
    cpu_ms_per_message: float
    emulator_cpu_ms_per_message: float  # the emulator's process, for where the machine's CPU went
    peak_rss_mb: float  # the bot process's peak resident set, set-up included
    sending_peak_rss_mb: float  # the same while sending only (the peak reset before it starts)


def plan(args: argparse.Namespace) -> list[Scenario]:
    """The scenarios the command line asks for."""
    cap: float | None = args.duration_cap

    def size(rate: float, most: int) -> int:
        return min(most, int(rate * cap)) if cap else most

    rates: list[float] = args.rate
    engine, ptb = args.subscribers, min(args.subscribers, args.ptb_subscribers)
    scenarios: list[Scenario] = []
    if args.mode in ("standard", "all"):
        scenarios += [
            Scenario(f"engine {rate:g}/s", "engine", rate, False, size(rate, engine))
            for rate in rates
        ]
    if args.mode in ("paid", "all"):
        scenarios.append(
            Scenario("engine paid", "engine", PAID_RATE, True, size(PAID_RATE, engine))
        )
    if args.asyncio and eventloop.NAME != "asyncio":
        # The same engine runs on asyncio's own loop, as on a machine without uvloop.
        scenarios += [
            dataclasses.replace(s, name=f"{s.name} on asyncio", loop="asyncio")
            for s in list(scenarios)
            if s.sender == "engine"
        ]
    if args.mode in ("ptb", "all"):
        scenarios += [
            Scenario(f"PTB {rate:g}/s", "ptb", rate, False, size(rate, ptb)) for rate in rates
        ]
        scenarios.append(Scenario("PTB paid", "ptb", PAID_RATE, True, size(PAID_RATE, ptb)))
    return scenarios


# ---- measuring the bot process ---------------------------------------------------------------


def peak_rss_mb() -> float:
    """This process's peak resident set since it started (or since the last reset), in MiB."""
    with contextlib.suppress(OSError):
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def reset_peak_rss() -> None:
    """Start the peak resident set again from the current one (Linux: clear_refs 5)."""
    with contextlib.suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")


class Progress:
    """Messages sent over time, sampled, for the rate sustained in the middle of a run."""

    def __init__(self) -> None:
        self.samples: list[tuple[float, int]] = []

    def note(self, count: int) -> None:
        """Record the count sent so far, now."""
        self.samples.append((time.perf_counter(), count))

    def sustained_rate(self, total: int) -> float:
        """Messages a second between the 10% and the 90% mark; 0 with too few samples."""
        low = next((s for s in self.samples if s[1] >= total * 0.1), None)
        high = next((s for s in self.samples if s[1] >= total * 0.9), None)
        if low is None or high is None or high[0] <= low[0]:
            return 0.0
        return (high[1] - low[1]) / (high[0] - low[0])


@contextlib.asynccontextmanager
async def sampling(progress: Progress, count: Any) -> AsyncIterator[None]:
    """Sample `count()` every second while the block runs."""

    async def sample() -> None:
        while True:
            progress.note(count())
            await asyncio.sleep(1.0)

    task = asyncio.create_task(sample())
    try:
        yield
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        progress.note(count())


# ---- the emulator, in a process of its own ---------------------------------------------------


class Emulator:
    """`python -m bot.emulator` in a subprocess, and its control API."""

    def __init__(self, scenario: Scenario, workdir: Path, *, flood: bool = True) -> None:
        self.scenario = scenario
        self.flood = flood
        self.log_path = workdir / "emulator.log"
        self.url = ""
        self._process: asyncio.subprocess.Process | None = None
        self._http: aiohttp.ClientSession | None = None

    async def __aenter__(self) -> Emulator:
        command = [
            sys.executable,
            "-m",
            "bot.emulator",
            "--port",
            "0",
            "--token",
            TOKEN,
            "--count-only",
            "--history",
            "1",
            "--bot-rate",
            f"{self.scenario.bot_limit:g}",
            "--paid-rate",
            f"{SERVICE_PAID_LIMIT:g}",
            *([] if self.flood else ["--no-flood"]),
        ]
        with self.log_path.open("wb") as log:
            self._process = await asyncio.create_subprocess_exec(
                *command, stdout=asyncio.subprocess.PIPE, stderr=log
            )
        assert self._process.stdout is not None
        line = await asyncio.wait_for(self._process.stdout.readline(), 30)
        self.url = line.decode().strip()
        if not self.url.startswith("http"):
            raise RuntimeError(f"the emulator did not start: {self.log_path.read_text()[-2000:]}")
        self._http = aiohttp.ClientSession()
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self._http is not None:
            await self._http.close()
        if self._process is not None and self._process.returncode is None:
            self._process.terminate()
            try:
                await asyncio.wait_for(self._process.wait(), 10)
            except TimeoutError:
                self._process.kill()
                await self._process.wait()

    async def _call(self, method: str, path: str, body: Any = None) -> Any:
        assert self._http is not None
        async with self._http.request(method, f"{self.url}/_emulator/{path}", json=body) as reply:
            reply.raise_for_status()
            return await reply.json()

    async def create_people(self, count: int) -> list[int]:
        """`count` people who started the bot; their ids are the subscribers' chat ids."""
        ids: list[int] = (await self._call("POST", "people", {"count": count}))["ids"]
        if ids != expected_chat_ids(count):
            raise RuntimeError("the emulator numbered its people differently than expected")
        return ids

    def cpu_seconds(self) -> float:
        """The emulator process's CPU time so far (Linux), 0 where it cannot be read."""
        if self._process is None:
            return 0.0
        try:
            fields = Path(f"/proc/{self._process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            return 0.0
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    async def reset_stats(self) -> None:
        """Start the emulator's counters from zero."""
        await self._call("DELETE", "stats")

    async def stats(self) -> dict[str, Any]:
        """The emulator's counters."""
        found: dict[str, Any] = await self._call("GET", "stats")
        return found


def expected_seconds(scenario: Scenario) -> float:
    """How long the run takes at exactly its configured rate."""
    return scenario.subscribers / scenario.rate


def expected_chat_ids(count: int) -> list[int]:
    """The chat ids of the emulator's first `count` people."""
    return list(range(FIRST_PERSON_ID, FIRST_PERSON_ID + count))


# ---- the runs --------------------------------------------------------------------------------


async def make_template(path: Path, subscribers: int) -> None:
    """A migrated database with `subscribers` active subscribers, copied for each run."""
    db = await Database.open(path)
    try:
        await migrate(db)
        repository = SubscriberRepository(db)
        now = datetime.now(UTC)
        for chat_id in expected_chat_ids(subscribers):
            await repository.subscribe(chat_id, ChatType.PRIVATE, "en", now)
    finally:
        await db.close()


async def run_engine(scenario: Scenario, template: Path, workdir: Path) -> Measurement:
    """Queue one broadcast to every subscriber and let the delivery engine drain it."""
    path = workdir / "bot.sqlite3"
    shutil.copyfile(template, path)
    async with Emulator(scenario, workdir) as emulator:
        await emulator.create_people(scenario.subscribers)
        db = await Database.open(path)
        try:
            now = datetime.now(UTC)
            started = time.perf_counter()
            broadcast = await BroadcastRepository(db).queue(
                created_by=1,
                text=TEXT,
                audience="all",
                send_at=now,
                message_for=lambda _language: OutboundMessage.text(TEXT),
                now=now,
            )
            enqueue_seconds = time.perf_counter() - started
            if broadcast.recipients != scenario.subscribers:
                raise RuntimeError(f"queued {broadcast.recipients} of {scenario.subscribers}")
            await emulator.reset_stats()
            config = DeliveryConfig(
                rate=scenario.rate, paid_broadcast=scenario.paid, max_in_flight=WORKERS
            )
            async with BotApiClient(emulator.url, Secret(TOKEN)) as client:
                engine = DeliveryEngine(db, client, config=config)
                progress = Progress()
                setup_peak = peak_rss_mb()
                reset_peak_rss()
                cpu, wall = time.process_time(), time.perf_counter()
                emulator_cpu = emulator.cpu_seconds()
                async with sampling(progress, lambda: engine.stats.sent):
                    await engine.start()
                    await engine.wait_drained(timeout=expected_seconds(scenario) * 3 + 60)
                cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
                emulator_cpu = emulator.cpu_seconds() - emulator_cpu
                sending_peak = peak_rss_mb()
                await engine.stop()
            counts = await engine.outbox.counts()
        finally:
            await db.close()
        stats = await emulator.stats()
    sent = engine.stats.sent
    if counts.get(Status.SENT, 0) != sent:
        raise RuntimeError(f"the outbox holds {counts} after {sent} sends")
    return measurement(
        scenario,
        enqueue_seconds=enqueue_seconds,
        wall=wall,
        cpu=cpu,
        emulator_cpu=emulator_cpu,
        sent=sent,
        floods=engine.stats.floods,
        errors=engine.stats.failed + engine.stats.blocked,
        stats=stats,
        progress=progress,
        peaks=(max(setup_peak, sending_peak), sending_peak),
    )


async def run_ptb(scenario: Scenario, workdir: Path) -> Measurement:
    """Send the same message to every chat in a loop over PTB's own AIORateLimiter."""
    async with Emulator(scenario, workdir) as emulator:
        chat_ids = await emulator.create_people(scenario.subscribers)
        limiter = AIORateLimiter(overall_max_rate=scenario.rate, max_retries=0)
        application = (
            ApplicationBuilder()
            .token(TOKEN)
            .base_url(f"{emulator.url}/bot")
            .rate_limiter(limiter)
            .build()
        )
        await application.initialize()
        await emulator.reset_stats()
        bot = application.bot
        chats: Iterator[int] = iter(chat_ids)
        sent = floods = errors = 0
        preview = LinkPreviewOptions(is_disabled=True)

        async def send_all() -> None:
            nonlocal sent, floods, errors
            for chat_id in chats:
                try:
                    await bot.send_message(
                        chat_id,
                        TEXT,
                        parse_mode="HTML",
                        link_preview_options=preview,
                        allow_paid_broadcast=scenario.paid or None,
                    )
                except RetryAfter:
                    floods += 1
                except TelegramError:
                    errors += 1
                else:
                    sent += 1

        progress = Progress()
        setup_peak = peak_rss_mb()
        reset_peak_rss()
        cpu, wall = time.process_time(), time.perf_counter()
        emulator_cpu = emulator.cpu_seconds()
        async with sampling(progress, lambda: sent):
            await asyncio.gather(*(send_all() for _ in range(WORKERS)))
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
        emulator_cpu = emulator.cpu_seconds() - emulator_cpu
        sending_peak = peak_rss_mb()
        await application.shutdown()
        stats = await emulator.stats()
    return measurement(
        scenario,
        enqueue_seconds=0.0,
        wall=wall,
        cpu=cpu,
        emulator_cpu=emulator_cpu,
        sent=sent,
        floods=floods,
        errors=errors,
        stats=stats,
        progress=progress,
        peaks=(max(setup_peak, sending_peak), sending_peak),
    )


def measurement(
    scenario: Scenario,
    *,
    enqueue_seconds: float,
    wall: float,
    cpu: float,
    emulator_cpu: float,
    sent: int,
    floods: int,
    errors: int,
    stats: dict[str, Any],
    progress: Progress,
    peaks: tuple[float, float],
) -> Measurement:
    """The figures of one run."""
    effective = sent / wall if wall > 0 else 0.0
    return Measurement(
        scenario=scenario.name,
        sender=scenario.sender,
        loop=scenario.loop,
        subscribers=scenario.subscribers,
        configured_rate=scenario.rate,
        emulator_bot_limit=scenario.bot_limit,
        emulator_paid_limit=SERVICE_PAID_LIMIT,
        enqueue_seconds=round(enqueue_seconds, 3),
        wall_seconds=round(wall, 3),
        effective_rate=round(effective, 2),
        sustained_rate=round(progress.sustained_rate(scenario.subscribers), 2),
        rate_ratio=round(effective / scenario.rate, 4),
        sent=sent,
        delivered=int(stats["delivered"]),
        floods_seen=floods,
        emulator_429s=int(stats["too_many_requests"]),
        errors=errors,
        cpu_seconds=round(cpu, 3),
        cpu_ms_per_message=round(cpu * 1000 / sent, 4) if sent else 0.0,
        emulator_cpu_ms_per_message=round(emulator_cpu * 1000 / sent, 4) if sent else 0.0,
        peak_rss_mb=round(peaks[0], 1),
        sending_peak_rss_mb=round(peaks[1], 1),
    )


def run_one(scenario: Scenario, template: Path | None) -> Measurement:
    """One run, in this process."""
    factory = asyncio.new_event_loop if scenario.loop == "asyncio" else eventloop.new_event_loop
    with (
        tempfile.TemporaryDirectory(prefix="bench-run-") as workdir,
        asyncio.Runner(loop_factory=factory) as runner,
    ):
        if scenario.sender == "engine":
            assert template is not None
            return runner.run(run_engine(scenario, template, Path(workdir)))
        return runner.run(run_ptb(scenario, Path(workdir)))


def run_in_child(scenario: Scenario, template: Path | None) -> Measurement:
    """One run in a fresh process, so that its peak RSS is its own."""
    command = [
        sys.executable,
        "-m",
        "bench.broadcast",
        "--child",
        json.dumps(dataclasses.asdict(scenario)),
    ]
    if template is not None:
        command += ["--template", str(template)]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    for line in reversed(done.stdout.splitlines()):
        if line.startswith(RESULT_MARK):
            return Measurement(**json.loads(line.removeprefix(RESULT_MARK)))
    raise RuntimeError(f"the run {scenario.name} failed:\n{done.stderr[-4000:]}")


# ---- reporting -------------------------------------------------------------------------------


def machine() -> dict[str, Any]:
    """What the figures were measured on."""
    model = ""
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    return {
        "date": datetime.now(UTC).date().isoformat(),
        "cpu": model,
        "cores": os.cpu_count(),
        "kernel": platform.release(),
        "python": platform.python_version(),
        "python_telegram_bot": telegram.__version__,
        "aiohttp": aiohttp.__version__,
        "sqlite": sqlite3.sqlite_version,
        "event_loop": eventloop.NAME,
    }


def summarize(runs: Sequence[Measurement]) -> dict[str, Any]:
    """Medians over the repeats of one scenario; 429s and errors are totals."""
    first = runs[0]
    summary: dict[str, Any] = {
        "scenario": first.scenario,
        "sender": first.sender,
        "loop": first.loop,
        "subscribers": first.subscribers,
        "configured_rate": first.configured_rate,
        "runs": len(runs),
    }
    for name in (
        "effective_rate",
        "sustained_rate",
        "rate_ratio",
        "cpu_ms_per_message",
        "emulator_cpu_ms_per_message",
        "peak_rss_mb",
        "sending_peak_rss_mb",
        "wall_seconds",
        "enqueue_seconds",
    ):
        summary[name] = round(statistics.median(getattr(r, name) for r in runs), 4)
    for name in ("floods_seen", "emulator_429s", "errors"):
        summary[name] = sum(getattr(r, name) for r in runs)
    summary["all_delivered"] = all(r.delivered == r.subscribers == r.sent for r in runs)
    return summary


def table(summaries: Sequence[dict[str, Any]]) -> str:
    """The medians as a Markdown table."""
    lines = [
        "| scenario | messages | configured /s | effective /s | sustained /s | effective"
        " / configured | 429s (bot / emulator) | CPU ms / message | peak RSS MiB (sending) |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    lines += [
        f"| {s['scenario']} | {s['subscribers']:,} | {s['configured_rate']:g}"
        f" | {s['effective_rate']:.1f} | {s['sustained_rate']:.1f} | {s['rate_ratio']:.1%}"
        f" | {s['floods_seen']} / {s['emulator_429s']} | {s['cpu_ms_per_message']:.3f}"
        f" | {s['peak_rss_mb']:.0f} ({s['sending_peak_rss_mb']:.0f}) |"
        for s in summaries
    ]
    return "\n".join(lines)


def ratios(summaries: Sequence[dict[str, Any]]) -> list[str]:
    """PTB's CPU per message, and the engine's on asyncio's loop, against the engine's on the
    bot's loop at the same rate, from the same invocation."""
    found = []
    by_name = {s["scenario"]: s for s in summaries}
    for s in summaries:
        if s["sender"] == "ptb":
            engine = by_name.get(s["scenario"].replace("PTB", "engine", 1))
        elif s["scenario"].endswith(" on asyncio"):
            engine = by_name.get(s["scenario"].removesuffix(" on asyncio"))
        else:
            continue
        if engine and engine["cpu_ms_per_message"]:
            ratio = s["cpu_ms_per_message"] / engine["cpu_ms_per_message"]
            found.append(f"{s['scenario']}: {ratio:.2f}x the engine's CPU per message")
    return found


def main(argv: list[str] | None = None) -> None:
    """Parse the command line; run every scenario `--repeats` times, interleaved; report."""
    parser = argparse.ArgumentParser(
        prog="python -m bench.broadcast",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--subscribers", type=int, default=100_000)
    parser.add_argument("--mode", choices=("standard", "paid", "ptb", "all"), default="all")
    parser.add_argument(
        "--rate",
        type=float,
        nargs="+",
        default=[DEFAULT_RATE, 800.0],
        help="configured rates of the standard and PTB runs (default: 25 and, scaled, 800)",
    )
    parser.add_argument(
        "--duration-cap",
        type=float,
        default=130.0,
        help="seconds: fewer subscribers where a run would take longer at its rate (0: none)",
    )
    parser.add_argument(
        "--ptb-subscribers",
        type=int,
        default=20_000,
        help="at most this many for the PTB runs, which cost more CPU per message",
    )
    parser.add_argument(
        "--asyncio",
        action="store_true",
        help="run the engine's scenarios on asyncio's own loop as well, to compare with uvloop",
    )
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--json", type=Path, help="write every run and the medians here")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--template", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.child:
        scenario = Scenario(**json.loads(args.child))
        result = run_one(scenario, args.template)
        print(RESULT_MARK + json.dumps(dataclasses.asdict(result)), flush=True)
        return

    scenarios = plan(args)
    runs: dict[str, list[Measurement]] = {s.name: [] for s in scenarios}
    with tempfile.TemporaryDirectory(prefix="bench-broadcast-") as workdir:
        templates: dict[int, Path] = {}
        for count in sorted({s.subscribers for s in scenarios if s.sender == "engine"}):
            templates[count] = Path(workdir) / f"subscribers-{count}.sqlite3"
            print(f"subscribing {count:,} chats ...", file=sys.stderr, flush=True)
            eventloop.run(make_template(templates[count], count))
        for repeat in range(1, args.repeats + 1):
            for scenario in scenarios:
                result = run_in_child(scenario, templates.get(scenario.subscribers))
                runs[scenario.name].append(result)
                print(
                    f"run {repeat}/{args.repeats} {scenario.name}: {result.sent:,} sent in"
                    f" {result.wall_seconds:.1f}s, {result.effective_rate:.1f}/s,"
                    f" {result.floods_seen} 429s, {result.cpu_ms_per_message:.3f} ms CPU each,"
                    f" peak RSS {result.peak_rss_mb:.0f} MiB",
                    file=sys.stderr,
                    flush=True,
                )
    summaries = [summarize(runs[s.name]) for s in scenarios]
    report = {
        "machine": machine(),
        "summaries": summaries,
        "runs": [dataclasses.asdict(r) for s in scenarios for r in runs[s.name]],
    }
    if args.json:
        args.json.write_text(json.dumps(report, indent=2) + "\n")
    print(json.dumps(report["machine"]))
    print(table(summaries))
    for line in ratios(summaries):
        print(line)


if __name__ == "__main__":
    main()
