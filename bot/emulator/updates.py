"""The bot's updates: a queue confirmed by getUpdates offsets, long polls, webhook delivery."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import aiohttp

from bot.emulator.limits import EmulatorLimits

log = logging.getLogger(__name__)

# Every update type of the Bot API; without allowed_updates the service sends all but these.
UPDATE_TYPES = frozenset(
    {
        "message", "edited_message", "channel_post", "edited_channel_post",
        "business_connection", "business_message", "edited_business_message",
        "deleted_business_messages", "guest_message", "message_reaction",
        "message_reaction_count", "inline_query", "chosen_inline_result", "callback_query",
        "shipping_query", "pre_checkout_query", "purchased_paid_media", "poll", "poll_answer",
        "my_chat_member", "chat_member", "chat_join_request", "chat_boost",
        "removed_chat_boost", "managed_bot",
    }
)  # fmt: skip
LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1"})
DEFAULT_ALLOWED = UPDATE_TYPES - {"chat_member", "message_reaction", "message_reaction_count"}

# Why a long poll ended early.
NEW_UPDATE = "update"
CONFLICT = "conflict"
STOPPING = "stop"
TIMED_OUT = "timeout"


class UpdateQueue:
    """Updates waiting for the bot, oldest first, with the ids the service gives them."""

    def __init__(self, clock: Callable[[], float], ttl: float) -> None:
        self._clock = clock
        self._ttl = ttl
        self._pending: deque[tuple[float, dict[str, Any]]] = deque()
        self._next_id = 1
        self.allowed: frozenset[str] = DEFAULT_ALLOWED
        self._poll: asyncio.Future[str] | None = None
        self._arrived = asyncio.Event()
        self.closed = False

    def __len__(self) -> int:
        return len(self._pending)

    def push(self, kind: str, payload: dict[str, Any]) -> dict[str, Any] | None:
        """Queue an update of `kind`; None when the bot does not take that kind."""
        if kind not in self.allowed:
            return None
        update = {"update_id": self._next_id, kind: payload}
        self._next_id += 1
        self._pending.append((self._clock(), update))
        if self._poll is not None and not self._poll.done():
            self._poll.set_result(NEW_UPDATE)
        self._arrived.set()
        return update

    def allow(self, kinds: list[str]) -> None:
        """Take only these kinds from now on (an empty list: the default set)."""
        self.allowed = frozenset(kinds) & UPDATE_TYPES if kinds else DEFAULT_ALLOWED
        # Queued updates of kinds no longer wanted are never delivered.
        self._pending = deque(
            (stamp, update) for stamp, update in self._pending if _kind(update) in self.allowed
        )

    def confirm(self, offset: int) -> None:
        """Forget updates below `offset`; a negative offset keeps only the last -offset."""
        if offset < 0:
            while len(self._pending) > -offset:
                self._pending.popleft()
            return
        while self._pending and self._pending[0][1]["update_id"] < offset:
            self._pending.popleft()

    def peek(self, limit: int) -> list[dict[str, Any]]:
        """Up to `limit` pending updates, oldest first; expired ones are dropped first."""
        horizon = self._clock() - self._ttl
        while self._pending and self._pending[0][0] < horizon:
            self._pending.popleft()
        return [update for _, update in list(self._pending)[:limit]]

    def pending(self) -> list[dict[str, Any]]:
        """Every pending update, oldest first."""
        return [update for _, update in self._pending]

    def pop_first(self) -> None:
        """Forget the oldest update (the webhook took it)."""
        if self._pending:
            self._pending.popleft()

    def clear(self) -> None:
        """Drop every pending update (drop_pending_updates)."""
        self._pending.clear()

    async def wait(self, timeout: float) -> str:
        """Wait for an update; say why the wait ended: update, conflict, stop or timeout."""
        if self._poll is not None and not self._poll.done():
            # The service ends the older poll when a newer one comes.
            self._poll.set_result(CONFLICT)
        poll: asyncio.Future[str] = asyncio.get_running_loop().create_future()
        self._poll = poll
        if self.closed:
            poll.set_result(STOPPING)
        try:
            async with asyncio.timeout(timeout):
                return await poll
        except TimeoutError:
            return TIMED_OUT
        finally:
            if self._poll is poll:
                self._poll = None

    def end_poll(self, reason: str) -> None:
        """End a waiting long poll early (a newer poll, or the emulator stopping)."""
        if self._poll is not None and not self._poll.done():
            self._poll.set_result(reason)

    async def arrival(self) -> None:
        """Wait until an update is queued (for the webhook sender)."""
        self._arrived.clear()
        if not self._pending and not self.closed:
            await self._arrived.wait()

    def close(self) -> None:
        """Release every waiter: the emulator stops."""
        self.closed = True
        self.end_poll(STOPPING)
        self._arrived.set()


def _on_this_machine(url: str) -> bool:
    return urlsplit(url).hostname in LOOPBACK


def _kind(update: dict[str, Any]) -> str:
    return next(key for key in update if key != "update_id")


@dataclass
class WebhookState:
    """The webhook as getWebhookInfo reports it."""

    url: str
    secret: str | None
    max_connections: int = 40
    last_error_date: int | None = None
    last_error_message: str | None = None
    delivered: int = 0


class WebhookSender:
    """POSTs each update to the webhook, one at a time, retrying until it is accepted."""

    def __init__(
        self,
        queue: UpdateQueue,
        limits: EmulatorLimits,
        wall_clock: Callable[[], float],
    ) -> None:
        self._queue = queue
        self._limits = limits
        self._wall_clock = wall_clock
        self.state: WebhookState | None = None
        self._task: asyncio.Task[None] | None = None

    def start(self, state: WebhookState) -> None:
        """Deliver to this webhook from now on.

        Only a webhook on this machine gets updates: the emulator never reaches out to a
        network. For any other URL the updates wait in the queue, where a test can take them.
        """
        self.state = state
        if not _on_this_machine(state.url):
            state.last_error_message = "The emulator delivers only to 127.0.0.1 or localhost"
            return
        if self._task is None or self._task.done():
            self._task = asyncio.get_running_loop().create_task(self._run())

    async def stop(self) -> None:
        """Stop delivering (deleteWebhook, or the emulator stopping)."""
        self.state = None
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    async def _run(self) -> None:
        timeout = aiohttp.ClientTimeout(total=self._limits.webhook_timeout)
        async with aiohttp.ClientSession(timeout=timeout) as session:
            delay = self._limits.webhook_retry_delay
            while self.state is not None and not self._queue.closed:
                pending = self._queue.peek(1)
                if not pending:
                    await self._queue.arrival()
                    continue
                if await self._post(session, self.state, pending[0]):
                    self._queue.pop_first()
                    self.state.delivered += 1
                    delay = self._limits.webhook_retry_delay
                else:
                    await asyncio.sleep(delay)
                    delay = min(delay * 2, self._limits.webhook_retry_max_delay)

    async def _post(
        self, session: aiohttp.ClientSession, state: WebhookState, update: dict[str, Any]
    ) -> bool:
        headers = {"Content-Type": "application/json"}
        if state.secret:
            headers["X-Telegram-Bot-Api-Secret-Token"] = state.secret
        try:
            async with session.post(state.url, data=json.dumps(update), headers=headers) as reply:
                await reply.read()
                if 200 <= reply.status < 300:
                    return True
                problem = f"Wrong response from the webhook: {reply.status} {reply.reason}"
        except TimeoutError:
            problem = "Timeout expired"
        except aiohttp.ClientError as error:
            problem = f"Connection failed: {type(error).__name__}"
        state.last_error_date = int(self._wall_clock())
        state.last_error_message = problem
        log.debug("webhook delivery failed: %s", problem)
        return False
