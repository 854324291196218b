"""Several bot processes over one database, as behind a load balancer: the next update of a
person lands on any of them, and Telegram may post one update twice (to the same process or
to two). Nothing a person does is lost or done twice.

Two real Applications run over one database in this test's process; a balancer takes the
emulator's updates and hands each to one of them, in turn, or to both at once.
"""

from __future__ import annotations

import asyncio
import dataclasses
import itertools
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import timedelta
from typing import Any

from telegram import Update

from bot.app import build_application
from bot.config import Secret, Settings
from bot.context import UrgentActionApp
from bot.db.broadcasts import BroadcastRepository
from bot.db.connection import Database
from bot.db.subscribers import SubscriberRepository
from bot.domain.subscribers import ChatType
from bot.emulator import TelegramEmulator
from bot.handlers import broadcast
from tests.conftest import Chatter, MovableClock, services_of
from tests.e2e.test_broadcast import (
    NEWS,
    NEWS_TEXT,
    choose,
    compose,
    finished,
    organizer,
    received,
    subscribed,
)
from tests.e2e.test_journey import open_card, write_appeal

Route = Callable[[dict[str, Any]], list[UrgentActionApp]]


class Balancer:
    """Takes the updates Telegram holds for the bot and hands each to the processes `route`
    picks, as a load balancer in front of webhook processes would."""

    def __init__(self, emulator: TelegramEmulator, apps: list[UrgentActionApp]) -> None:
        self.emulator = emulator
        self.apps = apps
        turns = itertools.cycle(apps)
        self.route: Route = lambda _update: [next(turns)]
        self.handled: dict[int, list[int]] = {}  # update id -> the processes (0, 1) it reached
        self._tasks: set[asyncio.Task[None]] = set()
        self._runner: asyncio.Task[None] | None = None

    def in_turn(self) -> None:
        """Each update to the next process, A, B, A, ..."""
        turns = itertools.cycle(self.apps)
        self.route = lambda _update: [next(turns)]

    def to_all(self) -> None:
        """Each update to every process at once (Telegram posting it again)."""
        self.route = lambda _update: list(self.apps)

    async def _run(self) -> None:
        queue = self.emulator.bot.updates
        while True:
            pending = self.emulator.updates
            if not pending:
                await asyncio.sleep(0.005)
                continue
            queue.confirm(int(pending[-1]["update_id"]) + 1)
            for data in pending:
                for app in self.route(data):
                    self.handled.setdefault(int(data["update_id"]), []).append(
                        self.apps.index(app)
                    )
                    task = asyncio.create_task(app.process_update(Update.de_json(data, app.bot)))
                    self._tasks.add(task)
                    task.add_done_callback(self._tasks.discard)

    async def idle(self) -> None:
        """Wait until every update handed out so far is handled."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks))

    @asynccontextmanager
    async def running(self) -> AsyncIterator[Balancer]:
        self._runner = asyncio.create_task(self._run())
        try:
            yield self
        finally:
            self._runner.cancel()
            await asyncio.gather(self._runner, return_exceptions=True)
            await self.idle()


@asynccontextmanager
async def process(settings: Settings, clock: MovableClock) -> AsyncIterator[UrgentActionApp]:
    """One bot process in webhook mode (no polling: the balancer hands it its updates)."""
    app = build_application(settings, clock=clock)
    await app.initialize()
    try:
        assert app.post_init is not None
        await app.post_init(app)
        await app.start()
        try:
            yield app
        finally:
            await app.stop()
    finally:
        if app.post_shutdown is not None:
            await app.post_shutdown(app)
        await app.shutdown()


@asynccontextmanager
async def two_processes(
    settings: Settings, clock: MovableClock, emulator: TelegramEmulator
) -> AsyncIterator[tuple[Balancer, UrgentActionApp, UrgentActionApp]]:
    webhook = dataclasses.replace(
        settings,
        webhook_url="https://bot.example.org/telegram",
        webhook_secret=Secret("the-webhook-secret_1"),
    )
    async with process(webhook, clock) as a, process(webhook, clock) as b:
        balancer = Balancer(emulator, [a, b])
        async with balancer.running():
            yield balancer, a, b


async def test_a_signature_typed_on_one_process_is_taken_by_the_other(
    settings: Settings, clock: MovableClock, emulator: TelegramEmulator, person: Chatter
) -> None:
    async with two_processes(settings, clock, emulator) as (balancer, _, _):
        card = await open_card(person)
        personal = await write_appeal(person, card, "Email", "My full name", "Anna Petrova")
        _, (_, letter) = await person.press(personal, "Skip", replies=2)
        await balancer.idle()
    # Every step went to the process the step before did not go to.
    assert sorted({apps[0] for apps in balancer.handled.values()}) == [0, 1]
    assert "Anna Petrova" in (letter.text or "") or letter.document is not None


async def test_a_place_typed_on_one_process_sets_the_zone_opened_on_the_other(
    settings: Settings, clock: MovableClock, emulator: TelegramEmulator, person: Chatter
) -> None:
    async with two_processes(settings, clock, emulator) as (balancer, a, _):
        await open_card(person)
        (screen,) = await person.say("/settings")
        await person.press(screen, "Time zone")
        await balancer.idle()  # the screen is shown, and waits: the person types
        (confirmed,) = await person.say("Berlin")
        await balancer.idle()
        subscriber = await services_of(a).subscribers.get(person.id)
    assert "Berlin" in confirmed.text
    assert subscriber is not None and subscriber.timezone == "Europe/Berlin"


async def test_an_update_posted_to_both_processes_is_handled_once(
    settings: Settings, clock: MovableClock, emulator: TelegramEmulator, person: Chatter
) -> None:
    async with two_processes(settings, clock, emulator) as (balancer, a, _):
        balancer.to_all()
        welcome, _card = await person.say("/start", replies=2)
        await balancer.idle()
        assert len(emulator.bot_messages(person.id)) == 2
        (goodbye,) = await person.say("/stop")
        await balancer.idle()
        assert len(emulator.bot_messages(person.id)) == 3
        subscriber = await services_of(a).subscribers.get(person.id)
    assert all(len(apps) == 2 for apps in balancer.handled.values())
    assert "Welcome" in welcome.text
    assert subscriber is not None and not subscriber.is_active
    assert goodbye.text


async def test_send_now_posted_to_both_processes_sends_the_broadcast_once(
    settings: Settings, clock: MovableClock, emulator: TelegramEmulator
) -> None:
    async with two_processes(settings, clock, emulator) as (balancer, a, _):
        readers = [await subscribed(emulator, name) for name in ("Anna", "Boris", "Chen")]
        olga = organizer(emulator)
        _, confirm = await choose(olga, await compose(olga, NEWS), "Everyone")
        balancer.to_all()
        _, (status,) = await olga.press(confirm, "Send now", replies=1)
        await finished(emulator, status)
        await balancer.idle()
        unfinished = await BroadcastRepository(services_of(a).db).unfinished()
    assert unfinished == []  # the one broadcast is done
    assert [len(received(emulator, r.id, NEWS_TEXT)) for r in readers] == [1, 1, 1]
    assert sum("Broadcast #" in m.text for m in emulator.bot_messages(olga.id)) == 1


async def test_send_now_whose_tap_cannot_be_answered_is_sent_all_the_same(
    settings: Settings, clock: MovableClock, emulator: TelegramEmulator
) -> None:
    async with two_processes(settings, clock, emulator) as (balancer, _, _):
        readers = [await subscribed(emulator, name) for name in ("Anna", "Boris")]
        olga = organizer(emulator)
        _, confirm = await choose(olga, await compose(olga, NEWS), "Everyone")
        emulator.fail_next(
            "answerCallbackQuery",
            status=400,
            description="Bad Request: query is too old and response timeout expired or query"
            " id is invalid",
        )
        mark = emulator.last_id(olga.id)
        await emulator.press(olga.id, confirm, "Send now", timeout=1.0)
        (status,) = await emulator.replies(olga.id, after=mark, count=1)
        report = await finished(emulator, status)
        await balancer.idle()
    assert "Broadcast #" in report
    assert [len(received(emulator, r.id, NEWS_TEXT)) for r in readers] == [1, 1]


async def test_a_broadcast_saved_by_a_process_that_stopped_is_finished_by_another(
    settings: Settings, clock: MovableClock, emulator: TelegramEmulator
) -> None:
    async with two_processes(settings, clock, emulator) as (balancer, _, b):
        readers = [await subscribed(emulator, name) for name in ("Anna", "Boris")]
        olga = organizer(emulator)
        await olga.say("/start", replies=2)
        services = services_of(b)
        # What a process that stopped between saving and queueing leaves behind.
        saved = await BroadcastRepository(services.db).create(
            created_by=olga.id,
            text=NEWS,
            audience="all",
            send_at=clock(),
            now=clock(),
        )
        assert b.job_queue is not None
        (job,) = b.job_queue.get_jobs_by_name(broadcast.STRANDED_JOB)
        mark = emulator.last_id(olga.id)
        await job.run(b)  # too recent: its process may still be at it
        assert emulator.last_id(olga.id) == mark
        clock.advance(broadcast.STRANDED_AFTER + timedelta(seconds=1))
        await job.run(b)

        def statuses() -> list[Any]:
            return [m for m in emulator.bot_messages(olga.id, mark) if "Broadcast #" in m.text]

        await emulator.wait_for(lambda: bool(statuses()))
        (status,) = statuses()
        report = await finished(emulator, status)
        await balancer.idle()
    assert f"Broadcast #{saved.id}" in report
    assert [len(received(emulator, r.id, NEWS_TEXT)) for r in readers] == [1, 1]


async def test_two_processes_subscribing_one_chat_at_once_make_one_subscriber(
    database: Any, clock: MovableClock
) -> None:
    first, second = await Database.open(database), await Database.open(database)
    try:
        from bot.db.migrations import migrate  # noqa: PLC0415

        await migrate(first)
        await second.schema_changed()
        both = await asyncio.gather(
            *(
                SubscriberRepository(db).subscribe(424242, ChatType.PRIVATE, "en", clock())
                for db in (first, second)
            )
        )
    finally:
        await first.close()
        await second.close()
    assert both[0][0].id == both[1][0].id
