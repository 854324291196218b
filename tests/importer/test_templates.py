"""The import's words: every note kind has its phrase, and what a sheet says is escaped."""

from __future__ import annotations

import pytest

from bot.importer.listing import ListedCase
from bot.importer.report import Note, NoteKind
from bot.rendering import Renderer
from tests.importer.conftest import import_fixture


@pytest.mark.parametrize("language", ["en", "ru"])
@pytest.mark.parametrize("kind", list(NoteKind))
def test_every_kind_of_note_has_its_own_phrase(language: str, kind: NoteKind) -> None:
    values = dict.fromkeys(("written", "value", "region", "why", "date", "slug", "outcome"), "x")
    values |= {"language": "ru", "message": "the catalogue’s words"}
    imported = import_fixture("egypt-adel.txt")
    imported.report.notes[:] = [Note(kind, "targets[0].fax", values)]
    review = Renderer().render(
        language, "import_review.html", imported=imported, notes=imported.report.notes, more=0
    )
    line = review.split("• ", 1)[1]
    # Each kind says something of its own; "problem" is the catalogue's message itself. The
    # field is named in the organizer's words, never as the file's path.
    named = {"en": "Official 1: fax: ", "ru": "Адресат 1: факс: "}[language]
    assert line.startswith(named) or kind is NoteKind.UPDATE
    assert "targets[0]" not in line
    assert ("the catalogue’s words" in line) == (kind is NoteKind.PROBLEM)


def test_what_a_sheet_says_is_escaped_in_the_chat() -> None:
    imported = import_fixture("egypt-adel.txt")
    imported.report.notes[:] = [
        Note(NoteKind.EMAIL_INVALID, "targets[0].emails", {"written": "<b>x</b>@&"})
    ]
    review = Renderer().render(
        "en", "import_review.html", imported=imported, notes=imported.report.notes, more=0
    )
    assert "“&lt;b&gt;x&lt;/b&gt;@&amp;” is not an email address" in review


@pytest.mark.parametrize(
    ("language", "joined"),
    [
        ("en", "Asks and Officials to write to"),
        ("ar", "المطالب والمسؤولون الذين تُوجَّه إليهم الرسائل"),
        ("fr", "Demandes et Autorités à qui écrire"),
    ],
)
def test_the_fields_to_complete_are_listed_as_the_language_lists(
    language: str, joined: str
) -> None:
    imported = import_fixture("egypt-adel-released.txt")
    assert imported.gaps == ("text.en.asks", "targets")
    renderer = Renderer()
    review = renderer.render(language, "import_review.html", imported=imported, notes=[], more=0)
    report = renderer.render(
        language,
        "import_report.txt",
        source="egypt-adel-released.txt",
        imported=imported,
        found=[],
        written=None,
        refused=None,
    )
    assert joined in review and joined in report
    # Named as the organizer names them, never as the file's fields.
    assert "text.en.asks" not in review + report and "targets" not in review + report


def test_a_listing_in_russian_and_arabic_counts_its_cases_in_the_language() -> None:
    renderer = Renderer()
    two = [ListedCase("UA 1/20", "A"), ListedCase("UA 2/20", "B")]
    five = [ListedCase(f"UA {n}/20", "A") for n in range(5)]
    assert renderer.render("ru", "import_listing.txt", listed=two).startswith(
        "На этой странице 2 срочные акции"
    )
    assert renderer.render("ru", "import_listing.txt", listed=five).startswith(
        "На этой странице 5 срочных акций"
    )
    assert renderer.render("ar", "import_listing.txt", listed=two).startswith(
        "تعرض هذه الصفحة تحركين عاجلين"
    )


@pytest.mark.parametrize("language", ["en", "fr", "es", "ar", "ru"])
def test_the_notes_name_each_field_in_the_organizers_words(language: str) -> None:
    imported = import_fixture("egypt-adel.txt")
    fields = [
        "country_code", "reference", "issued", "timezone", "source_url", "themes", "people",
        "people[1].name", "people[0].pronoun", "people[0].description", "targets",
        "targets[1].salutation", "targets[0].title", "targets[0].emails[2]", "targets[0].phone",
        "targets[0].language", "key_dates", "key_dates.deadline", "key_dates.label",
        "text.de.title", "text.en.summary", "text.en.background", "text.en.facts",
        "text.en.asks", "text.en.asks[2]", "text.fr",
    ]  # fmt: skip
    imported.report.notes[:] = [Note(NoteKind.MISSING, field) for field in fields]
    review = Renderer().render(
        language, "import_review.html", imported=imported, notes=imported.report.notes, more=99
    )
    lines = review.split("• ")[1:]
    assert len(lines) == len(fields)
    for field, line in zip(fields, lines, strict=True):
        assert ("." not in field and "[" not in field) or field not in line, (field, line)
        assert not any(c in line.split(":")[0] for c in "[]_"), (field, line)
