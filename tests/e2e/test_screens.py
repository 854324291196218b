"""End to end: the screens a newcomer meets first: /settings in a private chat and in a group,
/help for subscribers and for organizers, and a command the bot does not know."""

from __future__ import annotations

from bot.context import UrgentActionApp
from bot.emulator import TelegramEmulator
from tests.conftest import ORGANIZER_ID, Chatter


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
    assert settings.text.splitlines()[:4] == [
        "⚙️ This group's settings",
        "Language: English",
        "Cases: all countries",
        # A group gets no reminders: its zone keeps new cases to its daytime.
        "Time zone: UTC (the bot's default): new cases arrive here between 08:00 and 22:00",
    ]
    assert "remind" not in settings.text
    (refused,) = await erik.say("/settings")
    assert refused.text == "Only an admin of this group can do that."
    assert "subscribe" not in refused.text


async def test_help_shows_organizers_their_commands_and_only_them(
    bot: UrgentActionApp, emulator: TelegramEmulator, person: Chatter
) -> None:
    olga = emulator.create_person("Olga", language_code="en", user_id=ORGANIZER_ID)
    organizer = Chatter(emulator, olga, olga.id)
    (help_text,) = await organizer.say("/help")
    assert "For organizers" in help_text.text
    for command in ("/broadcast", "/import", "/organizers", "/cases", "/start"):
        assert command in help_text.text

    (ordinary,) = await person.say("/help")
    assert "/start" in ordinary.text
    for command in ("For organizers", "/broadcast", "/import", "/organizers"):
        assert command not in ordinary.text


async def test_organizers_menu_is_set_on_their_own_chat_only(
    bot: UrgentActionApp, emulator: TelegramEmulator, person: Chatter
) -> None:
    olga = emulator.create_person("Olga", language_code="en", user_id=ORGANIZER_ID)
    await Chatter(emulator, olga, olga.id).say("/help")
    menu = [c["command"] for c in emulator.bot.commands[f"chat/{olga.id}:"]]
    assert menu[0] == "start"
    assert {"broadcast", "import", "organizers"} <= set(menu)
    assert emulator.bot.commands[f"chat/{olga.id}:ru"][-1]["command"] == "organizers"
    everyone = {c["command"] for c in emulator.bot.commands["default:"]}
    assert "broadcast" not in everyone
    assert f"chat/{person.id}:" not in emulator.bot.commands

    # An organizer added in the chat gets the menu; removed, loses it.
    await person.say("/start", replies=2)
    await Chatter(emulator, olga, olga.id).say(f"/organizers add {person.id}")
    assert "organizers" in {c["command"] for c in emulator.bot.commands[f"chat/{person.id}:"]}
    await Chatter(emulator, olga, olga.id).say(f"/organizers remove {person.id}")
    assert f"chat/{person.id}:" not in emulator.bot.commands


async def test_organizers_menu_and_help_hold_allowance_in_every_language(
    bot: UrgentActionApp, emulator: TelegramEmulator
) -> None:
    olga = emulator.create_person("Olga", language_code="en", user_id=ORGANIZER_ID)
    (help_text,) = await Chatter(emulator, olga, olga.id).say("/help")
    assert "/allowance" in help_text.text
    descriptions = {}
    for language in ("", "ar", "es", "fr", "ru"):
        menu = {
            c["command"]: c["description"]
            for c in emulator.bot.commands[f"chat/{olga.id}:{language}"]
        }
        assert "allowance" in menu, language
        descriptions[language] = menu["allowance"]
    assert descriptions[""] == "How many cases people get until they choose (organizers)"
    # Each language has its own words, not the English ones.
    assert len(set(descriptions.values())) == 5
    everyone = {c["command"] for c in emulator.bot.commands["default:"]}
    assert "allowance" not in everyone


async def test_an_unknown_command_gets_a_pointer_to_help(
    bot: UrgentActionApp, person: Chatter
) -> None:
    (reply,) = await person.say("/sign")
    assert reply.text == "I do not know the command /sign. /help lists the commands."
    # Known commands still go to their own handlers, not to this answer.
    (help_text,) = await person.say("/help")
    assert "I do not know" not in help_text.text
