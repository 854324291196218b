"""A page whose heading is a paragraph still gives a case file that loads: a title within the
case's limit, flagged for the organizer to check."""

from __future__ import annotations

from bot.catalogue.fields import TEXT_LIMITS
from bot.importer.build import shortened_title

LIMIT = TEXT_LIMITS["title"]


def test_a_heading_of_several_sentences_gives_its_first() -> None:
    heading = (
        "Five defenders held without charge in Freedonia. "
        + "They were arrested at a peaceful gathering and have not seen a lawyer since. " * 3
    )
    assert shortened_title(heading, LIMIT) == "Five defenders held without charge in Freedonia"


def test_one_long_sentence_is_cut_at_a_word_within_the_limit() -> None:
    heading = "At least fourteen people " + "in connection with the protests of that year " * 8
    title = shortened_title(heading.strip(), LIMIT)
    assert len(title) <= LIMIT
    assert title.endswith("…")
    assert heading.startswith(title.removesuffix("…"))
    assert not title.removesuffix("…").endswith(" ")


def test_a_title_within_the_limit_is_kept() -> None:
    assert shortened_title("Journalist detained", LIMIT) == "Journalist detained"
