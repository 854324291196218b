"""Sections' sheets in German (Germany and Austria), Dutch, Italian and Portuguese, written for
these tests in the layouts those sections publish: officials after "Appell an" or "Briefe an",
copies after "Sende eine Kopie an", salutations in brackets and in two languages, deadlines in
each language's words, numbers written for dialling from the section's country, follow-ups
numbered "UA-074/2019-2" that close the case."""

from __future__ import annotations

from datetime import date

from bot.domain.cases import TargetRole, UrgentAction
from bot.importer.build import Imported, import_sheet
from bot.importer.report import NoteKind
from bot.rendering import Renderer
from tests.importer.conftest import LABELS, SHEETS, import_fixture


def read(name: str, existing: tuple[UrgentAction, ...] = ()) -> tuple[Imported, UrgentAction]:
    imported = import_fixture(name, existing)
    assert imported.case is not None, imported.problems
    return imported, imported.case


def deadline(case: UrgentAction) -> date | None:
    return next((d.on for d in case.key_dates if d.deadline), None)


def test_a_german_page_reads_officials_after_appell_an_and_copies_after_sende_eine_kopie() -> None:
    imported, case = read("de-appell-an-vietnam-2018.txt")
    assert (case.reference, case.country_code, case.issued) == (
        "UA 012/2018",
        "VN",
        date(2018, 1, 23),
    )
    text = case.text("de")
    assert text.title == "Gewerkschafter in Haft"
    assert text.summary.startswith("Der Gewerkschafter Pham Van Duc wurde")
    assert [p.name for p in case.people] == ["Pham Van Duc"]
    assert len(text.asks) == 2 and text.asks[0].startswith("Bitte lassen Sie Pham Van Duc")
    minister, embassy = case.targets
    assert (minister.role, minister.name, minister.title) == (
        TargetRole.TO,
        "To Lam",
        "Minister für Öffentliche Sicherheit",
    )
    # "(korrekte Anrede: Dear Minister / Sehr geehrter Herr Minister)": both, by language.
    assert dict(minister.salutations) == {
        "en": "Dear Minister",
        "de": "Sehr geehrter Herr Minister",
    }
    assert minister.salutation_in("de") == "Sehr geehrter Herr Minister"
    assert embassy.role is TargetRole.COPY
    assert embassy.organisation == "Botschaft der Sozialistischen Republik Vietnam"
    # Dialled from Germany: "0084 – 24 ..." is Vietnam, "030-..." is Berlin.
    assert (minister.fax, embassy.fax) == ("+842438231872", "+493053630200")
    # "spätestens bis 06.03.2018" in the closing sentence.
    assert deadline(case) == date(2018, 3, 6)
    assert "targets" not in {n.field for n in imported.report.notes}


def test_an_austrian_page_places_a_deadline_without_a_year_after_the_sheets_december_date() -> (
    None
):
    _, case = read("at-briefe-an-iran-2019.txt")
    assert case.issued == date(2019, 12, 12)
    # "nach dem 29. Januar keine Appelle mehr" on a sheet of 12 December 2019: January 2020,
    # not a date already past when the sheet came out.
    assert deadline(case) == date(2020, 1, 29)
    assert [p.name for p in case.people] == ["Shirin Golzar"]
    official, embassy = case.targets
    assert (official.name, official.title) == ("Ebrahim Raisi", "Oberhaupt der Justiz")
    assert dict(official.salutations) == {"en": "Your Excellency", "de": "Exzellenz"}
    # "1030 Wien": the numbers are dialled from Austria.
    assert embassy.fax == "+4317135733"


def test_a_german_follow_up_numbered_after_its_sheet_closes_the_case() -> None:
    _, first = read("at-briefe-an-iran-2019.txt")
    imported = import_fixture("de-beendet-iran-2020.txt", (first,))
    # "UA-074/2019-1" follows UA 074/2019; "Diese Urgent Action ist beendet".
    assert imported.update_of is not None and imported.update_of.slug == first.slug
    kinds = {n.kind for n in imported.report.notes}
    assert {NoteKind.UPDATE, NoteKind.CLOSES} <= kinds
    assert imported.mapping["outcome"] == "released"


def test_a_dutch_page_reads_schrijf_voor_and_its_copy_to_the_embassy_in_the_hague() -> None:
    _, case = read("nl-schrijf-voor-egypte-2020.txt")
    assert case.languages == ("nl",)
    assert deadline(case) == date(2020, 5, 1)
    assert [p.name for p in case.people] == ["Karim Nassar"]
    prosecutor, embassy = case.targets
    assert (prosecutor.name, prosecutor.salutation_in("nl") or prosecutor.salutation) == (
        "Hamada al-Sawi",
        "Dear Counsellor",
    )
    assert embassy.role is TargetRole.COPY


def test_an_italian_page_is_read_as_italian_with_its_firmate_entro_deadline() -> None:
    _, case = read("it-firmate-entro-turchia-2021.txt")
    assert case.languages == ("it",)  # not Spanish
    assert case.country_code == "TR"
    # "Firmate entro il 15 novembre" on a sheet of October 2021.
    assert deadline(case) == date(2021, 11, 15)
    assert [p.name for p in case.people] == ["Deniz Aral"]
    (minister,) = case.targets
    assert (minister.name, minister.title) == ("Bekir Bozdağ", "Ministro della Giustizia")


