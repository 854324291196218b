"""Inline keyboards: the service's limits on buttons, callback_data and links."""

from __future__ import annotations

from typing import Any

import pytest

from bot.emulator import TelegramEmulator
from tests.emulator.conftest import Api, started


def keyboard(*rows: list[dict[str, Any]]) -> dict[str, Any]:
    return {"inline_keyboard": list(rows)}


def buttons(count: int) -> list[dict[str, Any]]:
    return [{"text": str(i), "callback_data": str(i)} for i in range(count)]


@pytest.fixture
async def chat(emu: TelegramEmulator) -> int:
    return await started(emu)


async def send(api: Api, chat: int, markup: Any) -> Any:
    return await api("sendMessage", chat_id=chat, text="Choose", reply_markup=markup)


async def refused(api: Api, chat: int, markup: Any, description: str) -> None:
    reply = await send(api, chat, markup)
    assert (reply.status, reply.description) == (400, f"Bad Request: {description}")


async def test_callback_data_of_64_bytes_goes(api: Api, chat: int) -> None:
    # 32 two-byte characters: 64 bytes.
    assert (await send(api, chat, keyboard([{"text": "x", "callback_data": "é" * 32}]))).ok


async def test_callback_data_is_counted_in_utf8_bytes(api: Api, chat: int) -> None:
    # 33 characters, 66 bytes.
    markup = keyboard([{"text": "x", "callback_data": "é" * 33}])
    await refused(api, chat, markup, "BUTTON_DATA_INVALID")
    await refused(
        api, chat, keyboard([{"text": "x", "callback_data": "a" * 65}]), "BUTTON_DATA_INVALID"
    )


async def test_empty_callback_data_is_invalid(api: Api, chat: int) -> None:
    await refused(api, chat, keyboard([{"text": "x", "callback_data": ""}]), "BUTTON_DATA_INVALID")


async def test_eight_buttons_fit_a_row_and_nine_do_not(api: Api, chat: int) -> None:
    assert (await send(api, chat, keyboard(buttons(8)))).ok
    await refused(api, chat, keyboard(buttons(9)), "too many buttons in a row")


async def test_a_hundred_buttons_in_all_and_no_more(
    emu: TelegramEmulator, api: Api, chat: int
) -> None:
    assert (await send(api, chat, keyboard(*[buttons(1) for _ in range(100)]))).ok
    emu.elapse(1)
    await refused(
        api, chat, keyboard(*[buttons(1) for _ in range(101)]), "reply markup is too long"
    )


@pytest.mark.parametrize(
    "url", ["https://amnesty.org/", "http://example.org/a?b=c", "tg://resolve?domain=x"]
)
async def test_http_https_and_tg_links_go(
    emu: TelegramEmulator, api: Api, chat: int, url: str
) -> None:
    assert (await send(api, chat, keyboard([{"text": "Open", "url": url}]))).ok


@pytest.mark.parametrize(
    "url",
    ["mailto:udp@udp-rk.kz", "tel:+77172745631", "javascript:alert(1)", "amnesty.org", "https://"],
)
async def test_other_links_are_invalid(api: Api, chat: int, url: str) -> None:
    await refused(api, chat, keyboard([{"text": "Open", "url": url}]), "BUTTON_URL_INVALID")


async def test_a_button_needs_exactly_one_action(api: Api, chat: int) -> None:
    await refused(
        api,
        chat,
        keyboard([{"text": "Nothing"}]),
        "text buttons are unallowed in the inline keyboard",
    )
    await refused(
        api,
        chat,
        keyboard([{"text": "Both", "callback_data": "a", "url": "https://x.org"}]),
        "inline keyboard button must have exactly one of url, callback_data",
    )


async def test_a_button_needs_a_label(api: Api, chat: int) -> None:
    await refused(
        api, chat, keyboard([{"text": " ", "callback_data": "a"}]), "BUTTON_TEXT_INVALID"
    )


async def test_rows_must_be_arrays(api: Api, chat: int) -> None:
    await refused(
        api,
        chat,
        {"inline_keyboard": [{"text": "x", "callback_data": "a"}]},
        'field "inline_keyboard" of the InlineKeyboardMarkup should be an Array of Arrays',
    )


async def test_the_keyboard_is_kept_for_the_person_to_see(
    emu: TelegramEmulator, api: Api, chat: int
) -> None:
    markup = keyboard(
        [{"text": "Write", "callback_data": "ap:1"}, {"text": "Read", "url": "https://x.org"}]
    )
    await send(api, chat, markup)
    message = emu.messages(chat)[-1]
    assert [[(b.text, b.callback_data, b.url) for b in row] for row in message.keyboard] == [
        [("Write", "ap:1", None), ("Read", None, "https://x.org")]
    ]
    assert message.button("Writ")["callback_data"] == "ap:1"


async def test_reply_keyboards_go_with_sends_but_not_with_edits(
    emu: TelegramEmulator, api: Api, chat: int
) -> None:
    sent = await send(api, chat, {"keyboard": [[{"text": "Yes"}]], "one_time_keyboard": True})
    assert sent.ok
    reply = await api(
        "editMessageReplyMarkup",
        chat_id=chat,
        message_id=sent.result["message_id"],
        reply_markup={"remove_keyboard": True},
    )
    assert reply.description == "Bad Request: inline keyboard expected"
