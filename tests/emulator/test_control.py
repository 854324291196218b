"""The control API under /_emulator/: the people's side over HTTP, for the demo and benchmarks."""

from __future__ import annotations

import asyncio
import json
import time
from typing import Any

import aiohttp
import pytest
from telegram import Update

from bot.emulator import TelegramEmulator
from tests.emulator.conftest import TOKEN, Api


class Control:
    """JSON calls to the control API."""

    def __init__(self, http: aiohttp.ClientSession, emu: TelegramEmulator) -> None:
        self.http = http
        self.root = f"{emu.api_url}/_emulator"

    async def get(self, path: str) -> Any:
        async with self.http.get(self.root + path) as response:
            assert response.status == 200, await response.text()
            return await response.json()

    async def post(self, path: str, body: dict[str, Any], status: int = 200) -> Any:
        async with self.http.post(self.root + path, json=body) as response:
            assert response.status == status, await response.text()
            return await response.json()


@pytest.fixture
def control(http: aiohttp.ClientSession, emu: TelegramEmulator) -> Control:
    return Control(http, emu)


async def test_people_groups_and_the_state(control: Control, emu: TelegramEmulator) -> None:
    anna = await control.post("/people", {"first_name": "Anna", "language_code": "ru"})
    dana = await control.post("/people", {"first_name": "Dana", "user_id": 42})
    assert (anna["language_code"], dana["id"]) == ("ru", 42)
    crowd = await control.post("/people", {"count": 3})
    assert len(crowd["ids"]) == 3
    group = await control.post(
        "/groups", {"title": "Almaty", "members": [anna["id"]], "admins": [42]}
    )
    assert group["members"] == {"42": "creator", str(anna["id"]): "member"}
    state = await control.get("/state")
    assert state["bot"]["username"] == "UrgentActionBot"
    assert len(state["people"]) == 5
    assert {c["id"] for c in state["chats"]} >= {anna["id"], group["id"]}
    assert state["last_event"] == emu.last_event


async def test_group_changes(control: Control, emu: TelegramEmulator) -> None:
    dana = await control.post("/people", {"first_name": "Dana"})
    erik = await control.post("/people", {"first_name": "Erik"})
    group = await control.post("/groups", {"title": "G", "members": [], "admins": [dana["id"]]})
    path = f"/groups/{group['id']}"
    joined = await control.post(path + "/join", {"user_id": erik["id"]})
    assert joined["members"][str(erik["id"])] == "member"
    promoted = await control.post(path + "/admins", {"user_id": erik["id"], "admin": True})
    assert promoted["members"][str(erik["id"])] == "administrator"
    left = await control.post(path + "/leave", {"user_id": erik["id"]})
    assert left["members"][str(erik["id"])] == "left"
    removed = await control.post(path + "/bot", {"action": "remove"})
    assert removed["bot_status"] == "kicked"
    added = await control.post(path + "/bot", {"action": "add", "admin": True})
    assert added["bot_status"] == "administrator"
    upgraded = await control.post(path + "/upgrade", {})
    assert upgraded["type"] == "supergroup"
    assert upgraded["migrated_from"] == group["id"]


async def test_a_person_writes_and_the_bot_hears(
    control: Control, emu: TelegramEmulator, api: Api
) -> None:
    anna = await control.post("/people", {"first_name": "Anna"})
    sent = await control.post("/send", {"user_id": anna["id"], "text": "/start"})
    assert sent["text"] == "/start"
    assert sent["from_bot"] is False
    (update,) = (await api("getUpdates")).result
    assert update["message"]["message_id"] == sent["message_id"]
    await api("sendMessage", chat_id=anna["id"], text="<b>Welcome</b>", parse_mode="HTML")
    messages = await control.get(f"/chats/{anna['id']}/messages?since={sent['message_id']}")
    assert [(m["text"], m["html"], m["from_bot"]) for m in messages] == [
        ("Welcome", "<b>Welcome</b>", True)
    ]


