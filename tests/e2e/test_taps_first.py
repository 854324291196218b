"""End to end: a tap is answered before anything else is sent, not behind the send queue
(issue 22.11). Three hundred people write at once, so every reply waits its turn at Telegram's
limit and every handler of theirs holds its place meanwhile; Bob's tap then comes. Its answer
must not wait for their replies: the test counts the bot's messages Telegram received between
the tap and its answer, not the time.
"""

from __future__ import annotations

from bot.context import UrgentActionApp
from bot.emulator import TelegramEmulator
from tests.conftest import Chatter

CROWD = 300  # more than the 256 updates handled at once


async def test_a_tap_is_answered_before_the_replies_queued_ahead_of_it(
    bot: UrgentActionApp, emulator: TelegramEmulator, person: Chatter
) -> None:
    _, card = await person.say("/start", replies=2)
    crowd = emulator.create_people(CROWD)
    for someone in crowd:
        await emulator.send_text(someone.id, "/help")
    # The crowd's replies are under way, most of them still queued.
    await emulator.wait_for(lambda: emulator.stats.delivered >= 10, timeout=10)
    mark = emulator.last_event
    emulator.elapse(1.5)
    answer = await emulator.press(person.id, card, "Background", timeout=30)
    assert answer is not None
    events = [e for e in emulator.events if e["id"] > mark]
    tapped = next(n for n, e in enumerate(events) if e["kind"] == "tap")
    answered = next(n for n, e in enumerate(events) if e["kind"] == "answer")
    sent_between = [
        e for e in events[tapped:answered] if e["kind"] == "message" and e["message"].from_bot
    ]
    # At most the few sends already on their way: not the queue of replies ahead of the tap.
    assert len(sent_between) <= 5
    replied = sum(1 for someone in crowd if emulator.bot_messages(someone.id))
    assert replied < CROWD  # the crowd's queue was still there when the tap was answered
    await emulator.wait_for(
        lambda: all(emulator.bot_messages(someone.id) for someone in crowd), timeout=60
    )
