"""Simulated people and groups: what they send, what the bot hears, and how chats change."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from bot.emulator import EmulatorLimits, TelegramEmulator
from tests.emulator.conftest import Api, MakeEmulator, started


async def updates(api: Api) -> list[dict[str, Any]]:
    """Every pending update, confirmed."""
    found: list[dict[str, Any]] = (await api("getUpdates")).result
    if found:
        await api("getUpdates", offset=found[-1]["update_id"] + 1)
    return found


def kinds(found: list[dict[str, Any]]) -> list[str]:
    return [next(key for key in update if key != "update_id") for update in found]


async def test_a_command_gets_its_entity_and_so_do_links_and_mentions(
    emu: TelegramEmulator,
) -> None:
    anna = emu.create_person("Anna")
    message = await emu.send_text(anna.id, "/start@UrgentActionBot kz 😀 https://x.org @dana_k")
    assert message.entities == [
        {"type": "bot_command", "offset": 0, "length": 22},
        {"type": "url", "offset": 29, "length": 13},
        {"type": "mention", "offset": 43, "length": 7},
    ]


async def test_the_first_message_opens_the_private_chat(emu: TelegramEmulator, api: Api) -> None:
    anna = emu.create_person("Anna")
    assert (await api("sendMessage", chat_id=anna.id, text="hi")).status == 403
    await emu.send_text(anna.id, "/start")
    assert (await api("sendMessage", chat_id=anna.id, text="hi")).ok


async def test_a_group_starts_with_the_bot_added_by_its_creator(
    emu: TelegramEmulator, api: Api
) -> None:
    dana, erik = emu.create_person("Dana"), emu.create_person("Erik")
    group = await emu.create_group("Amnesty Almaty", members=[erik.id], admins=[dana.id])
    assert group.id < 0
    found = await updates(api)
    assert kinds(found) == ["message", "my_chat_member"]
    assert found[0]["message"]["group_chat_created"] is True
    change = found[1]["my_chat_member"]
    assert change["from"]["id"] == dana.id
    assert (change["old_chat_member"]["status"], change["new_chat_member"]["status"]) == (
        "left",
        "member",
    )
    statuses = {
        user: (await api("getChatMember", chat_id=group.id, user_id=user)).result["status"]
        for user in (dana.id, erik.id, emu.bot.id, emu.create_person("Out").id)
    }
    assert list(statuses.values()) == ["creator", "member", "member", "left"]
    assert (await api("getChatMemberCount", chat_id=group.id)).result == 3
    chat = (await api("getChat", chat_id=group.id)).result
    assert (chat["type"], chat["title"]) == ("group", "Amnesty Almaty")


async def test_in_a_group_the_bot_hears_commands_replies_and_mentions_only(
    emu: TelegramEmulator, api: Api
) -> None:
    dana = emu.create_person("Dana")
    group = await emu.create_group("Almaty", members=[dana.id], admins=[dana.id])
    await updates(api)
    await emu.send_text(dana.id, "just chatting", chat_id=group.id)
    await emu.send_text(dana.id, "/start@OtherBot", chat_id=group.id)
    await emu.send_text(dana.id, "/start@UrgentActionBot", chat_id=group.id)
    await emu.send_command(dana.id, "help", chat_id=group.id)
    await emu.send_text(dana.id, "hey @UrgentActionBot", chat_id=group.id)
    sent = await api("sendMessage", chat_id=group.id, text="Card")
    await emu.send_text(dana.id, "a reply", chat_id=group.id, reply_to=sent.result["message_id"])
    heard = [update["message"]["text"] for update in await updates(api)]
    assert heard == [
        "/start@UrgentActionBot",
        "/help@UrgentActionBot",
        "hey @UrgentActionBot",
        "a reply",
    ]
    emu.set_admin(group.id, emu.bot.id)  # an admin bot hears everything
    await emu.send_text(dana.id, "just chatting", chat_id=group.id)
    assert [u["message"]["text"] for u in await updates(api) if "message" in u] == [
        "just chatting"
    ]


async def test_a_reply_carries_the_message_it_answers(emu: TelegramEmulator, api: Api) -> None:
    chat = await started(emu)
    sent = await api("sendMessage", chat_id=chat, text="Your name?")
    await emu.send_text(chat, "Anna", reply_to=sent.result["message_id"])
    (update,) = await updates(api)
    assert update["message"]["reply_to_message"]["text"] == "Your name?"
    answer = await api(
        "sendMessage",
        chat_id=chat,
        text="Thanks",
        reply_parameters={"message_id": update["message"]["message_id"]},
    )
    assert answer.result["reply_to_message"]["text"] == "Anna"
    missing = await api("sendMessage", chat_id=chat, text="x", reply_parameters={"message_id": 99})
    assert missing.description == "Bad Request: message to be replied not found"


async def test_people_join_and_leave_and_an_admin_bot_hears_of_it(
    emu: TelegramEmulator, api: Api
) -> None:
    dana, erik = emu.create_person("Dana"), emu.create_person("Erik")
    group = await emu.create_group("Almaty", members=[], admins=[dana.id], bot_admin=True)
    await api("getUpdates", allowed_updates=["message", "my_chat_member", "chat_member"])
    await updates(api)
    await emu.join_group(erik.id, group.id)
    await emu.leave_group(erik.id, group.id)
    found = await updates(api)
    assert kinds(found) == ["message", "chat_member", "message", "chat_member"]
    assert found[0]["message"]["new_chat_members"][0]["id"] == erik.id
    assert found[2]["message"]["left_chat_member"]["id"] == erik.id
    assert found[3]["chat_member"]["new_chat_member"]["status"] == "left"
    with pytest.raises(ValueError, match="not a member"):
        await emu.send_text(erik.id, "/start", chat_id=group.id)


async def test_the_bot_removed_and_added_back(emu: TelegramEmulator, api: Api) -> None:
    dana = emu.create_person("Dana")
    group = await emu.create_group("Almaty", members=[dana.id], admins=[dana.id])
    await updates(api)
    await emu.remove_bot_from_group(group.id)
    await emu.send_text(dana.id, "/start@UrgentActionBot", chat_id=group.id)  # not heard
    await emu.add_bot_to_group(group.id, by=dana.id)
    found = await updates(api)
    assert kinds(found) == ["my_chat_member", "message", "my_chat_member"]
    assert found[0]["my_chat_member"]["new_chat_member"]["status"] == "kicked"
    assert found[1]["message"]["new_chat_members"][0]["is_bot"] is True
    assert found[2]["my_chat_member"]["new_chat_member"]["status"] == "member"
    assert (await api("sendMessage", chat_id=group.id, text="back")).ok


async def test_the_bot_leaves_a_group(emu: TelegramEmulator, api: Api) -> None:
    dana = emu.create_person("Dana")
    group = await emu.create_group("Almaty", members=[dana.id], admins=[dana.id])
    assert (await api("leaveChat", chat_id=group.id)).result is True
    reply = await api("sendMessage", chat_id=group.id, text="x")
    assert reply.description == "Forbidden: bot is not a member of the group chat"


async def test_blocking_and_unblocking_tell_the_bot(emu: TelegramEmulator, api: Api) -> None:
    chat = await started(emu)
    await emu.block_bot(chat)
    await emu.unblock_bot(chat)
    found = await updates(api)
    changes = [u["my_chat_member"] for u in found]
    assert [(c["old_chat_member"]["status"], c["new_chat_member"]["status"]) for c in changes] == [
        ("member", "kicked"),
        ("kicked", "member"),
    ]
    assert changes[0]["from"]["id"] == chat
    assert changes[0]["chat"]["type"] == "private"


async def test_an_upgrade_moves_the_group_to_a_new_id(emu: TelegramEmulator, api: Api) -> None:
    dana = emu.create_person("Dana")
    group = await emu.create_group("Almaty", members=[dana.id], admins=[dana.id])
    await updates(api)
    new_id = await emu.upgrade_to_supergroup(group.id)
    found = await updates(api)
    assert [u["message"].get("migrate_to_chat_id") for u in found] == [new_id, None]
    assert found[1]["message"]["migrate_from_chat_id"] == group.id
    assert found[1]["message"]["chat"]["type"] == "supergroup"
    member = await api("getChatMember", chat_id=new_id, user_id=dana.id)
    assert member.result["status"] == "creator"
    await emu.send_text(dana.id, "/start@UrgentActionBot", chat_id=new_id)
    assert (await updates(api))[0]["message"]["chat"]["id"] == new_id


async def test_a_tap_returns_the_bot_answer(emu: TelegramEmulator, api: Api) -> None:
    chat = await started(emu)
    markup = {"inline_keyboard": [[{"text": "✅ I've acted", "callback_data": "ac:kz"}]]}
    sent = await api("sendMessage", chat_id=chat, text="Card", reply_markup=markup)
    message = emu.messages(chat)[-1]

    async def bot_answers() -> None:
        (update,) = (await api("getUpdates", timeout=5)).result
        query = update["callback_query"]
        assert query["data"] == "ac:kz"
        assert query["message"]["message_id"] == sent.result["message_id"]
        assert query["from"]["id"] == chat
        await api(
            "answerCallbackQuery", callback_query_id=query["id"], text="Noted", show_alert=True
        )

    answering = asyncio.get_running_loop().create_task(bot_answers())
    answer = await emu.press(chat, message, "I've acted", timeout=5)
    await answering
    assert answer is not None
    assert (answer.text, answer.show_alert) == ("Noted", True)
    assert emu.stats.callback_answers == 1


async def test_a_person_can_tap_only_buttons_the_message_has(
    emu: TelegramEmulator, api: Api
) -> None:
    chat = await started(emu)
    markup = {"inline_keyboard": [[{"text": "Go", "callback_data": "go"}]]}
    await api("sendMessage", chat_id=chat, text="Card", reply_markup=markup)
    message = emu.messages(chat)[-1]
    with pytest.raises(ValueError, match="no button"):
        await emu.tap(chat, message, "rec:forged", timeout=0)
    # A modified client can send any data.
    assert await emu.tap(chat, message, "rec:forged", forge=True, timeout=0) is None
    assert (await updates(api))[-1]["callback_query"]["data"] == "rec:forged"


async def test_waiting_for_messages(emu: TelegramEmulator, api: Api) -> None:
    chat = await started(emu)

    async def bot_writes() -> None:
        await asyncio.sleep(0.05)
        await api("sendMessage", chat_id=chat, text="one")
        emu.elapse(1)
        await api("sendMessage", chat_id=chat, text="two")

    writing = asyncio.get_running_loop().create_task(bot_writes())
    (two,) = await emu.wait_for_messages(chat, predicate=lambda m: m.text == "two", timeout=2)
    await writing
    assert two.text == "two"
    assert [m.text for m in await emu.wait_for_messages(chat, count=2)] == ["one", "two"]
    with pytest.raises(TimeoutError, match=r"expected 3 messages .* got \['one', 'two'\]"):
        await emu.wait_for_messages(chat, count=3, timeout=0.05)


async def test_a_person_edits_their_message(emu: TelegramEmulator, api: Api) -> None:
    chat = await started(emu)
    said = await emu.send_text(chat, "Anna Petrov")
    await updates(api)
    await emu.edit_text(chat, said, "Anna Petrova")
    (update,) = await updates(api)
    assert update["edited_message"]["text"] == "Anna Petrova"
    assert update["edited_message"]["edit_date"] > 0


async def test_history_is_bounded_per_chat(make_emulator: MakeEmulator, http: Any) -> None:
    emu = await make_emulator(EmulatorLimits(history_per_chat=3, flood=False))
    api = Api(http, emu)
    chat = await started(emu)
    for number in range(5):
        await api("sendMessage", chat_id=chat, text=str(number))
    assert [m.text for m in emu.messages(chat)] == ["2", "3", "4"]
    assert emu.last_id(chat) == 6


async def test_counting_only_keeps_no_bodies(make_emulator: MakeEmulator, http: Any) -> None:
    emu = await make_emulator(EmulatorLimits(keep_bodies=False, flood=False))
    api = Api(http, emu)
    people = emu.create_people(3)
    for person in people:
        reply = await api("sendMessage", chat_id=person.id, text="alert")
        assert reply.result["message_id"] == 1
    assert emu.stats.delivered == 3
    assert all(emu.messages(person.id) == [] for person in people)
    assert emu.chats[people[0].id].bot_sent == 1


async def test_a_deleted_account_cannot_write(emu: TelegramEmulator) -> None:
    anna = emu.create_person("Anna")
    emu.deactivate(anna.id)
    with pytest.raises(ValueError, match="deleted"):
        await emu.send_text(anna.id, "/start")


async def test_events_log_what_happened_in_order(emu: TelegramEmulator, api: Api) -> None:
    mark = emu.last_event
    chat = await started(emu)
    await api("sendMessage", chat_id=chat, text="hello")
    await emu.block_bot(chat)
    events = emu.events_since(mark)
    assert [event["kind"] for event in events] == [
        "person",
        "message",
        "message",
        "bot_status",
        "blocked",
    ]
    assert events[2]["message"]["text"] == "hello"
    assert events[2]["message"]["from_bot"] is True
    assert [event["id"] for event in events] == list(range(mark + 1, mark + 6))


async def test_formatted_text_reaches_the_bot_as_plain_text_and_entities(
    emu: TelegramEmulator, api: Api
) -> None:
    chat = await started(emu)
    await updates(api)
    await emu.send_formatted(chat, '<b>Free</b> him: <a href="https://amnesty.org">act</a>')
    (update,) = await updates(api)
    assert update["message"]["text"] == "Free him: act"
    assert update["message"]["entities"] == [
        {"type": "bold", "offset": 0, "length": 4},
        {"type": "text_link", "offset": 10, "length": 3, "url": "https://amnesty.org"},
    ]


async def test_a_forwarded_message_keeps_its_text_and_names_its_sender(
    emu: TelegramEmulator, api: Api
) -> None:
    chat = await started(emu)
    dana = emu.create_person("Dana")
    group = await emu.create_group("Team", members=[chat, dana.id])
    original = await emu.send_formatted(dana.id, "<i>Court moved</i> to Monday", chat_id=group.id)
    await updates(api)
    forwarded = await emu.forward(chat, original)
    (update,) = await updates(api)
    message = update["message"]
    assert message["chat"]["id"] == chat
    assert message["text"] == "Court moved to Monday"
    assert message["entities"] == [{"type": "italic", "offset": 0, "length": 11}]
    assert message["forward_origin"]["type"] == "user"
    assert message["forward_origin"]["sender_user"]["first_name"] == "Dana"
    assert forwarded.forward_origin is not None
    stranger = emu.create_person("Eve")
    with pytest.raises(ValueError, match="cannot see"):
        await emu.forward(stranger.id, original)


async def test_an_admin_writes_as_the_group_and_only_an_admin_can(
    emu: TelegramEmulator, api: Api
) -> None:
    dana, erik = emu.create_person("Dana"), emu.create_person("Erik")
    group = await emu.create_group(
        "Amnesty Almaty", members=[erik.id], admins=[dana.id], supergroup=True
    )
    await updates(api)
    await emu.send_as_group(dana.id, "/settings@UrgentActionBot", chat_id=group.id)
    (update,) = await updates(api)
    message = update["message"]
    # Telegram hides the admin: the group in `sender_chat`, GroupAnonymousBot in `from`.
    assert message["sender_chat"]["id"] == group.id
    assert message["from"]["id"] == 1087968824
    assert message["from"]["is_bot"] is True
    assert message["from"]["username"] == "GroupAnonymousBot"
    assert dana.id not in (message["from"]["id"], message["sender_chat"]["id"])
    # A member who is no admin cannot write as the group, nor anyone in a basic group or in
    # a private chat.
    with pytest.raises(ValueError, match="no admin"):
        await emu.send_as_group(erik.id, "hello", chat_id=group.id)
    basic = await emu.create_group("Book club", members=[], admins=[dana.id])
    with pytest.raises(ValueError, match="as the group"):
        await emu.send_as_group(dana.id, "hello", chat_id=basic.id)
    with pytest.raises(ValueError, match="as the group"):
        await emu.send_as_group(dana.id, "hello", chat_id=dana.id)
    await updates(api)
    # Their own messages still name them.
    await emu.send_text(dana.id, "/start@UrgentActionBot", chat_id=group.id)
    (update,) = await updates(api)
    assert update["message"]["from"]["id"] == dana.id
    assert "sender_chat" not in update["message"]
