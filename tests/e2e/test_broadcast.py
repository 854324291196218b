"""Broadcasts end to end: an organizer composes (or forwards) a message, picks an audience, sees
its size and a preview, sends it now or later, follows it in one status message, cancels it; the
people reached, and only they, get it once with an unsubscribe button. Across a restart too."""

from __future__ import annotations

import asyncio
import dataclasses
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta

import pytest

from bot.app import build_application, running
from bot.config import Settings
from bot.context import UrgentActionApp
from bot.db.broadcasts import BroadcastRepository
from bot.db.drafts import MAX_AGE
from bot.db.outbox import OutboxRepository
from bot.delivery.messages import OutboundMessage, Status
from bot.domain.cases import CaseStatus
from bot.domain.subscribers import ChatType, SubscriberStatus
from bot.emulator import RecordedMessage, TelegramEmulator
from tests.conftest import ORGANIZER_ID, Chatter, MovableClock, running_bot, services_of
from tests.waiting import eventually

SLUG = "kz-zhanbolat-mamay"
NEWS = '<b>Hearing moved</b> to 3 June: <a href="https://amnesty.org/kz">read more</a>'
NEWS_TEXT = "Hearing moved to 3 June: read more"
FINISHED = "— finished"
CANCELLED = "— cancelled"
NO_BUTTON = "This button no longer works. Send /start to see the open cases."
NO_DRAFT = "This broadcast draft is gone. Send /broadcast to start again."


def organizer(emulator: TelegramEmulator) -> Chatter:
    olga = emulator.create_person("Olga", user_id=ORGANIZER_ID)
    return Chatter(emulator, olga, olga.id)


async def subscribed(emulator: TelegramEmulator, name: str, language: str = "en") -> Chatter:
    """A person who sent /start while the seed case is open: the welcome and the case's card."""
    someone = emulator.create_person(name, language_code=language)
    chatter = Chatter(emulator, someone, someone.id)
    await chatter.say("/start", replies=2)
    return chatter


async def audience_of(
    app: UrgentActionApp, emulator: TelegramEmulator, count: int, *, name: str = "Reader"
) -> list[int]:
    """`count` people who started the bot long ago: subscribers already (a large audience)."""
    services = services_of(app)
    people = emulator.create_people(count, first_name=name)
    for someone in people:
        await services.subscribers.subscribe(someone.id, ChatType.PRIVATE, "en", services.clock())
    return [someone.id for someone in people]


async def compose(olga: Chatter, source: str) -> RecordedMessage:
    """/broadcast, then the message formatted in the client; return the audience question."""
    (prompt,) = await olga.say("/broadcast")
    assert "New broadcast" in prompt.text
    olga.emulator.elapse(1.5)
    mark = olga.emulator.last_id(olga.chat_id)
    await olga.emulator.send_formatted(olga.id, source)
    (question,) = await olga.emulator.replies(olga.chat_id, after=mark)
    assert "Who should receive it?" in question.text
    return question


async def choose(
    olga: Chatter, question: RecordedMessage, audience: str
) -> tuple[RecordedMessage, RecordedMessage]:
    """Pick the audience; return the preview and the confirmation with its size."""
    _, (preview, confirm) = await olga.press(question, audience, replies=2)
    return preview, confirm


async def send(olga: Chatter, confirm: RecordedMessage, when: str = "Send now") -> RecordedMessage:
    """Confirm; return the status message."""
    _, (status,) = await olga.press(confirm, when, replies=1)
    assert "Broadcast #" in status.text
    return status


async def broadcast(olga: Chatter, source: str, audience: str) -> RecordedMessage:
    """The whole flow, sent now; return the status message once it reports the end."""
    _, confirm = await choose(olga, await compose(olga, source), audience)
    status = await send(olga, confirm)
    await finished(olga.emulator, status)
    return status


async def finished(
    emulator: TelegramEmulator, status: RecordedMessage, timeout: float = 20
) -> str:
    """The status message's final report, once it has one."""
    await emulator.wait_for(lambda: ended(status.text), timeout)
    return status.text


def ended(report: str) -> bool:
    """Whether a status message is the final report."""
    return FINISHED in report or CANCELLED in report


def received(
    emulator: TelegramEmulator, chat_id: int, text: str = NEWS_TEXT
) -> list[RecordedMessage]:
    """The messages with `text` the bot sent this chat."""
    return [m for m in emulator.bot_messages(chat_id) if text in m.text]


