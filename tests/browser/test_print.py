"""The post file printed to A4 in Chromium, as a person prints it or saves it as PDF: every
letter ends on the page it starts on, its closing and signature never on a page alone."""

from __future__ import annotations

import io
from datetime import date

import pytest
from playwright.async_api import Browser
from pypdf import PdfReader

from bot.appeals import Signer, compose_appeal, post_file
from bot.catalogue import load_case
from bot.domain.cases import Channel
from bot.rendering import Renderer
from tests.browser.conftest import ARTIFACTS
from tests.conftest import ROOT

pytestmark = pytest.mark.browser

SIGNATURE = "Anna Petrova"
# A personal line as long as the bot takes (300 characters): the longest letter a person makes.
LONGEST_LINE = " ".join(["Zhanbolat Mamay must be freed at once."] * 8)[:300]


async def printed_pages(browser: Browser, html: bytes, name: str) -> list[str]:
    """Print the page to an A4 PDF as Chromium does; return the text of each page."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    source = ARTIFACTS / f"{name}.html"
    source.write_bytes(html)
    page = await browser.new_page()
    try:
        await page.goto(source.as_uri())
        pdf = await page.pdf(prefer_css_page_size=True)
    finally:
        await page.close()
    (ARTIFACTS / f"{name}.pdf").write_bytes(pdf)
    return [p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages]


@pytest.mark.parametrize(
    ("language", "salutations", "personal_line"),
    [
        ("en", ("Dear Mr President", "Your Excellency"), None),
        ("en", ("Dear Mr President", "Your Excellency"), LONGEST_LINE),
        ("ru", ("Уважаемый господин Президент", "Ваше Превосходительство"), LONGEST_LINE),
    ],
)
async def test_each_printed_letter_keeps_its_signature_on_its_own_page(
    browser: Browser, language: str, salutations: tuple[str, str], personal_line: str | None
) -> None:
    renderer = Renderer()
    case = load_case(ROOT / "actions" / "kz-zhanbolat-mamay.toml")
    appeal = compose_appeal(
        case,
        channel=Channel.POST,
        language=language,
        signer=Signer(full_name=SIGNATURE),
        personal_line=personal_line,
        today=date(2026, 11, 25),
        variant_seed="print",
        renderer=renderer,
    )
    name = f"post-{language}-{'long' if personal_line else 'short'}"
    pages = await printed_pages(browser, post_file(appeal, renderer), name)
    labels = [p for p in pages if "Envelope label" in p or "Адрес для конверта" in p]
    letters = [p for p in pages if p not in labels]
    # The letter to the President, its label; the note to the Ambassador, the appeal it
    # encloses, its label: five pages, none of them a stray closing.
    assert (len(letters), len(labels)) == (3, 2), [p[:60] for p in pages]
    president, note, enclosed = letters
    for page, salutation in ((president, salutations[0]), (note, salutations[1])):
        assert salutation in page
        assert SIGNATURE in page
    assert salutations[0] in enclosed
    assert enclosed.rstrip().endswith("Kazakhstan")  # its "Copy:" line closes the page
    assert SIGNATURE in enclosed
    if personal_line:
        assert personal_line[:40] in president.replace("\n", " ")
