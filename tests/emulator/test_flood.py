"""Flood limits per private chat, per group and for the whole bot; 429 with retry_after, and a
scope that stays shut until retry_after has passed. The emulator's clock stands still unless a
test moves it with `elapse`, so these run without sleeping."""

from __future__ import annotations

import dataclasses

import aiohttp
import pytest

from bot.emulator import EmulatorLimits, Rate, TelegramEmulator
from tests.emulator.conftest import Api, MakeEmulator, started


async def send(api: Api, chat: int, **params: object) -> tuple[int, object]:
    reply = await api("sendMessage", chat_id=chat, text="alert", **params)
    return reply.status, reply.body.get("parameters", {}).get("retry_after")


async def test_a_private_chat_takes_a_burst_of_three_then_one_a_second(
    emu: TelegramEmulator, api: Api
) -> None:
    chat = await started(emu)
    assert [await send(api, chat) for _ in range(3)] == [(200, None)] * 3
    reply = await api("sendMessage", chat_id=chat, text="one more")
    assert (reply.status, reply.body) == (
        429,
        {
            "ok": False,
            "error_code": 429,
            "description": "Too Many Requests: retry after 1",
            "parameters": {"retry_after": 1},
        },
    )
    emu.elapse(1.0)
    assert await send(api, chat) == (200, None)
    assert emu.stats.too_many_by_scope == {"chat": 1}
    assert emu.stats.delivered == 4


async def test_a_refused_scope_stays_shut_until_retry_after_has_passed(
    make_emulator: MakeEmulator, http: aiohttp.ClientSession
) -> None:
    # One message every 4 seconds: a refusal says "retry after 4".
    emu = await make_emulator(EmulatorLimits(private_chat=Rate(0.25, 1)))
    api = Api(http, emu)
    chat = await started(emu)
    assert await send(api, chat) == (200, None)
    assert await send(api, chat) == (429, 4)
    emu.elapse(3.5)
    # A token would be nearly back, but the scope was told to wait 4 seconds.
    assert await send(api, chat) == (429, 1)
    emu.elapse(0.5)
    assert await send(api, chat) == (200, None)


async def test_hammering_does_not_extend_the_wait(
    make_emulator: MakeEmulator, http: aiohttp.ClientSession
) -> None:
    emu = await make_emulator(EmulatorLimits(private_chat=Rate(0.1, 1)))
    api = Api(http, emu)
    chat = await started(emu)
    await send(api, chat)
    assert await send(api, chat) == (429, 10)
    for _ in range(5):
        emu.elapse(1)
        await send(api, chat)
    emu.elapse(5)
    assert await send(api, chat) == (200, None)


async def test_a_group_takes_20_messages_in_any_minute(emu: TelegramEmulator, api: Api) -> None:
    admin = emu.create_person("Dana")
    group = await emu.create_group("Amnesty Almaty", members=[admin.id], admins=[admin.id])
    for _ in range(20):
        assert await send(api, group.id) == (200, None)
        emu.elapse(1)  # slower than the bot-wide limit, faster than the group's
    # The first of the 20 went 20 seconds ago: room comes back 40 seconds from now.
    assert await send(api, group.id) == (429, 40)
    emu.elapse(39)
    assert (await send(api, group.id))[0] == 429
    emu.elapse(1)
    assert await send(api, group.id) == (200, None)
    assert emu.stats.too_many_by_scope["group"] == 2


async def test_the_whole_bot_is_held_to_30_a_second(emu: TelegramEmulator, api: Api) -> None:
    people = [emu.create_person(f"P{i}", started=True) for i in range(31)]
    results = [await send(api, person.id) for person in people]
    assert results[:30] == [(200, None)] * 30
    assert results[30] == (429, 1)
    assert emu.stats.too_many_by_scope == {"bot": 1}
    emu.elapse(1)
    assert await send(api, people[30].id) == (200, None)


async def test_the_whole_bot_counts_30_in_any_one_second_window(
    emu: TelegramEmulator, api: Api
) -> None:
    people = [emu.create_person(f"P{i}", started=True) for i in range(61)]
    for person in people[:15]:
        assert await send(api, person.id) == (200, None)
    emu.elapse(0.6)
    for person in people[15:30]:
        assert await send(api, person.id) == (200, None)
    # 0.9 s after the first fifteen: a bucket refilling at 30 a second would have room for
    # more, but the last second already holds 30.
    emu.elapse(0.3)
    assert await send(api, people[30].id) == (429, 1)
    emu.elapse(1.0)  # the refused scope stays shut for its whole retry_after
    for person in people[31:46]:
        assert await send(api, person.id) == (200, None)
    assert emu.stats.too_many_by_scope == {"bot": 1}


async def test_paid_broadcasts_have_their_own_higher_limit(
    make_emulator: MakeEmulator, http: aiohttp.ClientSession
) -> None:
    limits = EmulatorLimits(whole_bot=Rate(3, 3), paid_broadcast=Rate(10, 10))
    emu = await make_emulator(limits)
    api = Api(http, emu)
    people = [emu.create_person(f"P{i}", started=True).id for i in range(15)]
    free = [await send(api, chat) for chat in people[:4]]
    assert [status for status, _ in free] == [200, 200, 200, 429]
    paid = [await send(api, chat, allow_paid_broadcast=True) for chat in people[4:]]
    assert [status for status, _ in paid] == [200] * 10 + [429]
    assert emu.stats.delivered_paid == 10
    assert emu.stats.too_many_by_scope == {"bot": 1, "paid": 1}
    assert emu.messages(people[4])[-1].paid is True


async def test_the_default_paid_limit_is_1000_a_second(emu: TelegramEmulator, api: Api) -> None:
    assert emu.limits.paid_broadcast == Rate(1000, 1000)
    people = [emu.create_person(f"P{i}", started=True).id for i in range(40)]
    statuses = [(await send(api, c, allow_paid_broadcast=True))[0] for c in people]
    assert statuses == [200] * 40  # past the 30 a second of unpaid sends


async def test_edits_count_against_the_chat(emu: TelegramEmulator, api: Api) -> None:
    chat = await started(emu)
    sent = await api("sendMessage", chat_id=chat, text="v0")
    for version in (1, 2):
        reply = await api(
            "editMessageText",
            chat_id=chat,
            message_id=sent.result["message_id"],
            text=f"v{version}",
        )
        assert reply.ok
    reply = await api(
        "editMessageText", chat_id=chat, message_id=sent.result["message_id"], text="v3"
    )
    assert reply.status == 429


async def test_answering_taps_and_chat_actions_do_not_count(
    emu: TelegramEmulator, api: Api
) -> None:
    chat = await started(emu)
    for _ in range(3):
        assert (await api("sendChatAction", chat_id=chat, action="typing")).ok
    assert [await send(api, chat) for _ in range(3)] == [(200, None)] * 3


async def test_flood_limits_can_be_turned_off(
    make_emulator: MakeEmulator, http: aiohttp.ClientSession
) -> None:
    emu = await make_emulator(dataclasses.replace(EmulatorLimits(), flood=False))
    api = Api(http, emu)
    chat = await started(emu)
    assert {await send(api, chat) for _ in range(50)} == {(200, None)}


def test_limits_that_make_no_sense_are_refused() -> None:
    with pytest.raises(ValueError, match="per_second > 0"):
        Rate(0, 1)
    with pytest.raises(ValueError, match="sliding window"):
        Rate(1, 1, window=0)
    with pytest.raises(ValueError, match="text_length"):
        EmulatorLimits(text_length=0)
    assert Rate.per_minute(20) == Rate(20 / 60, 20, window=60.0)
