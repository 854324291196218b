"""Sheets in every layout family and language the importer reads, written for these tests in
the layouts Amnesty publishes: the International Secretariat's 2008-2019 appeals sheets (in
English, French, Spanish and German), a web page's update, an older appeal mailing, and a sheet
cut off mid-way."""

from __future__ import annotations

import dataclasses
from datetime import date

from bot.catalogue import FACTS_LIMIT, case_from_mapping, gaps
from bot.domain.cases import CaseStatus, TargetRole, UrgentAction
from bot.importer.build import Imported, import_sheet, unique_slug
from bot.importer.layouts import Sheet, parse_sheet
from bot.importer.normalise import country_code, dates_in, find_country, slug_for
from bot.importer.officials import address_block
from bot.importer.references import Reference, find_reference
from bot.importer.report import NoteKind
from tests.importer.conftest import LABELS, SHEETS, import_fixture


def read(name: str) -> tuple[Imported, UrgentAction]:
    imported = import_fixture(name)
    assert imported.case is not None, imported.problems
    # What the file holds loads again as the same case: `python -m bot check` accepts it.
    assert case_from_mapping(imported.mapping) == imported.case
    return imported, imported.case


def notes(imported: Imported) -> set[tuple[str, str]]:
    return {(n.kind, n.field) for n in imported.report.notes}


def test_an_appeals_sheet_reads_its_officials_after_please_send_appeals_before() -> None:
    imported, case = read("is-appeals-tunisia-2013.txt")
    assert imported.report.layout == "appeals"
    assert (case.slug, case.reference, case.country_code) == (
        "tn-yassine-belhadj",
        "UA 212/13",
        "TN",
    )
    assert case.issued == date(2013, 9, 3)
    assert [(p.name, p.description) for p in case.people] == [
        ("Yassine Belhadj", {"en": "Student blogger"})
    ]
    assert len(case.texts["en"].asks) == 3
    minister, president = case.targets
    assert (minister.role, minister.title, minister.name) == (
        TargetRole.TO,
        "Minister of Justice",
        "Nadia Trabelsi",
    )
    assert minister.organisation == "Ministry of Justice"
    assert minister.address == ("31 Boulevard Bab Bnet", "1006 Tunis, Tunisia")
    assert (minister.fax, minister.emails) == ("+21671568106", ("contact@justice.example.tn",))
    assert minister.salutation == "Dear Minister"
    # "And copies to:" makes the next official a copy; the standing advice is no official.
    assert (president.role, president.name, president.fax) == (
        TargetRole.COPY,
        "Karim Mansour",
        "+21671744721",
    )
    assert case.deadline is not None
    assert case.deadline.on == date(2013, 10, 15)
    assert gaps(case) == ()


def test_a_french_sheet_reads_its_labels_and_months() -> None:
    _, case = read("fr-appeals-guinee-2015.txt")
    assert list(case.texts) == ["fr"]
    assert (case.reference, case.country, case.country_code) == ("UA 57/15", "Guinea", "GN")
    assert case.issued == date(2015, 3, 11)
    assert [(p.name, p.description) for p in case.people] == [
        ("Mamadou Camara", {"fr": "syndicaliste"})
    ]
    assert len(case.texts["fr"].asks) == 2
    minister, ambassador = case.targets
    assert (minister.name, minister.title) == ("Fatoumata Bah", "Ministre de la Justice")
    assert minister.fax == "+22430411122"  # Télécopie
    assert minister.emails == ("cabinet@justice.example.gn",)  # Courriel
    assert minister.salutation == "Madame la Ministre"  # Formule d'appel
    assert (ambassador.role, ambassador.name) == (TargetRole.COPY, "Ibrahima Sow")  # COPIES À
    deadline = case.deadline
    assert deadline is not None
    assert deadline.on == date(2015, 4, 22)  # ENVOYEZ VOS APPELS AVANT LE 22 AVRIL 2015
    # French is one of the bot's languages: the date has the bot's own label in it, as in the
    # others, rather than the sheet's words.
    assert deadline.label["fr"] == "Dernier jour pour envoyer des appels"
    assert deadline.label["en"] == "Last day to send appeals"


def test_a_german_sheet_reads_its_labels_and_copies() -> None:
    _, case = read("de-eilaktion-belarus-2019.txt")
    assert list(case.texts) == ["de"]
    assert (case.reference, case.country_code, case.issued) == (
        "UA 045/2019",
        "BY",
        date(2019, 5, 3),
    )
    assert [p.name for p in case.people] == ["Olga Kaminskaya"]
    assert len(case.texts["de"].asks) == 2
    prosecutor, embassy = case.targets
    assert (prosecutor.name, prosecutor.title) == ("Pavel Lutsevich", "Generalstaatsanwalt")
    assert prosecutor.emails == ("info@prokuratura.example.by",)  # E-Mail
    assert prosecutor.salutation == "Sehr geehrter Herr Generalstaatsanwalt"  # Anrede
    assert embassy.role is TargetRole.COPY  # KOPIEN AN
    assert embassy.organisation == "Botschaft der Republik Belarus"
    assert "Denis Sidorenko" in embassy.name
    assert case.deadline is not None
    assert case.deadline.on == date(2019, 6, 14)  # BITTE SCHREIBEN SIE BIS ZUM 14. JUNI 2019


