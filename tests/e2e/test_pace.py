"""End to end: the bot paces a person's replies on the emulator's clock, whose waits pass
quickly, and the emulator holds it to Telegram's limits on that same clock."""

from __future__ import annotations

from bot.context import UrgentActionApp
from bot.emulator import TelegramEmulator
from tests.conftest import Chatter

HELP = "✊ Urgent Actions"


async def test_eight_quick_helps_are_answered_three_at_once_then_one_a_second(
    bot: UrgentActionApp, emulator: TelegramEmulator, person: Chatter
) -> None:
    started = emulator.clock()
    mark = emulator.last_id(person.chat_id)
    for _ in range(8):
        await emulator.send_text(person.id, "/help")
    answers = await emulator.replies(person.chat_id, after=mark, count=8)
    assert all(answer.text.startswith(HELP) for answer in answers)
    # The five beyond the burst each waited a second of the emulator's clock, and none of the
    # eight met Telegram's refusal, even when the first arrived late (a busy machine, or on
    # PostgreSQL the database's word on the rate the processes share): the fourth then waits a
    # second from that arrival, not from the first's moment.
    assert emulator.clock() - started >= 5.0
    assert emulator.stats.too_many_by_scope == {}