async def test_events_wait_for_something_new(
    control: Control, emu: TelegramEmulator, api: Api
) -> None:
    anna = await control.post("/people", {"first_name": "Anna", "started": True})
    mark = (await control.get("/state"))["last_event"]
    waiting = asyncio.get_running_loop().create_task(
        control.get(f"/events?since={mark}&timeout=5")
    )
    await asyncio.sleep(0.05)
    assert not waiting.done()
    started_at = time.monotonic()
    await api("sendMessage", chat_id=anna["id"], text="news")
    found = await waiting
    assert time.monotonic() - started_at < 1
    assert [e["kind"] for e in found["events"]] == ["message"]
    assert found["events"][0]["message"]["text"] == "news"
    assert found["last"] == mark + 1
    nothing = await control.get(f"/events?since={found['last']}&timeout=0")
    assert nothing == {"events": [], "last": found["last"]}


async def test_a_tap_over_http_returns_the_answer(
    control: Control, emu: TelegramEmulator, api: Api
) -> None:
    anna = await control.post("/people", {"first_name": "Anna", "started": True})
    markup = {"inline_keyboard": [[{"text": "Go", "callback_data": "go"}]]}
    sent = await api("sendMessage", chat_id=anna["id"], text="Card", reply_markup=markup)

    async def bot_answers() -> None:
        (update,) = (await api("getUpdates", timeout=5)).result
        await api(
            "answerCallbackQuery", callback_query_id=update["callback_query"]["id"], text="OK"
        )

    answering = asyncio.get_running_loop().create_task(bot_answers())
    tap = {
        "user_id": anna["id"],
        "chat_id": anna["id"],
        "message_id": sent.result["message_id"],
        "data": "go",
    }
    answer = await control.post("/tap", tap)
    await answering
    assert answer == {"answered": True, "text": "OK", "show_alert": False, "url": None}
    unanswered = await control.post("/tap", {**tap, "timeout": 0})
    assert unanswered == {"answered": False}


async def test_block_deactivate_stats_and_faults(
    control: Control, emu: TelegramEmulator, api: Api, http: aiohttp.ClientSession
) -> None:
    anna = await control.post("/people", {"first_name": "Anna", "started": True})
    boris = await control.post("/people", {"first_name": "Boris", "started": True})
    assert (await control.post("/block", {"user_id": anna["id"]}))["blocked_bot"] is True
    assert (await control.post("/deactivate", {"user_id": boris["id"]}))["deactivated"] is True
    assert (await api("sendMessage", chat_id=anna["id"], text="x")).status == 403
    await control.post("/block", {"user_id": anna["id"], "blocked": False})
    await control.post("/faults", {"method": "sendMessage", "status": 500})
    assert (await api("sendMessage", chat_id=anna["id"], text="x")).status == 500
    assert (await api("sendMessage", chat_id=anna["id"], text="x")).ok
    stats = await control.get("/stats")
    assert stats["requests"]["sendMessage"] == 3
    assert stats["delivered"] == 1
    assert stats["errors"] == {"403": 1, "500": 1}
    await control.post("/faults", {"count": 3})
    async with http.delete(f"{control.root}/faults"):
        pass
    async with http.delete(f"{control.root}/stats"):
        pass
    # The chat's burst of three: one is spent, two are left, the next is refused.
    statuses = [(await api("sendMessage", chat_id=anna["id"], text="x")).status for _ in range(3)]
    assert statuses == [200, 200, 429]
    stats = await control.get("/stats")
    assert (stats["delivered"], stats["too_many_by_scope"]) == (2, {"chat": 1})


async def test_an_upload_and_the_file_link(
    control: Control, emu: TelegramEmulator, http: aiohttp.ClientSession
) -> None:
    anna = await control.post("/people", {"first_name": "Anna"})
    form = aiohttp.FormData()
    form.add_field("user_id", str(anna["id"]))
    form.add_field("caption", "signed")
    form.add_field("file", b"%PDF-1.4", filename="sheet.pdf", content_type="application/pdf")
    async with http.post(f"{control.root}/upload", data=form) as response:
        message = await response.json()
    assert message["document"]["mime_type"] == "application/pdf"
    assert message["caption"] == "signed"
    async with http.get(f"{control.root}/files/{message['document']['file_id']}") as response:
        assert await response.read() == b"%PDF-1.4"


