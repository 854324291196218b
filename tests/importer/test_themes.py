"""A case's themes from its sheet: labelled topics in each language, the older header's concern,
and a conservative inference, flagged for the organizer, where the sheet labels none."""

from __future__ import annotations

from bot.importer.report import NoteKind
from bot.importer.themes import read_themes, theme_of
from tests.importer.conftest import import_fixture


def notes_of(name: str, kind: NoteKind) -> list[dict[str, str]]:
    imported = import_fixture(name)
    return [dict(n.values) for n in imported.report.notes if n.kind is kind]


def test_an_issues_line_gives_the_themes_and_reports_a_topic_that_is_none() -> None:
    imported = import_fixture("web-issues-line-iran-2024.txt")
    assert imported.case is not None, imported.problems
    assert imported.case.themes == ("death-penalty", "torture")
    # The country and the region are tags, not topics; children's rights is no theme of ours.
    unknown = [
        n.values["written"] for n in imported.report.notes if n.kind is NoteKind.THEME_UNKNOWN
    ]
    assert unknown == ["Children's Rights"]
    assert not [n for n in imported.report.notes if n.kind is NoteKind.THEMES_INFERRED]


def test_a_french_themes_line_is_read() -> None:
    imported = import_fixture("fr-themes-ligne-tchad-2024.txt")
    assert imported.case is not None, imported.problems
    assert imported.case.themes == ("human-rights-defenders", "freedom-of-expression")
    assert notes_of("fr-themes-ligne-tchad-2024.txt", NoteKind.THEME_UNKNOWN) == []
    # The labelled line is not taken for a paragraph of the story.
    assert "Thèmes" not in imported.case.texts["fr"].summary + imported.case.texts["fr"].background


def test_a_spanish_temas_line_is_read_and_its_unknown_topic_reported() -> None:
    imported = import_fixture("es-temas-linea-honduras-2024.txt")
    assert imported.case is not None, imported.problems
    assert imported.case.themes == ("human-rights-defenders", "indigenous-peoples")
    assert notes_of("es-temas-linea-honduras-2024.txt", NoteKind.THEME_UNKNOWN) == [
        {"written": "Medio ambiente"}
    ]


def test_a_german_themen_line_is_read() -> None:
    imported = import_fixture("de-themen-zeile-vietnam-2024.txt")
    assert imported.case is not None, imported.problems
    assert imported.case.themes == ("prisoners-of-conscience", "torture")
    assert notes_of("de-themen-zeile-vietnam-2024.txt", NoteKind.THEME_UNKNOWN) == []


def test_the_older_mailings_concern_is_read_as_labelled() -> None:
    imported = import_fixture("appeal-mailing-pakistan-2005.txt")
    assert imported.case is not None, imported.problems
    # "UA 88/05 Fear of torture / Incommunicado detention"
    assert imported.case.themes == ("torture",)
    kinds = {n.kind for n in imported.report.notes}
    assert NoteKind.THEMES_INFERRED not in kinds
    assert notes_of("appeal-mailing-pakistan-2005.txt", NoteKind.THEME_UNKNOWN) == [
        {"written": "Incommunicado detention"}
    ]


def test_without_a_labelled_line_the_themes_are_inferred_and_flagged() -> None:
    imported = import_fixture("azerbaijan-karimli.txt")
    assert imported.case is not None, imported.problems
    assert imported.case.themes == ("prisoners-of-conscience", "human-rights-defenders")
    assert notes_of("azerbaijan-karimli.txt", NoteKind.THEMES_INFERRED) == [
        {"value": "prisoners-of-conscience, human-rights-defenders"}
    ]


def test_a_sheet_that_names_no_theme_gets_none_and_says_so() -> None:
    # Death threats are not the death penalty, and the Ombudsman (Defensor del Pueblo) is not a
    # human rights defender.
    imported = import_fixture("es-appeals-colombia-2016.txt")
    assert imported.case is not None, imported.problems
    assert imported.case.themes == ()
    missing = [n for n in imported.report.notes if n.kind is NoteKind.MISSING]
    assert "themes" in {n.field for n in missing}


def test_inference_takes_only_words_that_name_a_theme_outright() -> None:
    story = (
        "Police opened fire on the march; witnesses described extrajudicial executions. "
        "The detained organiser has health problems and needs his medication."
    )
    assert read_themes([], None, story).keys == ()
    named = read_themes([], None, "Elle a été condamnée à mort après un procès de deux heures.")
    assert (named.keys, named.labelled) == (("death-penalty",), False)
    assert read_themes([], None, "Er wurde in der Haft gefoltert.").keys == ("torture",)


def test_topics_in_each_language_map_onto_one_key() -> None:
    for written in ("Death penalty", "Peine de mort", "Pena de muerte", "Todesstrafe"):
        assert theme_of(written) == "death-penalty", written
    for written in ("Enforced disappearances", "Disparitions forcées", "Desaparición forzada"):
        assert theme_of(written) == "enforced-disappearance", written
    for written in ("Refugees and migrants", "Réfugiés et migrants", "Personas refugiadas"):
        assert theme_of(written) == "refugees-and-migrants", written
    assert theme_of("Climate justice") is None
    # A labelled line that names only unknown topics gives no theme, and no inference either.
    found = read_themes(["Climate justice"], None, "He was sentenced to death.")
    assert (found.keys, found.unknown) == ((), ("Climate justice",))


def test_tags_that_name_only_places_leave_the_themes_to_the_sheets_words() -> None:
    found = read_themes(
        ["Iran, Middle East and North Africa, Urgent Actions"], None, "He was sentenced to death."
    )
    assert (found.keys, found.labelled, found.unknown) == (("death-penalty",), False, ())
