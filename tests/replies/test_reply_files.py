"""A reply's picture is encoded afresh without its metadata; other files are checked."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from bot.domain.reply_files import (
    MAX_BYTES,
    Refusal,
    ReplyFileError,
    accepted_type,
    checked_pdf,
    clean_image,
)
from tests.replies.images import metadata_left, photographed_letter


def test_a_photo_loses_its_place_and_phone_and_keeps_its_picture() -> None:
    original = photographed_letter()
    assert "gps" in metadata_left(original)  # the fixture carries what a phone writes
    cleaned = clean_image(original, "IMG_0042.jpeg")
    assert metadata_left(cleaned.data) == []
    assert (cleaned.kind, cleaned.mime_type, cleaned.file_name) == (
        "image",
        "image/jpeg",
        "IMG_0042.jpg",
    )
    with Image.open(io.BytesIO(cleaned.data)) as picture:
        assert picture.format == "JPEG"
        assert picture.size == (120, 80)
        dark = picture.convert("L").getpixel((60, 10))
    assert isinstance(dark, int | float) and dark < 100  # the letter's line is still there


def test_a_photo_taken_sideways_is_turned_upright_before_its_orientation_goes() -> None:
    # EXIF orientation 6: the phone was held sideways; viewers turn the picture 90°.
    cleaned = clean_image(photographed_letter((120, 80), orientation=6))
    with Image.open(io.BytesIO(cleaned.data)) as picture:
        assert picture.size == (80, 120)
    assert metadata_left(cleaned.data) == []


def test_a_png_with_transparency_becomes_a_plain_jpeg() -> None:
    picture = Image.new("RGBA", (30, 20), (0, 0, 0, 0))
    out = io.BytesIO()
    picture.save(out, format="PNG")
    cleaned = clean_image(out.getvalue(), "scan.png")
    assert cleaned.file_name == "scan.jpg"
    with Image.open(io.BytesIO(cleaned.data)) as result:
        assert result.mode == "RGB"
        white = result.getpixel((5, 5))
    assert white == (255, 255, 255)


def test_what_is_not_a_picture_or_is_too_big_is_refused() -> None:
    with pytest.raises(ReplyFileError) as refused:
        clean_image(b"not a picture at all")
    assert refused.value.refusal is Refusal.UNREADABLE
    with pytest.raises(ReplyFileError) as refused:
        clean_image(b"\xff" * (MAX_BYTES + 1))
    assert refused.value.refusal is Refusal.TOO_BIG
    # A small file that would unpack into a huge picture is refused before it is decoded.
    huge = io.BytesIO()
    Image.new("1", (8000, 6000)).save(huge, format="PNG")
    assert len(huge.getvalue()) < 1_000_000
    with pytest.raises(ReplyFileError) as refused:
        clean_image(huge.getvalue())
    assert refused.value.refusal is Refusal.TOO_BIG


def test_a_pdf_is_kept_as_it_came_once_it_is_one() -> None:
    pdf = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"
    kept = checked_pdf(pdf, "answer")
    assert (kept.kind, kept.data, kept.file_name) == ("pdf", pdf, "answer.pdf")
    with pytest.raises(ReplyFileError) as refused:
        checked_pdf(b"<html>not a pdf</html>", "answer.pdf")
    assert refused.value.refusal is Refusal.UNREADABLE


@pytest.mark.parametrize(
    ("mime", "name", "kind"),
    [
        ("application/pdf", "a.pdf", "pdf"),
        (None, "reply.PDF", "pdf"),
        ("image/jpeg", "a.jpg", "image"),
        ("image/png", None, "image"),
        ("video/mp4", "clip.mp4", None),
        ("application/msword", "a.doc", None),
        ("image/svg+xml", "a.svg", None),  # a drawing, not a photograph, and a script carrier
    ],
)
def test_which_files_are_taken_as_replies(mime: str | None, name: str | None, kind: str) -> None:
    assert accepted_type(mime, name) == kind