def test_a_spanish_follow_up_reads_its_labels_and_says_it_follows_an_earlier_ua() -> None:
    imported, case = read("es-appeals-colombia-2016.txt")
    assert list(case.texts) == ["es"]
    assert (case.reference, case.country_code) == ("UA 60/16", "CO")
    assert case.issued == date(2016, 5, 9)  # "9 de mayo de 2016"
    assert [p.name for p in case.people] == ["Julián Ortiz Caicedo"]
    fiscal, ombudsman = case.targets
    assert (fiscal.name, fiscal.title) == ("Marta Lucía Duarte", "Fiscal General de la Nación")
    assert fiscal.emails == ("contacto@fiscalia.example.co",)  # Correo-e
    assert fiscal.salutation == "Señora Fiscal General"  # Tratamiento
    assert (ombudsman.role, ombudsman.name) == (TargetRole.COPY, "Andrés Rincón")
    assert case.deadline is not None
    assert case.deadline.on == date(2016, 6, 20)
    # "Segunda AU": a follow-up, though no known case matches it.
    assert (NoteKind.FOLLOW_UP, "reference") in notes(imported)
    assert case.slug == "co-julian-ortiz-caicedo"  # transliterated


def test_a_web_pages_one_line_officials_and_sample_letter() -> None:
    imported, case = read("web-update-nicaragua-17-08.txt")
    assert imported.report.layout == "web"
    assert (case.reference, case.country, case.country_code) == ("UA 17.08", "Nicaragua", "NI")
    assert case.issued == date(2023, 2, 2)
    assert case.texts["en"].title == "Student Leader Still Held Without Charge"
    assert [p.name for p in case.people] == ["Lucía Morales"]
    attorney, ambassador = case.targets
    # Name, organisation and address on one line, then "Phone: ... I Fax: ...".
    assert (attorney.title, attorney.name) == ("Attorney General", "Ernesto Salgado")
    assert attorney.address == ("1627 New Hampshire Avenue NW, Washington DC 20009",)
    assert (attorney.phone, attorney.fax) == ("+12029396570", "+12029396545")
    # No "Salutation:" for the first: the sample letter's opening is its salutation.
    assert attorney.salutation == "Dear Attorney General"
    assert (ambassador.name, ambassador.salutation) == ("Rosa Téllez", "Dear Ambassador")
    assert ambassador.emails == ("embassy@nicaragua.example.org",)
    # The numbered steps are neither officials nor address lines.
    assert not any("Click here" in line for t in case.targets for line in t.address)
    # The steps' "This Urgent Action expires on April 14, 2023" is the deadline.
    assert case.deadline is not None
    assert case.deadline.on == date(2023, 4, 14)
    # The sample letter's account of what happened is the case's facts; its asks the case's.
    facts = case.texts["en"].facts
    assert facts is not None
    assert facts.startswith("I am writing about Lucía Morales")
    assert case.texts["en"].asks == (
        "release her immediately and unconditionally",
        "ensure that she can see her family and a lawyer of her choosing",
    )
    assert (NoteKind.FOLLOW_UP, "reference") in notes(imported)


def test_an_older_appeal_mailing_lists_its_people_and_appeals_to() -> None:
    _, case = read("appeal-mailing-pakistan-2005.txt")
    assert (case.reference, case.country, case.country_code) == ("UA 88/05", "Pakistan", "PK")
    assert case.texts["en"].title == "Fear of torture / Incommunicado detention"
    assert [(p.name, p.description) for p in case.people] == [
        ("Imran Qureshi", {"en": "journalist"}),
        ("Tariq Mehmood", {"en": "photographer"}),
    ]
    assert len(case.texts["en"].asks) == 2  # RECOMMENDED ACTION
    (minister,) = case.targets  # "COPIES TO: diplomatic representatives" names nobody
    assert (minister.name, minister.salutation) == ("Shahid Anwar", "Dear Minister")
    assert case.deadline is not None
    assert case.deadline.on == date(2005, 5, 23)  # "if sending appeals after 23 May 2005"


def test_a_sheet_cut_off_mid_way_gives_what_it_holds_as_a_draft_that_loads() -> None:
    imported, case = read("cut-off-turkey.txt")
    assert case.status is CaseStatus.DRAFT
    assert [p.name for p in case.people] == ["Selin Aydın"]
    assert case.slug == "xx-selin-aydin"
    (minister,) = case.targets
    assert (minister.name, minister.title) == ("Yusuf Demir", "Minister of Justice")
    # What the excerpt does not hold is named, never invented.
    assert set(gaps(case)) == {"country", "country_code", "text.en.background", "text.en.asks"}
    missing = {n.field for n in imported.report.notes if n.kind is NoteKind.MISSING}
    assert {"country", "text.en.asks", "key_dates.deadline", "reference"} <= missing
    assert not case.texts["en"].asks
    assert case.deadline is None