async def test_a_picture_uploaded_as_a_photo_reaches_the_bot_as_one(
    control: Control, http: aiohttp.ClientSession
) -> None:
    anna = await control.post("/people", {"first_name": "Anna"})
    form = aiohttp.FormData()
    form.add_field("user_id", str(anna["id"]))
    form.add_field("as", "photo")
    form.add_field("file", PNG, filename="reply.png", content_type="image/png")
    async with http.post(f"{control.root}/upload", data=form) as response:
        message = await response.json()
    assert "document" not in message
    (size,) = message["photo"]
    assert (size["width"], size["height"]) == (1, 1)
    async with http.get(f"{control.root}/files/{size['file_id']}") as response:
        assert await response.read() == PNG


# The smallest PNG: one white pixel.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c63f8ffff3f0005fe02fea7d6a4"
    "0000000049454e44ae426082"
)


async def test_mistakes_are_answered_with_a_reason(control: Control) -> None:
    assert "no person" in (await control.post("/send", {"user_id": 5, "text": "x"}, 404))["error"]
    anna = await control.post("/people", {"first_name": "Anna"})
    empty = await control.post("/send", {"user_id": anna["id"], "text": " "}, 400)
    assert "empty" in empty["error"]
    json_type = {"Content-Type": "application/json"}
    async with control.http.post(f"{control.root}/send", data=b"[", headers=json_type) as response:
        assert response.status == 400


async def test_a_gateway_page_echoes_the_path_and_an_unreadable_update_lacks_a_chat_type(
    control: Control, emu: TelegramEmulator, http: aiohttp.ClientSession
) -> None:
    await control.post("/faults", {"method": "getMe", "page": True})
    url = f"{emu.api_url}/bot{TOKEN}/getMe"
    async with http.post(url) as response:
        assert response.status == 502
        assert response.content_type == "text/html"
        assert f"/bot{TOKEN}/getMe" in await response.text()
    async with http.post(url) as response:
        assert response.status == 200
    anna = emu.create_person("Anna")
    update = await emu.send_unreadable(anna.id, "hello")
    assert "type" not in update["message"]["chat"]
    assert emu.updates[-1] == update
    with pytest.raises(TypeError):
        Update.de_json(update, None)


async def test_a_web_page_elsewhere_can_neither_drive_nor_read_the_demo(
    http: aiohttp.ClientSession, control: Control, emu: TelegramEmulator
) -> None:
    """What a hostile page in the same browser could send: a "simple" cross-site POST
    (text/plain, or a form), and after DNS rebinding any request under its own host name."""
    anna = await control.post("/people", {"first_name": "Anna"})
    send = {"user_id": anna["id"], "text": "/organizers add 31337"}
    port = emu.api_url.rsplit(":", 1)[1]
    hostile = [
        {"Content-Type": "text/plain", "Origin": "https://evil.example"},
        {"Content-Type": "text/plain"},
        {"Content-Type": "application/json", "Origin": "https://evil.example"},
        {"Content-Type": "application/json", "Host": f"rebind.evil.example:{port}"},
    ]
    for headers in hostile:
        async with http.post(
            f"{control.root}/send", data=json.dumps(send), headers=headers
        ) as response:
            assert response.status in (400, 403), headers
    assert emu.updates == []
    rebound = {"Host": f"rebind.evil.example:{port}"}
    async with http.get(f"{control.root}/chats", headers=rebound) as response:
        assert response.status == 403
    # The demo's own page: same origin, JSON.
    own = {"Origin": f"http://127.0.0.1:{port}"}
    async with http.post(f"{control.root}/send", json=send, headers=own) as response:
        assert response.status == 200
    async with http.get(f"{control.root}/chats", headers={"Host": f"localhost:{port}"}) as got:
        assert got.status == 200
