"""Screens within Telegram's limits, and templates complete in every language."""

from __future__ import annotations

import tomllib
from datetime import date
from pathlib import Path

import pytest

from bot.rendering import TEMPLATES_DIR, Renderer, plural
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


def test_russian_and_english_plurals() -> None:
    assert [plural(n, "day", "days") for n in (1, 2, 5)] == ["day", "days", "days"]
    forms = ("день", "дня", "дней")
    assert [plural(n, *forms) for n in (1, 2, 5, 11, 21, 22, 112)] == [
        "день",
        "дня",
        "дней",
        "дней",
        "день",
        "дня",
        "дней",
    ]


def test_every_language_has_every_template_and_button() -> None:
    renderer = Renderer()
    assert renderer.languages[0] == "en"
    assert "ru" in renderer.languages
    english = {p.relative_to(TEMPLATES_DIR / "en") for p in (TEMPLATES_DIR / "en").rglob("*.*")}
    for language in renderer.languages[1:]:
        present = {
            p.relative_to(TEMPLATES_DIR / language)
            for p in (TEMPLATES_DIR / language).rglob("*.*")
        }
        missing = english - present - {Path("countries.toml")}
        assert not missing, f"{language} lacks {sorted(map(str, missing))}"
        buttons = tomllib.loads((TEMPLATES_DIR / "en" / "buttons.toml").read_text())
        theirs = tomllib.loads((TEMPLATES_DIR / language / "buttons.toml").read_text())
        assert set(buttons) <= set(theirs), (
            f"{language} lacks buttons {set(buttons) - set(theirs)}"
        )


def test_dates_are_written_in_the_persons_language() -> None:
    renderer = Renderer()
    assert renderer.long_date(date(2022, 6, 12), "en") == "12 June 2022"
    assert renderer.long_date(date(2022, 6, 12), "ru") == "12 июня 2022 г."


@pytest.mark.parametrize("code", ["ru", "ru-RU", "en-GB", "de", None])
def test_the_telegram_language_picks_a_supported_one(code: str | None) -> None:
    expected = "ru" if code and code.startswith("ru") else "en"
    assert Renderer().language_for(code) == expected
