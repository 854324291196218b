"""Message text and captions: lengths as the service counts them, and its HTML parse mode."""

from __future__ import annotations

from typing import Any

import aiohttp
import pytest

from bot.emulator import TelegramEmulator
from tests.emulator.conftest import Api, started


@pytest.fixture
async def chat(emu: TelegramEmulator) -> int:
    return await started(emu)


async def send(api: Api, chat: int, text: str, **params: Any) -> Any:
    return await api("sendMessage", chat_id=chat, text=text, **params)


async def html(api: Api, chat: int, source: str) -> Any:
    return await api("sendMessage", chat_id=chat, text=source, parse_mode="HTML")


# ---- lengths ----------------------------------------------------------------------------------


async def test_4096_characters_go_and_4097_are_too_long(api: Api, chat: int) -> None:
    assert (await send(api, chat, "x" * 4096)).ok
    reply = await send(api, chat, "x" * 4097)
    assert (reply.status, reply.body) == (
        400,
        {"ok": False, "error_code": 400, "description": "Bad Request: message is too long"},
    )


async def test_length_is_counted_in_utf16_units(api: Api, chat: int) -> None:
    # An emoji outside the Basic Multilingual Plane is a surrogate pair: two units.
    assert (await send(api, chat, "😀" * 2048)).ok
    reply = await send(api, chat, "😀" * 2049)
    assert reply.description == "Bad Request: message is too long"
    assert (await send(api, chat, "ж" * 4096)).ok  # Cyrillic: one unit each


async def test_length_is_counted_after_entity_parsing(api: Api, chat: int) -> None:
    assert (await html(api, chat, "<b>" + "x" * 4096 + "</b>")).ok
    assert (await html(api, chat, "&amp;" * 4096)).ok
    reply = await html(api, chat, "<i>" + "x" * 4097 + "</i>")
    assert reply.description == "Bad Request: message is too long"


@pytest.mark.parametrize("text", ["", "   \n ", "<b> </b>"])
async def test_empty_text_is_refused(api: Api, chat: int, text: str) -> None:
    reply = await html(api, chat, text)
    assert (reply.status, reply.description) == (400, "Bad Request: message text is empty")


async def test_leading_and_trailing_space_is_trimmed_and_entities_follow(
    api: Api, chat: int
) -> None:
    reply = await html(api, chat, "\n  <b>Alert</b> now  ")
    assert reply.result["text"] == "Alert now"
    assert reply.result["entities"] == [{"type": "bold", "offset": 0, "length": 5}]


async def test_caption_of_1024_goes_and_1025_is_too_long(
    emu: TelegramEmulator, api: Api, chat: int
) -> None:
    async def upload(caption: str) -> Any:
        form = aiohttp.FormData()
        form.add_field("chat_id", str(chat))
        form.add_field("caption", caption)
        form.add_field("parse_mode", "HTML")
        form.add_field("document", b"data", filename="a.txt", content_type="text/plain")
        return await api.form("sendDocument", form)

    assert (await upload("<b>" + "c" * 1024 + "</b>")).ok
    emu.elapse(1)
    reply = await upload("😀" * 513)
    assert (reply.status, reply.description) == (400, "Bad Request: message caption is too long")
    # The refused upload was not kept.
    assert len(emu.files) == 1


# ---- HTML --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "error"),
    [
        ("line<br>break", 'Unsupported start tag "br" at byte offset 4'),
        ("<p>x</p>", 'Unsupported start tag "p" at byte offset 0'),
        ("Ж <div>", 'Unsupported start tag "div" at byte offset 3'),
        ("1 < 2", 'Unsupported start tag "" at byte offset 2'),
        ("<b>bold", 'Can\'t find end tag corresponding to start tag "b"'),
        ("<b><i>x</i>", 'Can\'t find end tag corresponding to start tag "b"'),
        ("<b><i>x</b></i>", 'Unmatched end tag at byte offset 7, expected "</i>", found "</b>"'),
        ("é</b>", "Unexpected end tag at byte offset 2"),
        ("<b", "Unclosed start tag at byte offset 0"),
        ("<b>x</b", "Unclosed end tag at byte offset 4"),
        ("<span>x</span>", 'Tag "span" must have class "tg-spoiler" at byte offset 0'),
        ('<span class="x">x</span>', 'Tag "span" must have class "tg-spoiler" at byte offset 0'),
        ("<b foo>x</b>", 'Expected equal sign in declaration of an attribute of the tag "b"'),
        ("<a href=>x</a>", "Expected quote at byte offset 8"),
        ('<b ="x">y</b>', 'Empty attribute name in the tag "b" at byte offset 0'),
        ('<tg-emoji emoji-id="x">👍</tg-emoji>', "Invalid custom emoji identifier specified"),
    ],
)
async def test_malformed_html_is_refused_with_the_service_words(
    api: Api, chat: int, source: str, error: str
) -> None:
    reply = await html(api, chat, source)
    assert reply.status == 400
    assert reply.description.startswith(f"Bad Request: can't parse entities: {error}")


