"""What a draft lacks before publishing is named as an organizer would name it, in every
language the bot speaks: "Official 2: name", never "targets[1].name"."""

from __future__ import annotations

import re

import pytest

from bot.importer.report import gap_notes
from bot.rendering import Renderer

GAPS = (
    "country",
    "country_code",
    "text.en.title",
    "text.en.asks",
    "people",
    "targets",
    "targets[1].name",
    "targets[0]",
    "text",
)
FIELD_PATH = re.compile(r"targets\[|text\.\w|country_code|\bpeople\b")


def test_each_gap_is_one_note_whatever_fields_make_it_up() -> None:
    places = [note.place[0] for note in gap_notes(GAPS)]
    # The country and its code are one thing to complete.
    assert places == [
        "country",
        "title",
        "asks",
        "people",
        "officials",
        "official_name",
        "official_contact",
        "text_length",
    ]


def test_the_chats_refusal_names_each_gap_in_english() -> None:
    answer = Renderer().render("en", "case_incomplete.txt", gaps=gap_notes(GAPS))
    assert answer.startswith(
        "This draft is not complete yet: Country, Title, Asks, People at risk, Officials to"
        " write to, Official 2: name, Official 1: an address, email or fax to write to and"
        " Texts: short enough for one message."
    )


@pytest.mark.parametrize("language", ["en", "fr", "es", "de", "ar", "ru"])
def test_no_language_shows_a_field_path(language: str) -> None:
    renderer = Renderer()
    answer = renderer.render(language, "case_incomplete.txt", gaps=gap_notes(GAPS))
    assert FIELD_PATH.search(answer) is None, answer
    # Every gap is named: the translated "Official 2" and "Official 1" both appear.
    assert "2" in answer and "1" in answer
