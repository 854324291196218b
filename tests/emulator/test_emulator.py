"""The emulator is as strict as Telegram: each limit and error kind, over real HTTP."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from aiohttp import web
from telegram import Bot, InputFile

from bot.emulator import EmulatorLimits, Rate, TelegramEmulator
from bot.emulator.server import IMPLEMENTED_METHODS, READ_PARAMETERS

TOKEN = "777:EMULATOR-test-token-abcdefghijkl"
SPEC = Path(__file__).resolve().parents[2].parent / "shared" / "telegram" / "bot-api-spec.json"


@pytest.fixture
async def emu() -> AsyncIterator[TelegramEmulator]:
    emulator = TelegramEmulator(EmulatorLimits())
    emulator.create_bot(TOKEN)
    await emulator.start()
    yield emulator
    await emulator.stop()


@pytest.fixture
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as session:
        yield session


async def call(
    http: aiohttp.ClientSession,
    emu: TelegramEmulator,
    method: str,
    token: str = TOKEN,
    **params: Any,
) -> tuple[int, dict[str, Any]]:
    async with http.post(f"{emu.api_url}/bot{token}/{method}", json=params) as response:
        return response.status, await response.json()


async def started(emu: TelegramEmulator, name: str = "Anna") -> int:
    person = emu.create_person(name)
    await emu.send_text(person.id, "/start")
    return person.id


async def test_unknown_token_and_method(
    emu: TelegramEmulator, http: aiohttp.ClientSession
) -> None:
    assert await call(http, emu, "getMe", token="1:nope") == (
        401,
        {"ok": False, "error_code": 401, "description": "Unauthorized"},
    )
    status, body = await call(http, emu, "sendPigeon")
    assert (status, body["description"]) == (404, "Not Found")


async def test_text_length_is_counted_in_utf16_units_after_parsing(
    emu: TelegramEmulator, http: aiohttp.ClientSession
) -> None:
    chat = await started(emu)
    ok, _ = await call(
        http, emu, "sendMessage", chat_id=chat, text="<b>" + "x" * 4096 + "</b>", parse_mode="HTML"
    )
    assert ok == 200
    emu.elapse(2)
    status, body = await call(http, emu, "sendMessage", chat_id=chat, text="😀" * 2049)
    assert (status, body["description"]) == (400, "Bad Request: message is too long")
    status, body = await call(
        http, emu, "sendMessage", chat_id=chat, text="<b> </b>", parse_mode="HTML"
    )
    assert body["description"] == "Bad Request: message text is empty"


async def test_caption_length(emu: TelegramEmulator, http: aiohttp.ClientSession) -> None:
    chat = await started(emu)
    upload = aiohttp.FormData()
    upload.add_field("chat_id", str(chat))
    upload.add_field("caption", "c" * 1025)
    upload.add_field("document", b"data", filename="a.txt", content_type="text/plain")
    async with http.post(f"{emu.api_url}/bot{TOKEN}/sendDocument", data=upload) as response:
        body = await response.json()
    assert body["description"] == "Bad Request: message caption is too long"


@pytest.mark.parametrize(
    ("html", "error"),
    [
        ("line<br>break", 'Unsupported start tag "br" at byte offset 4'),
        ("<b>bold", 'Can\'t find end tag corresponding to start tag "b"'),
        ("<b><i>x</b></i>", 'Can\'t find end tag corresponding to start tag "i"'),
        ("é</b>", "Unexpected end tag at byte offset 2"),
        ("1 < 2", 'unexpected character "<" at byte offset 2'),
        ("<span>x</span>", 'tag "span" must have class "tg-spoiler"'),
        ("<a>x</a>", 'tag "a" must have attribute "href"'),
        ("&nbsp;", 'unsupported HTML entity "&nbsp;"'),
    ],
)
async def test_malformed_html_is_refused_with_its_position(
    emu: TelegramEmulator, http: aiohttp.ClientSession, html: str, error: str
) -> None:
    chat = await started(emu)
    status, body = await call(http, emu, "sendMessage", chat_id=chat, text=html, parse_mode="HTML")
    assert status == 400
    assert body["description"].startswith("Bad Request: Can't parse entities")
    assert error in body["description"]


async def test_allowed_html_becomes_text_and_entities(
    emu: TelegramEmulator, http: aiohttp.ClientSession
) -> None:
    chat = await started(emu)
    source = '<b>Bold</b> &amp; <a href="https://amnesty.org">link</a> <tg-spoiler>s</tg-spoiler> <blockquote expandable>q</blockquote>'
    status, body = await call(
        http, emu, "sendMessage", chat_id=chat, text=source, parse_mode="HTML"
    )
    assert status == 200
    assert body["result"]["text"] == "Bold & link s q"
    types = [e["type"] for e in body["result"]["entities"]]
    assert types == ["bold", "text_link", "spoiler", "expandable_blockquote"]


@pytest.mark.parametrize(
    ("keyboard", "error"),
    [
        ([[{"text": "é", "callback_data": "é" * 33}]], "BUTTON_DATA_INVALID"),  # 66 bytes
        ([[{"text": "x", "callback_data": ""}]], "BUTTON_DATA_INVALID"),
        ([[{"text": "mail", "url": "mailto:udp@udp-rk.kz"}]], "BUTTON_URL_INVALID"),
        ([[{"text": "tel", "url": "tel:+77172745631"}]], "BUTTON_URL_INVALID"),
        (
            [[{"text": str(i), "callback_data": str(i)} for i in range(9)]],
            "too many buttons in a row",
        ),
        (
            [[{"text": str(i), "callback_data": str(i)}] for i in range(101)],
            "reply markup is too long",
        ),
        (
            [[{"text": "both", "callback_data": "a", "url": "https://x.org"}]],
            "exactly one optional field",
        ),
    ],
)
async def test_keyboard_limits(
    emu: TelegramEmulator,
    http: aiohttp.ClientSession,
    keyboard: list[list[dict[str, str]]],
    error: str,
) -> None:
    chat = await started(emu)
    markup = {"inline_keyboard": keyboard}
    status, body = await call(
        http, emu, "sendMessage", chat_id=chat, text="x", reply_markup=markup
    )
    assert status == 400
    assert error in body["description"]


async def test_callback_data_of_exactly_64_bytes_is_accepted(
    emu: TelegramEmulator, http: aiohttp.ClientSession
) -> None:
    chat = await started(emu)
    markup = {"inline_keyboard": [[{"text": "ok", "callback_data": "é" * 32}]]}
    status, _ = await call(http, emu, "sendMessage", chat_id=chat, text="x", reply_markup=markup)
    assert status == 200


async def test_a_private_chat_floods_past_its_burst_and_stays_shut_until_retry_after(
    emu: TelegramEmulator, http: aiohttp.ClientSession
) -> None:
    chat = await started(emu)
    for _ in range(3):
        assert (await call(http, emu, "sendMessage", chat_id=chat, text="hi"))[0] == 200
    status, body = await call(http, emu, "sendMessage", chat_id=chat, text="hi")
    assert status == 429
    retry = body["parameters"]["retry_after"]
    assert body["description"] == f"Too Many Requests: retry after {retry}"
    emu.elapse(retry - 0.5)
    assert (await call(http, emu, "sendMessage", chat_id=chat, text="hi"))[0] == 429
    emu.elapse(0.6)
    assert (await call(http, emu, "sendMessage", chat_id=chat, text="hi"))[0] == 200
    assert emu.stats.too_many_by_scope["chat"] == 2


async def test_a_group_takes_20_messages_a_minute(
    emu: TelegramEmulator, http: aiohttp.ClientSession
) -> None:
    admin = emu.create_person("Dana")
    group = await emu.create_group("G", members=[admin.id], admins=[admin.id])
    sent = 0
    for _ in range(25):
        emu.elapse(0.5)  # slower than the bot-wide limit, faster than the group's
        status, _ = await call(http, emu, "sendMessage", chat_id=group.id, text="x")
        sent += status == 200
    assert sent == 20
    assert emu.stats.too_many_by_scope["group"] >= 1


async def test_the_whole_bot_is_held_to_its_rate_and_paid_broadcasts_to_theirs(
    http: aiohttp.ClientSession,
) -> None:
    limits = EmulatorLimits(whole_bot=Rate(30, 30), paid_broadcast=Rate(1000, 1000))
    emu = TelegramEmulator(limits)
    emu.create_bot(TOKEN)
    await emu.start()
    try:
        chats = [await started(emu, f"P{i}") for i in range(40)]
        results = [(await call(http, emu, "sendMessage", chat_id=c, text="x"))[0] for c in chats]
        assert results.count(200) == 30
        assert results[30:] == [429] * 10
        paid = [
            (await call(http, emu, "sendMessage", chat_id=c, text="x", allow_paid_broadcast=True))[
                0
            ]
            for c in chats
        ]
        assert paid == [200] * 40
        assert emu.stats.paid_delivered == 40
    finally:
        await emu.stop()


async def test_blocked_kicked_deactivated_unknown_and_migrated_chats(
    emu: TelegramEmulator, http: aiohttp.ClientSession
) -> None:
    blocked = await started(emu, "B")
    await emu.block_bot(blocked)
    assert (await call(http, emu, "sendMessage", chat_id=blocked, text="x"))[1]["description"] == (
        "Forbidden: bot was blocked by the user"
    )
    gone = await started(emu, "D")
    emu.deactivate(gone)
    status, body = await call(http, emu, "sendMessage", chat_id=gone, text="x")
    assert (status, body["description"]) == (403, "Forbidden: user is deactivated")
    status, body = await call(http, emu, "sendMessage", chat_id=999, text="x")
    assert (status, body["description"]) == (400, "Bad Request: chat not found")
    admin = emu.create_person("Dana")
    group = await emu.create_group("G", members=[admin.id], admins=[admin.id])
    new_id = await emu.upgrade_to_supergroup(group.id)
    status, body = await call(http, emu, "sendMessage", chat_id=group.id, text="x")
    assert status == 400
    assert body["parameters"] == {"migrate_to_chat_id": new_id}
    assert (await call(http, emu, "sendMessage", chat_id=new_id, text="x"))[0] == 200
    await emu.remove_bot_from_group(new_id, by=admin.id)
    status, body = await call(http, emu, "sendMessage", chat_id=new_id, text="x")
    assert (status, body["description"]) == (403, "Forbidden: bot was kicked from the group chat")


async def test_edits_that_change_nothing_and_missing_messages(
    emu: TelegramEmulator, http: aiohttp.ClientSession
) -> None:
    chat = await started(emu)
    _, sent = await call(http, emu, "sendMessage", chat_id=chat, text="same")
    message_id = sent["result"]["message_id"]
    status, body = await call(
        http, emu, "editMessageText", chat_id=chat, message_id=message_id, text="same"
    )
    assert status == 400
    assert body["description"].startswith("Bad Request: message is not modified")
    status, body = await call(http, emu, "editMessageText", chat_id=chat, message_id=999, text="x")
    assert body["description"] == "Bad Request: message to edit not found"
    status, body = await call(http, emu, "deleteMessage", chat_id=chat, message_id=999)
    assert body["description"] == "Bad Request: message to delete not found"


async def test_callback_queries_answered_late_or_twice_are_refused(
    emu: TelegramEmulator, http: aiohttp.ClientSession
) -> None:
    chat = await started(emu)
    markup = {"inline_keyboard": [[{"text": "tap", "callback_data": "t"}]]}
    await call(http, emu, "sendMessage", chat_id=chat, text="x", reply_markup=markup)
    message = emu.bot_messages(chat)[-1]
    tap = asyncio.create_task(emu.tap(chat, message, "t", timeout=1))
    await emu.wait_for(lambda: any("callback_query" in u for u in emu.updates))
    query_id = next(u["callback_query"]["id"] for u in emu.updates if "callback_query" in u)
    status, body = await call(
        http, emu, "answerCallbackQuery", callback_query_id=query_id, text="x" * 201
    )
    assert status == 400
    assert (await call(http, emu, "answerCallbackQuery", callback_query_id=query_id, text="Done"))[
        0
    ] == 200
    answer = await tap
    assert answer is not None
    assert answer.text == "Done"
    status, body = await call(http, emu, "answerCallbackQuery", callback_query_id=query_id)
    assert "query is too old" in body["description"]
    late = asyncio.create_task(emu.tap(chat, message, "t", timeout=0.5))
    await emu.wait_for(lambda: sum("callback_query" in u for u in emu.updates) == 2)
    late_id = [u["callback_query"]["id"] for u in emu.updates if "callback_query" in u][-1]
    emu.elapse(16)
    status, body = await call(http, emu, "answerCallbackQuery", callback_query_id=late_id)
    assert (status, "query is too old" in body["description"]) == (400, True)
    assert await late is None


async def test_get_updates_confirms_with_offset_long_polls_and_refuses_a_second_poller(
    emu: TelegramEmulator, http: aiohttp.ClientSession
) -> None:
    person = emu.create_person("Anna")
    await emu.send_text(person.id, "/start")
    _, body = await call(http, emu, "getUpdates")
    (update,) = body["result"]
    assert update["message"]["text"] == "/start"
    assert update["message"]["entities"] == [{"type": "bot_command", "offset": 0, "length": 6}]
    _, body = await call(http, emu, "getUpdates", offset=update["update_id"] + 1)
    assert body["result"] == []
    waiting = asyncio.create_task(
        call(http, emu, "getUpdates", offset=update["update_id"] + 1, timeout=5)
    )
    await asyncio.sleep(0.05)
    await emu.send_text(person.id, "hello")
    _, body = await waiting
    assert [u["message"]["text"] for u in body["result"]] == ["hello"]
    first = asyncio.create_task(call(http, emu, "getUpdates", offset=999, timeout=5))
    await asyncio.sleep(0.05)
    second = asyncio.create_task(call(http, emu, "getUpdates", offset=999, timeout=1))
    status, body = await first
    assert (
        status,
        body["description"].startswith("Conflict: terminated by other getUpdates"),
    ) == (409, True)
    await second


async def test_webhook_delivery_carries_the_secret_header(
    emu: TelegramEmulator, http: aiohttp.ClientSession
) -> None:

    received: list[tuple[str | None, dict[str, Any]]] = []

    async def hook(request: web.Request) -> web.Response:
        received.append(
            (request.headers.get("X-Telegram-Bot-Api-Secret-Token"), await request.json())
        )
        return web.Response()

    app = web.Application()
    app.router.add_post("/hook", hook)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    try:
        status, body = await call(
            http,
            emu,
            "setWebhook",
            url=f"http://127.0.0.1:{port}/hook",
            secret_token="bad secret!",
        )
        assert status == 400
        await call(
            http, emu, "setWebhook", url=f"http://127.0.0.1:{port}/hook", secret_token="s3cret"
        )
        status, body = await call(http, emu, "getUpdates")
        assert status == 409
        person = emu.create_person("Anna")
        await emu.send_text(person.id, "/start")
        for _ in range(100):
            if received:
                break
            await asyncio.sleep(0.05)
        assert received[0][0] == "s3cret"
        assert received[0][1]["message"]["text"] == "/start"
        await call(http, emu, "deleteWebhook")
    finally:
        await runner.cleanup()


async def test_bot_commands_are_validated(
    emu: TelegramEmulator, http: aiohttp.ClientSession
) -> None:
    status, body = await call(
        http, emu, "setMyCommands", commands=[{"command": "Start!", "description": "x"}]
    )
    assert (status, body["description"]) == (400, "Bad Request: BOT_COMMAND_INVALID")
    status, _ = await call(
        http, emu, "setMyCommands", commands=[{"command": "start", "description": "Go"}]
    )
    assert status == 200
    _, body = await call(http, emu, "getMyCommands")
    assert body["result"] == [{"command": "start", "description": "Go"}]


async def test_python_telegram_bot_speaks_to_it(emu: TelegramEmulator) -> None:
    chat = await started(emu)
    bot = Bot(TOKEN, base_url=f"{emu.api_url}/bot", base_file_url=f"{emu.api_url}/file/bot")
    async with bot:
        me = await bot.get_me()
        assert me.username == "UrgentActionBot"
        updates = await bot.get_updates()
        assert updates[0].message is not None
        assert updates[0].message.text == "/start"
        sent = await bot.send_message(chat, "<b>hello</b>", parse_mode="HTML")
        assert sent.text == "hello"
        emu.elapse(2)
        document = await bot.send_document(chat, InputFile(b"letter body", filename="letter.txt"))
        assert document.document is not None
        file = await bot.get_file(document.document.file_id)
        assert bytes(await file.download_as_bytearray()) == b"letter body"
        member = await bot.get_chat_member(chat, chat)
        assert member.status == "member"
        full = await bot.get_chat(chat)
        assert full.id == chat
    assert emu.messages(chat)[-1].document is not None


def test_every_method_and_parameter_exists_in_the_bot_api_spec() -> None:
    spec = json.loads(SPEC.read_text())["methods"]
    for method in IMPLEMENTED_METHODS:
        assert method in spec, method
        names = {f["name"] for f in spec[method].get("fields", [])}
        for parameter in READ_PARAMETERS.get(method, ()):
            assert parameter in names, f"{method}.{parameter}"


async def test_required_parameters_missing_give_400(
    emu: TelegramEmulator, http: aiohttp.ClientSession
) -> None:
    spec = json.loads(SPEC.read_text())["methods"]
    for method in (
        "sendMessage",
        "editMessageText",
        "answerCallbackQuery",
        "getFile",
        "getChatMember",
    ):
        required = [f["name"] for f in spec[method]["fields"] if f.get("required")]
        assert required
        status, body = await call(http, emu, method)
        assert status == 400, method
        assert body["description"].startswith("Bad Request:"), method