def numbers(report: str) -> dict[str, int]:
    """The counts in a status message: sent, blocked, failed, left, cancelled."""
    return {key: int(value) for key, value in re.findall(r"(\w+): (\d+)", report.lower())}


async def settled(app: UrgentActionApp) -> None:
    """What the next seconds would bring, now: the engine sends every row that is due (those
    due later stay pending), and every broadcast's status message is refreshed (its job runs
    instead of being waited for)."""
    services = services_of(app)
    outbox = OutboxRepository(services.db)

    async def nothing_due() -> bool:
        services.wake_delivery()
        due = await outbox.next_due()
        counts = await outbox.counts()
        return Status.SENDING not in counts and (due is None or due > services.clock())

    await eventually(nothing_due, timeout=20)
    assert app.job_queue is not None
    for job in app.job_queue.jobs():
        if job.name is not None and job.name.startswith("broadcast-progress-"):
            await job.run(app)


async def status_of(app: UrgentActionApp, chat_id: int) -> SubscriberStatus | None:
    subscriber = await services_of(app).subscribers.get(chat_id)
    return subscriber.status if subscriber else None


async def test_a_formatted_broadcast_reaches_every_active_subscriber_once_as_previewed(
    bot: UrgentActionApp, emulator: TelegramEmulator
) -> None:
    people = [await subscribed(emulator, name) for name in ("Anna", "Chen", "Dana")]
    boris = await subscribed(emulator, "Boris", "ru")
    stopped = await subscribed(emulator, "Stas")
    await stopped.say("/stop")
    blocker = await subscribed(emulator, "Bella")
    await emulator.block_bot(blocker.id)
    await eventually(
        lambda: _is(bot, blocker.chat_id, SubscriberStatus.BLOCKED),
    )
    olga = organizer(emulator)

    question = await compose(olga, NEWS)
    preview, confirm = await choose(olga, question, "Everyone subscribed")
    assert "It goes to <b>4</b> chats" in (confirm.html or "")
    assert preview.text == NEWS_TEXT
    assert {"type": "bold", "offset": 0, "length": 13} in preview.entities
    # A double tap on "Send now" (taps are handled concurrently) sends it once.
    mark = emulator.last_id(olga.chat_id)
    emulator.elapse(1.5)
    data = str(confirm.button("Send now")["callback_data"])
    await asyncio.gather(*(emulator.tap(olga.id, confirm, data) for _ in range(2)))
    (status,) = await emulator.replies(olga.chat_id, after=mark)
    report = await finished(emulator, status)

    for chatter in people:
        (got,) = received(emulator, chatter.chat_id)
        # Exactly what the preview showed: the same text, formatting and button.
        assert (got.text, got.entities) == (preview.text, preview.entities)
        assert got.reply_markup == preview.reply_markup
        assert [b.text for row in got.keyboard for b in row] == ["🔕 Unsubscribe"]
    # Boris reads the same message, with the button in his language.
    (got,) = received(emulator, boris.chat_id)
    assert (got.text, got.entities) == (preview.text, preview.entities)
    assert {"type": "text_link", "offset": 25, "length": 9, "url": "https://amnesty.org/kz"} in (
        got.entities
    )
    assert [b.text for row in got.keyboard for b in row] == ["🔕 Отписаться"]
    assert emulator.bot_messages(olga.chat_id, after=status.message_id) == []
    assert not received(emulator, stopped.chat_id)
    assert not received(emulator, blocker.chat_id)
    assert numbers(report) == {"sent": 4, "blocked": 0, "failed": 0, "left": 0}
    assert status.keyboard == []  # nothing left to cancel


async def _is(app: UrgentActionApp, chat_id: int, status: SubscriberStatus) -> bool:
    return await status_of(app, chat_id) is status


