"""The text of a sheet, from a PDF or a text file, cleaned of what PDF extraction leaves behind.

What is cleaned: page headers and footers (a line repeated on every page, "Page 2 of 3"), runs
of spaces, soft hyphens and invisible characters, ligatures, and the odd characters that PDFs
use for bullets (a Symbol-font "\uf0b7", "●", "▪"), all turned into "• ".
"""

from __future__ import annotations

import io
import logging
import re
from collections import Counter

from pypdf import PdfReader, apply_configuration
from pypdf.errors import DependencyError, LimitReachedError, PyPdfError

from bot.importer.labels import CLOSING, CONTACT, DEAR

# pypdf reports harmless quirks of a file as warnings; an import cares only about the text.
logging.getLogger("pypdf").setLevel(logging.ERROR)

BULLET = "• "
_BULLETS = re.compile(r"^(?:[•●▪■◦‣∙·○◆►➢✓\uf0a7\uf0b7\uf076\uf0d8\uf0fc]|[-–—*](?=\s))\s*")
_INVISIBLE = str.maketrans(
    {
        "\u00ad": None,  # soft hyphen
        "\u200b": None,
        "\u200c": None,
        "\u200d": None,
        "\ufeff": None,
        "\u00a0": " ",
        "\u2009": " ",
        "\u202f": " ",
        "\t": " ",
        "\ufb01": "fi",
        "\ufb02": "fl",
        "\ufb00": "ff",
    }
)
_PAGE_NUMBER = re.compile(r"^(?:page\s+\d+(?:\s+of\s+\d+)?|\d{1,3}|-\s*\d{1,3}\s*-)$", re.I)
# A labelled line ("Email: ...") may well repeat: two officials can share an address.
_LABELLED = re.compile(r"^[\w -]{2,40}:\s*\S")

# What a sheet can be at most. The longest real sheets are five pages and some 20,000
# characters; a few kilobytes of PDF can unpack into millions of characters and hold up the bot
# and its database, so reading stops as soon as a file goes past either limit.
MAX_PAGES = 30
MAX_CHARS = 200_000
# No stream a sheet holds needs more than this once unpacked (pypdf's own default is 75 MB).
_MAX_STREAM_BYTES = 8_000_000


class SheetError(Exception):
    """The file holds no text we can read; `reason` names why, for the template to say.

    Reasons: "not_text" (neither text nor PDF), "unreadable_pdf", "no_text" (a PDF of images),
    "too_many_pages" and "too_long" (far more than any sheet: a decompression bomb, a book).
    """

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason


def read_sheet(data: bytes, filename: str = "") -> str:
    """The text of a sheet file: a PDF (by its signature or name) or UTF-8 / Windows text.

    Raises `SheetError` for a file that is no sheet, or holds more than `MAX_PAGES` pages or
    `MAX_CHARS` characters of text."""
    if data.startswith(b"%PDF") or filename.lower().endswith(".pdf"):
        return _pdf_text(data)
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        # Windows' code page decodes almost any bytes; a picture or an archive holds NULs.
        if "\x00" not in text:
            return within_limits(text)
    raise SheetError("not_text")


def within_limits(text: str) -> str:
    """`text`, if it is no longer than a sheet can be; raises `SheetError("too_long")`."""
    if len(text) > MAX_CHARS:
        raise SheetError("too_long", f"{len(text)} characters")
    return text


class _TooLongError(Exception):
    """Raised from inside pypdf's extraction to stop it once the text is past the limit."""


def _pdf_text(data: bytes) -> str:
    read = 0

    def count(text: str, *_: object) -> None:
        nonlocal read
        read += len(text)
        if read > MAX_CHARS:
            raise _TooLongError

    try:
        with apply_configuration(
            zlib_maximum_output_length=_MAX_STREAM_BYTES,
            lzw_maximum_output_length=_MAX_STREAM_BYTES,
            run_length_maximum_output_length=_MAX_STREAM_BYTES,
            brotli_maximum_output_length=_MAX_STREAM_BYTES,
            array_based_stream_maximum_output_length=_MAX_STREAM_BYTES,
            stream_decoding_work_maximum_length=4 * _MAX_STREAM_BYTES,
        ):
            reader = PdfReader(io.BytesIO(data))
            if len(reader.pages) > MAX_PAGES:
                raise SheetError("too_many_pages", f"{len(reader.pages)} pages")
            # The count stops pypdf inside a page that unpacks into more than a sheet holds.
            pages = [page.extract_text(visitor_text=count) or "" for page in reader.pages]
    except _TooLongError:
        raise SheetError("too_long", f"over {MAX_CHARS} characters") from None
    except LimitReachedError as error:
        raise SheetError("too_long", str(error)) from None
    except (
        PyPdfError,
        DependencyError,
        ValueError,
        KeyError,
        TypeError,
        AttributeError,
        IndexError,
        RecursionError,
        ZeroDivisionError,
    ) as error:
        # A malformed file makes pypdf fail in many ways; each is a PDF we cannot read.
        raise SheetError("unreadable_pdf", str(error)) from None
    if not "".join(pages).strip():
        raise SheetError("no_text")
    # Pages end in a blank line; a paragraph a page break cuts is mended as in a text file.
    return within_limits("\n\f\n".join(pages))


def clean_lines(text: str) -> list[str]:
    """The sheet's lines, cleaned: blank lines (paragraph breaks) kept as "", one at a time."""
    raw = text.replace("\r\n", "\n").replace("\r", "\n").translate(_INVISIBLE)
    lines = [_tidy(line) for line in raw.split("\n")]
    repeated = Counter(line for line in lines if line and line != "\f")
    in_block = _in_an_officials_block(lines, {line for line, n in repeated.items() if n > 1})
    seen: set[str] = set()
    kept: list[str] = []
    for line in lines:
        # A heading in capitals that each page repeats ("URGENT ACTION", the title) is kept
        # where it first stands; a running header or footer goes everywhere.
        heading = line.isupper() and line not in seen and "AMNESTY" not in line
        seen.add(line)
        # A page of several sample letters opens and closes each the same way.
        letter = bool(DEAR.match(line) or CLOSING.match(line))
        furniture = (
            repeated[line] > 1
            and not _LABELLED.match(line)
            and len(line) < 100
            and not heading
            and not letter
            and line not in in_block
        )
        if line == "\f" or _PAGE_NUMBER.match(line) or furniture:
            continue
        if line or (kept and kept[-1]):
            kept.append(line)
    while kept and not kept[-1]:
        kept.pop()
    return kept


def _in_an_officials_block(lines: list[str], repeated: set[str]) -> set[str]:
    """The repeated lines that belong to an official's block, not to the page: next to a
    contact line ("Fax: ..."), or next to such a line. Two officials share a city ("La
    Habana", "Cuba"), and a sample letter writes its addressee's block again."""
    near: dict[str, set[str]] = {line: set() for line in repeated}
    kept: set[str] = set()
    text = [line for line in lines if line and line != "\f"]
    for k, line in enumerate(text):
        if line not in repeated or "amnesty" in line.lower():  # the page's header
            continue
        for other in text[max(0, k - 1) : k + 2]:
            if other == line:
                continue
            if CONTACT.match(other):
                kept.add(line)
            elif other in repeated:
                near[line].add(other)
    todo = list(kept)
    while todo:
        for other in near[todo.pop()] - kept:
            kept.add(other)
            todo.append(other)
    return kept


def _tidy(line: str) -> str:
    text = " ".join(line.split())
    if line.strip() == "\f":
        return "\f"
    match = _BULLETS.match(text)
    if match and len(text) > match.end():
        return BULLET + text[match.end() :]
    return text
