"""More sections' layouts and years, written for these tests in the layouts those sections
publish: a German mailing of 2004 (offices in capitals over the names, points after "..., in
denen Sie", "nicht nach dem ..."), an Austrian page (the officials after "Schreiben Sie bis ...
an:", the asks after them), a Dutch closing update, an Italian page ("Cosa chiediamo") and a
Spanish closing follow-up about a group."""

from __future__ import annotations

from datetime import date

from bot.catalogue.checks import gaps
from bot.domain.cases import CaseStatus, TargetRole, UrgentAction
from bot.importer.asks import letter_ready
from bot.importer.build import Imported
from bot.importer.people import group_at_risk
from bot.importer.report import NoteKind
from tests.importer.conftest import import_fixture


def read(name: str) -> tuple[Imported, UrgentAction]:
    imported = import_fixture(name)
    assert imported.case is not None, imported.problems
    return imported, imported.case


def deadline(case: UrgentAction) -> date | None:
    return next((d.on for d in case.key_dates if d.deadline), None)


def test_a_german_mailing_of_2004_reads_offices_in_capitals_points_and_its_deadline() -> None:
    imported, case = read("de-empfohlene-aktionen-iran-2004.txt")
    leader, judiciary, embassy = case.targets
    # "RELIGIÖSER FÜHRER" over "Ayatollah Ali Khamenei": the office, then the name.
    assert (leader.name, leader.title) == ("Ayatollah Ali Khamenei", "RELIGIÖSER FÜHRER")
    assert (judiciary.name, judiciary.title) == (
        "Ayatollah Mahmoud Hashemi Shahroudi",
        "LEITER DER JUSTIZ",
    )
    assert embassy.role is TargetRole.COPY
    # "BITTE SCHICKEN SIE IHRE APPELLE SOFORT UND NICHT NACH DEM 27. JULI 2004."
    assert deadline(case) == date(2004, 7, 27)
    # "Reza Hosseini (m), 27 Jahre, Student": the age is not what he is.
    assert [(p.name, p.description.get("de")) for p in case.people] == [
        ("Reza Hosseini", "Student")
    ]
    # The points after "..., in denen Sie": the first made ready for "Ich bitte Sie, ...", the
    # second flagged, since no rule makes "verlangen, dass ..." an infinitive with "zu".
    asks = case.text("de").asks
    assert asks[0] == "das Todesurteil gegen Reza Hosseini nicht zu vollstrecken"
    assert asks[1].startswith("verlangen, dass")
    flagged = [n.field for n in imported.report.notes if n.kind is NoteKind.ASK_NOT_READY]
    assert flagged == ["text.de.asks[1]"]


def test_german_asks_are_infinitives_with_zu_or_flagged() -> None:
    assert letter_ready("die Behörden auffordern, Ana Ruiz freizulassen", "de") == (
        "Ana Ruiz freizulassen",
        True,
    )
    assert letter_ready("sie vor Folter zu schützen", "de") == ("sie vor Folter zu schützen", True)
    assert letter_ready("Bitte lassen Sie Ana Ruiz frei.", "de")[1] is False
    assert letter_ready("sich besorgt darüber zeigen, dass sie gefoltert wurde", "de")[1] is False


def test_an_austrian_page_reads_the_officials_after_schreiben_sie_bis_and_the_asks_after() -> None:
    _, case = read("at-schreiben-sie-bis-iran-2019.txt")
    judiciary, embassy = case.targets
    assert (judiciary.name, judiciary.title) == ("Ebrahim Raisi", "Oberste Justizautorität")
    assert dict(judiciary.salutations) == {"en": "Your Excellency", "de": "Exzellenz"}
    assert embassy.role is TargetRole.COPY
    # A Vienna number written for dialling from Austria.
    assert embassy.fax == "+431713573394"
    assert deadline(case) == date(2019, 5, 15)
    assert len(case.text("de").asks) == 2


def test_a_dutch_update_closes_the_case_as_released_with_its_own_title() -> None:
    imported, case = read("nl-update-vrijgelaten-nicaragua-2021.txt")
    assert case.reference == "UA 087/20"
    text = case.text("nl")
    # "Update: Activist vrijgelaten", then "Nicaragua" on a line of its own.
    assert text.title == "Activist vrijgelaten"
    assert text.summary.startswith("De milieuactivist Carlos Mejía")
    assert case.country_code == "NI"
    assert [(p.name, p.description.get("nl")) for p in case.people] == [
        ("Carlos Mejía", "milieuactivist")
    ]
    # "Er is geen verdere actie nodig", and "vrijgelaten": closed as released.
    closes = [n for n in imported.report.notes if n.kind is NoteKind.CLOSES]
    assert [n.values.get("outcome") for n in closes] == ["released"]


