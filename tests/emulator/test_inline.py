"""Inline mode: inline queries, answerInlineQuery's checks, results sent via @bot, chosen-chat
buttons and t.me start links."""

from __future__ import annotations

import asyncio
from typing import Any

import aiohttp
import pytest

from bot.emulator import TelegramEmulator
from bot.emulator.inline import InlineAnswer
from tests.emulator.conftest import Api, started


def article(result_id: str = "a1", text: str = "<b>Case</b> &amp; more", **extra: Any) -> Any:
    return {
        "type": "article",
        "id": result_id,
        "title": "A case",
        "input_message_content": {"message_text": text, "parse_mode": "HTML"},
        **extra,
    }


LINK = {"text": "Start", "url": "https://t.me/UrgentActionBot?start=s_case_abc"}


@pytest.fixture
def inline(emu: TelegramEmulator) -> TelegramEmulator:
    emu.bot.inline_placeholder = "Case or name"
    return emu


async def query(api: Api, emu: TelegramEmulator, text: str = "", **where: Any) -> Any:
    """Type "@bot text" as Anna; return (the update the bot got, the pending typing)."""
    person = await started(emu)
    typing = asyncio.create_task(emu.type_inline(person, text, **where))
    await asyncio.sleep(0)
    (update,) = (await api("getUpdates")).result
    return person, update, typing


async def test_getme_says_whether_inline_mode_is_on(api: Api, emu: TelegramEmulator) -> None:
    assert (await api("getMe")).result["supports_inline_queries"] is False
    emu.bot.inline_placeholder = "Search"
    assert (await api("getMe")).result["supports_inline_queries"] is True


async def test_without_inline_mode_a_client_sends_no_inline_query(emu: TelegramEmulator) -> None:
    person = await started(emu)
    with pytest.raises(ValueError, match="no inline mode"):
        await emu.type_inline(person, "case")
    assert emu.updates == []


async def test_an_answered_query_lists_the_results_and_sends_the_chosen_one_via_the_bot(
    api: Api, inline: TelegramEmulator
) -> None:
    person, update, typing = await query(api, inline, "zhanbolat")
    asked = update["inline_query"]
    assert (asked["query"], asked["chat_type"], asked["offset"]) == ("zhanbolat", "sender", "")
    results = [article(reply_markup={"inline_keyboard": [[LINK]]})]
    reply = await api(
        "answerInlineQuery", inline_query_id=asked["id"], results=results, is_personal=True
    )
    assert reply.ok
    answer: InlineAnswer = await typing
    assert answer.is_personal and [r.title for r in answer.results] == ["A case"]
    # Answered once: a second answer is too late.
    again = await api("answerInlineQuery", inline_query_id=asked["id"], results=[])
    assert again.description.startswith("Bad Request: query is too old")

    sent = await inline.send_inline_result(person, answer, "a1")
    assert sent.via_bot and sent.text == "Case & more" and sent.html is not None
    (update,) = (await api("getUpdates", offset=update["update_id"] + 1)).result
    assert update["message"]["via_bot"]["username"] == "UrgentActionBot"
    assert update["message"]["reply_markup"] == {"inline_keyboard": [[LINK]]}


async def test_the_chosen_result_reaches_the_bot_only_with_inline_feedback(
    api: Api, inline: TelegramEmulator
) -> None:
    inline.bot.inline_feedback = True
    _, update, typing = await query(api, inline)
    group = await inline.create_group("Friends", members=[update["inline_query"]["from"]["id"]])
    await api("getUpdates", offset=update["update_id"] + 1)  # the bot's my_chat_member
    inline.bot.updates.clear()
    results = [article(reply_markup={"inline_keyboard": [[LINK]]})]
    await api("answerInlineQuery", inline_query_id=update["inline_query"]["id"], results=results)
    answer = await typing
    person = update["inline_query"]["from"]["id"]
    moved = InlineAnswer(**{**answer.__dict__, "chat_id": group.id})
    await inline.send_inline_result(person, moved, "a1")
    (chosen,) = [u for u in inline.updates if "chosen_inline_result" in u]
    assert chosen["chosen_inline_result"]["result_id"] == "a1"
    assert "inline_message_id" in chosen["chosen_inline_result"]


@pytest.mark.parametrize(
    ("results", "description"),
    [
        ([article("same"), article("same")], "RESULT_ID_DUPLICATE"),
        ([article("x" * 65)], "RESULT_ID_INVALID"),
        ([article(str(i)) for i in range(51)], "RESULTS_TOO_MUCH"),
        ([{**article(), "type": "poster"}], "RESULT_TYPE_INVALID"),
        ([article(text="")], "MESSAGE_EMPTY"),
        ([article(text="x" * 4097)], "message is too long"),
        ([article(text="<b>open")], "can't parse entities: "),
        (
            [article(reply_markup={"inline_keyboard": [[{"text": "x", "callback_data": ""}]]})],
            "BUTTON_DATA_INVALID",
        ),
        (
            [
                article(
                    reply_markup={
                        "inline_keyboard": [[{"text": "x", "web_app": {"url": "https://e.org"}}]]
                    }
                )
            ],
            "BUTTON_TYPE_INVALID",
        ),
    ],
)
async def test_answers_are_refused_as_the_service_refuses_them(
    api: Api, inline: TelegramEmulator, results: list[Any], description: str
) -> None:
    _, update, typing = await query(api, inline)
    reply = await api(
        "answerInlineQuery", inline_query_id=update["inline_query"]["id"], results=results
    )
    assert reply.status == 400
    assert reply.description.startswith(f"Bad Request: {description}")
    typing.cancel()


