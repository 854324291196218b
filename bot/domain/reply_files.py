"""A reply from the authorities, as a person sends it: checked, and images cleaned.

Photos and image files are decoded and encoded afresh as JPEG, so nothing of the original file
travels on: no EXIF (where and when the picture was taken, the phone), no XMP, no comments. The
picture is turned upright first, as its EXIF orientation says. PDFs are kept as they came (the
person is told so before sending): cleaning a PDF's metadata reliably means rewriting it, and an
official's letter is what organizers need to read unchanged.
"""

from __future__ import annotations

import enum
import io
import warnings
from dataclasses import dataclass

from PIL import Image, ImageOps, UnidentifiedImageError

# Telegram lets a bot download up to 20 MB; a photographed letter is a few MB at most.
MAX_BYTES = 10 * 1024 * 1024
# A picture larger than this many pixels is refused before it is decoded (a small file can
# unpack into gigabytes).
MAX_PIXELS = 40_000_000
JPEG_QUALITY = 88
IMAGE_TYPES = frozenset({"image/jpeg", "image/png", "image/webp", "image/gif", "image/bmp"})
PDF_TYPE = "application/pdf"


class Refusal(enum.StrEnum):
    """Why a file sent as a reply is not kept; each has its own answer to the person."""

    TOO_BIG = "too_big"
    WRONG_TYPE = "wrong_type"  # not a picture or a PDF
    UNREADABLE = "unreadable"  # says it is one, is not


class ReplyFileError(Exception):
    """A reply file the bot does not keep, and why."""

    def __init__(self, refusal: Refusal) -> None:
        super().__init__(refusal.value)
        self.refusal = refusal


@dataclass(frozen=True)
class ReplyFile:
    """What is kept of a reply: `image` (a clean JPEG) or `pdf` (as sent)."""

    kind: str
    mime_type: str
    file_name: str
    data: bytes


def accepted_type(mime_type: str | None, file_name: str | None) -> str | None:
    """`image` or `pdf` for a document the bot takes as a reply, else None."""
    mime = (mime_type or "").lower()
    name = (file_name or "").lower()
    if mime == PDF_TYPE or (not mime and name.endswith(".pdf")):
        return "pdf"
    if mime in IMAGE_TYPES:
        return "image"
    return None


def clean_image(data: bytes, file_name: str = "reply.jpg") -> ReplyFile:
    """The picture encoded afresh as a JPEG with no metadata, upright."""
    if len(data) > MAX_BYTES:
        raise ReplyFileError(Refusal.TOO_BIG)
    try:
        with warnings.catch_warnings():
            # Pillow warns, then raises, about oversized pictures; the size is checked below.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as opened:
                width, height = opened.size
                if width * height > MAX_PIXELS:
                    raise ReplyFileError(Refusal.TOO_BIG)
                upright = ImageOps.exif_transpose(opened)
                picture = _flattened(upright)
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError) as error:
        raise ReplyFileError(Refusal.UNREADABLE) from error
    out = io.BytesIO()
    # A new image holds no info: nothing of the original's EXIF, XMP or comments is written.
    picture.save(out, format="JPEG", quality=JPEG_QUALITY, optimize=True)
    stem = file_name.rsplit(".", 1)[0] if "." in file_name else file_name
    return ReplyFile("image", "image/jpeg", f"{stem or 'reply'}.jpg", out.getvalue())


def _flattened(picture: Image.Image) -> Image.Image:
    """The picture's pixels alone, in RGB, transparency laid on white."""
    rgba = picture.convert("RGBA")
    plain = Image.new("RGB", rgba.size, (255, 255, 255))
    plain.paste(rgba, mask=rgba.getchannel("A"))
    return plain


def checked_pdf(data: bytes, file_name: str) -> ReplyFile:
    """A PDF kept as it came, once it is one and not too big."""
    if len(data) > MAX_BYTES:
        raise ReplyFileError(Refusal.TOO_BIG)
    if not data.startswith(b"%PDF-"):
        raise ReplyFileError(Refusal.UNREADABLE)
    name = file_name if file_name.lower().endswith(".pdf") else f"{file_name or 'reply'}.pdf"
    return ReplyFile("pdf", PDF_TYPE, name, data)