def test_an_italian_page_reads_the_person_in_the_text_and_the_asks_under_cosa_chiediamo() -> None:
    _, case = read("it-cosa-chiediamo-egitto-2022.txt")
    assert [(p.name, p.description.get("it")) for p in case.people] == [
        ("Karim Fathy Mansour", "studente")
    ]
    asks = case.text("it").asks
    assert len(asks) == 1 and "rilasciare immediatamente" in asks[0]
    # "Firmate entro il 21 aprile" on a sheet of March 2022.
    assert deadline(case) == date(2022, 4, 21)


def test_a_spanish_closing_about_a_group_names_the_group_as_the_sheet_describes_it() -> None:
    imported = import_fixture("es-grupo-liberado-guatemala-2019.txt")
    # "Nombre: seis defensores de la comunidad de San Pedro": the group is the case's people.
    people = imported.mapping["people"]
    assert [p["name"] for p in people] == ["Seis defensores de la comunidad de San Pedro"]
    closes = [n for n in imported.report.notes if n.kind is NoteKind.CLOSES]
    assert [n.values.get("outcome") for n in closes] == ["released"]
    # "... de la AU 234/18. Más información: https://...": a link is no topic.
    assert "themes" not in imported.mapping or not imported.mapping["themes"]
    assert not any(n.kind is NoteKind.THEME_UNKNOWN for n in imported.report.notes)
    assert imported.mapping["status"] in (str(CaseStatus.DRAFT), str(CaseStatus.CLOSED))


def test_a_2003_mailing_reads_its_opening_line_asks_and_a_body_among_the_copies() -> None:
    imported, case = read("is-recommended-action-mexico-2003.txt")
    # "UA 123/03 Fear of torture/incommunicado detention 14 April 2003": the reference, the
    # concern as the title, the date at the end as the sheet's date; the story starts after.
    assert (case.reference, case.issued) == ("UA 123/03", date(2003, 4, 14))
    text = case.text("en")
    assert text.title == "Fear of torture/incommunicado detention"
    assert text.summary.startswith("Community leader Julián Peralta Nava")
    assert [p.name for p in case.people] == ["Julián Peralta Nava", "Mateo Solís Cruz"]
    # "urging that they be given access to lawyers and their families": one ask, whole.
    assert text.asks[1:] == (
        "reveal their whereabouts immediately",
        "ensure that they be given access to lawyers and their families",
    )
    governor, attorney, centre = case.targets
    assert (governor.title, attorney.title) == ("Governor of Guerrero State", "Attorney General")
    # A human rights centre among the copies is a body, not a person.
    # A copy to a body with no person named: the body is whom it goes to (not a gap that
    # would hold publishing until someone typed a name).
    assert (centre.role, centre.name, centre.organisation) == (
        TargetRole.COPY,
        "Centro de Derechos Humanos de la Montaña",
        None,
    )
    assert not [gap for gap in gaps(case) if gap.startswith("targets")]
    assert deadline(case) == date(2003, 5, 26)
    assert "issued" not in {n.field for n in imported.report.notes}


def test_a_swiss_french_page_reads_destinataire_copie_a_and_ecrivez_jusqu_au() -> None:
    _, case = read("ch-fr-destinataire-iran-2021.txt")
    judiciary, embassy = case.targets
    assert (judiciary.role, judiciary.name, judiciary.title) == (
        TargetRole.TO,
        "Gholamhossein Mohseni Ejei",
        "Responsable du pouvoir judiciaire",
    )
    assert judiciary.salutation_in("fr") == "Monsieur"
    assert (embassy.role, embassy.name) == (
        TargetRole.COPY,
        "Ambassade de la République islamique d'Iran",
    )
    # A Berne number written for dialling from Switzerland.
    assert embassy.fax == "+41313515652"
    assert deadline(case) == date(2021, 4, 30)
    asks = case.text("fr").asks
    assert len(asks) == 1 and asks[0].startswith("libérer Nasrin Talebi")


def test_a_community_at_risk_is_the_cases_people_as_the_sheet_describes_it() -> None:
    imported, case = read("de-gemeinde-brasilien-2023.txt")
    # No one is named: the group the story opens on is the case's people.
    assert [p.name for p in case.people] == [
        "Die rund 300 Mitglieder der indigenen Gemeinde Tekoha Guasu"
    ]
    guessed = [n.field for n in imported.report.notes if n.kind is NoteKind.GUESSED]
    assert "people[0].name" in guessed
    president, minister, embassy = case.targets
    # Salutations in three languages at once, each kept by its language.
    assert dict(president.salutations) == {
        "en": "Dear President",
        "pt": "Excelentíssimo Senhor Presidente",
        "de": "Sehr geehrter Herr Präsident",
    }
    assert (minister.name, minister.title) == ("Sônia Guajajara", "MINISTERIN FÜR INDIGENE VÖLKER")
    # "S. E. Herrn" before a name of six words: still a name.
    assert embassy.name == "S. E. Herrn Roberto Jaguaribe Gomes de Mattos"
    # "Nach dem 29. Januar keine Appelle mehr" on a sheet of 18 December 2023: next January.
    assert deadline(case) == date(2024, 1, 29)


