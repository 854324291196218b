"""Sheets in each layout: a section's, the International Secretariat's, a PDF, follow-ups."""

from __future__ import annotations

import dataclasses
import io
from datetime import date

from pypdf import PdfReader, PdfWriter

from bot.catalogue import gaps, load_case
from bot.domain.cases import CaseStatus, TargetRole
from bot.importer.build import import_sheet
from bot.importer.extract import read_sheet
from bot.importer.report import NoteKind
from tests.importer.conftest import LABELS, SHEETS, import_fixture
from tests.test_catalogue import SEED


def kinds(notes: object) -> set[tuple[str, str]]:
    return {(n.kind, n.field) for n in notes}  # type: ignore[attr-defined]


def test_a_sections_sheet_with_pdf_noise_reads_whole() -> None:
    imported = import_fixture("azerbaijan-karimli.txt")
    case = imported.case
    assert case is not None, imported.problems
    assert case.slug == "az-aysel-karimli"
    assert (case.country, case.country_code, case.timezone) == ("Azerbaijan", "AZ", "Asia/Baku")
    text = case.texts["en"]
    assert text.title == "Human rights defender sentenced after unfair trial"  # two lines
    # Bullets were Symbol-font characters; the second ask ran over two lines.
    assert text.asks == (
        "ensure that Aysel Karimli is released immediately and unconditionally and her"
        " conviction quashed",
        "pending her release, ensure she has regular access to her family and lawyers of her"
        " choosing and to adequate medical care",
        "end the harassment of human rights defenders in Azerbaijan",
    )
    # The running header and the page footers are gone; the page break cut nothing.
    assert "Amnesty International Canada" not in text.summary + text.background
    assert "Page 1" not in text.background
    (person,) = case.people
    assert (person.name, person.pronoun) == ("Aysel Karimli", "she")
    assert person.description == {"en": "lawyer and human rights defender"}
    prosecutor, ambassador = case.targets
    assert prosecutor.name == "Ilgar Hasanov"
    assert prosecutor.title == "Prosecutor General of the Republic of Azerbaijan"
    assert prosecutor.address == ("7 Nigar Rafibeyli Street", "Baku AZ1005", "Azerbaijan")
    assert prosecutor.fax == "+994124920680"
    assert prosecutor.salutation == "Dear Prosecutor General"
    assert ambassador.role is TargetRole.COPY
    assert ambassador.organisation == "Embassy of the Republic of Azerbaijan"
    assert ambassador.fax == "+16132880498"
    # No year on the dates: 2023, the year the story names; flagged for review.
    assert [(d.on, d.deadline) for d in case.key_dates] == [
        (date(2023, 7, 14), False),
        (date(2023, 8, 30), True),
    ]
    assert (NoteKind.YEAR_INFERRED, "key_dates") in kinds(imported.report.notes)


def test_an_international_secretariat_sheet_reads_its_model_letter() -> None:
    imported = import_fixture("egypt-adel.txt")
    case = imported.case
    assert case is not None, imported.problems
    assert imported.report.layout == "international"
    assert case.slug == "eg-karim-adel"
    assert (case.reference, case.issued) == ("UA 41/23", date(2023, 5, 4))
    assert case.source_url == "https://www.amnesty.org/en/documents/mde12/6743/2023/en/"
    assert (case.country_code, case.timezone) == ("EG", "Africa/Cairo")
    (person,) = case.people
    assert (person.name, person.pronoun) == ("Karim Adel", "he")  # NAME AND PRONOUN
    (prosecutor,) = case.targets
    assert prosecutor.name == "Counsellor Mahmoud Fathy"
    assert prosecutor.title == "Public Prosecutor"
    assert prosecutor.organisation == "Office of the Public Prosecutor"
    assert prosecutor.address == ("Madinat al-Rehab, New Cairo", "Cairo, Egypt")
    assert prosecutor.fax == "+20225774716"
    assert prosecutor.emails == ("appeals@ppo.example.eg",)
    assert prosecutor.salutation == "Dear Counsellor"  # the model letter's "Dear Counsellor,"
    assert prosecutor.language == "ar"  # PREFERRED LANGUAGE TO ADDRESS TARGET: Arabic, English
    # The letter's one sentence of asks, "I urge you to ..., and to ...", is two asks.
    assert case.texts["en"].asks == (
        "release Karim Adel immediately and unconditionally, as he is held solely for his"
        " journalism",
        "ensure that, pending his release, he has regular access to his family and lawyers of"
        " his choosing",
    )
    assert case.deadline is not None
    assert case.deadline.on == date(2023, 6, 29)  # PLEASE TAKE ACTION ... UNTIL: 29 June 2023
    assert case.deadline.label["en"] == "Last day to send appeals"
    text = case.texts["en"]
    assert "First UA" not in text.summary + text.background  # the footer is not prose
    assert "You can also write" not in text.background
    assert (NoteKind.SEVERAL_LANGUAGES, "targets[0].language") in kinds(imported.report.notes)