@pytest.mark.parametrize(
    ("button", "description"),
    [
        ({"text": "Open", "start_parameter": "a b"}, "START_PARAM_INVALID"),
        ({"text": "Open", "start_parameter": "x" * 65}, "START_PARAM_INVALID"),
        ({"text": "Open"}, "InlineQueryResultsButton must have exactly one"),
    ],
)
async def test_the_button_above_the_results_is_checked(
    api: Api, inline: TelegramEmulator, button: Any, description: str
) -> None:
    _, update, typing = await query(api, inline)
    reply = await api(
        "answerInlineQuery",
        inline_query_id=update["inline_query"]["id"],
        results=[],
        button=button,
    )
    assert reply.description.startswith(f"Bad Request: {description}")
    typing.cancel()


async def test_a_chosen_chat_button_needs_a_kind_of_chat_and_offers_only_those(
    api: Api, inline: TelegramEmulator
) -> None:
    person = await started(inline)
    nowhere = {"text": "Share", "switch_inline_query_chosen_chat": {"query": "case"}}
    reply = await api(
        "sendMessage", chat_id=person, text="Done", reply_markup={"inline_keyboard": [[nowhere]]}
    )
    assert reply.description == "Bad Request: Target chat must be non-empty"
    groups_only = {
        "text": "Share",
        "switch_inline_query_chosen_chat": {"query": "case", "allow_group_chats": True},
    }
    sent = await api(
        "sendMessage",
        chat_id=person,
        text="Done",
        reply_markup={"inline_keyboard": [[groups_only]]},
    )
    message = (person, sent.result["message_id"])
    friend = inline.create_person("Boris")
    group = await inline.create_group("Friends", members=[person, friend.id])
    with pytest.raises(ValueError, match="private chats"):
        await inline.switch_to_chosen_chat(person, message, "Share", friend.id)
    inline.bot.updates.clear()
    typing = asyncio.create_task(inline.switch_to_chosen_chat(person, message, "Share", group.id))
    await asyncio.sleep(0)
    (update,) = (await api("getUpdates")).result
    assert (update["inline_query"]["query"], update["inline_query"]["chat_type"]) == (
        "case",
        "group",
    )
    typing.cancel()


async def test_a_start_link_sends_start_with_its_payload(inline: TelegramEmulator) -> None:
    person = await started(inline)
    sent = await inline.open_link(person, "https://t.me/UrgentActionBot?start=s_case_abc")
    assert sent.text == "/start s_case_abc"
    # A payload Telegram would not carry is dropped by the client; another bot's link is not ours.
    assert (await inline.open_link(person, "https://t.me/UrgentActionBot?start=a+b")).text == (
        "/start"
    )
    with pytest.raises(ValueError, match="not a link"):
        await inline.open_link(person, "https://t.me/OtherBot?start=x")


async def test_the_demo_shares_through_the_control_api(
    api: Api, inline: TelegramEmulator, http: aiohttp.ClientSession
) -> None:
    person = await started(inline)
    chooser = {"query": "case", "allow_group_chats": True}
    share = {"text": "📣 Ask a friend", "switch_inline_query_chosen_chat": chooser}
    sent = await api(
        "sendMessage", chat_id=person, text="Thanks", reply_markup={"inline_keyboard": [[share]]}
    )
    friend = inline.create_person("Boris")
    group = await inline.create_group("Friends", members=[person, friend.id])
    body = {
        "user_id": person,
        "chat_id": person,
        "message_id": sent.result["message_id"],
        "label": "📣 Ask a friend",
        "to_chat_id": group.id,
    }

    inline.bot.updates.clear()  # the group's my_chat_member

    async def bot() -> None:
        # The bot long-polls and answers the inline query the chooser sent.
        (update,) = (await api("getUpdates", timeout=5)).result
        results = [article(reply_markup={"inline_keyboard": [[LINK]]})]
        query_id = update["inline_query"]["id"]
        await api("answerInlineQuery", inline_query_id=query_id, results=results)

    answering = asyncio.create_task(bot())
    async with http.post(f"{inline.api_url}/_emulator/share", json=body) as response:
        shared = await response.json()
    await answering
    assert shared["sent"] is True
    message = shared["message"]
    assert message["chat"]["id"] == group.id
    assert message["via_bot"]["username"] == "UrgentActionBot"
    assert message["from"]["id"] == person
