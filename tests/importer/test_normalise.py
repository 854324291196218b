"""Numbers, emails, dates, names: what a sheet writes, as a case file holds it."""

from __future__ import annotations

from datetime import date

import pytest

from bot.catalogue import gaps
from bot.importer.build import import_sheet, without_asks
from bot.importer.extract import BULLET, SheetError, clean_lines, read_sheet
from bot.importer.normalise import (
    country_code,
    dates_in,
    emails_in,
    find_country,
    phone_number,
    recase_title,
    slug_for,
)
from bot.importer.report import NoteKind
from tests.fixtures.sheets.write_pdf import pdf
from tests.importer.conftest import LABELS


@pytest.mark.parametrize(
    ("written", "country", "e164"),
    [
        ("011 8 7172 74-56-31", "KZ", "+77172745631"),  # the trunk prefix for the country code
        ("011 7 7172 74 56 31", "KZ", "+77172745631"),  # exit code and country code
        ("613 695 8755", "KZ", "+16136958755"),  # a number local to Canada
        ("+20 2 2577 4716", "EG", "+20225774716"),  # international already
        ("011 994 12 492 06 80.", "AZ", "+994124920680"),  # a full stop after it
    ],
)
def test_numbers_become_e164(written: str, country: str, e164: str) -> None:
    assert phone_number(written, dialled_from="CA", country=country) == (e164, None)


def test_a_number_that_is_none_says_why() -> None:
    e164, problem = phone_number("12-34", dialled_from="CA", country="KZ")
    assert e164 is None
    assert problem is not None
    assert "12-34" in problem


def test_emails_are_validated() -> None:
    good, bad = emails_in("udp@udp-rk.kz, office@@example; mailto:info@gov.example.eg.")
    assert good == ["udp@udp-rk.kz", "info@gov.example.eg"]
    assert bad == ["office@@example"]


def test_dates_are_found_in_both_orders_with_or_without_a_year() -> None:
    found = dates_in("On 4 and 5 January 2022, then June 12, 2023, and by 30th August.")
    assert [(d.day, d.month, d.year) for d in found] == [
        (5, 1, 2022),
        (12, 6, 2023),
        (30, 8, None),
    ]


def test_a_date_without_a_year_falls_on_the_right_side_of_the_sheets_date() -> None:
    sheet = """URGENT ACTION
STUDENT DETAINED
Student Leila Ahmadi was arrested on 28 December and is held incommunicado. Amnesty
International fears she is at risk of torture.

TAKE ACTION: WRITE AN APPEAL IN YOUR OWN WORDS OR USE THIS MODEL LETTER

Head of the Judiciary
Gholamhossein Ahmadi
Email: info@judiciary.example.ir

Dear Sir,

I urge you to release Leila Ahmadi immediately.

Yours sincerely,

ADDITIONAL INFORMATION
Leila Ahmadi studies law in Tehran.

PLEASE TAKE ACTION AS SOON AS POSSIBLE UNTIL: 20 February
NAME AND PRONOUN: Leila Ahmadi (she/her)
First UA: 3/24 Index: MDE 13/7600/2024 Iran Date: 9 January 2024
"""
    imported = import_sheet(sheet, deadline_label=LABELS)
    assert imported.case is not None, imported.problems
    # 28 December is before the sheet (9 January 2024); 20 February after it.
    assert [d.on for d in imported.case.key_dates] == [date(2023, 12, 28), date(2024, 2, 20)]
    inferred = {n.values["written"] for n in imported.report.notes if n.kind == "year_inferred"}
    assert inferred == {"28 December", "20 February"}
    assert imported.case.country_code == "IR"


def test_country_names_as_sheets_write_them() -> None:
    assert country_code("KAZAKHSTAN") == "KZ"
    assert country_code("Russian Federation") == "RU"
    assert country_code("the United States") == "US"
    assert country_code("Atlantis") is None


def test_a_title_in_capitals_keeps_its_proper_nouns() -> None:
    body = "The court in Almaty heard the case. Police in Almaty detained him."
    assert recase_title("PROTESTER DETAINED IN ALMATY", body) == "Protester detained in Almaty"
    assert recase_title("Already in sentence case", body) == "Already in sentence case"


def test_a_slug_is_ascii_and_at_most_32_characters() -> None:
    assert slug_for("KZ", "Zhanbolat Mamay") == "kz-zhanbolat-mamay"
    assert slug_for("MX", "Ana María Ruíz") == "mx-ana-maria-ruiz"
    assert len(slug_for("XX", "Aaaaaaaaaa Bbbbbbbbbb Cccccccccc Dddd")) <= 32


def test_pdf_noise_is_cleaned() -> None:
    lines = clean_lines(
        "Amnesty International\n"
        "\uf0b7 release him\u00a0now\n"
        "\u25cf and  stop the\u00adcase\n"
        "Page 1 of 2\n"
        "Amnesty International\n"
        "Email: a@b.example\n"
        "Email: a@b.example\n"
        "the \ufb01nal word\n"
    )
    assert lines == [
        f"{BULLET}release him now",
        f"{BULLET}and stop thecase",
        "Email: a@b.example",
        "Email: a@b.example",  # a contact may repeat; a running header may not
        "the final word",
    ]