def test_ua_references_in_their_common_forms() -> None:
    def read_reference(line: str) -> tuple[str, bool] | None:
        found = find_reference(line)
        return (found.reference, found.follow_up) if found else None

    assert read_reference("UA 132.19") == ("UA 132.19", False)
    assert read_reference("UA 17/08") == ("UA 17/08", False)
    assert read_reference("THIRD UA 60/16") == ("UA 60/16", True)
    assert read_reference("Primera AU 047/24: 047/24") == ("UA 047/24", False)
    assert read_reference("AU 57/15 Index : AFR 29/1432/2015") == ("UA 57/15", False)
    assert read_reference("Further information on UA: 79/11") == ("UA 79/11", True)
    assert read_reference("Segunda AU 60/16") == ("UA 60/16", True)
    assert read_reference("UA Number: 55.21") == ("UA 55.21", False)
    assert read_reference("Index: MDE 11/023/2014") is None


def test_month_names_in_four_languages() -> None:
    found = [
        (d.day, d.month, d.year)
        for text in ("22 avril 2015", "9 de mayo de 2016", "14. Juni 2019", "March 10, 2022")
        for d in dates_in(text)
    ]
    assert found == [(22, 4, 2015), (9, 5, 2016), (14, 6, 2019), (10, 3, 2022)]


def test_countries_as_sections_write_them() -> None:
    assert [country_code(n) for n in ("México", "Ägypten", "Bahreïn", "Irán", "Guinée")] == [
        "MX",
        "EG",
        "BH",
        "IR",
        "GN",
    ]


def test_slugs_are_transliterated_and_unique() -> None:
    assert slug_for("kz", "Жанболат Мамай") == "kz-zhanbolat-mamai"
    assert slug_for("ir", "حسین شهبازی") == "ir-hsyn-shhbzy"  # not "ir", as before
    assert unique_slug("mx-ana-ruiz", {"mx-ana-ruiz", "mx-ana-ruiz-2"}) == "mx-ana-ruiz-3"
    long = "kz-aigerim-nurlanovna-abdrakhmanova"[:32]
    assert len(unique_slug(long, {long})) <= 32


def test_a_spanish_follow_up_asking_for_no_more_appeals_updates_its_case_and_closes_it() -> None:
    _, first = read("es-appeals-colombia-2016.txt")
    active = dataclasses.replace(first, status=CaseStatus.ACTIVE)
    imported = import_fixture("es-fi-colombia-released.txt", existing=[active])
    assert imported.update_of == active  # matched by its reference, UA 60/16
    assert imported.case is not None
    assert (imported.case.status, imported.case.outcome) == (CaseStatus.CLOSED, "nfa")
    assert (NoteKind.CLOSES, "status") in notes(imported)
    assert imported.case.texts["es"].title == "Líder indígena recibe protección"
    # Without the case it follows, it is a draft that says so, never a new live case.
    alone = import_fixture("es-fi-colombia-released.txt")
    assert alone.update_of is None
    assert alone.case is not None
    assert alone.case.status is CaseStatus.DRAFT
    assert {(NoteKind.FOLLOW_UP, "reference"), (NoteKind.CLOSES, "status")} <= notes(alone)


def test_a_follow_up_in_another_language_keeps_its_cases_texts() -> None:
    _, first = read("es-appeals-colombia-2016.txt")
    # The case as a section keeps it, translated into English.
    english = dataclasses.replace(
        first,
        texts={"en": first.texts["es"]},
        key_dates=tuple(
            dataclasses.replace(d, label={"en": next(iter(d.label.values())), **d.label})
            for d in first.key_dates
        ),
        targets=tuple(
            dataclasses.replace(t, salutations={"en": t.salutation or "", **t.salutations})
            for t in first.targets
        ),
        people=tuple(
            dataclasses.replace(
                p,
                names={"en": p.name, **p.names},
                description={"en": "Indigenous leader", **p.description},
            )
            for p in first.people
        ),
    )
    imported = import_fixture("es-fi-colombia-released.txt", existing=[english])
    assert imported.update_of == english
    assert imported.case is not None
    assert imported.case.texts == english.texts
    assert (NoteKind.OTHER_LANGUAGE, "text.es") in notes(imported)
    assert imported.case.status is CaseStatus.CLOSED


def test_an_amnesty_usa_sheet_asks_to_contact_the_officials_by_a_date() -> None:
    _, case = read("aiusa-contact-officials-2017.txt")
    assert (case.reference, case.country_code) == ("UA 45/17", "CM")
    assert [(p.name, p.description) for p in case.people] == [("Paul Nkwenti", {"en": "Teacher"})]
    assert len(case.texts["en"].asks) == 2
    minister, ambassador = case.targets
    assert (minister.role, minister.name, minister.salutation) == (
        TargetRole.TO,
        "Joseph Beti Assomo",
        "Dear Minister",
    )
    assert (ambassador.role, ambassador.title, ambassador.name) == (
        TargetRole.COPY,
        "Ambassador",
        "Henri Etoundi Essomba",
    )
    assert ambassador.phone == "+12022658790"
    assert case.deadline is not None
    assert case.deadline.on == date(2017, 3, 28)  # "Contact these two officials by 28 March"


