"""The words of each language are data: every file in bot/importer/languages/ is read, and every
month and phrase it holds is what the importer then recognises."""

from __future__ import annotations

import pytest

from bot.importer import labels
from bot.importer.normalise import one_date
from bot.importer.words import KINDS, languages

LANGUAGES = sorted(languages())


def test_the_sections_languages_each_have_a_file() -> None:
    assert {"en", "fr", "es", "de", "nl", "it", "pt", "ar"} <= set(LANGUAGES)
    for code, words in languages().items():
        assert set(words.phrases) == set(KINDS), code
        assert set(words.months.values()) == set(range(1, 13)), code


@pytest.mark.parametrize("code", LANGUAGES)
def test_each_month_a_file_names_is_read_in_a_date(code: str) -> None:
    for name, number in languages()[code].months.items():
        found = one_date(f"3 {name} 2020")
        assert found is not None and (found.month, found.year) == (number, 2020), name


@pytest.mark.parametrize("code", LANGUAGES)
def test_each_phrase_a_file_holds_labels_its_line(code: str) -> None:
    phrases = languages()[code].phrases
    for phrase in phrases["write_to"]:
        assert labels.WRITE_TO.match(f"{phrase.capitalize()}:"), phrase
    for phrase in phrases["copy_to"]:
        assert labels.COPY.match(phrase.upper()), phrase
    for phrase in phrases["urgent_action"]:
        assert labels.URGENT_ACTION.match(phrase.upper()), phrase
    for phrase in phrases["no_further_action"]:
        assert labels.NO_FURTHER_ACTION.search(f"Merci. {phrase.capitalize()}."), phrase
    for phrase in phrases["deadline"]:
        match = labels.DEADLINE.search(f"{phrase.capitalize()} 12 June 2020")
        assert match is not None and one_date(match["date"]) is not None, phrase
    for phrase in phrases["salutation"]:
        contact = labels.CONTACT.match(f"{phrase.capitalize()}: Dear Minister")
        assert contact is not None and contact["salutation"], phrase
