"""The delivery engine: the one path for messages to many chats, at Telegram's limits.

It claims due rows of the outbox in small batches (about a second of sending), sends each under
the shared `SendLimiter`, and records every result. Results are written by one writer task that
lets them gather (up to `record_interval`, or `record_batch` results, or until the engine needs a
send slot, or nothing else is in flight), so a busy engine commits many results per transaction.

Every time the process sleeps and wakes costs CPU, more than a send itself on a small virtual
machine; so the engine sends what the rate allows in small bunches (`wake_interval`) and commits
results in batches, rather than waking for each message.

At-least-once: a row is marked sent only after Telegram answered. After a crash, rows left
`sending` go back to pending at start, so only the messages in flight at the crash can arrive
twice. A message is in flight from its post until its result is committed: it holds one of the
`max_in_flight` send slots all that time, so no more than `max_in_flight` are ever in flight.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import random
import time
from collections import OrderedDict, deque
from dataclasses import dataclass, field, replace
from datetime import timedelta
from typing import Protocol

from bot.clock import Clock, system_clock
from bot.config import Settings
from bot.db.connection import Database
from bot.db.outbox import OutboxRepository
from bot.delivery.limits import PAID_METHODS, ChatLimits, SendLimiter
from bot.delivery.messages import Delivery, Payload, Result, Verdict
from bot.delivery.outcomes import Outcome, judge
from bot.delivery.transport import ApiResponse, BotApiClient, TransportError
from bot.logs import pseudonym
from bot.outages import Outage

log = logging.getLogger(__name__)

_PAID_FIELD = ',"allow_paid_broadcast":true'
_PAYLOAD_CACHE = 256
# How often the engine asks the outbox whether a broadcast it holds claimed rows of was
# cancelled in another process: a tenth of a second's sends is all that may follow a cancel.
CANCEL_CHECK = 0.1
_REQUEUED = frozenset({Verdict.RETRY, Verdict.RELEASE, Verdict.MIGRATED})


class Sender(Protocol):
    """Posts one Bot API call: `BotApiClient`, or a fake in tests."""

    async def post(self, method: str, body: bytes) -> ApiResponse:
        """Call `method` with a JSON body; raise TransportError when no answer comes."""
        ...


@dataclass(frozen=True)
class DeliveryConfig:
    """How the engine paces and retries."""

    rate: float = 25.0  # messages a second, the whole engine; leaves room for direct replies
    paid_broadcast: bool = False  # send with allow_paid_broadcast (Stars) to go past 30/s
    chats: ChatLimits = field(default_factory=ChatLimits)
    # Messages posted and not yet recorded: all a crash can send twice.
    max_in_flight: int = 32
    # Once the rate holds the engine back, it sleeps until this long's worth of sends may go,
    # then sends them together (the limiter's burst caps the bunch).
    wake_interval: float = 0.2
    # Results wait up to this long, or until this many gather (or every send slot waits for
    # its result to be recorded), to be recorded in one transaction: a commit costs about the
    # same for one row as for a hundred.
    record_interval: float = 1.0
    record_batch: int = 16
    # After a failed write of results (a full disk, a locked file), wait this long, doubling to
    # `retry_cap`, and write them again; their send slots stay taken until they are written.
    record_retry: float = 1.0
    # The longest wait before trying the database again after it failed (the claim loop, the
    # writer); a call that gets through wakes the waits at once (`bot.outages`).
    db_retry_cap: float = 2.0
    batch_size: int | None = None  # rows claimed at once; default about a second of sending
    retry_base: float = 1.0  # seconds before the first retry of a transient failure
    retry_cap: float = 300.0  # the longest wait between retries
    misconfigured_pause: float = 60.0  # after a 401/404 (wrong token or URL), hold this long
    idle_check: float = 300.0  # longest sleep with nothing due, in case a wake() was missed
    stop_grace: float = 5.0  # how long stop() lets messages in flight finish
    # PostgreSQL: how long a claimed row stays this process's; after that (the process died),
    # another process sends it. Far longer than a send and its recording take.
    lease: float = 120.0

    @classmethod
    def from_settings(cls, settings: Settings) -> DeliveryConfig:
        """The engine's pace as the deployment set it."""
        return cls(
            rate=settings.send_rate,
            paid_broadcast=settings.paid_broadcast,
            lease=settings.delivery_lease,
        )

    @property
    def claim_size(self) -> int:
        """How many rows to claim at once."""
        if self.batch_size is not None:
            return self.batch_size
        return max(10, min(500, round(self.rate)))


