"""Screens within Telegram's limits, and templates complete in every language."""

from __future__ import annotations

from datetime import date

import pytest

from bot.rendering import Renderer
from bot.views.cards import background_pages


def test_a_long_background_is_paged_without_losing_a_word() -> None:
    paragraphs = [f"Paragraph {i}. " + "word " * (150 + 37 * i) for i in range(12)]
    text = "\n\n".join(p.strip() for p in paragraphs)
    pages = background_pages(text, size=1500)
    assert len(pages) > 1
    assert all(len(page) <= 1500 for page in pages)
    assert " ".join(" ".join(pages).split()) == " ".join(text.split())


def test_a_single_huge_paragraph_is_cut_between_words() -> None:
    text = "Sentence number one is here. " * 400
    pages = background_pages(text, size=1000)
    assert all(len(page) <= 1000 for page in pages)
    assert all(not page.endswith(("Senten", "numb")) for page in pages)
    assert " ".join(" ".join(pages).split()) == " ".join(text.split())


def test_dates_are_written_in_the_persons_language() -> None:
    renderer = Renderer()
    assert renderer.long_date(date(2022, 6, 12), "en") == "12 June 2022"
    assert renderer.long_date(date(2022, 6, 12), "ru") == "12 июня 2022\u202fг."
    assert renderer.long_date(date(2022, 6, 12), "fr") == "12 juin 2022"
    assert renderer.long_date(date(2022, 6, 12), "es") == "12 de junio de 2022"
    assert renderer.long_date(date(2022, 6, 12), "ar") == "12 يونيو 2022"


@pytest.mark.parametrize("code", ["ru", "ru-RU", "en-GB", "de", None])
def test_the_telegram_language_picks_a_supported_one(code: str | None) -> None:
    expected = "ru" if code and code.startswith("ru") else "en"
    assert Renderer().language_for(code) == expected
