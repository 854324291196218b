"""The post file printed to A4 in Chromium, as a person prints it or saves it as PDF: every
letter ends on the page it starts on, its closing and signature never on a page alone."""

from __future__ import annotations

import io
from datetime import date
from unicodedata import normalize

import pytest
from playwright.async_api import Browser
from pypdf import PdfReader

from bot.appeals import Signer, compose_appeal, post_file
from bot.appeals.files import printed_parts
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
        ("fr", ("Monsieur le Président", "Monsieur l’Ambassadeur"), LONGEST_LINE),
        ("es", ("Señor Presidente", "Señor embajador"), LONGEST_LINE),
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
        # Written from Canada: the appeal is copied to the embassy in Ottawa, which gets a
        # letter of its own with the appeal enclosed.
        writer_country="CA",
    )
    name = f"post-{language}-{'long' if personal_line else 'short'}"
    pages = await printed_pages(browser, post_file(appeal, renderer), name)
    titles = (
        "Envelope label",
        "Адрес для конверта",
        "Étiquette d’enveloppe",
        "Etiqueta del sobre",
    )
    labels = [p for p in pages if any(title in normalize("NFKC", p) for title in titles)]
    assert len(labels) == 2
    # The appeal to the President, then its label; the note to the Ambassador and the appeal
    # it encloses, which starts a page; then its label.
    assert salutations[0] in pages[0]
    enclosed = [p for p in pages if p.lstrip().startswith("----------")]
    assert len(enclosed) == 1
    assert any(salutations[1] in p and SIGNATURE in p for p in pages)
    # Each closing block opens with the letter's last paragraph; a letter that runs over
    # takes at least four lines of its text to the page of its closing and signature.
    closings = [
        closing.split("\n", 1)[0][:30]
        for letter in appeal.letters
        for _, closing in printed_parts(letter)
        if closing
    ]
    for page in pages:
        if SIGNATURE not in page:
            continue
        # NFKC: the PDF's text has the font's ligatures ("ﬁ" for "fi").
        lines = [normalize("NFKC", line).strip() for line in page.splitlines() if line.strip()]
        starts = [i for i, line in enumerate(lines) if any(line.startswith(c) for c in closings)]
        assert starts, f"a signature without its letter's last paragraph: {lines}"
        assert all(i >= 4 for i in starts), lines
    if personal_line:
        assert personal_line[:40] in " ".join(pages).replace("\n", " ")
