"""Rules read from real sheets that were kept outside the project, each tested here on a sheet
written for these tests in the same layout: a German group's list of current actions ("Aktuelle
Eilaktion bis zum ..., Land: Titel"), a Dutch group's page of letters opening on "Land: titel"
with no sheet's label above, an older mailing copied onto a blog under its own lines, naming a
group where a name would be ("KENYA Community of Mathare North"), and a German section's page of
model letters, one case after another ("UA-101/2016 Willkürliche Haft - Usbekistan. Appelle bis
...", the letter's blanks, the addressee, the person the letter is about, a rule of "XXXX", the
next case), and a Spanish sheet naming its person after what she is and where she is from
("La periodista hondureña Marta Ríos Zelaya"), and a group's post naming the officials in its
prose, each with an e-mail address in brackets, and a closing that names the territory ("in the
West Bank") and no country; and a Dutch group's letter whose addressee and embassy stand side by
side, run together line by line ("Minister ... Embassy of ...", "Hanoi, Viet Nam 2585 EC Den
Haag"), with both openings on one line; a German UA text under a photo's caption and a news
dateline ("14. März 2022-Amnesty International- Mindestens neun Aktivisten droht ...")."""

from __future__ import annotations

from datetime import date

from bot.domain.cases import TargetRole, UrgentAction
from bot.importer.people import group_at_risk
from bot.importer.report import NoteKind
from tests.importer.conftest import import_fixture


def read(name: str) -> UrgentAction:
    imported = import_fixture(name)
    assert imported.case is not None, imported.problems
    return imported.case


def deadline(case: UrgentAction) -> date | None:
    return next((d.on for d in case.key_dates if d.deadline), None)


def test_a_list_of_current_actions_gives_the_first_ones_deadline_and_country() -> None:
    case = read("de-eilaktionen-liste-2021.txt")
    # "Aktuelle Eilaktion bis zum 12. März 2021, Peru: ...": the date is the deadline, and
    # what follows it is still the heading that names the country.
    assert deadline(case) == date(2021, 3, 12)
    assert case.country_code == "PE"
    # The heading is the title; the story starts under it, not with the page's own lines, and
    # ends where the next action is listed.
    assert case.text("de").title == "Umweltschützer bedroht"
    assert case.text("de").summary.startswith("Am 2. Februar erhielt")
    assert [p.name for p in case.people] == ["Tomás Quispe Huamán"]
    assert date(2021, 2, 28) not in {d.on for d in case.key_dates}


def test_a_heading_opening_the_story_names_the_country_the_story_names_less_often() -> None:
    case = read("nl-schrijfactie-kenia-2023.txt")
    # "Kenia: advocate opgepakt ...": the story and its English letter name Sudan three times.
    assert case.country_code == "KE"


def test_a_mailing_under_a_blogs_lines_reads_its_header_and_the_group_it_lists() -> None:
    case = read("ua-mailing-on-a-blog-2011.txt")
    # "UA 48/11 Risk of forced eviction" opens the sheet though the blog's lines stand above.
    assert case.text("en").title == "Risk of forced eviction"
    # "KENYA Community of Mathare North": the group, as the sheet describes it, with no
    # pronoun guessed from a "He" in the story.
    assert [(p.name, p.pronoun) for p in case.people] == [("Community of Mathare North", None)]
    assert case.country_code == "KE"


def test_a_page_of_model_letters_reads_its_first_case_and_names_the_others() -> None:
    imported = import_fixture("de-musterbriefe-2016.txt")
    case = imported.case
    assert case is not None, imported.problems
    # The header: the reference, the concern, the country after the dash, the deadline.
    assert case.reference == "UA 101/2016"
    assert (case.country_code, case.text("de").title) == ("UZ", "Willkürliche Haft")
    assert deadline(case) == date(2016, 4, 14)
    assert case.issued is None  # "Appelle bis 14. April 2016" is no date of issue
    # The addressee at the letter's head, with its opening; the name alone under the address
    # is whom the letter is about; the section's name and the letter's blanks are no part of it.
    [target] = case.targets
    assert (target.name, target.role, target.salutation) == (
        "Ulugbek Karimov",
        TargetRole.TO,
        "Exzellenz",
    )
    assert "Dilnoza Rakhimova" not in target.address
    assert [p.name for p in case.people] == ["Dilnoza Rakhimova"]
    # "Ich fordere Sie höflich auf, ...": the letter's ask, as letters use it.
    assert list(case.text("de").asks) == ["Dilnoza Rakhimova unverzüglich freizulassen"]
    # The next case, after the rule, is named for the organizer, and not read into this one.
    more = [n for n in imported.report.notes if n.kind is NoteKind.MORE_CASES]
    assert [n.values["value"] for n in more] == ["UA-088-2/2016"]
    assert "Lukashenka" not in str(imported.mapping)