def test_a_french_model_letter_sheet_gives_its_salutation_asks_and_facts() -> None:
    _, case = read("fr-lettre-modele-iran-2023.txt")
    assert list(case.texts) == ["fr"]
    assert (case.reference, case.country_code, case.issued) == (
        "UA 61/23",
        "IR",
        date(2023, 5, 15),
    )
    (person,) = case.people
    assert (person.name, person.pronoun) == ("Roya Tehrani", "she")  # "(elle)"
    (official,) = case.targets
    assert (official.title, official.name) == (
        "Responsable du pouvoir judiciaire",
        "Gholamreza Pirzadeh",
    )
    assert official.salutation == "Monsieur"  # the letter's opening
    assert official.language == "fa"  # LANGUE PRÉFÉRÉE : persan, anglais
    assert case.texts["fr"].asks == (
        "faire annuler sa condamnation et de la libérer immédiatement et sans condition",
        "veiller à ce qu'elle ne soit pas soumise à la flagellation",
    )
    facts = case.texts["fr"].facts
    assert facts is not None
    assert facts.startswith("Je vous écris au sujet de Roya Tehrani")
    assert case.deadline is not None
    assert case.deadline.on == date(2023, 6, 20)  # MERCI D'AGIR AVANT LE


def test_a_two_page_appeals_sheet_keeps_its_heading_and_reads_its_footer() -> None:
    _, case = read("is-appeals-vietnam-two-pages.txt")
    # Page 2 repeats "URGENT ACTION" and the title: the title is read once, not dropped.
    assert case.texts["en"].title == "Blogger held incommunicado"
    assert "Viet Nam's authorities use vaguely worded" in case.texts["en"].background
    # The footer: "Name:", "Gender m/f:", "UA: 104/18 Index: ... Issue Date: 8 June 2018".
    assert [p.name for p in case.people] == ["Tran Minh Quan"]
    assert (case.reference, case.issued) == ("UA 104/18", date(2018, 6, 8))
    minister, prime_minister = case.targets
    assert minister.role is TargetRole.TO
    assert (prime_minister.role, prime_minister.organisation, prime_minister.fax) == (
        TargetRole.COPY,
        "Government Office",
        "+842438253221",
    )
    # The standing advice after the officials is neither an official nor an address line.
    assert all("section office" not in line for t in case.targets for line in t.address)
    assert case.deadline is not None
    assert case.deadline.on == date(2018, 7, 20)


def test_a_date_the_story_gives_is_no_deadline_and_stays_in_the_story() -> None:
    sheet = (
        "ACTION URGENTE\nUN AVOCAT EN DÉTENTION\n"
        "L'avocat Paul Mbarga est détenu jusqu'au 12 juin 2024 à Douala, où il attend son"
        " procès.\n"
        "Il avait été arrêté le 3 mai 2024 devant le tribunal.\n"
    )
    imported = import_sheet(sheet, deadline_label=LABELS, today=date(2024, 5, 20))
    assert imported.case is not None
    assert imported.case.deadline is None
    assert "jusqu'au 12 juin 2024" in imported.case.texts["fr"].summary
    stated = import_sheet(
        sheet + "Please send appeals as soon as possible and no later than 30 June 2024.\n",
        deadline_label=LABELS,
        today=date(2024, 5, 20),
    )
    assert stated.case is not None
    assert stated.case.deadline is not None
    assert stated.case.deadline.on == date(2024, 6, 30)


def test_a_web_copy_of_a_follow_up_holding_its_text_twice_reads_it_once() -> None:
    imported, case = read("fi-page-copy-belarus-2021.txt")
    assert (NoteKind.FOLLOW_UP, "reference") in notes(imported)
    assert (case.reference, case.country_code, case.issued) == (
        "UA 33/21",
        "BY",
        date(2021, 4, 12),
    )
    text = case.texts["en"]
    assert text.title == "Two more students detained"
    assert text.summary.startswith("Two more students of the Minsk linguistic university")
    assert text.background.count("Maryna Kavalenka") == 1
    assert [p.name for p in case.people] == ["Maryna Kavalenka", "Yauhen Zhuk"]


def test_the_country_a_story_is_about_outweighs_one_it_names_in_passing() -> None:
    story = (
        "An immigrant worker from Ivory Coast was detained in Montreal. Canada must release him;"
        " the authorities in Canada have held him for a year."
    )
    assert find_country(story) == ("Canada", "CA")