async def test_each_audience_reaches_exactly_its_people(
    bot: UrgentActionApp, emulator: TelegramEmulator
) -> None:
    services = services_of(bot)
    case = await services.cases.get(SLUG)
    assert case is not None
    # Zoe subscribed while no case was open: the case never reached her.
    await services.cases.save(dataclasses.replace(case, status=CaseStatus.DRAFT), services.clock())
    zoe = emulator.create_person("Zoe")
    await Chatter(emulator, zoe, zoe.id).say("/start")
    await services.cases.save(
        dataclasses.replace(case, status=CaseStatus.ACTIVE), services.clock()
    )
    anna = await subscribed(emulator, "Anna")
    boris = await subscribed(emulator, "Boris", "ru")
    chen = await subscribed(emulator, "Chen")
    # Anna acts, through the card's buttons.
    card = emulator.bot_messages(anna.chat_id)[-1]
    _, (checklist,) = await anna.press(card, "I've acted", replies=1)
    await anna.press(checklist, "President of Kazakhstan · email", replies=1)
    # Chen plans to write tomorrow.
    await chen.press(emulator.bot_messages(chen.chat_id)[-1], "📅 Tomorrow")
    olga = organizer(emulator)

    expected = {
        "Received:": {anna.chat_id, boris.chat_id, chen.chat_id},
        "…who acted": {anna.chat_id},
        "…who have not acted": {boris.chat_id, chen.chat_id},
        "…who acted or planned to": {anna.chat_id, chen.chat_id},
        "Language: Russian": {boris.chat_id},
    }
    everyone = [anna, boris, chen, Chatter(emulator, zoe, zoe.id)]
    for number, (audience, reached) in enumerate(expected.items(), start=1):
        news = f"Update {number} for this audience"
        _, confirm = await choose(olga, await compose(olga, news), audience)
        size = len(reached)
        assert f"It goes to <b>{size}</b> {'chat' if size == 1 else 'chats'}" in (
            confirm.html or ""
        )
        status = await send(olga, confirm)
        assert numbers(await finished(emulator, status))["sent"] == size
        got = {c.chat_id for c in everyone if received(emulator, c.chat_id, news)}
        assert got == reached, audience
        assert all(len(received(emulator, c.chat_id, news)) <= 1 for c in everyone)


async def test_a_forwarded_message_is_broadcast_with_its_formatting(
    bot: UrgentActionApp, emulator: TelegramEmulator
) -> None:
    anna = await subscribed(emulator, "Anna")
    olga = organizer(emulator)
    dana = emulator.create_person("Dana")
    team = await emulator.create_group("Campaign team", members=[olga.id, dana.id])
    original = await emulator.send_formatted(dana.id, NEWS, chat_id=team.id)

    photo = await emulator.send_photo(
        dana.id, b"\xff\xd8 poster", caption="Poster", chat_id=team.id
    )

    (prompt,) = await olga.say("/broadcast")
    assert "forward a text message" in prompt.text
    # A photo cannot be broadcast: the organizer is told so, and the draft still waits.
    emulator.elapse(1.5)
    mark = emulator.last_id(olga.chat_id)
    await emulator.forward(olga.id, photo)
    (refused,) = await emulator.replies(olga.chat_id, after=mark)
    assert "text only" in refused.text
    emulator.elapse(1.5)
    mark = emulator.last_id(olga.chat_id)
    await emulator.forward(olga.id, original)
    (question,) = await emulator.replies(olga.chat_id, after=mark)
    preview, confirm = await choose(olga, question, "Everyone subscribed")
    assert preview.text == NEWS_TEXT
    status = await send(olga, confirm)
    await finished(emulator, status)
    (got,) = received(emulator, anna.chat_id)
    assert got.entities == original.entities
    assert got.button("Unsubscribe")
    assert not received(emulator, team.id)


async def test_a_broadcast_scheduled_in_an_hour_waits_for_its_time_or_its_cancelling(
    bot: UrgentActionApp, emulator: TelegramEmulator, clock: MovableClock
) -> None:
    anna = await subscribed(emulator, "Anna")
    olga = organizer(emulator)
    _, confirm = await choose(olga, await compose(olga, NEWS), "Everyone subscribed")
    status = await send(olga, confirm, "In 1 hour")
    assert "Scheduled for 1 chat, at 2022-05-20 10:00 UTC" in status.text
    _, confirm = await choose(olga, await compose(olga, "Second <b>update</b>"), "Everyone")
    dropped = await send(olga, confirm, "In 1 hour")
    answer, _ = await olga.press(dropped, "Cancel the broadcast")
    assert answer == "Cancelled: 1 message will not be sent."

    await settled(bot)  # the status messages are refreshed; nothing goes early
    assert not received(emulator, anna.chat_id)
    assert "Scheduled for 1 chat, at 2022-05-20 10:00 UTC" in status.text
    assert CANCELLED in dropped.text
    assert numbers(dropped.text) == {
        "sent": 0,
        "blocked": 0,
        "failed": 0,
        "left": 0,
        "cancelled": 1,
    }

    clock.advance(timedelta(minutes=59))
    await settled(bot)  # what the engine's timer would do as time passes
    assert not received(emulator, anna.chat_id)
    clock.advance(timedelta(minutes=1))
    services_of(bot).wake_delivery()
    await emulator.wait_for(lambda: bool(received(emulator, anna.chat_id)))
    assert numbers(await finished(emulator, status))["sent"] == 1
    await settled(bot)
    assert not received(emulator, anna.chat_id, "Second update")
    assert len(received(emulator, anna.chat_id)) == 1


