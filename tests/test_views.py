"""Screens within Telegram's limits, and templates complete in every language."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

import pytest

from bot.catalogue import load_case
from bot.domain.cases import PersonAtRisk
from bot.rendering import Renderer
from bot.views.cards import background_pages
from tests.conftest import ROOT


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
    assert renderer.long_date(date(2022, 6, 12), "de") == "12. Juni 2022"


@pytest.mark.parametrize(
    ("code", "expected"),
    [("ru", "ru"), ("ru-RU", "ru"), ("en-GB", "en"), ("de-AT", "de"), ("it", "en"), (None, "en")],
)
def test_the_telegram_language_picks_a_supported_one(code: str | None, expected: str) -> None:
    assert Renderer().language_for(code) == expected


@pytest.mark.parametrize(
    ("language", "joined"),
    [
        ("en", "Egypt, Iran and Kazakhstan"),
        ("ru", "Egypt, Iran и Kazakhstan"),
        ("fr", "Egypt, Iran et Kazakhstan"),
        ("es", "Egypt, Iran y Kazakhstan"),
        # Arabic joins every item with "و" and no comma at all.
        ("ar", "Egypt وIran وKazakhstan"),
    ],
)
def test_lists_on_screens_are_joined_as_each_language_joins_them(
    language: str, joined: str
) -> None:
    renderer = Renderer()
    settings = renderer.render(
        language,
        "preferences.html",
        countries=["Egypt", "Iran", "Kazakhstan"],
        zone="UTC",
        chosen_zone=True,
        private=True,
        home_country=None,
    )
    assert joined in settings.splitlines()[2]
    case = load_case(ROOT / "actions" / "kz-zhanbolat-mamay.toml")
    two = replace(case, people=(*case.people, PersonAtRisk(name="Aigul Utepova")))
    names = two.names_in(language)
    assert names.startswith(two.people[0].name_in(language))
    assert names.endswith("Aigul Utepova")
    assert ("," not in names) and ("&" not in names)
    assert names == renderer.listed([p.name_in(language) for p in two.people], language)


def test_a_moment_joins_its_date_and_time_as_the_language_does() -> None:
    renderer = Renderer()
    moment = datetime(2022, 6, 5, 9, 0, tzinfo=UTC)
    assert renderer.moment(moment, "en") == "5 June 2022, 09:00"
    assert renderer.moment(moment, "ar") == "5 يونيو 2022، 09:00"