def test_a_reference_and_a_country_the_sheet_names_only_in_passing_are_read() -> None:
    sheet = (
        "Student held for a poem\n\nMarch 3, 2024\n\n"
        "Student Hoda Karimi has been held since 1 March 2024 by the Iranian authorities for a"
        " poem she read at her university.\n\n"
        "  1. Write a letter in your own words to the official listed.\n"
        "  2. Click here to let us know the actions you took on Urgent Action 21.24.\n"
    )
    imported = import_sheet(sheet, deadline_label=LABELS, today=date(2024, 3, 5))
    assert imported.case is not None
    assert (imported.case.reference, imported.case.country_code) == ("UA 21.24", "IR")
    assert (NoteKind.MISSING, "reference") not in notes(imported)
    assert (NoteKind.GUESSED, "country") in notes(imported)


def test_a_spanish_model_letter_sheet_with_copies_after_the_letter() -> None:
    _, case = read("es-carta-modelo-guatemala-2023.txt")
    assert list(case.texts) == ["es"]
    assert (case.reference, case.country_code, case.issued) == (
        "UA 071/23",
        "GT",
        date(2023, 5, 4),
    )
    (person,) = case.people
    assert (person.name, person.pronoun) == ("Elena Ríos Morales", "she")  # "(ella)"
    fiscal, ambassador = case.targets
    assert (fiscal.role, fiscal.name, fiscal.salutation) == (
        TargetRole.TO,
        "Consuelo Paredes Lima",
        "Señora Fiscal General",  # the letter's opening: no "Dear"
    )
    assert fiscal.language == "es"
    # "Y copia a:" after "Atentamente,": the embassy is a copy target.
    assert (ambassador.role, ambassador.name) == (TargetRole.COPY, "Luis Ortega Pineda")
    # The letter's "que ponga ..." after "Le pido": letter-ready as "Le insto a que ponga ...".
    assert case.texts["es"].asks == (
        "que ponga en libertad a Elena Ríos Morales de inmediato",
        "que retire los cargos presentados contra ella por su trabajo periodístico",
    )
    assert case.deadline is not None
    assert case.deadline.on == date(2023, 6, 29)  # NO MÁS TARDE DEL: 29 de junio de 2023


def test_a_long_model_letter_gives_facts_that_fit_a_letter() -> None:
    sentence = "On 3 May 2024 police held Student Omar Said at his home in Tunis for a post. "
    sheet = (
        "URGENT ACTION\nSTUDENT HELD\nStudent Omar Said is held in Tunis.\n"
        "TAKE ACTION: WRITE AN APPEAL IN YOUR OWN WORDS OR USE THIS MODEL LETTER\n"
        "Minister of Justice\nLeila Ben Ali\nMinistry of Justice\nTunis, Tunisia\n"
        "Dear Minister,\n" + sentence * 20 + "\nI urge you to release Omar Said.\n"
        "Yours sincerely,\n"
    )
    imported = import_sheet(sheet, deadline_label=LABELS, today=date(2024, 5, 5))
    assert imported.case is not None  # within the catalogue's limit, so it loads
    facts = imported.case.texts["en"].facts
    assert facts is not None
    assert facts.startswith("On 3 May 2024 police held")
    assert len(facts) <= FACTS_LIMIT
    assert facts.endswith("for a post.")  # whole sentences
    # Without a model letter, the summary states what happened.
    alone = import_sheet(sheet.split("TAKE ACTION")[0], deadline_label=LABELS)
    assert alone.case is not None
    assert alone.case.texts["en"].facts == "Student Omar Said is held in Tunis."


def test_an_urgent_action_appeal_mailing_headed_so_reads_its_appeals_to() -> None:
    sheet = (SHEETS / "appeal-mailing-pakistan-2005.txt").read_text(encoding="utf-8")
    imported = import_sheet("URGENT ACTION APPEAL\n\n" + sheet, deadline_label=LABELS)
    assert imported.case is not None
    assert [t.name for t in imported.case.targets] == ["Shahid Anwar"]
    assert [p.name for p in imported.case.people] == ["Imran Qureshi", "Tariq Mehmood"]


def test_a_page_of_sample_letters_reads_the_addressee_at_the_letters_head() -> None:
    """A section's page of sample letters: a story in the section's language, then a letter in
    English with its official's block above the opening and no "Write to:" line."""
    imported, case = read("nl-sample-letters-uzbekistan-2021.txt")
    assert imported.report.layout == "section"
    # "Indien" (Dutch for "if") is India only in German: the English block names the country.
    assert (case.country, case.country_code) == ("Uzbekistan", "UZ")
    # The story names nobody as the readers know them; the letter does.
    assert [p.name for p in case.people] == ["Timur Rashidov"]
    assert case.slug == "uz-timur-rashidov"
    (prosecutor,) = case.targets
    assert (prosecutor.role, prosecutor.title, prosecutor.name) == (
        TargetRole.TO,
        "Prosecutor General",
        "Akmal Yusupov",
    )
    assert prosecutor.organisation == "Office of the Prosecutor General"
    # The place and date above the opening is not an address line.
    assert prosecutor.address == (
        "Gulyamov street, 66",
        "Tashkent 100047",
        "Republic of Uzbekistan",
    )
    assert prosecutor.fax == "+998712337048"
    assert prosecutor.salutation == "Dear Prosecutor General"
    assert len(case.texts["en"].asks) == 2
    assert "Timur Rashidov" in (case.texts["en"].facts or "")
    # "Schrijf vóór 15 mei 2021 naar ...", in a sentence of the story: the deadline.
    assert case.deadline is not None
    assert case.deadline.on == date(2021, 5, 15)