def test_a_pdf_sheet_reads_as_its_text_does() -> None:
    from_pdf = import_fixture("mexico-ruiz.pdf")
    from_text = import_fixture("mexico-ruiz.txt")
    assert from_pdf.case is not None, from_pdf.problems
    assert from_pdf.case == from_text.case
    case = from_pdf.case
    assert case.texts["en"].asks == (
        "take immediate measures to protect Ana Ruiz and her family, in agreement with them",
        "order a prompt, thorough and impartial investigation into the threats against her",
    )
    # The PDF has no blank lines: its paragraphs are found from the lines' shape.
    assert case.texts["en"].background.count("\n\n") == 1
    assert case.people[0].description == {"en": "Mixtec land defender"}
    assert case.targets[0].phone == "+529515015000"
    # "UNTIL: 11 December" has no year; the sheet's date (24 October 2023) gives it.
    assert case.deadline is not None
    assert case.deadline.on == date(2023, 12, 11)
    years = [n for n in from_pdf.report.notes if n.kind is NoteKind.YEAR_INFERRED]
    assert any(n.values["written"] == "11 December" for n in years)


def test_a_follow_up_closing_a_case_updates_it_by_its_ua_reference() -> None:
    first = import_fixture("egypt-adel.txt").case
    assert first is not None
    imported = import_fixture("egypt-adel-released.txt", existing=[first])
    assert imported.update_of == first
    assert imported.slug == first.slug
    case = imported.case
    assert case is not None, imported.problems
    assert (case.status, case.outcome) == (CaseStatus.CLOSED, "released")
    assert case.texts["en"].title == "Journalist released"
    assert case.texts["en"].asks == first.texts["en"].asks  # the follow-up asks nothing new
    assert case.targets == first.targets
    assert date(2023, 6, 2) in [d.on for d in case.key_dates]
    notes = kinds(imported.report.notes)
    assert (NoteKind.UPDATE, "slug") in notes
    assert (NoteKind.CLOSES, "status") in notes
    # What the case already has is not reported missing.
    assert (NoteKind.MISSING, "targets") not in notes


def test_a_follow_up_telling_of_an_execution_closes_the_case_as_executed() -> None:
    first = import_fixture("egypt-adel.txt").case
    assert first is not None
    written = (SHEETS / "egypt-adel-released.txt").read_text(encoding="utf-8")
    told = written.replace("JOURNALIST RELEASED", "JOURNALIST EXECUTED").replace(
        "was released from Tora prison, after", "was executed in Tora prison, despite"
    )
    imported = import_sheet(
        read_sheet(told.encode(), "egypt-adel-executed.txt"),
        deadline_label=LABELS,
        existing=[first],
        today=date(2024, 1, 15),
        source="egypt-adel-executed.txt",
    )
    case = imported.case
    assert case is not None, imported.problems
    # "his release pending investigation" stays in the text: the execution is the outcome.
    assert (case.status, case.outcome) == (CaseStatus.CLOSED, "executed")