@asynccontextmanager
async def slow_bot(
    settings: Settings, clock: MovableClock, rate: float = 5.0
) -> AsyncIterator[UrgentActionApp]:
    """The bot sending at `rate` messages a second, so a broadcast takes a while."""
    app = build_application(dataclasses.replace(settings, send_rate=rate), clock=clock)
    async with running(app, poll_timeout=timedelta(seconds=1)):
        yield app


def reached(emulator: TelegramEmulator, chats: list[int], text: str = NEWS_TEXT) -> int:
    return sum(len(received(emulator, chat_id, text)) for chat_id in chats)


async def test_cancelling_a_running_broadcast_stops_it_and_the_report_says_so(
    emulator: TelegramEmulator, settings: Settings, clock: MovableClock
) -> None:
    async with slow_bot(settings, clock) as app:
        chats = await audience_of(app, emulator, 40)
        olga = organizer(emulator)
        _, confirm = await choose(olga, await compose(olga, NEWS), "Everyone subscribed")
        assert "It goes to <b>40</b> chats" in (confirm.html or "")
        status = await send(olga, confirm)
        await emulator.wait_for(lambda: reached(emulator, chats) >= 8)
        answer, _ = await olga.press(status, "Cancel the broadcast")
        at_cancel = reached(emulator, chats)
        assert answer is not None
        assert answer.startswith("Cancelled:")
        report = await finished(emulator, status, timeout=10)
        await settled(app)
        total = reached(emulator, chats)
        assert total - at_cancel <= 3  # only what was already on its way
        assert total < 40
        counts = numbers(report)
        assert CANCELLED in report
        assert counts["sent"] == total
        assert counts["left"] == 0
        assert counts["sent"] + counts["cancelled"] == 40
        assert status.keyboard == []


@pytest.mark.refusals_expected  # an account deleted: Telegram answers 403
async def test_one_status_message_follows_the_broadcast_to_a_true_report(
    emulator: TelegramEmulator, settings: Settings, clock: MovableClock
) -> None:
    async with slow_bot(settings, clock) as app:
        chats = await audience_of(app, emulator, 30)
        gone, refused = chats[3], chats[7]
        emulator.deactivate(gone)  # the account was deleted: Telegram answers 403
        emulator.fail_next(
            "sendMessage",
            status=400,
            description="Bad Request: chat not writable",
            chat_id=refused,
        )
        olga = organizer(emulator)
        _, confirm = await choose(olga, await compose(olga, NEWS), "Everyone subscribed")
        status = await send(olga, confirm)
        seen: list[str] = [status.text]

        def watch() -> bool:
            if status.text != seen[-1]:
                seen.append(status.text)
            return ended(status.text)

        await emulator.wait_for(watch, timeout=20)
        after_status = emulator.bot_messages(olga.chat_id, after=status.message_id)
        assert after_status == []  # no new messages: the one message was edited
        assert status.edits == len(seen) - 1
        middle = [numbers(text) for text in seen[1:-1]]
        assert middle, "the status message never showed progress before the end"
        assert all(m["left"] > 0 for m in middle)
        sents = [m["sent"] for m in middle]
        assert sents == sorted(sents)
        assert FINISHED in seen[-1]
        final = numbers(seen[-1])
        delivered = reached(emulator, chats)
        assert final == {"sent": delivered, "blocked": 1, "failed": 1, "left": 0}
        assert delivered == 28
        assert await status_of(app, gone) is SubscriberStatus.BLOCKED


async def test_the_unsubscribe_button_ends_broadcasts_and_alerts_for_that_person(
    bot: UrgentActionApp, emulator: TelegramEmulator
) -> None:
    anna = await subscribed(emulator, "Anna")
    chen = await subscribed(emulator, "Chen")
    olga = organizer(emulator)
    await broadcast(olga, NEWS, "Everyone subscribed")
    (got,) = received(emulator, anna.chat_id)
    _, (bye,) = await anna.press(got, "Unsubscribe", replies=1)
    assert "You will receive no more alerts" in bye.text
    assert bye.button("Undo")

    _, confirm = await choose(olga, await compose(olga, "Second <b>update</b>"), "Everyone")
    assert "It goes to <b>1</b> chat," in (confirm.html or "")
    status = await send(olga, confirm)
    await finished(emulator, status)
    assert received(emulator, chen.chat_id, "Second update")
    assert not received(emulator, anna.chat_id, "Second update")
    # No alerts either: the case's subscribers are now Chen alone.
    _, confirm = await choose(olga, await compose(olga, "Third"), "Received:")
    assert "It goes to <b>1</b> chat," in (confirm.html or "")