def test_a_countrys_name_in_another_language_is_not_read_from_a_common_word() -> None:
    dutch = "Indien hij schuldig wordt bevonden, wordt hij naar de Russian Federation gestuurd."
    assert find_country(dutch, ("en",)) == ("Russian Federation", "RU")
    assert find_country("Die Botschaft von Indien in Berlin", ("en", "de")) == ("Indien", "IN")


def test_a_french_page_of_appeals_reads_where_to_send_the_letter_and_its_deadline() -> None:
    """A section's page: "... et envoyez-la à :" before the official, a handle and addresses
    going on over the next line, "(a)" for "@", the postage, "Délai d'envoi" in a line."""
    _, case = read("fr-appels-page-cameroun-2019.txt")
    assert list(case.texts) == ["fr"]
    assert case.country_code == "CM"
    minister, embassy = case.targets
    assert (minister.role, minister.name, minister.title) == (
        TargetRole.TO,
        "M. Laurent Essomba",
        "Ministre de la Justice",
    )
    assert minister.emails == (
        "cabinet@minjustice.example.cm",
        "courrier@minjustice.example.cm",
        "ministre@minjustice.example.cm",
    )
    # No postage and no handle is an address line, and neither makes an official of its own.
    assert not any("Fr." in line or "@" in line for t in case.targets for line in t.address)
    assert (embassy.role, embassy.emails) == (TargetRole.COPY, ("ambacam@example.ch",))
    assert embassy.address[-1] == "3006 Berne"
    assert case.deadline is not None
    assert case.deadline.on == date(2019, 4, 30)
    # The bot speaks French: its own label names the deadline the sheet's words marked.
    assert case.deadline.label["fr"] == "Dernier jour pour envoyer des appels"
    assert [p.name for p in case.people] == ["Paul Mbarga"]


def test_a_web_page_that_writes_its_addressee_again_above_the_sample_letter() -> None:
    """ "... please write to:", two officials sharing their city's lines, a second fax number
    on a line of its own, "Please also send copies ... via the Embassy", then "SAMPLE LETTER
    (GENERAL):" with the first official's block written again and "[Date]"."""
    _, case = read("web-write-to-page-laos-2012.txt")
    president, minister, ambassador = case.targets
    # The city and country the two share are neither page furniture nor dropped.
    assert (president.name, president.title) == ("Somchai Vongsavath", "Head of State")
    assert president.address[-2:] == ("Vientiane", "Lao PDR")
    assert minister.address[-2:] == ("Vientiane", "Lao PDR")
    assert president.fax == "+85621214208"  # "(via the Ministry of Foreign Affairs)" set aside
    # The letter's opening is the first official's salutation, not "(GENERAL)".
    assert president.salutation == "Dear President Vongsavath"
    assert minister.fax == "+85621212547"
    assert (ambassador.role, ambassador.name) == (TargetRole.COPY, "HE Khamphet Inthavong")
    assert ambassador.address == ("49 Porchester Terrace", "London", "W2 3TS")
    assert [p.name for p in case.people] == ["Kham Sisouk"]
    assert case.texts["en"].asks == ("release Kham Sisouk immediately and unconditionally",)


def test_a_page_of_several_sample_letters_keeps_their_openings() -> None:
    """Each letter opens "Your Excellency:" and closes "Yours sincerely,": repeated lines that
    are not a page's header; the first letter is read as the case."""
    _, case = read("sample-letters-page-2013.txt")
    (minister,) = case.targets
    assert (minister.title, minister.name) == (
        "Minister of Justice of the Republic of Belarus",
        "Pavel Kryvets",
    )
    assert minister.salutation == "Your Excellency"
    assert minister.address == ("ul. Kollektornaya 10", "220048 Minsk")
    assert [p.name for p in case.people] == ["Anton Haurylenka"]
    assert case.country_code == "BY"


def test_a_german_groups_letter_reads_an_addressee_split_by_a_blank_line() -> None:
    """A German group's letter: the organisation above the official, the block split by a blank
    line, "Im Oktober 2021" between the block and "Sehr geehrter Herr Staatsanwalt,"."""
    _, case = read("de-briefe-gruppe-peru-2021.txt")
    assert list(case.texts) == ["de"]
    assert case.country_code == "PE"
    (prosecutor,) = case.targets
    assert prosecutor.organisation == "Lima Regional Prosecutor's Office"
    assert (prosecutor.title, prosecutor.name) == (
        "Señor Fiscal Superior de Lima",
        "Jorge Antonio Salazar Quispe",
    )
    assert prosecutor.address == (
        "Avenida Abancay 491, Piso 3",
        "Edificio Central",
        "Lima/PERU",
    )
    assert prosecutor.emails == ("mesadepartes@fiscalia.example.pe",)
    assert prosecutor.salutation == "Sehr geehrter Herr Staatsanwalt"
    assert [p.name for p in case.people] == ["Rosa Huamán"]


