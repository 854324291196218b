"""End to end: the bot paces a person's replies on the emulator's clock, whose waits pass
quickly, and the emulator holds it to Telegram's limits on that same clock."""

from __future__ import annotations

from bot.context import UrgentActionApp
from bot.emulator import TelegramEmulator
from tests.conftest import TEST_DATABASE_URL, Chatter

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
    # eight met Telegram's refusal. On PostgreSQL a reply also waits, after its chat's moment,
    # for the database's word on the rate the processes share: two may then arrive bunched
    # and meet the chat's own refusal, which holds that chat alone (as in test_flood.py).
    assert emulator.clock() - started >= 5.0
    if TEST_DATABASE_URL is None:
        assert emulator.stats.too_many_by_scope == {}
    else:
        assert set(emulator.stats.too_many_by_scope) <= {"chat"}
