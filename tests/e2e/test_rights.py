"""Who may do what, where: every command and every button is checked for the right it needs,
whatever message the tap came from, and a refused update changes nothing."""

from __future__ import annotations

import logging
import re

import pytest
from telegram.ext import CallbackQueryHandler, CommandHandler, MessageHandler

from bot.app import build_application
from bot.config import Settings
from bot.context import UrgentActionApp
from bot.db.dialect import Dialect
from bot.emulator import Chat, RecordedMessage, TelegramEmulator
from bot.handlers.rights import Right, right_of
from bot.views.callbacks import SHAPES
from tests.conftest import ORGANIZER_ID, Chatter, services_of
from tests.waiting import PATIENCE, handled

SLUG = "kz-zhanbolat-mamay"
NOT_A_BUTTON = "This button no longer works. Send /start to see the open cases."
PRIVATE_ONLY = "This works in a private chat with the bot only."
ADMINS_ONLY = "Only an admin of this group can do that."

# Every organizer entry point, as someone else would reach it: a command, a file, a forged tap.
ORGANIZER_INPUTS = {
    "/broadcast": "/broadcast",
    "/import": "/import",
    "/organizers": "/organizers add 555",
    "/results": "/results",
    "file:receive_file": "case.toml",
    "file:document": "sheet.pdf",
    "op": f"op:{SLUG}",
    "opc": f"opc:{SLUG}",
    "ocl": f"ocl:{SLUG}:released:notify",
    "ors": f"ors:{SLUG}",
    "oed": f"oed:{SLUG}",
    "ocsv": f"ocsv:{SLUG}",
    "ochart": f"ochart:{SLUG}",
    "orp": f"orp:{SLUG}",
    "orc": f"orc:{SLUG}:net",
    "orn": f"orn:{SLUG}:3",
    "oir": "oir",
    "oim": f"oim:{SLUG}:publish",
    "oba": "oba:all:",
    "obs": "obs:now",
    "obx": "obx:1",
    "/allowance": "/allowance",
    "oal": "oal:1-week",
    "/console": "/console",
    "ory": "ory:1",
}
# The person's own buttons, forged in a group.
PERSON_TAPS = {
    "fg": "fg:yes",
    "ap": f"ap:{SLUG}",
    "ch": f"ch:{SLUG}:email",
    "sg": f"sg:{SLUG}:email:full",
    "rem": f"rem:{SLUG}:email",
    "pl": f"pl:{SLUG}:email",
    "lt": f"lt:{SLUG}:email:ru",
    "rk": f"rk:{SLUG}:email:abcd1234",
    "pk": f"pk:{SLUG}:email:abcd1234",
    "lk": f"lk:{SLUG}:email:ru:abcd1234",
    "ck": f"ck:{SLUG}:post:abcd1234",
    "sent": f"sent:{SLUG}:email",
    "snt": f"snt:{SLUG}:email:CA",
    "ac": f"ac:{SLUG}",
    "rec": f"rec:{SLUG}:email:0",
    "sz": f"sz:{SLUG}:off",
    "nn": f"nn:{SLUG}",
    "wp": f"wp:{SLUG}:tm",
    "rpy": f"rpy:{SLUG}:0",
    "rpa": f"rpa:{SLUG}:no",
}
PERSON_COMMANDS = ("/mydata", "/forget")
# What speaks for a whole group, tapped by a member who is not an admin.
ADMIN_TAPS = {
    "sub": "sub",
    "unsub": "unsub",
    "lang": "lang:ru",
    "ctry": "ctry:KZ",
    "tz": "tz:3",
    "tzn": "tzn:Europe/Berlin",
    "hc": "hc:KZ",
    "alw": "alw:1-week",
    "alt": "alt:torture",
    "alc": "alc:fax",
}
ADMIN_COMMANDS = ("/start", "/stop", "/settings")
# What anyone may do anywhere: read cases, find the commands; an unknown command or button.
ANYONE_ENTRIES = ("/help", "/privacy", "/cases", "c", "bg", "file:unknown_command", "fallback")


def entry_points(app: UrgentActionApp) -> dict[str, Right | None]:
    """Every command, button verb and file handler of the bot, with the right it is guarded by."""
    found: dict[str, Right | None] = {}
    for handlers in app.handlers.values():
        for handler in handlers:
            right = right_of(handler.callback)
            if isinstance(handler, CommandHandler):
                found.update((f"/{command}", right) for command in handler.commands)
            elif isinstance(handler, CallbackQueryHandler):
                source = getattr(handler.pattern, "pattern", None)
                match = re.fullmatch(r"\^(\w+)\(:\|\$\)", str(source))
                found[match.group(1) if match else "fallback"] = right
            elif isinstance(handler, MessageHandler) and right is not None:
                found[f"file:{handler.callback.__name__}"] = right
    return found