def test_a_follow_up_finds_its_case_by_the_link_to_the_previous_sheet() -> None:
    first = import_fixture("egypt-adel.txt").case
    assert first is not None
    unnumbered = dataclasses.replace(first, reference=None)
    imported = import_fixture("egypt-adel-released.txt", existing=[unnumbered])
    assert imported.update_of == unnumbered


def test_a_sections_follow_up_finds_its_case_by_the_person() -> None:
    shipped = load_case(SEED)
    imported = import_fixture("kazakhstan-mamay-update.txt", existing=[shipped])
    assert imported.update_of == shipped
    case = imported.case
    assert case is not None, imported.problems
    assert case.status is CaseStatus.ACTIVE
    assert case.texts["en"].title == "Activist’s detention extended again"
    # The new deadline replaces the old one, which stays as a past key date.
    deadline = case.deadline
    assert deadline is not None
    assert deadline.on == date(2022, 8, 12)
    assert [(d.on, d.deadline) for d in case.key_dates] == [
        (date(2022, 5, 6), False),
        (date(2022, 6, 8), False),
        (date(2022, 6, 12), False),
        (date(2022, 8, 12), True),
    ]
    # Translations that still hold are kept: the name, and the salutation of the same official.
    assert case.people[0].name_in("ru") == "Жанболат Мамай"
    assert case.targets[0].salutation_in("ru") == "Уважаемый господин Президент"
    assert list(case.texts) == ["en"]
    assert (NoteKind.TRANSLATION_DROPPED, "text.ru") in kinds(imported.report.notes)


def test_a_sheet_about_someone_else_is_a_new_case() -> None:
    imported = import_fixture("azerbaijan-karimli.txt", existing=[load_case(SEED)])
    assert imported.update_of is None
    assert (NoteKind.UPDATE, "slug") not in kinds(imported.report.notes)


def test_a_follow_up_of_an_unknown_case_is_reported_as_a_follow_up_and_kept_as_a_draft() -> None:
    imported = import_fixture("egypt-adel-released.txt")
    assert imported.update_of is None
    assert (NoteKind.FOLLOW_UP, "reference") in kinds(imported.report.notes)
    assert imported.case is not None
    assert imported.case.status is CaseStatus.DRAFT
    assert "text.en.asks" in gaps(imported.case)


def test_a_pdf_protected_against_editing_reads_as_any_pdf() -> None:
    plain = (SHEETS / "mexico-ruiz.pdf").read_bytes()
    writer = PdfWriter()
    for page in PdfReader(io.BytesIO(plain)).pages:
        writer.add_page(page)
    # As publishers protect their PDFs: anyone opens it, only the owner may edit it.
    writer.encrypt(user_password="", owner_password="publisher", algorithm="AES-256")
    protected = io.BytesIO()
    writer.write(protected)
    assert read_sheet(protected.getvalue(), "sheet.pdf") == read_sheet(plain, "sheet.pdf")


def test_a_sheet_that_lists_its_asks_and_words_them_again_in_its_letter_gives_both() -> None:
    # The sheet tells the reader what the prosecutor is urged to do ("in his power"); its model
    # letter asks him ("in your power"): the letters take the letter's, the card the sheet's.
    text = import_fixture("egypt-adel-asks-told-apart.txt").case.texts["en"]  # type: ignore[union-attr]
    assert text.asks[0].startswith("take all steps in your power to ensure that Karim Adel")
    assert text.card_asks[0].startswith("take all steps in his power to ensure that Karim Adel")
    assert len(text.card_asks) == len(text.asks) == 2
    # One wording for both (the sheet's asks read from its letter): no card asks of its own.
    assert import_fixture("egypt-adel.txt").case.texts["en"].card_asks == ()  # type: ignore[union-attr]