async def test_in_a_group_only_an_admin_can_unsubscribe_it_from_a_broadcast(
    bot: UrgentActionApp, emulator: TelegramEmulator
) -> None:
    admin = emulator.create_person("Gala")
    member = emulator.create_person("Mira")
    group = await emulator.create_group("Readers", members=[member.id], admins=[admin.id])
    await emulator.send_command(admin.id, "/start", chat_id=group.id)
    await eventually(lambda: _is(bot, group.id, SubscriberStatus.ACTIVE))
    olga = organizer(emulator)
    await broadcast(olga, NEWS, "Everyone subscribed")
    (got,) = received(emulator, group.id)
    answer = await emulator.press(member.id, got, "Unsubscribe")
    assert answer is not None
    assert "admin" in (answer.text or "")
    assert await status_of(bot, group.id) is SubscriberStatus.ACTIVE
    emulator.elapse(3)
    answer = await emulator.press(admin.id, got, "Unsubscribe")
    assert answer is not None
    await eventually(lambda: _is(bot, group.id, SubscriberStatus.STOPPED))


async def test_only_organizers_can_broadcast_even_with_forged_buttons(
    bot: UrgentActionApp, emulator: TelegramEmulator, clock: MovableClock, person: Chatter
) -> None:
    await person.say("/start", replies=2)
    (reply,) = await person.say("/broadcast")
    assert "/start" in reply.text  # the ordinary help
    assert "broadcast" not in reply.text.lower()
    olga = organizer(emulator)
    _, confirm = await choose(olga, await compose(olga, NEWS), "Everyone subscribed")
    status = await send(olga, confirm, "In 1 hour")
    mark = emulator.last_id(person.chat_id)
    for forged in ("oba:all:", "obs:now", "obs:drop", "oba:lang:en"):
        emulator.elapse(1.5)
        answer = await emulator.tap(person.id, reply, forged, forge=True)
        assert answer is not None
        assert answer.text == NO_BUTTON
    emulator.elapse(1.5)
    answer = await emulator.tap(person.id, reply, "obx:1", forge=True)
    assert answer is not None
    assert answer.text == NO_BUTTON
    await settled(bot)  # a status refresh: still scheduled, not cancelled
    assert "Scheduled for 1 chat" in status.text
    assert emulator.bot_messages(person.chat_id, after=mark) == []
    clock.advance(timedelta(hours=1))
    services_of(bot).wake_delivery()
    await emulator.wait_for(lambda: bool(received(emulator, person.chat_id)))
    await finished(emulator, status)
    assert len(received(emulator, person.chat_id)) == 1


async def test_broadcasts_survive_a_restart_without_duplicates_and_keep_reporting(
    emulator: TelegramEmulator, settings: Settings, clock: MovableClock
) -> None:
    olga = organizer(emulator)
    async with slow_bot(settings, clock) as first:
        chats = await audience_of(first, emulator, 30)
        _, confirm = await choose(olga, await compose(olga, "Later <b>news</b>"), "Everyone")
        scheduled = await send(olga, confirm, "In 1 hour")
        _, confirm = await choose(olga, await compose(olga, NEWS), "Everyone subscribed")
        running_status = await send(olga, confirm)
        await emulator.wait_for(lambda: reached(emulator, chats) >= 8)
    # The bot is down half-way.
    at_stop = reached(emulator, chats)
    edits_at_stop = running_status.edits
    assert at_stop < 30
    await asyncio.sleep(1)
    assert reached(emulator, chats) == at_stop

    # Back up at the default rate: what is left, and the scheduled one, go at full speed.
    async with slow_bot(settings, clock, rate=25.0) as second:
        report = await finished(emulator, running_status, timeout=20)
        assert running_status.edits > edits_at_stop
        assert all(len(received(emulator, chat_id)) >= 1 for chat_id in chats)
        duplicates = reached(emulator, chats) - 30
        assert duplicates <= 2  # at most what was in flight when the bot stopped
        assert numbers(report)["sent"] == 30
        assert not reached(emulator, chats, "Later news")

        clock.advance(timedelta(hours=1))
        services_of(second).wake_delivery()
        await finished(emulator, scheduled, timeout=20)
        assert all(len(received(emulator, chat_id, "Later news")) == 1 for chat_id in chats)
        assert numbers(scheduled.text)["sent"] == 30