async def database(bot: UrgentActionApp) -> list[str]:
    """Everything the database holds (SQLite or PostgreSQL), to compare before and after."""
    async with services_of(bot).db.read() as conn:
        if conn.dialect is Dialect.POSTGRESQL:
            cursor = await conn.execute(
                "SELECT table_name FROM information_schema.tables"
                " WHERE table_schema = current_schema()"
            )
        else:
            cursor = await conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        tables = sorted(str(row[0]) for row in await cursor.fetchall())
        held = []
        # The send rate the processes share (PostgreSQL) counts every message, a refusal too,
        # as the limiter in memory does on SQLite: bookkeeping, not anything a person owns.
        # So are the ids of the updates handled, each recorded to be handled once.
        for table in (t for t in tables if t not in ("send_capacity", "handled_updates")):
            cursor = await conn.execute(f"SELECT * FROM {table}")
            held += sorted(f"{table}: {tuple(row)!r}" for row in await cursor.fetchall())
    return held


async def settled(bot: UrgentActionApp, emulator: TelegramEmulator) -> list[str]:
    """The database once the bot has finished writing: every update handled to the end (a
    reply goes out before its record) and the delivery engine's results recorded."""
    await handled(bot, emulator)
    delivery = services_of(bot).delivery
    assert delivery is not None
    await delivery.wait_drained(timeout=PATIENCE)
    return await database(bot)