def test_a_person_is_read_after_what_they_are_and_where_they_are_from() -> None:
    case = read("es-accion-urgente-periodista-2012.txt")
    # Not "EN HONDURAS La": the heading in capitals run into the story names no one.
    assert [p.name for p in case.people] == ["Marta Ríos Zelaya"]
    assert case.people[0].description.get("es") == "periodista hondureña"


def test_officials_named_in_prose_with_their_address_in_brackets_are_written_to() -> None:
    case = read("en-group-post-evictions-2014.txt")
    assert [(t.name, t.title, list(t.emails), t.role) for t in case.targets] == [
        (
            "Joseph Karanja",
            "Minister of the Interior",
            ["minister@interior.example.ke"],
            TargetRole.TO,
        ),
        ("Ann Wambui", "Governor of Nairobi", ["governor@nairobi.example.ke"], TargetRole.TO),
    ]
    # An official is no person at risk.
    assert not {"Joseph Karanja", "Ann Wambui"} & {p.name for p in case.people}


def test_a_closing_that_names_a_territory_gives_its_country() -> None:
    case = read("en-fi-west-bank-2009.txt")
    assert case.country_code == "PS"


def test_an_addressee_and_an_embassy_side_by_side_are_read_as_two_officials() -> None:
    case = read("nl-brief-naast-elkaar-2024.txt")
    to, copy = case.targets
    assert (to.role, copy.role) == (TargetRole.TO, TargetRole.COPY)
    assert "Nguyen Van Binh" in (to.name or "")
    assert to.organisation == "Ministry of Public Security"
    assert list(to.address) == ["44 Yet Kieu Street, Hoan Kiem District", "Hanoi, Viet Nam"]
    assert "Pham Thi Lan" in (copy.name or "")
    assert copy.organisation == "Embassy of the Socialist Republic of Viet Nam"
    assert list(copy.address) == ["Nassauplein 12", "2585 EC Den Haag"]
    # "Dear Minister, Your Excellency (aanspreektitel ambassadeur),": one opening each.
    assert (to.salutation, copy.salutation) == ("Dear Minister", "Your Excellency")


def test_german_groups_of_persons_and_communities_are_groups_at_risk() -> None:
    assert group_at_risk("Rund 40 Personen aus dem Dorf sind in Haft.") == "Rund 40 Personen"
    assert group_at_risk("Die Gemeinschaft der Wayuu ist bedroht.") == "Die Gemeinschaft der Wayuu"


def test_a_name_alone_above_the_opening_is_the_subject_only_if_the_letter_names_it() -> None:
    case = read("en-letter-name-alone-2018.txt")
    # "Carlos Mendoza Vela" under the address, whom the letter never names: no one at risk.
    assert [p.name for p in case.people] == ["Ana Ruiz"]


def test_a_person_is_read_before_what_they_are_after_spanish_a() -> None:
    case = read("es-seguimiento-defensora-2010.txt")
    # "... han seguido y fotografiado a Lucía Ixcoy Tum, conocida defensora de ...".
    assert [p.name for p in case.people] == ["Lucía Ixcoy Tum"]


def test_a_photo_caption_is_no_summary_and_a_group_after_a_dateline_is_the_people() -> None:
    case = read("de-ua-text-mit-bild-2022.txt")
    summary = case.text("de").summary
    assert "©" not in summary and "Mahnwache" not in summary
    # "14. März 2022-Amnesty International- Mindestens neun Aktivisten droht ...".
    assert [p.name for p in case.people] == ["Mindestens neun Aktivisten"]
