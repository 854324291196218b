"""A sheet cannot hold up the bot: a PDF that unpacks into millions of characters or has
hundreds of pages is refused with a reason the organizer reads in their language, and a crafted
text is read in time that grows with its length, never faster."""

from __future__ import annotations

import time
import zlib
from datetime import date

import pytest

from bot.importer.build import import_sheet
from bot.importer.extract import MAX_CHARS, MAX_PAGES, SheetError, read_sheet
from bot.rendering import Renderer
from tests.fixtures.sheets.write_pdf import document
from tests.importer.conftest import LABELS


def pdf(streams: list[bytes], *, compress: bool = True) -> bytes:
    """A minimal PDF with one page per content stream, each stream deflated."""
    objects: list[bytes] = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    kids = []
    for stream in streams:
        data = zlib.compress(stream, 9) if compress else stream
        flate = b" /Filter /FlateDecode" if compress else b""
        head = b"<< /Length %d%s >>\nstream\n" % (len(data), flate)
        objects.append(head + data + b"\nendstream")
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents %d 0 R"
            b" /Resources << /Font << /F1 3 0 R >> >> >>" % len(objects)
        )
        kids.append(len(objects))
    return document(objects, kids)


def text_page(line: str, times: int = 1) -> bytes:
    return b"BT /F1 10 Tf 56 800 Td " + b"(%s) Tj T* " % line.encode() * times + b"ET"


def test_a_pdf_that_unpacks_into_millions_of_characters_is_refused_early() -> None:
    # 2.6 million characters of text in a file of a few kilobytes.
    bomb = pdf([text_page("Release Ana Ruiz now " * 10, times=12_500)])
    assert len(bomb) < 20_000
    with pytest.raises(SheetError) as refused:
        read_sheet(bomb, "sheet.pdf")
    assert refused.value.reason == "too_long"


def test_a_stream_that_unpacks_past_what_any_sheet_holds_is_refused() -> None:
    # Ten megabytes of spaces deflate into ten kilobytes; no sheet's stream is that large.
    bomb = pdf([b"BT /F1 10 Tf 56 800 Td (Ana) Tj ET" + b" " * 10_000_000])
    assert len(bomb) < 20_000
    with pytest.raises(SheetError) as refused:
        read_sheet(bomb, "sheet.pdf")
    assert refused.value.reason == "too_long"


def test_a_pdf_of_more_pages_than_a_sheet_has_is_refused() -> None:
    many = pdf([text_page(f"Page {n}: Ana Ruiz is detained.") for n in range(MAX_PAGES + 1)])
    with pytest.raises(SheetError) as refused:
        read_sheet(many, "sheet.pdf")
    assert refused.value.reason == "too_many_pages"
    # As many pages as the limit allows are read.
    allowed = pdf([text_page(f"Page {n}: Ana Ruiz is detained.") for n in range(MAX_PAGES)])
    assert f"Page {MAX_PAGES - 1}: Ana Ruiz" in read_sheet(allowed, "sheet.pdf")


def test_a_text_file_longer_than_any_sheet_is_refused() -> None:
    assert read_sheet(b"x" * MAX_CHARS, "sheet.txt") == "x" * MAX_CHARS
    with pytest.raises(SheetError) as refused:
        read_sheet(b"x" * (MAX_CHARS + 1), "sheet.txt")
    assert refused.value.reason == "too_long"


@pytest.mark.parametrize("reason", ["too_long", "too_many_pages"])
def test_the_organizer_is_told_why_in_every_language(reason: str) -> None:
    renderer = Renderer()
    for language in renderer.languages:
        said = renderer.render(language, "import_failed.txt", reason=reason)
        other = renderer.render(language, "import_failed.txt", reason="not_text")
        assert said.strip() and said != other, language
        if language != "en":
            assert said != renderer.render("en", "import_failed.txt", reason=reason), language
    assert "far more" in renderer.render("en", "import_failed.txt", reason=reason)


def _cpu_seconds(text: str) -> float:
    """The least CPU time of three imports of `text` (the least is the least disturbed)."""
    times = []
    for _ in range(3):
        start = time.process_time()
        import_sheet(text, deadline_label=LABELS, existing=(), today=date(2024, 1, 15))
        times.append(time.process_time() - start)
    return min(times)


# Texts built to make a pattern try again from each of its characters: endless lists of names,
# runs of capitalised words, one endless hyphenated word, descriptions with no name after them.
CRAFTED = [
    "Ana Ruiz, ",
    "Ana Bea Cid Dan Eva ",
    "Ana Ruiz and Bea Cid, ",
    "Ana-Bea-",
    "human rights defenders activist ",
    "a.b-c+",
    "Ana Ruiz, an activist, ",
]


@pytest.mark.parametrize("unit", CRAFTED)
def test_a_crafted_sheet_is_read_in_time_proportional_to_its_length(unit: str) -> None:
    small = "URGENT ACTION\nTITLE\n" + (unit * 10_000)[:8_000]
    large = "URGENT ACTION\nTITLE\n" + (unit * 80_000)[:64_000]
    # Eight times the text: about eight times the work when reading is linear, sixty-four
    # times when a pattern backtracks quadratically (as "Ana Ruiz, " did).
    ratio = _cpu_seconds(large) / max(_cpu_seconds(small), 1e-3)
    assert ratio < 20, f"{unit!r}: {ratio:.1f}x the time for 8x the text"
