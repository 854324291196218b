"""End to end: the screens a newcomer meets first: /settings in a private chat and in a group,
/help for subscribers and for organizers, and a command the bot does not know."""

from __future__ import annotations

from bot.context import UrgentActionApp
from bot.emulator import TelegramEmulator
from tests.conftest import Chatter


async def test_settings_show_each_choice_on_its_own_line(
    bot: UrgentActionApp, person: Chatter
) -> None:
    await person.say("/start", replies=2)
    (settings,) = await person.say("/settings")
    lines = settings.text.splitlines()
    assert lines[:4] == [
        "⚙️ Your settings",
        "Language: English",
        "Cases: all countries",
        "Time zone: UTC (the bot's default), for reminders between 08:00 and 22:00",
    ]


async def test_a_groups_settings_are_the_groups_and_only_its_admins_see_them(
    bot: UrgentActionApp, emulator: TelegramEmulator
) -> None:
    admin = emulator.create_person("Dana")
    member = emulator.create_person("Erik")
    group = await emulator.create_group("Amnesty Almaty", members=[member.id], admins=[admin.id])
    dana = Chatter(emulator, admin, group.id)
    erik = Chatter(emulator, member, group.id)

    # Before the group is subscribed, a member is not invited to subscribe it: only admins can.
    (refused,) = await erik.say("/settings")
    assert refused.text == "Only an admin of this group can do that."

    await dana.say("/start", replies=2)
    (settings,) = await dana.say("/settings")
    assert settings.text.splitlines()[:3] == [
        "⚙️ This group's settings",
        "Language: English",
        "Cases: all countries",
    ]
    (refused,) = await erik.say("/settings")
    assert refused.text == "Only an admin of this group can do that."
    assert "subscribe" not in refused.text
