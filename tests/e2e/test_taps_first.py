"""End to end: a tap is answered before anything else is sent, not behind the send queue
(issue 22.11). Three hundred people write at once, so every reply waits its turn at Telegram's
limit and every handler of theirs holds its place meanwhile; Bob's tap then comes. Its answer
must not wait for their replies: the test counts the bot's messages Telegram received between
the tap and its answer, not the time. The crowd's replies go at Telegram's pace in real seconds
(`real_pace`): on the emulator's quick clock they would be gone before the tap is read.
"""

from __future__ import annotations

import pytest

from bot.context import UrgentActionApp
from bot.emulator import TelegramEmulator
from tests.conftest import Chatter

CROWD = 400  # far more than the 256 updates PTB handles at once
ALLOWANCE = 256

pytestmark = pytest.mark.real_pace


async def test_a_tap_is_answered_before_the_replies_queued_ahead_of_it(
    bot: UrgentActionApp, emulator: TelegramEmulator, person: Chatter
) -> None:
    _, card = await person.say("/start", replies=2)
    crowd = emulator.create_people(CROWD)
    for someone in crowd:
        await emulator.send_text(someone.id, "/help")
    # The crowd's replies are under way, most of them still queued.
    await emulator.wait_for(lambda: emulator.stats.delivered >= 10)
    mark = emulator.last_event
    before = emulator.stats.delivered
    emulator.elapse(1.5)
    answer = await emulator.press(person.id, card, "Background", timeout=30)
    assert answer is not None
    events = [e for e in emulator.events if e["id"] > mark]
    tapped = next(n for n, e in enumerate(events) if e["kind"] == "tap")
    answered = next(n for n, e in enumerate(events) if e["kind"] == "answer")
    sent_between = [
        e for e in events[tapped:answered] if e["kind"] == "message" and e["message"].from_bot
    ]
    # Behind one allowance for all updates, the tap would start only once CROWD - ALLOWANCE of
    # the crowd's handlers had sent their replies: every one of those queued ahead would come
    # first. Only the sends made while the tap's own handler ran (its reads of the database,
    # seconds on a machine loaded several times over) may come first.
    queued_ahead = CROWD - ALLOWANCE - before
    assert queued_ahead > 100
    assert len(sent_between) < queued_ahead * 3 / 4
    replied = sum(1 for someone in crowd if emulator.bot_messages(someone.id))
    assert replied < CROWD  # the crowd's queue was still there when the tap was answered
    await emulator.wait_for(
        lambda: all(emulator.bot_messages(someone.id) for someone in crowd), timeout=60
    )
