"""The Bot API over HTTP: tokens, method names, every way a client may pass parameters."""

from __future__ import annotations

import json

import aiohttp
import pytest

from bot.emulator import TelegramEmulator
from tests.emulator.conftest import TOKEN, Api, started


async def test_an_unknown_token_is_unauthorized(api: Api) -> None:
    api.token = "1:not-the-token"
    reply = await api("getMe")
    assert (reply.status, reply.body) == (
        401,
        {"ok": False, "error_code": 401, "description": "Unauthorized"},
    )


async def test_an_unknown_method_is_not_found(api: Api) -> None:
    reply = await api("sendPigeon", chat_id=1)
    assert (reply.status, reply.body) == (
        404,
        {"ok": False, "error_code": 404, "description": "Not Found"},
    )


async def test_get_me_answers_with_the_bot(api: Api) -> None:
    reply = await api("getMe")
    assert reply.status == 200
    assert reply.result["username"] == "UrgentActionBot"
    assert reply.result["is_bot"] is True
    assert reply.result["id"] == 777000
    assert reply.result["can_read_all_group_messages"] is False


async def test_method_names_ignore_case_as_the_service_does(api: Api) -> None:
    assert (await api("GETME")).ok
    assert (await api("getme")).ok


async def test_get_with_a_query_string(emu: TelegramEmulator, http: aiohttp.ClientSession) -> None:
    chat = await started(emu)
    url = f"{emu.api_url}/bot{TOKEN}/sendMessage"
    async with http.get(url, params={"chat_id": str(chat), "text": "hi there"}) as response:
        body = await response.json()
    assert body["ok"] is True
    assert body["result"]["text"] == "hi there"


async def test_form_urlencoded_with_json_serialized_fields(
    emu: TelegramEmulator, api: Api
) -> None:
    chat = await started(emu)
    keyboard = {"inline_keyboard": [[{"text": "Go", "callback_data": "go"}]]}
    reply = await api.form(
        "sendMessage",
        {
            "chat_id": str(chat),
            "text": "<b>Act now</b>",
            "parse_mode": "HTML",
            "reply_markup": json.dumps(keyboard),
            "disable_notification": "true",
        },
    )
    assert reply.result["reply_markup"] == keyboard
    assert reply.result["entities"] == [{"type": "bold", "offset": 0, "length": 7}]
    assert emu.messages(chat)[-1].silent is True


async def test_multipart_fields_without_a_file(emu: TelegramEmulator, api: Api) -> None:
    chat = await started(emu)
    form = aiohttp.FormData()
    form.add_field("chat_id", str(chat))
    form.add_field("text", "from a multipart form")
    # A text part of a multipart body is an ordinary parameter.
    form.add_field("protect_content", "true", content_type="text/plain")
    reply = await api.form("sendMessage", form)
    assert reply.result["text"] == "from a multipart form"
    assert reply.result["has_protected_content"] is True


async def test_the_options_ptb_sends_by_default_are_accepted(
    emu: TelegramEmulator, api: Api
) -> None:
    chat = await started(emu)
    reply = await api(
        "sendMessage",
        chat_id=chat,
        text="with every option",
        link_preview_options={"is_disabled": True},
        disable_notification=False,
        protect_content=False,
        allow_paid_broadcast=False,
        message_effect_id="5104841245755180586",
    )
    assert reply.ok


async def test_an_unknown_parameter_is_refused_not_dropped(
    emu: TelegramEmulator, api: Api
) -> None:
    chat = await started(emu)
    reply = await api("sendMessage", chat_id=chat, text="x", reply_markpu={"inline_keyboard": []})
    assert reply.status == 400
    assert reply.description == 'Bad Request: unknown parameter "reply_markpu" for sendMessage'


async def test_a_feature_the_emulator_does_not_model_fails_loudly(
    emu: TelegramEmulator, api: Api
) -> None:
    chat = await started(emu)
    reply = await api("sendMessage", chat_id=chat, text="x", message_thread_id=7)
    assert (reply.status, reply.description) == (400, "Bad Request: message thread not found")
    reply = await api("sendMessage", chat_id=chat, text="x", business_connection_id="b1")
    assert reply.description == "Bad Request: business connection not found"


async def test_a_broken_json_body_is_a_bad_request(
    emu: TelegramEmulator, http: aiohttp.ClientSession
) -> None:
    url = f"{emu.api_url}/bot{TOKEN}/getMe"
    headers = {"Content-Type": "application/json"}
    async with http.post(url, data=b"{not json", headers=headers) as response:
        assert response.status == 400
        assert (await response.json())["description"].startswith("Bad Request: can't parse")


async def test_requests_are_counted_per_method(emu: TelegramEmulator, api: Api) -> None:
    await api("getMe")
    await api("getMe")
    await api("nothing")
    assert emu.stats.requests["getMe"] == 2
    assert emu.stats.requests["nothing"] == 1
    assert emu.stats.errors[404] == 1


def test_the_emulator_serves_one_bot_with_a_real_looking_token() -> None:
    emulator = TelegramEmulator()
    with pytest.raises(RuntimeError, match="no bot yet"):
        _ = emulator.bot
    with pytest.raises(ValueError, match="token"):
        emulator.create_bot("not-a-token")
    emulator.create_bot(TOKEN)
    with pytest.raises(RuntimeError, match="one bot"):
        emulator.create_bot("1:another")