def test_a_group_is_read_only_where_the_story_opens_on_it() -> None:

    assert group_at_risk("Six men were sentenced to death after an unfair trial.") == "Six men"
    assert group_at_risk("Zes mannen zijn op 3 mei gearresteerd.") == "Zes mannen"
    assert group_at_risk("On 3 May the police arrested six men in Minsk.") is None
    assert group_at_risk("Blogger Tran Minh Khoa was released.") is None


def test_an_italian_translation_of_an_international_mailing_reads_whole() -> None:
    _, case = read("it-inviate-appelli-iran-2012.txt")
    assert (case.reference, case.issued) == ("UA 212/12", date(2012, 7, 24))
    assert [p.name for p in case.people] == ["Hiwa Mahmoudi"]
    # "SCRIVETE IMMEDIATAMENTE in ...:" with its points.
    assert len(case.text("it").asks) == 2
    # "INVIATE APPELLI PRIMA DEL 4 SETTEMBRE 2012 A:" gives the deadline and the officials.
    assert deadline(case) == date(2012, 9, 4)
    judiciary, leader, embassy = case.targets
    assert (judiciary.name, judiciary.title) == (
        "Ayatollah Sadegh Larijani",
        "Capo del potere giudiziario",
    )
    assert leader.salutation_in("it") == "Your Excellency"
    assert embassy.role is TargetRole.COPY


def test_a_portuguese_page_reads_its_asks_heading_person_and_two_salutations() -> None:
    _, case = read("pt-o-que-pedimos-honduras-2019.txt")
    # "A defensora dos direitos das mulheres Dalia Sofía Medina recebeu ...".
    assert [(p.name, p.description.get("pt")) for p in case.people] == [
        ("Dalia Sofía Medina", "defensora dos direitos das mulheres")
    ]
    # "O que pedimos:" over its points.
    assert len(case.text("pt").asks) == 2
    (prosecutor, embassy) = case.targets
    assert dict(prosecutor.salutations) == {
        "es": "Señor Fiscal General",
        "pt": "Exmo. Senhor Procurador-Geral",
    }
    assert embassy.role is TargetRole.COPY
    assert deadline(case) == date(2019, 7, 15)


def test_french_and_spanish_asks_are_made_ready_for_the_letters_or_flagged() -> None:
    # French letters say "Je vous demande de ...": the ask is the infinitive.
    assert letter_ready("demandez aux autorités de libérer Ana Ruiz", "fr") == (
        "libérer Ana Ruiz",
        True,
    )
    assert letter_ready("de garantir sa sécurité", "fr") == ("garantir sa sécurité", True)
    assert letter_ready("Libérez Ana Ruiz", "fr")[1] is False
    # Spanish letters say "Le insto a ...": an infinitive, or "que" and a verb that asks.
    assert letter_ready("instando a las autoridades a proteger a Ana Ruiz", "es") == (
        "proteger a Ana Ruiz",
        True,
    )
    assert letter_ready("pidiéndoles que investiguen las amenazas", "es") == (
        "que investiguen las amenazas",
        True,
    )
    assert letter_ready("Liberen a Ana Ruiz", "es") == ("que liberen a Ana Ruiz", True)
    assert letter_ready("Libertad inmediata para Ana Ruiz", "es")[1] is False


def test_a_german_closing_follow_up_reads_its_title_under_the_country_and_its_outcome() -> None:
    imported, case = read("de-weitere-informationen-burundi-2010.txt")
    assert case.reference == "UA 287/2009"
    # "BURUNDI" in capitals, then the heading in ordinary case: the title.
    assert case.text("de").title == "Menschenrechtsverteidiger freigelassen"
    assert case.text("de").summary.startswith("Der Menschenrechtsverteidiger")
    assert [p.name for p in case.people] == ["Pierre-Claver Ndayishimiye"]
    # "Keine weiteren Appelle erforderlich" and "aus der Haft entlassen": closed as released.
    closes = [n for n in imported.report.notes if n.kind is NoteKind.CLOSES]
    assert [n.values.get("outcome") for n in closes] == ["released"]
    follow_up = [n for n in imported.report.notes if n.kind is NoteKind.FOLLOW_UP]
    assert follow_up


def test_the_2004_mailings_concern_line_under_the_country_is_its_title() -> None:
    _, case = read("de-empfohlene-aktionen-iran-2004.txt")
    assert case.text("de").title == "Todesurteil / Folter"