@dataclass
class EngineStats:
    """What the engine did since it started."""

    sent: int = 0
    blocked: int = 0
    failed: int = 0
    retried: int = 0
    migrated: int = 0
    floods: int = 0  # 429s received
    cancelled: int = 0


def request_body(payload: Payload, delivery: Delivery, *, paid: bool) -> bytes:
    """The JSON body of one send: the shared parameters with this chat's id and overrides."""
    if delivery.params_json is None:
        # The common case splices the chat id into the stored JSON instead of re-encoding it.
        head = f'{{"chat_id":{delivery.chat_id}{_PAID_FIELD if paid else ""}'
        rest = payload.params_json.strip()[1:]
        return (head + ("" if rest.lstrip() == "}" else ",") + rest).encode()
    params = json.loads(payload.params_json)
    params.update(json.loads(delivery.params_json))
    params["chat_id"] = delivery.chat_id
    if paid:
        params["allow_paid_broadcast"] = True
    return json.dumps(params, ensure_ascii=False, separators=(",", ":")).encode()


class DeliveryEngine:
    """Drains the outbox under Telegram's limits; `wake()` it after enqueueing."""

    def __init__(
        self,
        db: Database,
        sender: Sender,
        *,
        config: DeliveryConfig | None = None,
        limiter: SendLimiter | None = None,
        clock: Clock = system_clock,
    ) -> None:
        self.config = config or DeliveryConfig()
        self.limiter = limiter or SendLimiter(self.config.rate, chats=self.config.chats)
        self.stats = EngineStats()
        # On PostgreSQL the rate is shared with the bot's other processes through the database.
        self.outbox = OutboxRepository(
            db,
            rate=self.config.rate,
            chats=self.config.chats,
            lease=timedelta(seconds=self.config.lease),
        )
        self._db = db
        # Telegram out of reach (5xx, no answer): one WARNING when it starts and when it ends.
        self.telegram = Outage("Telegram")
        self._sender = sender
        self._owned_client: BotApiClient | None = None
        self._clock = clock
        self._buffer: deque[Delivery] = deque()
        self._payloads: OrderedDict[int, Payload] = OrderedDict()
        self._moved: dict[int, int] = {}  # group id -> its supergroup's id, for claimed rows
        self._pause_all = 0.0  # seconds every process is to pause (a 429 for the whole bot)
        self._dropped: set[int] = set()  # cancelled broadcasts
        self._cancels_seen = 0.0  # when the outbox was last asked which broadcasts were cancelled
        self._pause_seen = 0.0  # when the outbox was last asked for a pause of the whole bot
        self._results: list[Result] = []
        self._held = 0  # send slots held by results not yet recorded
        self._results_ready = asyncio.Event()
        self._record_now = asyncio.Event()
        self._wake = asyncio.Event()
        self._stopping = asyncio.Event()
        self._slots = asyncio.Semaphore(self.config.max_in_flight)
        self._in_flight: set[asyncio.Task[None]] = set()
        self._runner: asyncio.Task[None] | None = None
        self._writer: asyncio.Task[None] | None = None
        self._writer_closing = False
        self._writing = False
        self._drained = asyncio.Event()

    @classmethod
    def for_settings(
        cls,
        db: Database,
        settings: Settings,
        *,
        limiter: SendLimiter | None = None,
        clock: Clock = system_clock,
    ) -> DeliveryEngine:
        """An engine with its own HTTP client to the deployment's Bot API, closed by stop()."""
        client = BotApiClient(settings.api_url, settings.token)
        config = DeliveryConfig.from_settings(settings)
        engine = cls(db, client, config=config, limiter=limiter, clock=clock)
        engine._owned_client = client
        return engine

    @property
    def running(self) -> bool:
        """Whether the engine was started and not stopped."""
        return self._runner is not None

    async def start(self) -> None:
        """Return rows a previous run left in flight to pending, and start draining."""
        if self._runner is not None:
            raise RuntimeError("the delivery engine is already running")
        if self._owned_client is not None:
            await self._owned_client.open()
        recovered = await self.outbox.recover()
        if recovered:
            log.warning(
                "outbox: %d rows were in flight when the bot stopped; resending", recovered
            )
        self._stopping.clear()
        self._writer_closing = False
        self._slots = asyncio.Semaphore(self.config.max_in_flight)
        self._held = 0
        self._writer = asyncio.create_task(self._write_loop(), name="outbox-writer")
        self._runner = asyncio.create_task(self._run(), name="outbox-engine")

    async def stop(self) -> None:
        """Stop sending: messages in flight finish (or go back to pending), results are saved."""
        if self._runner is None:
            return
        self._stopping.set()
        self._wake.set()
        await self._runner
        if self._in_flight:
            _, late = await asyncio.wait(self._in_flight, timeout=self.config.stop_grace)
            for task in late:
                task.cancel()
            await asyncio.gather(*late, return_exceptions=True)
        self._writer_closing = True
        self._results_ready.set()
        self._record_now.set()
        assert self._writer is not None
        await self._writer
        self._runner = self._writer = None
        if self._owned_client is not None:
            await self._owned_client.close()

    def wake(self) -> None:
        """Look at the outbox now: rows were just queued."""
        self._wake.set()

    async def cancel_broadcast(self, broadcast_id: int) -> int:
        """Cancel what the broadcast has not sent yet; return how many rows were pending."""
        self.drop_broadcast(broadcast_id)
        return await self.outbox.cancel_broadcast(broadcast_id)

    def drop_broadcast(self, broadcast_id: int) -> None:
        """Send no more of this broadcast's claimed rows (after cancelling it in a transaction)."""
        self._dropped.add(broadcast_id)

    async def wait_drained(self, timeout: float | None = None) -> None:
        """Wait until no row is pending or in flight (for tests, the demo and benchmarks)."""
        async with asyncio.timeout(timeout):
            while True:
                self._drained.clear()
                self._wake.set()
                await self._drained.wait()
                if self._quiet():
                    return

    def _quiet(self) -> bool:
        """Nothing claimed, in flight, or waiting to be recorded."""
        return not (self._buffer or self._in_flight or self._results or self._writing)

    # ---- the loop --------------------------------------------------------------------------

    async def _run(self) -> None:
        failures = 0
        try:
            while not self._stopping.is_set():
                try:
                    if not self._buffer and not await self._claim():
                        failures = 0
                        continue
                    if not await self._dispatch_next():
                        failures = 0
                        continue
                except Exception as error:
                    # The database failed (disk full, a restart): keep trying, not hot, and
                    # again as soon as any call gets through.
                    delay = self._db_retry(failures)
                    if failures == 0 or not self._db.unreachable(error):
                        log.exception(
                            "outbox: the delivery engine hit an error; retrying in %.1fs", delay
                        )
                    failures += 1
                    await self._nap_until_back(delay)
                    continue
                failures = 0
                # Let handlers' coroutines run between sends, whatever the rate.
                await asyncio.sleep(0)
        finally:
            now = self._clock()
            for delivery in self._buffer:
                self._emit(Result(delivery, Verdict.RELEASE, now, not_before=now))
            self._buffer.clear()

    async def _claim(self) -> bool:
        """Claim due rows into the buffer; sleep until something is due when none is."""
        self._wake.clear()
        now = self._clock()
        claimed = await self.outbox.claim(now, self.config.claim_size)
        if claimed:
            missing = {d.payload_id for d in claimed} - self._payloads.keys()
            if missing:
                self._payloads.update(await self.outbox.payloads(missing))
                while len(self._payloads) > _PAYLOAD_CACHE:
                    self._payloads.popitem(last=False)
            self._buffer.extend(claimed)
            return True
        due = await self.outbox.next_due(self._clock())
        if due is None and self._quiet():
            self._drained.set()
        delay = self.config.idle_check
        if due is not None:
            delay = min(delay, (due - self._clock()).total_seconds())
        # Rows are due but the rate the processes share is spent: wait until it allows a batch.
        delay = max(delay, self.outbox.capacity_wait)
        if delay > 0:
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(delay):
                    await self._wake.wait()
        return False

    async def _dispatch_next(self) -> bool:
        """Send the first buffered row if the limits allow; False when it had to wait."""
        delivery = self._buffer[0]
        if delivery.broadcast_id is not None:
            await self._see_cancels()
        if delivery.broadcast_id is not None and delivery.broadcast_id in self._dropped:
            self._buffer.popleft()
            self.stats.cancelled += 1
            self._emit(Result(delivery, Verdict.CANCELLED, self._clock(), error="cancelled"))
            return True
        moved = self._moved.get(delivery.chat_id)
        if moved is not None:
            delivery = self._buffer[0] = replace(delivery, chat_id=moved)
        chat_wait = self.limiter.chat_wait(delivery.chat_id)
        if chat_wait > 0:
            # Another message reached this chat a moment ago: its row waits in the outbox, and
            # the rest of the batch goes on.
            self._buffer.popleft()
            now = self._clock()
            self._emit(
                Result(
                    delivery,
                    Verdict.RELEASE,
                    now,
                    not_before=now + timedelta(seconds=chat_wait),
                )
            )
            return True
        await self._see_pause()
        if self.limiter.wait() > 0:
            await self._nap(self.limiter.wait(self.config.rate * self.config.wake_interval))
            return False
        if self._slots.locked():
            # Every slot waits for its result to be recorded: record them now.
            self._record_now.set()
            if not await self._slot_or_stop():
                return False
        else:
            await self._slots.acquire()
        # A 429 may have arrived while every slot was busy, or a reply taken the chat's moment.
        busy = self.limiter.chat_wait(delivery.chat_id) > 0
        if busy or self.limiter.wait() > 0 or self._stopping.is_set():
            self._slots.release()
            return False
        self._buffer.popleft()
        payload = self._payloads.get(delivery.payload_id)
        noted = self.limiter.note(delivery.chat_id)
        task = asyncio.create_task(self._send(delivery, payload, noted))
        self._in_flight.add(task)
        task.add_done_callback(self._in_flight.discard)
        return True

    async def _see_cancels(self) -> None:
        """Drop the claimed rows of broadcasts cancelled since, in whichever process.

        A cancel in this process drops them at once (`drop_broadcast`); one tapped in another
        process (webhook mode on PostgreSQL) is seen here within `CANCEL_CHECK`, so at most that
        long's worth of sends goes out after it, besides those already in flight."""
        now = time.monotonic()
        if now - self._cancels_seen < CANCEL_CHECK:
            return
        self._cancels_seen = now
        held = {d.broadcast_id for d in self._buffer if d.broadcast_id is not None}
        if held - self._dropped:
            self._dropped |= await self.outbox.cancelled_broadcasts(held - self._dropped)

    async def _see_pause(self) -> None:
        """Pause when another process was told to slow the whole bot down (PostgreSQL), seen
        within `CANCEL_CHECK`; its claims are held by the shared rate already, this holds the
        rows this process claimed before."""
        now = time.monotonic()
        if now - self._pause_seen < CANCEL_CHECK:
            return
        self._pause_seen = now
        paused = await self.outbox.paused_for()
        if paused > self.limiter.paused_for():
            self.limiter.pause(paused)

    async def _slot_or_stop(self) -> bool:
        """Wait for a send slot; False if the engine stops first (the writer may be failing to
        record the results that hold every slot)."""
        slot = asyncio.ensure_future(self._slots.acquire())
        stopping = asyncio.ensure_future(self._stopping.wait())
        await asyncio.wait((slot, stopping), return_when=asyncio.FIRST_COMPLETED)
        stopping.cancel()
        if slot.done() and not slot.cancelled():
            return True
        slot.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await slot
        # Acquired as it was being cancelled: the caller sees the stop and releases it.
        return not slot.cancelled()

    def _db_retry(self, failures: int) -> float:
        """The wait before the database is tried again after `failures` failures in a row."""
        return min(0.1 * 2.0 ** min(failures, 10), self.config.db_retry_cap)

    async def _nap_until_back(self, seconds: float) -> None:
        """Wait `seconds`, less if the engine stops or the database answers again."""
        back = asyncio.ensure_future(self._db.outage.wait_back(seconds))
        stop = asyncio.ensure_future(self._stopping.wait())
        try:
            await asyncio.wait({back, stop}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for waiting in (back, stop):
                waiting.cancel()

    async def _nap(self, seconds: float) -> None:
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(seconds):
                await self._stopping.wait()

    async def _send(self, delivery: Delivery, payload: Payload | None, noted: float) -> None:
        """Post one message; its result keeps the send slot until the writer has recorded it."""
        try:
            if payload is None:
                raise LookupError(f"payload {delivery.payload_id} is missing")
            paid = self.config.paid_broadcast and payload.method in PAID_METHODS
            body = request_body(payload, delivery, paid=paid)
            try:
                response = await self._sender.post(payload.method, body)
            except TransportError as error:
                self.telegram.failed(str(error))
                self._emit(self._retry(delivery, str(error)), holds_slot=True)
            else:
                self._emit(self._conclude(delivery, response), holds_slot=True)
                await self._pause_other_processes()
        except asyncio.CancelledError:
            # Stopped mid-call: the message may or may not have arrived; send it again later.
            now = self._clock()
            self._emit(Result(delivery, Verdict.RELEASE, now, not_before=now), holds_slot=True)
            raise
        except Exception as error:
            log.exception(
                "outbox row %d to chat %d could not be sent", delivery.id, delivery.chat_id
            )
            self.stats.failed += 1
            result = Result(delivery, Verdict.FAILED, self._clock(), error=repr(error))
            self._emit(result, holds_slot=True)
        finally:
            self.limiter.answered(delivery.chat_id, noted)

    async def _pause_other_processes(self) -> None:
        """A 429 for the whole bot: the bot's other processes pause too (PostgreSQL)."""
        seconds, self._pause_all = self._pause_all, 0.0
        if seconds <= 0:
            return
        try:
            await self.outbox.pause_all(seconds)
        except Exception as error:  # they find out with a 429 of their own
            log.warning("outbox: the other processes could not be paused (%s)", error)

    def _conclude(self, delivery: Delivery, response: ApiResponse) -> Result:
        """What to record for Telegram's answer, and what it means for the other sends."""
        judgement = judge(response)
        now = self._clock()
        if judgement.outcome is Outcome.TRANSIENT:
            self.telegram.failed(judgement.error or "transient failure")
        else:
            self.telegram.answered()
        match judgement.outcome:
            case Outcome.SENT:
                self.stats.sent += 1
                return Result(delivery, Verdict.SENT, now, message_id=judgement.message_id)
            case Outcome.UNREACHABLE:
                self.stats.blocked += 1
                log.info(
                    "outbox: chat %s is out of reach: %s",
                    pseudonym(delivery.chat_id),
                    judgement.error,
                )
                return Result(delivery, Verdict.BLOCKED, now, error=judgement.error)
            case Outcome.MIGRATED if not delivery.migrated:
                assert judgement.migrate_to is not None
                self.stats.migrated += 1
                self._moved[delivery.chat_id] = judgement.migrate_to
                log.info(
                    "outbox: group %d is now supergroup %d; resending",
                    delivery.chat_id,
                    judgement.migrate_to,
                )
                return Result(
                    delivery,
                    Verdict.MIGRATED,
                    now,
                    error=judgement.error,
                    migrate_to=judgement.migrate_to,
                )
            case Outcome.FLOOD:
                self.stats.floods += 1
                # One chat's 429 holds that chat; only the whole bot's pauses every send.
                if self.limiter.flood(delivery.chat_id, judgement.retry_after):
                    self._pause_all = max(self._pause_all, judgement.retry_after)
                    log.warning(
                        "outbox: Telegram asked the whole bot to slow down; pausing all sends"
                        " for %gs",
                        judgement.retry_after,
                    )
                else:
                    log.info(
                        "outbox: Telegram asked to slow down for one chat; it waits %gs",
                        judgement.retry_after,
                    )
                return Result(
                    delivery,
                    Verdict.RELEASE,
                    now,
                    error=judgement.error,
                    not_before=now + timedelta(seconds=judgement.retry_after),
                )
            case Outcome.TRANSIENT:
                return self._retry(delivery, judgement.error or "transient failure")
            case Outcome.MISCONFIGURED:
                pause = self.config.misconfigured_pause
                self.limiter.pause(pause)
                log.error(
                    "outbox: the Bot API refuses the bot (%s): check BOT_TOKEN and BOT_API_URL;"
                    " holding all sends for %gs",
                    judgement.error,
                    pause,
                )
                return Result(
                    delivery,
                    Verdict.RELEASE,
                    now,
                    error=judgement.error,
                    not_before=now + timedelta(seconds=pause),
                )
            case _:
                # Refused, or a group that moved twice: retrying cannot help; an operator must.
                self.stats.failed += 1
                log.warning(
                    "outbox row %d (%s) to chat %d refused: %s",
                    delivery.id,
                    delivery.kind,
                    delivery.chat_id,
                    judgement.error,
                )
                return Result(delivery, Verdict.FAILED, now, error=judgement.error)

    def _retry(self, delivery: Delivery, error: str) -> Result:
        """A transient failure: try again after an exponential, capped, jittered wait."""
        self.stats.retried += 1
        base = self.config.retry_base * 2 ** min(delivery.attempts, 30)
        delay = min(self.config.retry_cap, base) * random.uniform(0.8, 1.0)
        log.info(
            "outbox row %d to chat %d: %s; retry in %.1fs",
            delivery.id,
            delivery.chat_id,
            error,
            delay,
        )
        now = self._clock()
        return Result(
            delivery, Verdict.RETRY, now, error=error, not_before=now + timedelta(seconds=delay)
        )

    # ---- recording -------------------------------------------------------------------------

    def _emit(self, result: Result, *, holds_slot: bool = False) -> None:
        self._results.append(result)
        if holds_slot:
            self._held += 1
        self._results_ready.set()
        # A full batch, or the last of the sends (nothing buffered, nothing else in flight): the
        # writer need not wait for more.
        last = not self._buffer and len(self._in_flight) <= 1
        if last or len(self._results) >= self.config.record_batch:
            self._record_now.set()

    async def _write_loop(self) -> None:
        failures = 0
        while True:
            await self._results_ready.wait()
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(self.config.record_interval):
                    await self._record_now.wait()
            self._record_now.clear()
            self._results_ready.clear()
            batch, self._results = self._results, []
            held, self._held = self._held, 0
            if batch:
                self._writing = True
                try:
                    await self.outbox.record(batch)
                except Exception:
                    self._writing = False
                    if not await self._keep_unrecorded(batch, held, failures):
                        return
                    failures += 1
                    continue
                finally:
                    self._writing = False
                failures = 0
                for _ in range(held):
                    self._slots.release()
                # Rows went back to pending, or the engine may have just run dry: let the loop
                # look at the outbox again.
                if self._quiet() or any(r.verdict in _REQUEUED for r in batch):
                    self._wake.set()
            if self._writer_closing and not self._results:
                return

    async def _keep_unrecorded(self, batch: list[Result], held: int, failures: int) -> bool:
        """A write of results failed: keep them, and their send slots, to write again.

        Their rows stay `sending`; while the slots stay taken no more is posted, so no more than
        `max_in_flight` messages are ever unrecorded, however often the disk fails (freeing the
        slots would let every failure add more rows that a restart sends twice). Returns False
        when the engine is stopping: the rows go back to pending at the next start.
        """
        if self._writer_closing:
            log.exception(
                "outbox: %d results could not be recorded while stopping; their rows are resent"
                " at the next start",
                len(batch),
            )
            for _ in range(held):
                self._slots.release()
            return False
        delay = min(self.config.record_retry * 2**failures, self.config.db_retry_cap)
        if failures == 0:
            log.exception(
                "outbox: %d results could not be recorded; sending waits, trying again in %.1fs",
                len(batch),
                delay,
            )
        self._results[:0] = batch
        self._held += held
        if self._stopping.is_set():
            # stop() waits for the sends in flight, then closes the writer: try until then.
            await asyncio.sleep(min(delay, 0.2))
        else:
            await self._nap_until_back(delay)
        self._results_ready.set()
        self._record_now.set()
        return True
