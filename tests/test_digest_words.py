"""The weekly digest as a native speaker would write it: plurals by the language's rules, and
each line's punctuation in the language's typography."""

from __future__ import annotations

from datetime import date

import pytest

from bot.rendering import Renderer

RENDERER = Renderer()


def digest(language: str, count: int) -> list[str]:
    case = {
        "title": "A <b> title",
        "country": "Kazakhstan",
        "deadline": RENDERER.long_date(date(2026, 12, 20), language),
    }
    return RENDERER.render(language, "digest.html", cases=[case] * count).splitlines()


@pytest.mark.parametrize(
    ("language", "count", "words"),
    [
        ("en", 1, "1 open case that fits"),
        ("en", 2, "2 open cases that fit"),
        ("ru", 1, "1 открытое дело"),
        ("ru", 2, "2 открытых дела"),
        ("ru", 5, "5 открытых дел"),
        ("ru", 21, "21 открытое дело"),
        ("ar", 1, "قضية مفتوحة واحدة"),
        ("ar", 2, "قضيتان مفتوحتان"),
        ("ar", 5, "5 قضايا مفتوحة"),
        ("ar", 11, "11 قضية مفتوحة"),
        ("fr", 2, "2 dossiers ouverts correspondent"),
        ("es", 1, "1 caso abierto se ajusta"),
    ],
)
def test_the_digest_counts_its_cases_in_the_languages_plural(
    language: str, count: int, words: str
) -> None:
    assert words in digest(language, count)[0]


def test_a_digest_line_follows_each_languages_punctuation() -> None:
    assert digest("en", 1)[1] == (
        "• <b>A &lt;b&gt; title</b> (Kazakhstan): until 20 December 2026"
    )
    # French puts a space before the colon.
    assert digest("fr", 1)[1] == (
        "• <b>A &lt;b&gt; title</b> (Kazakhstan)\u00a0: jusqu’au 20 décembre 2026"
    )
