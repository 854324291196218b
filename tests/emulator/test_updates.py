"""Updates: getUpdates with offsets and long polls, one poller at a time, and webhooks."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import aiohttp
import pytest
from aiohttp import web

from bot.emulator import EmulatorLimits, TelegramEmulator
from tests.emulator.conftest import Api, MakeEmulator


async def say(emu: TelegramEmulator, *texts: str) -> int:
    person = emu.create_person("Anna", language_code="ru")
    for text in texts:
        await emu.send_text(person.id, text)
    return person.id


async def test_offset_confirms_and_limit_caps(emu: TelegramEmulator, api: Api) -> None:
    await say(emu, "one", "two", "three")
    first = (await api("getUpdates", limit=2)).result
    assert [u["message"]["text"] for u in first] == ["one", "two"]
    # Without an offset nothing is confirmed: the same updates come again.
    assert (await api("getUpdates", limit=2)).result == first
    rest = (await api("getUpdates", offset=first[-1]["update_id"] + 1)).result
    assert [u["message"]["text"] for u in rest] == ["three"]
    assert rest[0]["update_id"] == first[-1]["update_id"] + 1
    done = (await api("getUpdates", offset=rest[-1]["update_id"] + 1)).result
    assert done == []
    assert (await api("getWebhookInfo")).result["pending_update_count"] == 0


async def test_a_negative_offset_keeps_the_last_updates(emu: TelegramEmulator, api: Api) -> None:
    await say(emu, "one", "two", "three")
    kept = (await api("getUpdates", offset=-1)).result
    assert [u["message"]["text"] for u in kept] == ["three"]
    assert len((await api("getUpdates")).result) == 1


async def test_the_person_and_their_language_are_in_the_update(
    emu: TelegramEmulator, api: Api
) -> None:
    chat = await say(emu, "/start kz-mamay")
    (update,) = (await api("getUpdates")).result
    message = update["message"]
    assert message["from"] == {
        "id": chat,
        "is_bot": False,
        "first_name": "Anna",
        "language_code": "ru",
    }
    assert message["chat"] == {"id": chat, "type": "private", "first_name": "Anna"}
    assert message["entities"] == [{"type": "bot_command", "offset": 0, "length": 6}]


async def test_a_long_poll_wakes_as_soon_as_an_update_comes(
    emu: TelegramEmulator, api: Api
) -> None:
    poll = asyncio.get_running_loop().create_task(api("getUpdates", timeout=10))
    await asyncio.sleep(0.05)
    assert not poll.done()
    started_at = time.monotonic()
    await say(emu, "now")
    reply = await poll
    assert [u["message"]["text"] for u in reply.result] == ["now"]
    assert time.monotonic() - started_at < 0.5


@pytest.mark.parametrize("timeout", [1, 0.2])
async def test_a_long_poll_with_nothing_new_ends_after_its_timeout(
    api: Api, timeout: float
) -> None:
    started_at = time.monotonic()
    reply = await api("getUpdates", timeout=timeout)
    assert reply.result == []
    assert timeout * 0.9 < time.monotonic() - started_at < timeout + 0.5


async def test_a_second_poller_ends_the_first_with_409(emu: TelegramEmulator, api: Api) -> None:
    first = asyncio.get_running_loop().create_task(api("getUpdates", timeout=5))
    await asyncio.sleep(0.05)
    second = asyncio.get_running_loop().create_task(api("getUpdates", timeout=5))
    ended = await asyncio.wait_for(first, 1)
    assert (ended.status, ended.description) == (
        409,
        "Conflict: terminated by other getUpdates request; make sure that only one bot "
        "instance is running",
    )
    await say(emu, "for the second")
    assert (await second).result[0]["message"]["text"] == "for the second"


async def test_allowed_updates_filters_and_is_remembered(emu: TelegramEmulator, api: Api) -> None:
    chat = await say(emu, "hello")
    await emu.block_bot(chat)
    updates = (await api("getUpdates")).result
    assert [next(k for k in u if k != "update_id") for u in updates] == [
        "message",
        "my_chat_member",
    ]
    await api("getUpdates", allowed_updates=["message"], offset=updates[-1]["update_id"] + 1)
    await emu.unblock_bot(chat)
    await emu.send_text(chat, "again")
    updates = (await api("getUpdates")).result
    assert [next(k for k in u if k != "update_id") for u in updates] == ["message"]


async def test_chat_member_updates_only_when_asked_for_and_the_bot_is_an_admin(
    emu: TelegramEmulator, api: Api
) -> None:
    admin, newcomer = emu.create_person("Dana"), emu.create_person("Erik")
    group = await emu.create_group("Almaty", members=[admin.id], admins=[admin.id])
    await api("getUpdates", allowed_updates=["message", "my_chat_member", "chat_member"])
    await emu.join_group(newcomer.id, group.id)
    kinds = [next(k for k in u if k != "update_id") for u in (await api("getUpdates")).result]
    assert "chat_member" not in kinds  # the bot is not an admin
    emu.set_admin(group.id, emu.bot.id)
    await emu.leave_group(newcomer.id, group.id)
    updates = (await api("getUpdates")).result
    change = next(u["chat_member"] for u in updates if "chat_member" in u)
    assert change["old_chat_member"]["status"] == "member"
    assert change["new_chat_member"]["status"] == "left"


# ---- webhooks ------------------------------------------------------------------------------


@dataclass
class Receiver:
    """A webhook on 127.0.0.1 that answers with `failures` first, then accepts."""

    url: str = ""
    failures: list[int] = field(default_factory=list)
    received: asyncio.Queue[tuple[dict[str, Any], str | None]] = field(
        default_factory=asyncio.Queue
    )


@pytest.fixture
async def receiver() -> AsyncIterator[Receiver]:
    """A running webhook receiver."""
    state = Receiver()

    async def hook(request: web.Request) -> web.Response:
        if state.failures:
            return web.Response(status=state.failures.pop(0))
        secret = request.headers.get("X-Telegram-Bot-Api-Secret-Token")
        state.received.put_nowait((await request.json(), secret))
        return web.Response(text="ok")

    app = web.Application()
    app.router.add_post("/hook", hook)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    state.url = f"http://127.0.0.1:{runner.addresses[0][1]}/hook"
    yield state
    await runner.cleanup()


async def test_a_webhook_gets_each_update_with_the_secret_header(
    make_emulator: MakeEmulator, http: aiohttp.ClientSession, receiver: Receiver
) -> None:
    emu = await make_emulator(EmulatorLimits(webhook_retry_delay=0.01))
    api = Api(http, emu)
    receiver.failures.extend([500, 502])  # the receiver fails twice; the emulator keeps trying
    assert (await api("setWebhook", url=receiver.url, secret_token="s3cret_-X")).result is True
    await say(emu, "one", "two")
    async with asyncio.timeout(5):
        received = [await receiver.received.get(), await receiver.received.get()]
    assert [(update["message"]["text"], secret) for update, secret in received] == [
        ("one", "s3cret_-X"),
        ("two", "s3cret_-X"),
    ]
    info = (await api("getWebhookInfo")).result
    assert info["url"] == receiver.url
    assert info["pending_update_count"] == 0
    assert info["last_error_message"] == "Wrong response from the webhook: 502 Bad Gateway"


async def test_get_updates_is_refused_while_a_webhook_is_set(api: Api) -> None:
    await api("setWebhook", url="https://bot.example.org/telegram")
    reply = await api("getUpdates")
    assert (reply.status, reply.description) == (
        409,
        "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to "
        "delete the webhook first",
    )
    assert (await api("deleteWebhook")).result is True
    assert (await api("getUpdates")).ok


async def test_a_webhook_elsewhere_is_recorded_but_never_called(
    emu: TelegramEmulator, api: Api
) -> None:
    await api("setWebhook", url="https://bot.example.org/telegram", secret_token="abc")
    assert emu.bot.webhook_url == "https://bot.example.org/telegram"
    assert emu.bot.webhook_secret == "abc"
    await say(emu, "held")
    # The emulator reaches no network: the update waits where a test can take it.
    assert emu.updates[-1]["message"]["text"] == "held"


@pytest.mark.parametrize(
    ("params", "description"),
    [
        ({"url": "http://bot.example.org/hook"}, "bad webhook: An HTTPS URL must be provided"),
        ({"url": "https://bot.example.org:8080/hook"}, "bad webhook: Webhook can be set up only"),
        (
            {"url": "https://bot.example.org/hook", "secret_token": "no spaces"},
            "secret token contains unallowed characters",
        ),
        (
            {"url": "https://bot.example.org/hook", "secret_token": "x" * 257},
            "secret token is too long",
        ),
    ],
)
async def test_set_webhook_checks_its_url_and_secret(
    api: Api, params: dict[str, Any], description: str
) -> None:
    reply = await api("setWebhook", **params)
    assert reply.status == 400
    assert reply.description.startswith(f"Bad Request: {description}")


async def test_drop_pending_updates(emu: TelegramEmulator, api: Api) -> None:
    await say(emu, "old")
    await api("setWebhook", url="https://bot.example.org/hook", drop_pending_updates=True)
    assert emu.updates == []
    await say(emu, "newer")
    await api("deleteWebhook", drop_pending_updates=True)
    assert (await api("getUpdates")).result == []