@pytest.mark.parametrize(
    ("source", "text"),
    [
        ("&lt;b&gt; &amp; &quot;q&quot;", '<b> & "q"'),
        ("&#65;&#x42;&#1046;", "ABЖ"),
        ("&lt without a semicolon", "< without a semicolon"),
        ("AT&T &nbsp; stays", "AT&T &nbsp; stays"),
        ("5 > 3", "5 > 3"),
        ("&#0; &#xD800;", "&#0; &#xD800;"),
    ],
)
async def test_character_references(api: Api, chat: int, source: str, text: str) -> None:
    reply = await html(api, chat, source)
    assert reply.result["text"] == text


async def test_every_allowed_tag_becomes_an_entity(api: Api, chat: int) -> None:
    source = (
        "<b>b</b><strong>s</strong><i>i</i><em>e</em><u>u</u><ins>n</ins><s>s</s>"
        "<strike>t</strike><del>d</del><tg-spoiler>p</tg-spoiler>"
        '<span class="tg-spoiler">q</span><a href="https://amnesty.org">a</a><code>c</code>'
        "<pre>p</pre><blockquote>q</blockquote><blockquote expandable>x</blockquote>"
        '<tg-emoji emoji-id="5368324170671202286">👍</tg-emoji>'
    )
    reply = await html(api, chat, source)
    types = [entity["type"] for entity in reply.result["entities"]]
    assert types == [
        "bold", "bold", "italic", "italic", "underline", "underline", "strikethrough",
        "strikethrough", "strikethrough", "spoiler", "spoiler", "text_link", "code", "pre",
        "blockquote", "expandable_blockquote", "custom_emoji",
    ]  # fmt: skip
    assert reply.result["entities"][11]["url"] == "https://amnesty.org"


async def test_offsets_are_in_utf16_units(api: Api, chat: int) -> None:
    reply = await html(api, chat, "😀 <b>Ж</b> <i>x</i>")
    assert reply.result["entities"] == [
        {"type": "bold", "offset": 3, "length": 1},
        {"type": "italic", "offset": 5, "length": 1},
    ]


async def test_nested_tags_nest_and_nothing_lives_inside_code(api: Api, chat: int) -> None:
    reply = await html(api, chat, "<b>bold <i>both</i></b> <code><b>x</b></code>")
    assert reply.result["entities"] == [
        {"type": "bold", "offset": 0, "length": 9},
        {"type": "italic", "offset": 5, "length": 4},
        {"type": "code", "offset": 10, "length": 1},
    ]


async def test_pre_with_code_takes_its_language(api: Api, chat: int) -> None:
    reply = await html(api, chat, '<pre><code class="language-python">x = 1</code></pre>')
    assert reply.result["entities"] == [
        {"type": "pre", "offset": 0, "length": 5, "language": "python"}
    ]


async def test_tags_and_attributes_ignore_case_and_quotes(api: Api, chat: int) -> None:
    source = (
        "<B>x</B> <a HREF=\"https://x.org?a=1&amp;b=2\">y</a> <a href='https://z.org'>z</a> "
        "<pre><code class=language-go>g</code></pre>"
    )
    reply = await html(api, chat, source)
    assert reply.result["entities"] == [
        {"type": "bold", "offset": 0, "length": 1},
        {"type": "text_link", "offset": 2, "length": 1, "url": "https://x.org?a=1&b=2"},
        {"type": "text_link", "offset": 4, "length": 1, "url": "https://z.org"},
        {"type": "pre", "offset": 6, "length": 1, "language": "go"},
    ]


async def test_an_unquoted_link_is_refused_as_the_service_refuses_it(api: Api, chat: int) -> None:
    # An unquoted value ends at the first character outside a name token, here ":".
    reply = await html(api, chat, "<a href=https://x.org>y</a>")
    assert reply.description == (
        "Bad Request: can't parse entities: Expected equal sign in declaration of an attribute "
        'of the tag "a" at byte offset 0'
    )


async def test_without_parse_mode_tags_are_plain_text(
    emu: TelegramEmulator, api: Api, chat: int
) -> None:
    reply = await send(api, chat, "<b>not bold</b> & <br>")
    assert reply.result["text"] == "<b>not bold</b> & <br>"
    assert "entities" not in reply.result
    assert emu.messages(chat)[-1].html is None


async def test_parse_mode_ignores_case_and_the_source_is_kept(
    emu: TelegramEmulator, api: Api, chat: int
) -> None:
    reply = await send(api, chat, "<b>x</b>", parse_mode="html")
    assert reply.result["entities"][0]["type"] == "bold"
    assert emu.messages(chat)[-1].html == "<b>x</b>"
    assert emu.messages(chat)[-1].text == "x"


async def test_markdown_and_unknown_parse_modes_are_refused(api: Api, chat: int) -> None:
    reply = await send(api, chat, "*x*", parse_mode="MarkdownV2")
    assert reply.status == 400
    assert "HTML only" in reply.description
    reply = await send(api, chat, "x", parse_mode="Textile")
    assert reply.description == "Bad Request: unsupported parse_mode Textile"


async def test_explicit_entities_are_kept(api: Api, chat: int) -> None:
    reply = await send(api, chat, "Act now", entities=[{"type": "bold", "offset": 4, "length": 3}])
    assert reply.result["entities"] == [{"type": "bold", "offset": 4, "length": 3}]
    reply = await send(api, chat, "Act", entities=[{"type": "bold", "offset": -1}])
    assert reply.description == "Bad Request: can't parse entities JSON object"
