"""End to end: one chat that floods the bot costs no one else anything (the security review's
H1), against the emulator's real flood limits and its real 429s.

A flooding chat is answered at its own chat's pace: a person a few at once then one a second, a
group 20 a minute; replies booked further ahead are not sent, and no apology goes instead. A
429 for one chat holds that chat alone. Another person's /help meanwhile goes at once: the
tests read the order in which Telegram received the bot's messages and count the pauses, not
the clock. They race a flooder's replies against another person's in real seconds
(`real_pace`): on the emulator's clock, whose waits pass at once, the flooder's paced replies
would all have gone before the other person's message is even read.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pytest

from bot.context import UrgentActionApp
from bot.delivery.limits import SendLimiter
from bot.delivery.replies import ReplyTracker
from bot.emulator import TelegramEmulator
from bot.handlers.errors import TapAnswers
from tests.conftest import Chatter, services_of

pytestmark = pytest.mark.real_pace

HELP = "✊ Urgent Actions"


def tracker_of(app: UrgentActionApp) -> ReplyTracker:
    """The bot's reply pacing."""
    limiter = app.bot.rate_limiter
    assert isinstance(limiter, TapAnswers)
    assert isinstance(limiter.inner, ReplyTracker)
    return limiter.inner


def limiter_of(app: UrgentActionApp) -> SendLimiter:
    """The limits the bot's replies and its delivery engine share."""
    engine = services_of(app).delivery
    assert engine is not None
    return engine.limiter


@contextmanager
def pauses_of(limiter: SendLimiter) -> Iterator[list[float]]:
    """Every pause of all the bot's sends made within the block, in seconds."""
    pauses: list[float] = []
    pause = limiter.pause

    def counted(seconds: float) -> None:
        pauses.append(seconds)
        pause(seconds)

    limiter.pause = counted  # type: ignore[method-assign]
    try:
        yield pauses
    finally:
        limiter.pause = pause  # type: ignore[method-assign]


def bot_messages_in_order(emulator: TelegramEmulator) -> list[int]:
    """The chats of the bot's messages, in the order Telegram accepted them."""
    return [
        event["chat_id"]
        for event in emulator.events
        if event["kind"] == "message" and event["message"].from_bot
    ]


async def until(condition: Callable[[], bool], timeout: float = 10.0) -> None:
    """Wait until `condition()`, which may be about the bot rather than the emulator's world."""
    async with asyncio.timeout(timeout):
        while not condition():  # noqa: ASYNC110 - the bot's state, with no event to await
            await asyncio.sleep(0.01)


async def settled(
    emulator: TelegramEmulator, tracker: ReplyTracker, chat: int, sent: int, before: int = 0
) -> int:
    """Wait until each of `sent` messages to `chat` was answered or dropped; return how many
    replies the chat got (beyond the `before` it had)."""

    def answered() -> int:
        return len(emulator.bot_messages(chat)) - before

    await until(lambda: answered() + tracker.throttled >= sent, timeout=30)
    return answered()


async def test_a_group_flooding_with_help_gets_its_minute_and_bob_is_answered_at_once(
    bot: UrgentActionApp, emulator: TelegramEmulator, person: Chatter
) -> None:
    mallory = emulator.create_person("Mallory", language_code="en")
    group = (await emulator.create_group("Mallory's own", members=[mallory.id])).id
    tracker = tracker_of(bot)
    already = len(emulator.bot_messages(group))
    with pauses_of(limiter_of(bot)) as pauses:
        for _ in range(25):
            await emulator.send_command(mallory.id, "/help", chat_id=group)
        (answer,) = await person.say("/help")
        assert answer.text.startswith(HELP)
        answered = await settled(emulator, tracker, group, 25, already)
    # The group had its 20 messages of the minute; the rest of the flood got no reply.
    assert already + answered == 20
    assert tracker.throttled == 25 - answered
    # Nobody met a 429 (each reply took its own moment of the group's minute), nothing paused.
    assert emulator.stats.too_many_by_scope == {}
    assert pauses == []


async def test_sixty_members_each_sending_settings_cost_bob_nothing(
    bot: UrgentActionApp, emulator: TelegramEmulator, person: Chatter
) -> None:
    members = emulator.create_people(60)
    group = (await emulator.create_group("A busy group", members=[m.id for m in members])).id
    tracker = tracker_of(bot)
    with pauses_of(limiter_of(bot)) as pauses:
        for member in members:
            await emulator.send_command(member.id, "/settings", chat_id=group)
        (answer,) = await person.say("/help")
        assert answer.text.startswith(HELP)
        await settled(emulator, tracker, group, 60)
    in_the_minute = len(emulator.bot_messages(group))
    assert in_the_minute <= 20
    assert tracker.throttled >= 40
    assert emulator.stats.too_many_by_scope == {}
    assert pauses == []


async def test_a_person_flooding_in_private_is_answered_one_a_second_and_bob_goes_first(
    bot: UrgentActionApp, emulator: TelegramEmulator, person: Chatter
) -> None:
    mallory = emulator.create_person("Mallory", language_code="en")
    tracker = tracker_of(bot)
    with pauses_of(limiter_of(bot)) as pauses:
        for _ in range(60):
            await emulator.send_text(mallory.id, "/help")
        (answer,) = await person.say("/help")
        assert answer.text.startswith(HELP)
        answered = await settled(emulator, tracker, mallory.id, 60)
    # A short burst, then one a second for the ten seconds of backlog; the rest is dropped.
    assert 3 < answered <= 13
    assert answered + tracker.throttled == 60
    # Bob's answer was not queued behind Mallory's: only her burst went before it.
    order = bot_messages_in_order(emulator)
    before_bob = order[: order.index(person.chat_id)]
    assert before_bob.count(mallory.id) <= 3
    # Her own chat may meet Telegram's refusal when her burst arrives bunched (on PostgreSQL a
    # reply also waits for the database's word on the shared rate): that holds her chat alone.
    assert set(emulator.stats.too_many_by_scope) <= {"chat"}
    assert pauses == []


async def test_a_429_for_a_group_holds_that_group_and_bob_is_answered_during_it(
    bot: UrgentActionApp, emulator: TelegramEmulator, person: Chatter
) -> None:
    mallory = emulator.create_person("Mallory", language_code="en")
    group = (await emulator.create_group("Mallory's own", members=[mallory.id])).id
    # Telegram refuses the group's next message, as it does a group past its limit.
    emulator.fail_next("sendMessage", status=429, retry_after=3, chat_id=group)
    limiter = limiter_of(bot)
    with pauses_of(limiter) as pauses:
        await emulator.send_command(mallory.id, "/help", chat_id=group)
        await until(lambda: limiter.chat_wait(group) > 0)
        (answer,) = await person.say("/help")
        assert answer.text.startswith(HELP)
        # Bob was answered while the group was still held: its reply had not gone yet.
        assert limiter.chat_wait(group) > 0
        assert not [m for m in emulator.bot_messages(group) if m.text.startswith(HELP)]
        (late,) = await emulator.wait_for_messages(group, 1)
    order = bot_messages_in_order(emulator)
    last_to = {chat: n for n, chat in enumerate(order)}
    assert last_to[person.chat_id] < last_to[group]
    assert late.text.startswith(HELP)
    assert emulator.stats.too_many_by_scope == {"injected": 1}
    assert pauses == []
