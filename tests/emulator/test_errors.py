"""The errors a sender must classify, worded as the service words them, and injected faults."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import pytest

from bot.emulator import TelegramEmulator
from tests.emulator.conftest import Api, Reply, started


def error(reply: Reply) -> tuple[int, str, dict[str, Any] | None]:
    return reply.status, reply.description, reply.body.get("parameters")


async def test_a_person_who_blocked_the_bot(emu: TelegramEmulator, api: Api) -> None:
    chat = await started(emu)
    await emu.block_bot(chat)
    reply = await api("sendMessage", chat_id=chat, text="alert")
    assert error(reply) == (403, "Forbidden: bot was blocked by the user", None)
    assert reply.body["error_code"] == 403
    await emu.unblock_bot(chat)
    assert (await api("sendMessage", chat_id=chat, text="alert")).ok


async def test_writing_to_a_blocked_bot_unblocks_it_as_the_client_does(
    emu: TelegramEmulator, api: Api
) -> None:
    chat = await started(emu)
    await emu.block_bot(chat)
    await emu.send_text(chat, "/start")
    assert (await api("sendMessage", chat_id=chat, text="welcome back")).ok


async def test_a_bot_kicked_from_a_group(emu: TelegramEmulator, api: Api) -> None:
    admin = emu.create_person("Dana")
    group = await emu.create_group("Almaty", members=[admin.id], admins=[admin.id])
    await emu.remove_bot_from_group(group.id)
    reply = await api("sendMessage", chat_id=group.id, text="alert")
    assert error(reply) == (403, "Forbidden: bot was kicked from the group chat", None)
    supergroup = await emu.create_group("Big", members=[admin.id], supergroup=True)
    await emu.remove_bot_from_group(supergroup.id)
    reply = await api("sendMessage", chat_id=supergroup.id, text="alert")
    assert error(reply) == (403, "Forbidden: bot was kicked from the supergroup chat", None)


async def test_a_deleted_account(emu: TelegramEmulator, api: Api) -> None:
    chat = await started(emu)
    emu.deactivate(chat)
    reply = await api("sendMessage", chat_id=chat, text="alert")
    assert error(reply) == (403, "Forbidden: user is deactivated", None)


async def test_an_unknown_chat(api: Api) -> None:
    for chat_id in (424242, -100999, "@nobody", "not a number"):
        reply = await api("sendMessage", chat_id=chat_id, text="alert")
        assert error(reply) == (400, "Bad Request: chat not found", None)


async def test_a_person_who_never_started_the_bot(emu: TelegramEmulator, api: Api) -> None:
    person = emu.create_person("Stranger")
    reply = await api("sendMessage", chat_id=person.id, text="hello")
    assert error(reply) == (403, "Forbidden: bot can't initiate conversation with a user", None)


async def test_a_group_upgraded_to_a_supergroup(emu: TelegramEmulator, api: Api) -> None:
    admin = emu.create_person("Dana")
    group = await emu.create_group("Almaty", members=[admin.id], admins=[admin.id])
    new_id = await emu.upgrade_to_supergroup(group.id)
    assert str(new_id).startswith("-100")
    reply = await api("sendMessage", chat_id=group.id, text="alert")
    assert error(reply) == (
        400,
        "Bad Request: group chat was upgraded to a supergroup chat",
        {"migrate_to_chat_id": new_id},
    )
    assert (await api("sendMessage", chat_id=new_id, text="alert")).ok
    assert (await api("getChat", chat_id=new_id)).result["type"] == "supergroup"


async def test_an_edit_that_changes_nothing(emu: TelegramEmulator, api: Api) -> None:
    chat = await started(emu)
    markup = {"inline_keyboard": [[{"text": "Go", "callback_data": "go"}]]}
    sent = await api(
        "sendMessage", chat_id=chat, text="<b>Card</b>", parse_mode="HTML", reply_markup=markup
    )
    message_id = sent.result["message_id"]
    same = await api(
        "editMessageText",
        chat_id=chat,
        message_id=message_id,
        text="<b>Card</b>",
        parse_mode="HTML",
        reply_markup=markup,
    )
    assert error(same) == (
        400,
        "Bad Request: message is not modified: specified new message content and reply markup "
        "are exactly the same as a current content and reply markup of the message",
        None,
    )
    emu.elapse(1)
    reply = await api(
        "editMessageReplyMarkup", chat_id=chat, message_id=message_id, reply_markup=markup
    )
    assert reply.description.startswith("Bad Request: message is not modified")
    # The same text without the keyboard is a change: the keyboard goes.
    emu.elapse(1)
    edited = await api(
        "editMessageText",
        chat_id=chat,
        message_id=message_id,
        text="<b>Card</b>",
        parse_mode="HTML",
    )
    assert "reply_markup" not in edited.result
    assert edited.result["edit_date"] > 0
    assert emu.messages(chat)[-1].edited


async def test_editing_or_deleting_a_missing_message(emu: TelegramEmulator, api: Api) -> None:
    chat = await started(emu)
    reply = await api("editMessageText", chat_id=chat, message_id=999, text="x")
    assert error(reply) == (400, "Bad Request: message to edit not found", None)
    reply = await api("deleteMessage", chat_id=chat, message_id=999)
    assert error(reply) == (400, "Bad Request: message to delete not found", None)
    sent = await api("sendMessage", chat_id=chat, text="once")
    message_id = sent.result["message_id"]
    assert (await api("deleteMessage", chat_id=chat, message_id=message_id)).result is True
    again = await api("deleteMessage", chat_id=chat, message_id=message_id)
    assert error(again) == (400, "Bad Request: message to delete not found", None)
    emu.elapse(1)
    edit = await api("editMessageText", chat_id=chat, message_id=message_id, text="x")
    assert error(edit) == (400, "Bad Request: message to edit not found", None)
    assert emu.messages(chat, include_deleted=True)[-1].deleted
    assert all(not m.deleted for m in emu.messages(chat))


async def test_the_bot_edits_only_its_own_messages(emu: TelegramEmulator, api: Api) -> None:
    chat = await started(emu)
    mine = await emu.send_text(chat, "my words")
    reply = await api("editMessageText", chat_id=chat, message_id=mine.message_id, text="x")
    assert error(reply) == (400, "Bad Request: message can't be edited", None)
    # In a private chat the bot may delete what the person wrote.
    assert (await api("deleteMessage", chat_id=chat, message_id=mine.message_id)).ok


async def test_a_member_message_in_a_group_needs_an_admin_bot_to_delete(
    emu: TelegramEmulator, api: Api
) -> None:
    admin = emu.create_person("Dana")
    group = await emu.create_group("Almaty", members=[admin.id], admins=[admin.id])
    said = await emu.send_text(admin.id, "/start@UrgentActionBot", chat_id=group.id)
    reply = await api("deleteMessage", chat_id=group.id, message_id=said.message_id)
    assert error(reply) == (400, "Bad Request: message can't be deleted", None)
    emu.set_admin(group.id, emu.bot.id)
    assert (await api("deleteMessage", chat_id=group.id, message_id=said.message_id)).ok


async def _tap(emu: TelegramEmulator, api: Api) -> tuple[int, str]:
    chat = await started(emu)
    markup = {"inline_keyboard": [[{"text": "Go", "callback_data": "go"}]]}
    sent = await api("sendMessage", chat_id=chat, text="Card", reply_markup=markup)
    # No bot answers here: the tap returns at once and the query waits for the test's answer.
    assert await emu.tap(chat, (chat, sent.result["message_id"]), "go", timeout=0) is None
    (update,) = (await api("getUpdates")).result
    return chat, update["callback_query"]["id"]


TOO_OLD = "Bad Request: query is too old and response timeout expired or query ID is invalid"


async def test_a_tap_answered_too_late(emu: TelegramEmulator, api: Api) -> None:
    _, query_id = await _tap(emu, api)
    emu.elapse(15.5)
    reply = await api("answerCallbackQuery", callback_query_id=query_id, text="Done")
    assert error(reply) == (400, TOO_OLD, None)


async def test_a_tap_answered_in_time_then_again(emu: TelegramEmulator, api: Api) -> None:
    _, query_id = await _tap(emu, api)
    emu.elapse(14.5)
    assert (await api("answerCallbackQuery", callback_query_id=query_id, text="Done")).ok
    reply = await api("answerCallbackQuery", callback_query_id=query_id)
    assert error(reply) == (400, TOO_OLD, None)
    reply = await api("answerCallbackQuery", callback_query_id="12345")
    assert error(reply) == (400, TOO_OLD, None)


async def test_an_answer_past_200_characters(emu: TelegramEmulator, api: Api) -> None:
    _, query_id = await _tap(emu, api)
    reply = await api("answerCallbackQuery", callback_query_id=query_id, text="x" * 201)
    assert error(reply) == (400, "Bad Request: MESSAGE_TOO_LONG", None)
    assert (await api("answerCallbackQuery", callback_query_id=query_id, text="x" * 200)).ok


# ---- injected faults ------------------------------------------------------------------------


async def test_the_next_calls_fail_with_a_server_error(emu: TelegramEmulator, api: Api) -> None:
    chat = await started(emu)
    emu.fail_next("sendMessage", count=2)
    first, second, third = [await api("sendMessage", chat_id=chat, text="x") for _ in range(3)]
    assert error(first) == (500, "Internal Server Error", None)
    assert error(second) == (500, "Internal Server Error", None)
    assert third.ok
    assert emu.stats.delivered == 1
    assert emu.stats.faults_injected == 2


async def test_faults_for_one_chat_leave_the_others_alone(emu: TelegramEmulator, api: Api) -> None:
    anna, boris = await started(emu, "Anna"), await started(emu, "Boris")
    emu.fail_next("sendMessage", chat_id=boris, status=502, description="Bad Gateway")
    assert (await api("sendMessage", chat_id=anna, text="x")).ok
    assert error(await api("sendMessage", chat_id=boris, text="x")) == (502, "Bad Gateway", None)
    assert (await api("sendMessage", chat_id=boris, text="x")).ok


async def test_an_injected_429_carries_retry_after(emu: TelegramEmulator, api: Api) -> None:
    chat = await started(emu)
    emu.fail_next(status=429, retry_after=7)
    reply = await api("sendMessage", chat_id=chat, text="x")
    assert error(reply) == (429, "Too Many Requests: retry after 7", {"retry_after": 7})
    assert emu.stats.too_many_by_scope == {"injected": 1}


@pytest.mark.parametrize("deliver", [False, True])
async def test_a_hanging_call_times_out_and_may_still_take_effect(
    emu: TelegramEmulator, api: Api, deliver: bool
) -> None:
    chat = await started(emu)
    emu.hang_next("sendMessage", seconds=0.3, deliver=deliver)
    started_at = time.monotonic()
    with pytest.raises(TimeoutError):
        async with asyncio.timeout(0.1):
            await api("sendMessage", chat_id=chat, text="slow")
    # The client gave up; whether the message went depends on the fault.
    await asyncio.sleep(0.4)
    assert len(emu.bot_messages(chat)) == (1 if deliver else 0)
    assert time.monotonic() - started_at < 2


async def test_faults_can_be_cleared(emu: TelegramEmulator, api: Api) -> None:
    chat = await started(emu)
    emu.fail_next(count=5)
    emu.clear_faults()
    assert (await api("sendMessage", chat_id=chat, text="x")).ok