def test_an_austrian_sample_letter_reads_its_heading_person_and_asks() -> None:
    """ "Georgien: Nino Beridze" names the person; "APPELLE AN" the official; "INHALT" is a
    heading, not an address line; "Ich fordere Sie außerdem auf, ..." is an ask."""
    _, case = read("de-musterbrief-georgien-2022.txt")
    assert [p.name for p in case.people] == ["Nino Beridze"]
    assert case.country_code == "GE"
    (prosecutor,) = case.targets
    assert (prosecutor.name, prosecutor.title) == (
        "Giorgi Kapanadze",
        "Generalstaatsanwalt von Georgien",
    )
    assert prosecutor.address == ("Heinestraße 38", "1020 Wien")
    assert prosecutor.salutation == "Sehr geehrter Herr Generalstaatsanwalt"
    (ask,) = case.texts["de"].asks
    assert ask.startswith("dafür zu sorgen, dass Nino Beridze")


def test_an_older_further_information_header_gives_the_concern_as_the_title() -> None:
    imported, case = read("is-fi-older-header-nepal-2010.txt")
    assert case.reference == "UA 31/10"
    assert case.texts["en"].title == "Fear of torture and other ill-treatment"
    assert [p.name for p in case.people] == ["Bikash Thapa"]
    # A follow-up of a case the catalogue does not hold: said so, kept as a draft.
    assert any(n.kind is NoteKind.FOLLOW_UP for n in imported.report.notes)


def test_an_officials_title_going_on_over_the_next_line_stays_the_title() -> None:
    name, title, organisation, address = address_block(
        [
            "Ms. Farah Qureshi",
            "Prime Minister",
            "of the Islamic Republic of Pakistan",
            "Prime Minister's Office",
            "44000 Islamabad - Pakistan",
        ]
    )
    assert (name, title) == (
        "Ms. Farah Qureshi",
        "Prime Minister of the Islamic Republic of Pakistan",
    )
    assert organisation == "Prime Minister's Office"
    assert address == ["44000 Islamabad - Pakistan"]


def test_a_one_line_block_that_runs_the_name_into_the_title_gives_the_name() -> None:
    # A web page flattens the block to one line, after a minister's style.
    name, title, _, _ = address_block(
        [
            "The Honourable Marc Tremblay Minister of Public Safety Ottawa, Ontario K1A 0P8",
            "Email: minister@example.ca",
        ]
    )
    assert name == "Marc Tremblay"
    assert title is not None and title.startswith("Minister of Public Safety")
    # An office with its place before the title word, over the name: the name is the next line.
    name, title, _, _ = address_block(
        ["Ohio Acting Attorney General", "Maria Lopez Jr", "30 East Broad Street"]
    )
    assert (name, title) == ("Maria Lopez Jr", "Ohio Acting Attorney General")


def test_a_german_sheet_keeps_its_nouns_capitals_in_title_description_and_deadline() -> None:
    """German nouns take a capital: "HAFT" in a heading is "Haft", a description read from the
    summary stays "Umweltschützerin". The bot speaks German, so the deadline takes the German
    catalogue's label, as a French or Spanish sheet's takes theirs."""
    imported, case = read("de-briefaktion-aserbaidschan-2023.txt")
    assert case.texts["de"].title == "Umweltschützerin in Haft"
    assert case.country_code == "AZ"
    assert [(p.name, p.description["de"]) for p in case.people] == [
        ("Leyla Hasanova", "Umweltschützerin")
    ]
    deadline = next(d for d in imported.mapping["key_dates"] if d.get("deadline"))
    assert deadline["date"] == date(2023, 7, 12)
    assert deadline["label"]["de"] == "Letzter Tag für Appelle"
    _, belarus = read("de-eilaktion-belarus-2019.txt")
    assert belarus.texts["de"].title == "Journalistin in Haft"
    assert [p.description["de"] for p in belarus.people] == ["Journalistin"]


def test_a_person_named_only_by_a_bare_description_and_the_asks_is_found() -> None:
    """ "Lucía Cárcamo, integrante de un consejo ..." has no article and no word for what she
    is; the asks name her again ("contra Lucía Cárcamo"): she is the person at risk. The
    heading in ordinary case after "Acción urgente" is the title."""
    imported, case = read("es-temas-linea-honduras-2024.txt")
    assert case.slug == "hn-lucia-carcamo"
    assert [(p.name, p.description["es"]) for p in case.people] == [
        ("Lucía Cárcamo", "integrante de un consejo comunitario lenca de Intibucá")
    ]
    assert case.texts["es"].title == "Amenazan a una defensora del río"
    assert (NoteKind.GUESSED, "people[0].name") in notes(imported)
    assert imported.gaps == ()


