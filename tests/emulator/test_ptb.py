"""python-telegram-bot's own Bot speaks to the emulator: sends, files, updates, taps, errors."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, InputFile
from telegram.constants import ParseMode
from telegram.error import BadRequest, ChatMigrated, Forbidden, RetryAfter

from bot.emulator import TelegramEmulator
from tests.emulator.conftest import TOKEN, started


@pytest.fixture
async def bot(emu: TelegramEmulator) -> AsyncIterator[Bot]:
    """PTB's Bot, pointed at the emulator."""
    async with Bot(
        TOKEN, base_url=f"{emu.api_url}/bot", base_file_url=f"{emu.api_url}/file/bot"
    ) as client:
        yield client


async def test_get_me_and_get_updates(emu: TelegramEmulator, bot: Bot) -> None:
    assert bot.username == "UrgentActionBot"
    anna = emu.create_person("Anna", language_code="kk")
    await emu.send_text(anna.id, "/start kz-mamay")
    (update,) = await bot.get_updates(timeout=1, allowed_updates=["message", "callback_query"])
    assert update.message is not None
    assert update.message.text == "/start kz-mamay"
    assert update.message.from_user is not None
    assert update.message.from_user.language_code == "kk"
    assert await bot.get_updates(offset=update.update_id + 1, timeout=0) == ()


async def test_send_message_with_html_and_a_keyboard(emu: TelegramEmulator, bot: Bot) -> None:
    chat = await started(emu)
    write = InlineKeyboardButton("✍️ Write", callback_data="ap:kz")
    read = InlineKeyboardButton("Read", url="https://www.amnesty.org/")
    keyboard = InlineKeyboardMarkup([[write], [read]])
    sent = await bot.send_message(
        chat, "🚨 <b>Urgent</b> &amp; now", parse_mode=ParseMode.HTML, reply_markup=keyboard
    )
    assert sent.text == "🚨 Urgent & now"
    assert sent.entities[0].offset == 3  # after an emoji of two UTF-16 units and a space
    kept = emu.messages(chat)[-1]
    assert kept.html == "🚨 <b>Urgent</b> &amp; now"
    assert [[b.text for b in row] for row in kept.keyboard] == [["✍️ Write"], ["Read"]]
    edited = await bot.edit_message_text("<i>Done</i>", chat, sent.message_id, parse_mode="HTML")
    assert not isinstance(edited, bool)
    assert edited.text == "Done"
    assert kept.reply_markup is None


async def test_send_document_with_an_input_file_and_download_it(
    emu: TelegramEmulator, bot: Bot
) -> None:
    chat = await started(emu)
    sent = await bot.send_document(
        chat, InputFile(b"%PDF-1.4 appeal", filename="appeal.pdf"), caption="Print and sign"
    )
    assert sent.document is not None
    assert sent.document.file_name == "appeal.pdf"
    assert sent.document.mime_type == "application/pdf"
    file = await bot.get_file(sent.document.file_id)
    assert bytes(await file.download_as_bytearray()) == b"%PDF-1.4 appeal"
    kept = emu.messages(chat)[-1].document
    assert kept is not None
    assert kept.data == b"%PDF-1.4 appeal"


async def test_a_tap_and_its_answer(emu: TelegramEmulator, bot: Bot) -> None:
    chat = await started(emu)
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("Go", callback_data="go")]])
    await bot.send_message(chat, "Card", reply_markup=keyboard)
    tapping = asyncio.get_running_loop().create_task(
        emu.tap(chat, emu.messages(chat)[-1], "go", timeout=5)
    )
    (update,) = await bot.get_updates(timeout=5)
    assert update.callback_query is not None
    assert await update.callback_query.answer("Recorded. Thank you!")
    answer = await tapping
    assert answer is not None
    assert answer.text == "Recorded. Thank you!"


async def test_errors_arrive_as_ptb_exceptions(
    emu: TelegramEmulator, bot: Bot, monkeypatch: pytest.MonkeyPatch
) -> None:
    chat = await started(emu)
    await emu.block_bot(chat)
    with pytest.raises(Forbidden, match="bot was blocked by the user"):
        await bot.send_message(chat, "x")
    with pytest.raises(BadRequest, match="Chat not found"):
        await bot.send_message(123, "x")
    dana = emu.create_person("Dana")
    group = await emu.create_group("Almaty", members=[dana.id], admins=[dana.id])
    new_id = await emu.upgrade_to_supergroup(group.id)
    with pytest.raises(ChatMigrated) as migrated:
        await bot.send_message(group.id, "x")
    assert migrated.value.new_chat_id == new_id
    with pytest.raises(BadRequest, match=r'(?i)unsupported start tag "br" at byte offset 1'):
        await bot.send_message(new_id, "a<br>b", parse_mode="HTML")
    # PTB warns about retry_after's type unless told to use timedelta already.
    monkeypatch.setenv("PTB_TIMEDELTA", "1")
    for _ in range(20):
        await bot.send_message(new_id, "x")
    with pytest.raises(RetryAfter) as flooded:
        await bot.send_message(new_id, "x")
    assert flooded.value.retry_after == timedelta(seconds=60)