def test_a_portuguese_page_reads_envie_apelos_ate_and_tratamento() -> None:
    _, case = read("pt-envie-apelos-brasil-2021.txt")
    assert case.languages == ("pt",)
    assert deadline(case) == date(2021, 3, 10)
    (governor,) = case.targets
    assert governor.salutation == "Excelentíssimo Senhor Governador"


def test_asks_written_as_the_readers_instruction_become_what_the_letter_asks() -> None:
    imported, case = read("en-calling-on-bahrain-2013.txt")
    # "Calling on the authorities to release ...", "Urging them to allow ...": letters say "I
    # urge you to release ...", never "I urge you to calling on ...".
    assert case.text("en").asks == (
        "Release Yusuf Salman immediately and unconditionally",
        "Allow him access to his lawyer and family",
        "Ensure that he is protected from torture and other ill-treatment",
    )
    assert not [n for n in imported.report.notes if n.kind is NoteKind.ASK_NOT_READY]
    # "PLEASE SEND APPEALS BEFORE 29 JANUARY" on a sheet of 12 December 2013: next January.
    assert deadline(case) == date(2014, 1, 29)


def test_an_ask_no_rule_can_make_letter_ready_is_flagged_for_the_organizer() -> None:
    text = (SHEETS / "en-calling-on-bahrain-2013.txt").read_text(encoding="utf-8")
    text = text.replace(
        "- Ensure that he is protected", "- Expressing concern that he is not protected"
    )
    imported = import_sheet(text, deadline_label=LABELS, today=date(2014, 1, 2))
    flagged = [n for n in imported.report.notes if n.kind is NoteKind.ASK_NOT_READY]
    assert [(n.field, n.values["written"][:18]) for n in flagged] == [
        ("text.en.asks[2]", "Expressing concern")
    ]
    said = Renderer().render(
        "en",
        "import_report.txt",
        source="sheet.txt",
        imported=imported,
        found=[],
        written=None,
        refused=None,
    )
    assert "is not something a letter can ask for" in said


def test_a_deadline_without_a_year_on_an_undated_sheet_follows_the_storys_latest_date() -> None:
    text = (
        "URGENT ACTION\nJOURNALIST DETAINED\nTURKEY\n"
        "Journalist Deniz Aral was arrested in Istanbul on 10 December 2023 for his reporting.\n"
        "He has not been allowed to see his lawyer.\n"
        "Please write immediately in Turkish, English or your own language:\n"
        "- Release Deniz Aral immediately and unconditionally.\n"
        "PLEASE SEND APPEALS BEFORE 29 JANUARY TO:\n"
        "Minister of Justice\nYilmaz Tunc\nMinistry of Justice\n06659 Ankara, Turkey\n"
        "Email: info@example-adalet.gov.tr\nSalutation: Dear Minister\n"
    )
    imported = import_sheet(text, deadline_label=LABELS, today=date(2024, 6, 1))
    assert imported.case is not None, imported.problems
    # The sheet gives no date of its own; its story runs to December 2023, so "29 January"
    # is January 2024, not a January already past when the sheet was written.
    assert deadline(imported.case) == date(2024, 1, 29)
    assert any(n.kind is NoteKind.YEAR_INFERRED for n in imported.report.notes)


def test_people_named_only_in_running_text_are_the_cases_people() -> None:
    story = (
        "Am 3. Mai 2021 wurde Jana Novak in Minsk festgenommen, nachdem sie an einer Mahnwache"
        " teilgenommen hatte. Ihr Anwalt durfte sie nicht besuchen. Präsident Aljaksandr"
        " Lukaschenka hat die Proteste verurteilt; das Oktjabrski-Bezirksgericht tagt am"
        " 10. Mai."
    )
    text = f"URGENT ACTION\nMahnwache endet in Haft\nBELARUS\n{story}\n"
    imported = import_sheet(text, deadline_label=LABELS, today=date(2021, 5, 5))
    # The person the story says was arrested; not the president it names with his office.
    assert [p["name"] for p in imported.mapping["people"]] == ["Jana Novak"]


def test_a_list_of_people_a_sentence_introduces_is_read_up_to_where_the_page_is_cut() -> None:
    text = (
        "URGENT ACTION\nPROTESTERS AT RISK OF EXECUTION\nIRAN\n"
        "Several young men are at risk of execution after unfair trials. They are Ali Karimi,"
        " Reza Tavana, Omid Sadri, Hamid Jalali, Saeed Moradi"
    )
    imported = import_sheet(text, deadline_label=LABELS, today=date(2023, 5, 1))
    # The page ends in the middle of the last name: it is left out, the others are read.
    assert [p["name"] for p in imported.mapping["people"]] == [
        "Ali Karimi",
        "Reza Tavana",
        "Omid Sadri",
        "Hamid Jalali",
    ]


def test_page_furniture_is_never_the_title_or_the_summary() -> None:
    text = (
        "Skip to main content\nDonate now\nMenu\n"
        "URGENT ACTION\nJournalist detained\nTURKEY\n"
        "Journalist Deniz Aral was arrested in Istanbul on 10 October 2021 for his reporting.\n"
        "Jetzt spenden\nNewsletter: subscribe for our Urgent Actions\n"
        "He has not been allowed to see his lawyer.\n"
    )
    imported = import_sheet(text, deadline_label=LABELS, today=date(2021, 11, 1))
    words = imported.mapping["text"]["en"]
    assert words["title"] == "Journalist detained"
    assert words["summary"].startswith("Journalist Deniz Aral was arrested")
    told = " ".join([words["summary"], words["background"]])
    for furniture in ("Donate", "spenden", "Newsletter", "Skip to", "Menu"):
        assert furniture not in told