def refusals(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [
        r.getMessage()
        for r in caplog.records
        if r.name == "bot.handlers.rights" and r.levelno == logging.INFO
    ]


def test_every_command_and_button_is_guarded_and_the_lists_below_cover_them(
    settings: Settings,
) -> None:
    found = entry_points(build_application(settings))
    assert [name for name, right in found.items() if right is None] == []
    # Every verb a button can carry has its handler.
    assert set(SHAPES) <= found.keys()
    by_right = {right: {n for n, r in found.items() if r is right} for right in Right}
    assert by_right[Right.ORGANIZER] == ORGANIZER_INPUTS.keys()
    assert by_right[Right.PERSON] == PERSON_TAPS.keys() | set(PERSON_COMMANDS)
    assert by_right[Right.CHAT_ADMIN] == ADMIN_TAPS.keys() | set(ADMIN_COMMANDS)
    assert by_right[Right.ANYONE] == set(ANYONE_ENTRIES)


@pytest.mark.parametrize("entry", list(ORGANIZER_INPUTS))
async def test_anyone_but_an_organizer_is_refused_at_every_organizer_entry_point(
    bot: UrgentActionApp,
    emulator: TelegramEmulator,
    person: Chatter,
    settings: Settings,
    caplog: pytest.LogCaptureFixture,
    entry: str,
) -> None:
    caplog.set_level(logging.INFO, logger="bot.handlers.rights")
    welcome, _ = await person.say("/start", replies=2)
    before = await settled(bot, emulator)
    sent = ORGANIZER_INPUTS[entry]
    if entry.startswith("/"):
        (reply,) = await person.say(sent)
        assert "/start" in reply.text  # the ordinary help, as for any unknown command
    elif entry.startswith("file:"):
        mark = emulator.last_id(person.chat_id)
        await emulator.send_document(person.id, sent, b'slug = "kz-zhanbolat-mamay"\n')
        (reply,) = await emulator.replies(person.chat_id, after=mark)
        assert "/start" in reply.text
    else:
        answer = await emulator.tap(person.id, welcome, sent, forge=True)
        assert answer is not None
        assert answer.text == NOT_A_BUTTON
        await emulator.wait_for(lambda: bool(refusals(caplog)))
    assert await settled(bot, emulator) == before
    (line,) = refusals(caplog)
    assert str(person.id) not in line  # what was refused, never who
    assert "in a private chat" in line
    assert "needs organizer" in line


async def test_an_organizers_forged_tap_in_a_group_is_refused(
    bot: UrgentActionApp, emulator: TelegramEmulator, settings: Settings
) -> None:
    olga = emulator.create_person("Olga", user_id=ORGANIZER_ID)
    group = await emulator.create_group("Team", members=[olga.id], admins=[olga.id])
    (welcome, _) = await Chatter(emulator, olga, group.id).say("/start@UrgentActionBot", replies=2)
    before = await settled(bot, emulator)
    answer = await emulator.tap(olga.id, welcome, f"ocl:{SLUG}:released:quiet", forge=True)
    assert answer is not None
    assert answer.text == PRIVATE_ONLY
    assert await settled(bot, emulator) == before


async def subscribed_group(emulator: TelegramEmulator) -> tuple[Chat, Chatter, Chatter]:
    """A supergroup its admin Dana subscribed, with Erik, a member who is no admin."""
    dana = emulator.create_person("Dana")
    erik = emulator.create_person("Erik")
    group = await emulator.create_group(
        "Amnesty Almaty", members=[erik.id], admins=[dana.id], supergroup=True
    )
    admin = Chatter(emulator, dana, group.id)
    await admin.say("/start@UrgentActionBot", replies=2)
    return group, admin, Chatter(emulator, erik, group.id)


def newest(emulator: TelegramEmulator, chat_id: int) -> RecordedMessage:
    return emulator.bot_messages(chat_id)[-1]


async def test_a_member_cannot_delete_a_groups_subscription_with_the_forget_button(
    bot: UrgentActionApp,
    emulator: TelegramEmulator,
    settings: Settings,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO, logger="bot.handlers.rights")
    group, _, erik = await subscribed_group(emulator)
    card = newest(emulator, group.id)
    before = await settled(bot, emulator)
    answer = await emulator.tap(erik.id, card, "fg:yes", forge=True)
    assert answer is not None
    assert answer.text == PRIVATE_ONLY
    assert await services_of(bot).subscribers.get(group.id) is not None
    assert newest(emulator, group.id).edits == 0
    assert await settled(bot, emulator) == before
    (line,) = refusals(caplog)
    assert line == "refused tap 'fg' in a supergroup chat: needs person"


async def test_the_persons_own_buttons_and_commands_are_refused_in_a_group(
    bot: UrgentActionApp, emulator: TelegramEmulator, settings: Settings
) -> None:
    group, admin, erik = await subscribed_group(emulator)
    card = newest(emulator, group.id)
    before = await settled(bot, emulator)
    # Not even the admin: letters, checklists and /forget belong to a person's own chat.
    for tapper in (erik, admin):
        for data in PERSON_TAPS.values():
            answer = await emulator.tap(tapper.id, card, data, forge=True)
            assert answer is not None, data
            assert answer.text == PRIVATE_ONLY, data
        for command in PERSON_COMMANDS:
            (reply,) = await tapper.say(f"{command}@UrgentActionBot")
            assert reply.text == PRIVATE_ONLY, command
    assert await settled(bot, emulator) == before


async def test_what_speaks_for_a_group_is_refused_to_a_member_who_is_not_an_admin(
    bot: UrgentActionApp, emulator: TelegramEmulator, settings: Settings
) -> None:
    group, _, erik = await subscribed_group(emulator)
    card = newest(emulator, group.id)
    before = await settled(bot, emulator)
    for data in ADMIN_TAPS.values():
        answer = await emulator.tap(erik.id, card, data, forge=True)
        assert answer is not None, data
        assert answer.text == ADMINS_ONLY, data
    for command in ADMIN_COMMANDS:
        (reply,) = await erik.say(f"{command}@UrgentActionBot")
        assert reply.text.startswith("Only an admin of this group can"), command
    assert await settled(bot, emulator) == before
    subscriber = await services_of(bot).subscribers.get(group.id)
    assert subscriber is not None
    assert subscriber.is_active
    assert subscriber.language == "en"


async def test_an_admin_writing_as_the_group_speaks_for_it_but_is_no_organizer(
    bot: UrgentActionApp, emulator: TelegramEmulator, settings: Settings
) -> None:
    """An admin who writes anonymously ("as the group": GroupAnonymousBot in `from`, the group
    in `sender_chat`) is an admin of that group: they subscribe it and change its settings.
    Organizer rights are a person's, and never go to a message "as the group", even from an
    organizer who is the group's admin."""
    olga = emulator.create_person("Olga", user_id=ORGANIZER_ID)
    erik = emulator.create_person("Erik")
    group = await emulator.create_group(
        "Amnesty Almaty", members=[erik.id], admins=[olga.id], supergroup=True
    )
    services = services_of(bot)

    async def as_group(text: str, replies: int = 1) -> list[RecordedMessage]:
        mark = emulator.last_id(group.id)
        await emulator.send_as_group(olga.id, text, chat_id=group.id)
        return await emulator.replies(group.id, after=mark, count=replies)

    welcome, _ = await as_group("/start@UrgentActionBot", replies=2)
    subscriber = await services.subscribers.get(group.id)
    assert subscriber is not None
    assert subscriber.is_active
    assert "Only an admin" not in welcome.text
    (settings_screen,) = await as_group("/settings@UrgentActionBot")
    assert settings_screen.text.startswith("⚙️ This group's settings")
    # Its buttons are tapped by the admin's own account (Telegram tells the tapper's id).
    answer, _ = await Chatter(emulator, olga, group.id).press(settings_screen, "Русский")
    assert answer is not None
    changed = await services.subscribers.get(group.id)
    assert changed is not None
    assert changed.language == "ru"

    # Organizer commands get the ordinary help, as anyone who is no organizer does.
    before = await settled(bot, emulator)
    for command in ("/broadcast@UrgentActionBot", "/organizers@UrgentActionBot add 555"):
        (refused,) = await as_group(command)
        assert "/start" in refused.text, command
        assert "/broadcast" not in refused.text, command
    assert await settled(bot, emulator) == before

    # A member who is no admin is still refused the group's settings.
    (refused,) = await Chatter(emulator, erik, group.id).say("/settings@UrgentActionBot")
    assert refused.text == services.renderer.render("ru", "group_admins_only.txt")
