"""Files: multipart uploads, sending again by file_id, getFile and the download path."""

from __future__ import annotations

import struct
import zlib
from typing import Any

import aiohttp

from bot.emulator import EmulatorLimits, TelegramEmulator
from tests.emulator.conftest import TOKEN, Api, MakeEmulator, started

LETTER = "Уважаемый Президент,\nпрошу освободить Жанболата Мамая.\n".encode()


def png(width: int, height: int) -> bytes:
    """A tiny valid PNG of the given size."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    pixels = zlib.compress(b"\x00" * (width + 1) * height)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", pixels)
        + chunk(b"IEND", b"")
    )


async def upload(
    api: Api, method: str, chat: int, field: str, data: bytes, filename: str, **extra: str
) -> Any:
    form = aiohttp.FormData()
    form.add_field("chat_id", str(chat))
    for name, value in extra.items():
        form.add_field(name, value)
    form.add_field(field, data, filename=filename, content_type="application/octet-stream")
    return await api.form(method, form)


async def download(
    http: aiohttp.ClientSession, emu: TelegramEmulator, path: str
) -> tuple[int, bytes, str]:
    async with http.get(f"{emu.api_url}/file/bot{TOKEN}/{path}") as response:
        return response.status, await response.read(), response.content_type


async def test_a_document_uploaded_in_multipart_can_be_fetched_back(
    emu: TelegramEmulator, api: Api, http: aiohttp.ClientSession
) -> None:
    chat = await started(emu)
    sent = await upload(
        api, "sendDocument", chat, "document", LETTER, "appeal.txt", caption="<b>Your letter</b>",
        parse_mode="HTML",
    )  # fmt: skip
    document = sent.result["document"]
    assert document["file_name"] == "appeal.txt"
    assert document["mime_type"] == "text/plain"  # guessed from the name
    assert document["file_size"] == len(LETTER)
    assert sent.result["caption"] == "Your letter"
    assert sent.result["caption_entities"] == [{"type": "bold", "offset": 0, "length": 11}]
    file = (await api("getFile", file_id=document["file_id"])).result
    assert file["file_unique_id"] == document["file_unique_id"]
    assert await download(http, emu, file["file_path"]) == (200, LETTER, "text/plain")
    kept = emu.messages(chat)[-1]
    assert kept.document is not None
    assert kept.document.data == LETTER
    assert kept.caption == "Your letter"


async def test_a_file_sent_once_goes_again_by_its_id(emu: TelegramEmulator, api: Api) -> None:
    anna, boris = await started(emu, "Anna"), await started(emu, "Boris")
    first = await upload(api, "sendDocument", anna, "document", LETTER, "appeal.txt")
    file_id = first.result["document"]["file_id"]
    again = await api("sendDocument", chat_id=boris, document=file_id)
    assert again.result["document"]["file_id"] == file_id
    assert len(emu.files) == 1


async def test_unknown_ids_links_and_the_wrong_kind_are_refused(
    emu: TelegramEmulator, api: Api
) -> None:
    chat = await started(emu)
    reply = await api("sendDocument", chat_id=chat, document="BQACnothing")
    assert reply.description == "Bad Request: wrong file identifier/HTTP URL specified"
    reply = await api("sendDocument", chat_id=chat, document="https://example.org/a.pdf")
    assert reply.description == "Bad Request: failed to get HTTP URL content"
    sent = await upload(api, "sendDocument", chat, "document", LETTER, "appeal.txt")
    emu.elapse(1)
    reply = await api("sendPhoto", chat_id=chat, photo=sent.result["document"]["file_id"])
    assert reply.description == "Bad Request: type of file mismatch"
    reply = await api("getFile", file_id="nothing")
    assert reply.description == "Bad Request: invalid file_id"


async def test_a_photo_keeps_its_size_and_must_be_an_image(
    emu: TelegramEmulator, api: Api
) -> None:
    chat = await started(emu)
    sent = await upload(api, "sendPhoto", chat, "photo", png(40, 30), "card.png")
    (size,) = sent.result["photo"]
    assert (size["width"], size["height"]) == (40, 30)
    reply = await upload(api, "sendPhoto", chat, "photo", b"not an image", "card.png")
    assert reply.description == "Bad Request: IMAGE_PROCESS_FAILED"


async def test_empty_and_oversized_uploads(
    make_emulator: MakeEmulator, http: aiohttp.ClientSession
) -> None:
    emu = await make_emulator(EmulatorLimits(upload_bytes=1000, flood=False))
    api = Api(http, emu)
    chat = await started(emu)
    reply = await upload(api, "sendDocument", chat, "document", b"", "empty.txt")
    assert reply.description == "Bad Request: file must be non-empty"
    reply = await upload(api, "sendDocument", chat, "document", b"x" * 1001, "big.bin")
    assert (reply.status, reply.description) == (413, "Request Entity Too Large")


async def test_files_past_the_download_limit_are_not_handed_out(
    make_emulator: MakeEmulator, http: aiohttp.ClientSession
) -> None:
    emu = await make_emulator(EmulatorLimits(download_bytes=10))
    api = Api(http, emu)
    chat = await started(emu)
    sent = await upload(api, "sendDocument", chat, "document", LETTER, "appeal.txt")
    reply = await api("getFile", file_id=sent.result["document"]["file_id"])
    assert reply.description == "Bad Request: file is too big"


async def test_the_bot_downloads_what_a_person_sent(
    emu: TelegramEmulator, api: Api, http: aiohttp.ClientSession
) -> None:
    chat = await started(emu)
    await emu.send_document(chat, "sheet.pdf", b"%PDF-1.4 signed", caption="signed")
    (update,) = (await api("getUpdates")).result
    document = update["message"]["document"]
    assert (document["file_name"], document["mime_type"]) == ("sheet.pdf", "application/pdf")
    assert update["message"]["caption"] == "signed"
    path = (await api("getFile", file_id=document["file_id"])).result["file_path"]
    assert (await download(http, emu, path))[:2] == (200, b"%PDF-1.4 signed")


async def test_downloads_need_the_token_and_a_real_path(
    emu: TelegramEmulator, http: aiohttp.ClientSession
) -> None:
    chat = await started(emu)
    message = await emu.send_document(chat, "a.txt", b"abc")
    assert message.document is not None
    path = message.document.file_path
    async with http.get(f"{emu.api_url}/file/bot1:wrong/{path}") as response:
        assert response.status == 401
    assert (await download(http, emu, "documents/none.txt"))[0] == 404


async def test_a_person_sends_a_photo(emu: TelegramEmulator, api: Api) -> None:
    chat = await started(emu)
    await emu.send_photo(chat, png(8, 6), caption="the letter, signed")
    (update,) = (await api("getUpdates")).result
    (size,) = update["message"]["photo"]
    assert (size["width"], size["height"]) == (8, 6)
    assert update["message"]["caption"] == "the letter, signed"
