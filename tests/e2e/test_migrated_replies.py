"""End to end: a reply to a group that became a supergroup reaches the supergroup, and the group
keeps its subscription under its new id, as the outbox's messages already do (issue 22.10)."""

from __future__ import annotations

import pytest

from bot.context import UrgentActionApp
from bot.domain.subscribers import SubscriberStatus
from bot.emulator import TelegramEmulator
from tests.conftest import Chatter, services_of


# Telegram refuses the reply to the old group (400, "upgraded to a supergroup"): that refusal
# is what the bot follows.
@pytest.mark.refusals_expected
async def test_a_reply_to_an_upgraded_group_goes_to_the_supergroup_and_moves_its_subscription(
    bot: UrgentActionApp, emulator: TelegramEmulator
) -> None:
    olga = emulator.create_person("Olga", language_code="en")
    group = await emulator.create_group("Team", members=[olga.id], admins=[olga.id])
    await Chatter(emulator, olga, group.id).say("/start@UrgentActionBot", replies=2)
    services = services_of(bot)
    # The bot stops hearing updates, so the only news of the upgrade is the 400 its reply meets.
    assert bot.updater is not None
    await bot.updater.stop()
    supergroup = await emulator.upgrade_to_supergroup(group.id)
    await bot.bot.send_message(group.id, "A reply the group's update asked for")
    (reply,) = emulator.bot_messages(supergroup)
    assert reply.text == "A reply the group's update asked for"
    moved = await services.subscribers.get(supergroup)
    assert moved is not None
    assert moved.status is SubscriberStatus.ACTIVE
    assert await services.subscribers.get(group.id) is None