def test_files_that_hold_no_text_are_refused_with_a_reason() -> None:
    with pytest.raises(SheetError) as not_text:
        read_sheet(b"\x89PNG\r\n\x1a\n\x00\x00", "photo.png")
    assert not_text.value.reason == "not_text"
    with pytest.raises(SheetError) as unreadable:
        read_sheet(b"%PDF-1.4 this is not really a PDF", "sheet.pdf")
    assert unreadable.value.reason == "unreadable_pdf"
    with pytest.raises(SheetError) as empty:
        read_sheet(pdf(""), "scan.pdf")
    assert empty.value.reason == "no_text"


def test_windows_text_is_read() -> None:
    assert read_sheet("Mamay’s “case”".encode("cp1252"), "sheet.txt") == "Mamay’s “case”"


def test_a_sheet_without_officials_or_asks_says_what_is_missing() -> None:
    imported = import_sheet(
        "KAZAKHSTAN\nACTIVIST DETAINED\n\nSomeone was detained.\n", deadline_label=LABELS
    )
    assert imported.case is not None  # a draft, with its gaps named
    assert set(gaps(imported.case)) == {"people", "targets", "text.en.asks", "text.en.background"}
    missing = {n.field for n in imported.report.notes if n.kind is NoteKind.MISSING}
    assert {"targets", "text.en.asks", "people", "key_dates.deadline"} <= missing


def test_numbers_written_as_sections_in_other_countries_write_them() -> None:
    for written in ("00 973 1766 4587", "(+973) 1766 4587", "+973-17664587"):
        assert phone_number(written, dialled_from="CA", country="BH") == ("+97317664587", None)


def test_emails_written_against_harvesters_are_read() -> None:
    assert emails_in("minister [at] justice.example.bh, info(at)moi(dot)example(dot)bh") == (
        ["minister@justice.example.bh", "info@moi.example.bh"],
        [],
    )


def test_a_country_whose_name_is_a_common_word_is_read_only_as_a_name() -> None:
    # "réunion" is a meeting in French ("reunión" in Spanish): the island only capitalised.
    story = (
        "Au Tchad, une militante a été arrêtée à la sortie d'une réunion publique ; une autre"
        " réunion a eu lieu le lendemain."
    )
    assert find_country(story) == ("Tchad", "TD")
    assert find_country("Una reunión en Honduras terminó con dos reuniones más.") == (
        "Honduras",
        "HN",
    )
    assert find_country("Une militante de La Réunion a été arrêtée.") == ("La Réunion", "RE")
    assert find_country("Elle s'est rendue à la réunion du comité au Tchad.") == ("Tchad", "TD")
    assert find_country("ÎLE DE LA RÉUNION : une militante arrêtée") is not None


def test_the_government_addressed_outweighs_where_the_person_comes_from() -> None:
    # A deportation: the person comes from one country, the appeal goes to another's government.
    story = (
        "An immigrant worker from Ivory Coast is at risk of deportation. The Canadian government"
        " has set a new date; if returned to Ivory Coast he would be at risk, and the Canadian"
        " government must not deport him."
    )
    assert find_country(story) == ("Canada", "CA")
    # The country the story is about, named again and again, outweighs a foreign government
    # named once.
    story = (
        "In Kazakhstan, a journalist was detained. Kazakhstan's courts extended his custody"
        " after the Chinese government complained; Kazakhstan has not released him."
    )
    assert find_country(story) == ("Kazakhstan", "KZ")
    # In the sheets' other languages, the adjective inflected as each language does.
    french = "Deux militants du Mexique ; les autorités égyptiennes les détiennent."
    assert find_country(french) == ("Egypt", "EG")
    assert find_country("Ein Aktivist aus Mexiko: die ägyptischen Behörden halten ihn fest.") == (
        "Egypt",
        "EG",
    )


def test_the_facts_leave_out_the_model_letters_own_asks() -> None:
    # The letter states the asks after the facts: the facts do not say them first.
    paragraph = (
        "I am writing to you about the arrest of Ana Ruiz, a journalist held since 3 May."
        " I urge you to release her immediately and unconditionally."
    )
    asks = ["release Ana Ruiz immediately and unconditionally"]
    assert without_asks(paragraph, asks, ["Ana Ruiz"]) == (
        "I am writing to you about the arrest of Ana Ruiz, a journalist held since 3 May."
    )
    # A sentence that tells the story in the asks' words is kept: it does not ask.
    story = "I am writing you regarding the arrest of human rights researcher Patrick Zaki."
    assert without_asks(story, ["release Patrick Zaki, a human rights researcher"], []) == story
    french = (
        "Je vous écris au sujet de Nasrin Talebi, condamnée à dix ans de prison. Je vous prie"
        " instamment de libérer Nasrin Talebi immédiatement et sans condition."
    )
    asks = ["libérer Nasrin Talebi immédiatement et sans condition"]
    assert without_asks(french, asks, ["Nasrin Talebi"]) == (
        "Je vous écris au sujet de Nasrin Talebi, condamnée à dix ans de prison."
    )
