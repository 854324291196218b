"""Rules read from a second set of real sheets kept outside the project, each tested here on a
sheet written for these tests in the same layout: an AIUSA team's note (a greeting, a new
addressee, signed by the team) standing above the follow-up it updates, whose header names the
country with its state ("USA-Illinois Jordan Mills (m)"); a follow-up whose country, state and
name run into the story on one line ("USA (Oklahoma) Samuel Ortiz Boyd Samuel Ortiz Boyd was
executed ..."); an older mailing listing a group and where it is ("MOROCCO trade unionists in
Morocco") under Amnesty USA's masthead; an Italian appeal naming its person only in its prose;
a Spanish follow-up run onto one line, its people listed with their ages; brothers sharing
their father's and family's names; and a Dutch page whose text closes above the addressee.
From a third set: AIUSA's closed second UA ("Second Urgent Action 33.24" in words, "Deadline
extended from ... to ...")."""

from __future__ import annotations

from datetime import date

from bot.domain.cases import TargetRole, UrgentAction
from bot.importer.build import shared_salutation
from bot.importer.officials import TargetBlock
from bot.importer.report import NoteKind
from tests.importer.conftest import import_fixture


def read(name: str) -> UrgentAction:
    imported = import_fixture(name)
    assert imported.case is not None, imported.problems
    return imported.case


def test_a_follow_up_under_a_teams_note_reads_its_header_and_the_state_after_the_country() -> None:
    case = read("us-team-note-over-follow-up-2012.txt")
    # "USA-Illinois Jordan Mills (m)" far below the note: the country is the USA, not the
    # Jordan a first name spells, and the young man is the case's person.
    assert case.country_code == "US"
    assert [p.name for p in case.people] == ["Jordan Mills"]


def test_a_country_and_state_running_into_the_story_still_name_the_country() -> None:
    case = read("us-follow-up-run-on-2013.txt")
    assert case.country_code == "US"


def test_a_teams_signed_note_ends_the_officials_at_its_sign_off() -> None:
    case = read("us-team-note-over-follow-up-2012.txt")
    # "In solidarity," / "Individuals at Risk Team" and the mailing below are no official.
    assert [(t.name, t.salutation) for t in case.targets] == [
        ("Maria L. Hollis", "Dear District Attorney")
    ]


def test_a_group_listed_in_the_header_keeps_where_it_is() -> None:
    case = read("ua-mailing-group-and-place-2010.txt")
    # "MOROCCO trade unionists in Morocco": the group as the sheet describes it.
    assert [p.name for p in case.people] == ["Trade unionists in Morocco"]
    assert case.country_code == "MA"


def test_a_person_named_only_in_italian_prose_is_read_from_what_the_sentence_says() -> None:
    case = read("it-appello-in-prosa-2004.txt")
    # "Leila Rahmani è a rischio imminente di esecuzione": the sheet names her nowhere else.
    assert [p.name for p in case.people] == ["Leila Rahmani"]
    assert case.country_code == "IR"


def test_people_listed_with_their_age_and_no_gender_mark_are_read_on_a_run_on_line() -> None:
    case = read("es-mas-informacion-en-una-linea-2006.txt")
    # "YEMEN Hassan al-Maqtari, de 19 años, estudiante Faris al-Maqtari, de 17, ...":
    # a forum ran the Spanish follow-up onto one line; each name comes with the age after it.
    assert [p.name for p in case.people] == ["Hassan al-Maqtari", "Faris al-Maqtari"]


def test_the_mailings_masthead_and_date_are_no_summary() -> None:
    case = read("ua-mailing-group-and-place-2010.txt")
    # "- From Amnesty International USA", its links and rules, and "1 June 2010" above the
    # reference: the story starts with what happened.
    assert case.text("en").summary.startswith("A draft law before parliament")
    assert case.text("en").title == "Legal concern"


def test_brothers_sharing_their_fathers_and_family_names_are_two_people() -> None:
    case = read("ua-brothers-2006.txt")
    assert [p.name for p in case.people] == ["Hassan Ali al-Maqtari", "Faris Ali al-Maqtari"]


def test_a_teams_greeting_and_a_posts_dated_heading_are_neither_summary_nor_title() -> None:
    case = read("us-team-note-over-follow-up-2012.txt")
    # "URGENT ACTION 3-5-12" is the post's date; "Dear friends," greets the readers.
    assert case.text("en").title == "Legal concern/Juvenile"
    assert case.text("en").summary.startswith("The county named a new District Attorney")


def test_a_closing_above_the_addressee_is_no_part_of_the_officials_block() -> None:
    case = read("nl-voorbeeldbrief-groet-2021.txt")
    # "Vriendelijke groet," ends the Dutch text; the block under it is the minister's.
    [minister] = case.targets
    assert (minister.name, minister.title) == ("Mehmet Arslan", "Minister of Justice")


def test_a_second_urgent_action_written_out_is_a_follow_up_and_its_extended_deadline_holds() -> (
    None
):
    imported = import_fixture("aiusa-second-ua-extended-2024.txt")
    case = imported.case
    assert case is not None, imported.problems
    # "Second Urgent Action 33.24", in words: a follow-up of UA 33.24.
    assert case.reference == "UA 33.24"
    assert any(n.kind is NoteKind.FOLLOW_UP for n in imported.report.notes)
    # "Deadline extended from July 15, 2024 to November 20, 2024": the new date.
    assert [d.on for d in case.key_dates if d.deadline] == [date(2024, 11, 20)]
    # "No further action is requested": it closes the case, with no outcome it names (kept as
    # a draft here: the catalogue holds no case it follows).
    closes = [n for n in imported.report.notes if n.kind is NoteKind.CLOSES]
    assert [n.values["outcome"] for n in closes] == ["nfa"]


def test_one_letter_opening_with_each_officials_salutation_gives_each_their_own() -> None:
    prosecutor = TargetBlock(TargetRole.TO, ["Attorney General Ana Ríos"])
    prosecutor.salutation = "Dear Attorney General / Your Excellency"
    ambassador = TargetBlock(TargetRole.TO, ["Ambassador Luis Vega"])
    shared_salutation([prosecutor, ambassador])
    assert (prosecutor.salutation, ambassador.salutation) == (
        "Dear Attorney General",
        "Your Excellency",
    )
    # One official: the whole line stays theirs (a salutation may hold a slash of its own).
    alone = TargetBlock(TargetRole.TO, ["Minister Jana Novak"])
    alone.salutation = "Dear Minister / Madam"
    shared_salutation([alone])
    assert alone.salutation == "Dear Minister / Madam"