def test_asks_written_only_as_a_sentence_are_the_asks_and_leave_the_story() -> None:
    """ "Please write immediately to the Minister calling on the authorities to release A, B, C
    and D ..., and to ensure ..." has no colon and no bullets: its two asks are the case's, the
    instruction is not background, and the four Honorary Members are the people at risk."""
    imported, case = read("section-sentence-asks-cambodia-2016.txt")
    assert case.texts["en"].asks == (
        "release Sok Chanthy, Heng Vannak, Chea Sopheap and Keo Ratana immediately and"
        " unconditionally",
        "ensure that while they are held they have access to lawyers of their choosing and to"
        " their families",
    )
    assert "Please write" not in case.texts["en"].background
    assert [p.name for p in case.people] == [
        "Sok Chanthy",
        "Heng Vannak",
        "Chea Sopheap",
        "Keo Ratana",
    ]
    assert {p.description["en"] for p in case.people} == {"Honorary Members"}
    assert imported.gaps == ()


def test_asks_in_a_sentence_are_read_in_french_spanish_and_german() -> None:

    def asks(sentence: str) -> list[str]:
        sheet: Sheet = parse_sheet(["Ana Ruiz fue detenida el 3 de mayo.", "", sentence])
        return sheet.asks

    assert asks(
        "Écrivez au ministre de la Justice pour lui demander de libérer Ana Ruiz et de garantir"
        " qu'elle puisse voir sa famille."
    ) == ["de libérer Ana Ruiz", "de garantir qu'elle puisse voir sa famille"]
    assert asks(
        "Escriban al Fiscal General pidiéndole que investigue las amenazas y que proteja a la"
        " comunidad."
    ) == ["que investigue las amenazas", "que proteja a la comunidad"]
    assert asks(
        "Schreiben Sie an den Justizminister und fordern Sie ihn auf, Ana Ruiz freizulassen und"
        " sie vor Folter zu schützen."
    ) == ["Ana Ruiz freizulassen", "sie vor Folter zu schützen"]
    # A sentence that tells of writing but asks nothing is story, not asks.
    assert asks("Her lawyer wrote to the court on 4 May.") == []


def test_an_arabic_sheet_reads_what_can_be_read_and_reports_the_rest() -> None:
    """The International Secretariat's Arabic sheet: "تحرك عاجل", the heading "مصر: ...", the
    official's block after "اتخذوا إجراءً", the letter's opening "معالي ..." as salutation,
    its asks after "وأحثكم على", the deadline, the name and pronoun line, the footer's
    reference and date. What Arabic does not give (a description) is a gap, not a guess."""
    imported, case = read("ar-tahrak-ajil-egypt-2024.txt")
    assert imported.report.layout == "international"
    assert list(case.texts) == ["ar"]
    assert (case.reference, case.country_code, case.issued) == (
        "UA 52/24",
        "EG",
        date(2024, 5, 10),
    )
    assert case.texts["ar"].title == "احتجاز صحفية بسبب مقال عن غلاء الأسعار"
    assert [(p.name, p.pronoun) for p in case.people] == [("منى عادل", "she")]
    (official,) = case.targets
    assert (official.title, official.name, official.organisation) == (
        "النائب العام",
        "المستشار محمد شوقي عياد",
        "مكتب النائب العام",
    )
    assert official.salutation == "معالي النائب العام"
    assert official.fax == "+20225774716"
    assert case.texts["ar"].asks == (
        "الإفراج عن منى عادل فوراً ودون قيد أو شرط",
        "ضمان حصولها على محامٍ من اختيارها وزيارات أسرتها إلى حين الإفراج عنها",
    )
    deadline = next(d for d in imported.mapping["key_dates"] if d.get("deadline"))
    assert deadline["date"] == date(2024, 6, 20)
    assert (NoteKind.MISSING, "people[0].description") in notes(imported)
    assert imported.gaps == ()


def test_arabic_dates_countries_and_language_are_read() -> None:
    (mention,) = dates_in("في 3 مايو/أيار 2024، بعد أن نشرت")
    assert mention.on(2000) == date(2024, 5, 3)
    (levant,) = dates_in("حتى 20 تشرين الأول 2023")
    assert levant.on(2000) == date(2023, 10, 20)
    assert country_code("مصر") == "EG"
    assert find_country("احتجاز صحفية في مصر وبمصر") == ("مصر", "EG")
    assert find_reference("التحرك العاجل الثالث: 52/24") == Reference("UA 52/24", True, False)


def test_the_sentence_the_asks_come_from_still_names_the_country() -> None:
    """ "Please write to the Bahraini authorities urging ..." leaves the story as asks, but
    whom it writes to still tells the country."""
    text = (
        "Prisoner of conscience Hasan Jaber, a teacher, is serving two years for joining a"
        " peaceful march.\n\nPlease write to the Bahraini authorities urging them to release"
        " Hasan Jaber immediately and to let him see a doctor of his choosing, see attachment"
        " for details.\n"
    )
    imported = import_sheet(text, deadline_label=LABELS, today=date(2024, 1, 15), source="t")
    assert imported.mapping["country_code"] == "BH"
    assert imported.mapping["text"]["en"]["asks"] == [
        "release Hasan Jaber immediately",
        "let him see a doctor of his choosing",
    ]
