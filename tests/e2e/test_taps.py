"""Taps as people make them: twice in a row, on a file, from someone who blocked the bot since.
Every tap is answered exactly once, and none of them is an error in the log."""

from __future__ import annotations

import asyncio
import logging

import pytest

from bot.context import UrgentActionApp
from bot.domain.subscribers import SubscriberStatus
from bot.emulator import CallbackAnswer, RecordedMessage, TelegramEmulator
from bot.logs import pseudonym
from tests.conftest import Chatter, services_of
from tests.e2e.test_journey import open_card, write_appeal
from tests.e2e.test_reminders import not_now_on_an_older_card
from tests.waiting import PATIENCE, handled

SLUG = "kz-zhanbolat-mamay"


def errors(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]


def answers(emulator: TelegramEmulator, message: RecordedMessage) -> int:
    """How many times the bot answered a tap on this message."""
    return sum(
        1
        for event in emulator.events_since(0)
        if event["kind"] == "answer" and event["message_id"] == message.message_id
    )


async def twice(
    emulator: TelegramEmulator, person: Chatter, message: RecordedMessage, data: str
) -> list[CallbackAnswer | None]:
    """Two taps on the same button, the second before the bot has answered the first."""
    emulator.elapse(5)  # the person read what came before
    return list(
        await asyncio.gather(
            emulator.tap(person.id, message, data), emulator.tap(person.id, message, data)
        )
    )


async def test_snooze_tapped_twice_is_answered_twice_without_an_error(
    bot: UrgentActionApp,
    emulator: TelegramEmulator,
    person: Chatter,
    caplog: pytest.LogCaptureFixture,
) -> None:
    card = await open_card(person)
    choice = await not_now_on_an_older_card(person, card)
    first, second = await twice(emulator, person, choice, f"sz:{SLUG}:1d")
    assert first is not None
    assert second is not None
    assert first.text == second.text == "⏰ I'll remind you on 21 May 2022, 09:00."
    await handled(bot, emulator)  # anything the second tap set off has happened
    assert answers(emulator, choice) == 2
    assert errors(caplog) == []


async def test_taps_on_the_email_file_are_answered_once_each_without_an_error(
    bot: UrgentActionApp,
    emulator: TelegramEmulator,
    person: Chatter,
    caplog: pytest.LogCaptureFixture,
) -> None:
    card = await open_card(person)
    personal = await write_appeal(person, card, "Email", "My full name", "Anna Petrova")
    _, (_, draft) = await person.press(personal, "Skip", replies=2)
    assert draft.document is not None
    # "I've sent it" twice at once, then buttons of other messages forged on the file: the
    # checklist's record button and a background page edit the message they are tapped on.
    mark = emulator.last_id(person.chat_id)
    replies = await twice(emulator, person, draft, f"snt:{SLUG}:email:-")
    # Each tap shows the checklist; the first also thanks.
    await emulator.replies(person.chat_id, after=mark, count=3)
    assert sorted(a.text or "" for a in replies if a is not None) == [
        "Already recorded: it counts once.",
        "Recorded. Thank you!",
    ]
    emulator.elapse(5)  # the person reads what came
    mark = emulator.last_id(person.chat_id)
    recorded = await emulator.tap(person.id, draft, f"rec:{SLUG}:post:0", forge=True)
    assert recorded is not None
    assert recorded.text == "Recorded. Thank you!"
    (checklist,) = await emulator.replies(person.chat_id, after=mark)
    assert "President of Kazakhstan: email and post sent" in checklist.text
    emulator.elapse(5)
    mark = emulator.last_id(person.chat_id)
    page = await emulator.tap(person.id, draft, f"bg:{SLUG}:1", forge=True)
    assert page is not None
    (shown,) = await emulator.replies(person.chat_id, after=mark)
    assert shown.text
    await handled(bot, emulator)
    assert answers(emulator, draft) == 4
    assert draft.document is not None  # the file is still the file
    assert emulator.messages(person.chat_id)[draft.message_id - 1].edits == 0
    assert errors(caplog) == []


@pytest.mark.refusals_expected  # she blocked the bot: Telegram answers 403
async def test_a_person_who_blocked_the_bot_mid_flow_is_marked_inactive_without_an_error(
    bot: UrgentActionApp,
    emulator: TelegramEmulator,
    person: Chatter,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO, logger="bot.handlers.errors")
    card = await open_card(person)
    emulator.elapse(1.5)
    # The tap reaches the bot; before its reply, the person blocks the bot.
    tap = asyncio.create_task(emulator.tap(person.id, card, f"ac:{SLUG}"))
    await asyncio.sleep(0)
    await emulator.block_bot(person.id)
    answer = await tap
    assert answer is not None
    services = services_of(bot)

    async def marked() -> None:
        while True:
            subscriber = await services.subscribers.get(person.chat_id)
            assert subscriber is not None
            if subscriber.status == SubscriberStatus.BLOCKED:
                return
            await asyncio.sleep(0.05)

    async def refused() -> None:
        # An error answer changes nothing in the emulator's world, which wakes no waiter.
        while True:
            if emulator.stats.errors[403] >= 1:
                return
            await asyncio.sleep(0.05)

    # Telegram's notice of the block may mark the person before the reply meets the 403.
    await asyncio.wait_for(marked(), PATIENCE)
    await asyncio.wait_for(refused(), PATIENCE)
    # The tap's handler logs the refusal in its error handler, after the 403.
    await handled(bot, emulator)
    assert errors(caplog) == []
    (line,) = [
        r.getMessage()
        for r in caplog.records
        if r.name == "bot.handlers.errors" and r.levelno == logging.INFO
    ]
    assert str(person.chat_id) not in line  # a keyed hash stands for the chat in the log
    assert f"chat {pseudonym(person.chat_id)}" in line
    assert "blocked" in line


@pytest.mark.apology_expected  # the handler fails on purpose
async def test_a_tap_whose_handler_fails_after_answering_is_not_answered_again(
    bot: UrgentActionApp,
    emulator: TelegramEmulator,
    person: Chatter,
    caplog: pytest.LogCaptureFixture,
) -> None:
    card = await open_card(person)
    asked = emulator.stats.requests["answerCallbackQuery"]
    emulator.fail_next("sendMessage", chat_id=person.chat_id)  # the checklist does not go
    mark = emulator.last_id(person.chat_id)
    answer, _ = await person.press(card, "I've acted")
    assert answer is None  # the handler's own answer, before it failed
    (apology,) = await emulator.replies(person.chat_id, after=mark)
    assert "something went wrong" in apology.text
    await handled(bot, emulator)  # the error handler has finished: no answer after the apology
    assert emulator.stats.requests["answerCallbackQuery"] == asked + 1
    assert answers(emulator, card) == 1
    assert [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING] == []
