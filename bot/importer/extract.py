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

from pypdf import PdfReader
from pypdf.errors import DependencyError, PyPdfError

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


class SheetError(Exception):
    """The file holds no text we can read; `reason` names why, for the template to say.

    Reasons: "not_text" (neither text nor PDF), "unreadable_pdf", "no_text" (a PDF of images).
    """

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason


def read_sheet(data: bytes, filename: str = "") -> str:
    """The text of a sheet file: a PDF (by its signature or name) or UTF-8 / Windows text."""
    if data.startswith(b"%PDF") or filename.lower().endswith(".pdf"):
        return _pdf_text(data)
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        # Windows' code page decodes almost any bytes; a picture or an archive holds NULs.
        if "\x00" not in text:
            return text
    raise SheetError("not_text")


def _pdf_text(data: bytes) -> str:
    try:
        reader = PdfReader(io.BytesIO(data))
        pages = [page.extract_text() or "" for page in reader.pages]
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
    return "\n\f\n".join(pages)


def clean_lines(text: str) -> list[str]:
    """The sheet's lines, cleaned: blank lines (paragraph breaks) kept as "", one at a time."""
    raw = text.replace("\r\n", "\n").replace("\r", "\n").translate(_INVISIBLE)
    lines = [_tidy(line) for line in raw.split("\n")]
    repeated = Counter(line for line in lines if line and line != "\f")
    seen: set[str] = set()
    kept: list[str] = []
    for line in lines:
        # A heading in capitals that each page repeats ("URGENT ACTION", the title) is kept
        # where it first stands; a running header or footer goes everywhere.
        heading = line.isupper() and line not in seen and "AMNESTY" not in line
        seen.add(line)
        furniture = (
            repeated[line] > 1 and not _LABELLED.match(line) and len(line) < 100 and not heading
        )
        if line == "\f" or _PAGE_NUMBER.match(line) or furniture:
            continue
        if line or (kept and kept[-1]):
            kept.append(line)
    while kept and not kept[-1]:
        kept.pop()
    return kept


def _tidy(line: str) -> str:
    text = " ".join(line.split())
    if line.strip() == "\f":
        return "\f"
    match = _BULLETS.match(text)
    if match and len(text) > match.end():
        return BULLET + text[match.end() :]
    return text