async def test_a_broadcast_being_written_survives_restarts_and_reaches_the_audience_chosen(
    emulator: TelegramEmulator, settings: Settings, clock: MovableClock
) -> None:
    olga = organizer(emulator)
    async with running_bot(settings, clock):
        anna = await subscribed(emulator, "Anna")
        boris = await subscribed(emulator, "Boris", "ru")
        question = await compose(olga, NEWS)
    # The bot restarts after the message is written, before its audience is chosen...
    async with running_bot(settings, clock):
        preview, confirm = await choose(olga, question, "Language: Russian")
        assert preview.text == NEWS_TEXT
        assert "It goes to <b>1</b> chat," in (confirm.html or "")
    # ...and again before it is sent.
    async with running_bot(settings, clock):
        send_now = str(confirm.button("Send now")["callback_data"])
        status = await send(olga, confirm)
        assert numbers(await finished(emulator, status)) == {
            "sent": 1,
            "blocked": 0,
            "failed": 0,
            "left": 0,
        }
        # Sent, the preview's buttons are gone; a tap on one from before (another of her
        # devices had not yet seen the change) sends nothing more.
        assert confirm.keyboard == []
        emulator.elapse(1.5)
        answer = await emulator.tap(olga.id, confirm, send_now, forge=True)
        assert answer is not None and answer.text == NO_DRAFT
    (got,) = received(emulator, boris.chat_id)
    assert (got.text, got.entities) == (preview.text, preview.entities)
    assert not received(emulator, anna.chat_id)
    assert received(emulator, olga.chat_id) == [preview]  # she is no subscriber


async def test_a_draft_left_for_longer_than_a_week_is_gone(
    bot: UrgentActionApp, emulator: TelegramEmulator, clock: MovableClock
) -> None:
    anna = await subscribed(emulator, "Anna")
    olga = organizer(emulator)
    question = await compose(olga, NEWS)
    _, confirm = await choose(olga, question, "Everyone subscribed")
    clock.advance(MAX_AGE + timedelta(minutes=1))
    answer, _ = await olga.press(confirm, "Send now")
    assert answer == NO_DRAFT
    answer, _ = await olga.press(question, "Everyone subscribed")
    assert answer == NO_DRAFT
    # Text typed now is not taken for the old broadcast.
    (reply,) = await olga.say("Hello")
    assert "Who should receive it?" not in reply.text
    await settled(bot)
    assert not received(emulator, anna.chat_id)


async def test_a_broadcast_whose_queueing_was_cut_short_reaches_everyone_once_after_a_restart(
    emulator: TelegramEmulator, settings: Settings, clock: MovableClock
) -> None:
    async with running_bot(settings, clock) as first:
        chats = await audience_of(first, emulator, 25)
        services = services_of(first)
        broadcasts = BroadcastRepository(services.db)
        broadcast = await broadcasts.create(
            created_by=ORGANIZER_ID,
            text=NEWS,
            audience="all",
            send_at=clock(),
            now=clock(),
        )
        batches = 0

        def machine_goes_down() -> None:
            nonlocal batches
            batches += 1
            services.wake_delivery()
            if batches == 2:
                raise RuntimeError("the machine went down")

        # Queued 10 at a time; the process dies once the second batch is in.
        with pytest.raises(RuntimeError):
            await broadcasts.fill(
                broadcast.id,
                lambda _: OutboundMessage.text(NEWS),
                clock(),
                batch=10,
                wake=machine_goes_down,
            )
        cut = await broadcasts.get(broadcast.id)
        assert cut is not None
        assert cut.recipients == 20
        assert not cut.queued
        await emulator.wait_for(lambda: reached(emulator, chats) >= 20, timeout=20)
    async with running_bot(settings, clock) as second:
        # At start the rest is queued from where it stopped: everyone has it once.
        await emulator.wait_for(lambda: reached(emulator, chats) >= 25, timeout=20)
        finished_broadcast = await BroadcastRepository(services_of(second).db).get(broadcast.id)
        assert finished_broadcast is not None
        assert finished_broadcast.queued
        assert finished_broadcast.recipients == 25
        await services_of(second).delivery.wait_drained(10)  # type: ignore[union-attr]
    assert [len(received(emulator, chat_id)) for chat_id in chats] == [1] * 25
