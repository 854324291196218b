"""The case catalogue: the seed carries every fact of the sheet, each broken field is named with
its file, a broken file is refused without touching the others, and the database's JSON reads
back equal."""

from __future__ import annotations

import json
import re
import tomllib
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import pytest

from bot.catalogue import (
    CatalogueError,
    Problem,
    case_from_mapping,
    case_to_mapping,
    format_offset,
    is_email,
    load_case,
    load_catalogue,
    parse_offset,
)
from bot.domain.cases import CaseStatus, Channel, TargetRole
from bot.domain.phones import display, from_dialled

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "actions" / "kz-zhanbolat-mamay.toml"
# A copy of the seed sheet (../shared/seed/urgent-action-kazakhstan-mamay.txt) kept with the tests.
SHEET = Path(__file__).parent / "fixtures" / "sheets" / "kazakhstan-mamay.txt"
EXAMPLE = Path(__file__).parent / "fixtures" / "catalogue" / "no-example.toml"
GOOD = EXAMPLE.read_text(encoding="utf-8")


def edit(text: str, old: str, new: str) -> str:
    """`text` with `old` replaced; fails loudly when `old` is not there, so no test passes idly."""
    assert old in text, old
    return text.replace(old, new, 1)


def write(directory: Path, name: str, text: str) -> Path:
    path = directory / f"{name}.toml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def problems_of(tmp_path: Path, text: str, name: str = "no-example") -> tuple[Problem, ...]:
    with pytest.raises(CatalogueError) as caught:
        load_case(write(tmp_path, name, text))
    assert str(caught.value) == "\n".join(str(p) for p in caught.value.problems)
    return caught.value.problems


def the_problem(problems: tuple[Problem, ...], field: str) -> Problem:
    """The one problem about `field`; every problem names the file it was found in."""
    assert all(p.source == "no-example.toml" for p in problems), problems
    found = [p for p in problems if p.field == field]
    assert len(found) == 1, problems
    assert str(found[0]).startswith(f"no-example.toml: {field}: ")
    return found[0]


# --- The sheet ---------------------------------------------------------------------------------


def sheet_text() -> str:
    """The sheet as one line of prose: PDF line breaks joined, a word broken at "-" kept whole."""
    text = SHEET.read_text(encoding="utf-8")
    text = re.sub(r"-[ \t]*\n\s*", "-", text)
    return " ".join(text.split())


def prose(text: str) -> str:
    return " ".join(text.split())


# The only changes made to the sheet's English wording, each an obvious slip of the sheet.
EDITS = {
    "Kazakhstan, will remain": "Kazakhstan will remain",  # the apposition's closing comma
    "put a stop to his": "put a stop his",  # the missing "to"
}


def unedited(text: str) -> str:
    for fixed, original in EDITS.items():
        text = text.replace(fixed, original)
    return text


def test_the_seed_carries_the_sheets_case_and_person() -> None:
    case = load_case(SEED)
    assert case.slug == "kz-zhanbolat-mamay"
    assert case.status is CaseStatus.ACTIVE
    assert (case.country, case.country_code) == ("Kazakhstan", "KZ")
    assert case.timezone == "Asia/Almaty"
    # The sheet gives none of these, so none is invented.
    assert (case.reference, case.issued, case.source_url, case.outcome) == (None,) * 4
    assert case.reminder_offsets is None
    (person,) = case.people
    assert person.name == "Zhanbolat Mamay"
    assert person.name_in("ru") == "Жанболат Мамай"
    assert person.pronoun == "he"
    description = (
        "journalist and leader of the unregistered opposition Democratic Party of Kazakhstan"
    )
    assert person.description["en"] == description
    assert description in sheet_text()
    assert person.description["ru"].startswith("журналист и лидер")
    assert case.original_language == "en"
    assert case.languages == ("en", "ru", "fr", "es", "ar", "de")


def test_the_seed_writes_to_the_president() -> None:
    president = load_case(SEED).targets[0]
    assert president.role is TargetRole.TO
    assert president.name == "Kassym-Jomart Tokayev"
    assert president.title == "President of Kazakhstan"
    assert president.organisation is None
    assert president.address == (
        "Government House",
        "Mangilik Yel St, 6",
        "Nur-Sultan",
        "Republic of Kazakhstan",
    )
    assert president.emails == ("udp@udp-rk.kz",)
    assert president.fax == "+77172745631"
    assert display(president.fax) == "+7 7172 74 56 31"
    # The sheet writes the number for dialling from Canada; read so, it is the stored one.
    assert "011 8 7172 74-56-31" in sheet_text()
    assert from_dialled("011 8 7172 74-56-31", "CA") == president.fax
    assert president.phone is None
    assert president.salutation == "Dear Mr President"
    assert president.salutation_in("ru") == "Уважаемый господин Президент"
    assert "Salutation: Dear Mr President:" in sheet_text()
    # The sheet gives no language; the case file says which the President's office reads.
    assert president.reads == ("ru", "kk", "en")
    for part in (*president.address, *president.emails, president.name, president.title):
        assert part in sheet_text()


def test_the_seed_copies_the_ambassador() -> None:
    ambassador = load_case(SEED).targets[1]
    assert ambassador.role is TargetRole.COPY
    assert ambassador.name == "His Excellency Akylbek Kamaldinov"
    assert ambassador.title == "Ambassador"
    assert ambassador.organisation == "Embassy of the Republic of Kazakhstan"
    assert ambassador.address == ("150 Metcalfe Street, Suite 701", "Ottawa, ON K2P 1P1")
    assert ambassador.emails == ("ottawa@mfa.kz",)
    assert ambassador.fax == "+16136958755"
    assert display(ambassador.fax) == "+1 613 695 8755"
    assert from_dialled("613 695 8755", "CA") == ambassador.fax
    assert ambassador.salutation is None  # the sheet gives him none
    assert ambassador.salutations == {}
    assert ambassador.language is None
    for part in (*ambassador.address, *ambassador.emails, ambassador.name):
        assert part in sheet_text()
    assert "His Excellency Akylbek Kamaldinov Ambassador Embassy of the Republic" in sheet_text()


def test_the_seed_reaches_the_president_by_every_channel() -> None:
    case = load_case(SEED)
    assert [t.name for t in case.recipients] == ["Kassym-Jomart Tokayev"]
    assert [t.name for t in case.copies] == ["His Excellency Akylbek Kamaldinov"]
    assert case.channels() == (Channel.EMAIL, Channel.FAX, Channel.POST)


def test_the_seeds_english_texts_are_the_sheets() -> None:
    english = load_case(SEED).text("en")
    sheet = sheet_text()
    assert english.title == "Activist’s detention extended"
    assert english.title.upper() == "ACTIVIST’S DETENTION EXTENDED"
    assert english.title.upper() in sheet
    # The summary is the sheet's opening paragraph, two sentences.
    assert unedited(english.summary) in sheet
    assert english.summary.startswith("Zhanbolat Mamay, journalist")
    assert english.summary.endswith("released from detention and the charges dropped.")
    assert english.asks == (
        "take all necessary steps in your power to ensure that Zhanbolat Mamay is released "
        "from detention immediately",
        "put a stop to his unfounded prosecution related to the peaceful exercise of his right "
        "to free expression and freedom of assembly",
    )
    for ask in english.asks:
        assert f"• {unedited(ask)}" in sheet


def test_the_seeds_background_holds_all_of_the_sheets_additional_information() -> None:
    background = load_case(SEED).text("en").background
    sheet = sheet_text()
    additional = sheet.split("Additional Information", 1)[1].strip()
    assert additional.startswith("Zhanbolat Mamay is a well-known political activist")
    assert additional.endswith("in relation to the protest on 7 May.")
    assert additional in prose(background)
    # Every paragraph is the sheet's own words: the two after the summary, then the rest.
    paragraphs = background.split("\n\n")
    assert len(paragraphs) == 8
    assert paragraphs[0].startswith("The 6 May court decision")
    assert paragraphs[1].startswith("Mamay is currently under investigation")
    for paragraph in paragraphs:
        assert "\n" not in paragraph
        assert paragraph in sheet


def test_the_seeds_key_dates_and_deadline() -> None:
    case = load_case(SEED)
    hearing, custody = case.key_dates
    assert hearing.on == date(2022, 5, 6)
    assert not hearing.deadline
    assert "online hearing" in hearing.label["en"]
    assert hearing.label["ru"].startswith("Суд")
    assert custody.on == date(2022, 6, 12)
    assert custody.deadline
    assert custody.label["ru"].startswith("Истекает")
    assert case.deadline == custody
    assert (custody.time, custody.timezone) == (None, None)
    # The end of 12 June in Almaty (UTC+6 in 2022).
    assert case.deadline_moment() == datetime(2022, 6, 12, 17, 59, tzinfo=UTC)


def test_the_seed_is_translated_into_russian_in_full() -> None:
    case = load_case(SEED)
    english, russian = case.text("en"), case.text("ru")
    assert russian.title == "Содержание активиста под стражей продлено"
    assert russian.summary.startswith("Жанболат Мамай, журналист")
    assert len(russian.asks) == len(english.asks) == 2
    assert russian.asks[0].startswith("принять все необходимые меры")
    assert len(russian.background.split("\n\n")) == len(english.background.split("\n\n"))
    # The facts that carry the case survive translation: dates, articles, numbers.
    for fact in ("378.2", "274.2", "272.3", "488.11", "232", "12 июня", "6 мая", "2019"):
        assert fact in russian.summary + russian.background
    assert not re.search(r"[A-Za-z]{4,}", russian.title + "".join(russian.asks))


# The dates of the facts paragraph as each language writes them.
CUSTODY_ENDS = {"en": "12 June", "ru": "12 июня", "fr": "12 juin", "es": "12 de junio",
                "ar": "12 يونيو/حزيران"}  # fmt: skip


@pytest.mark.parametrize("language", ["en", "ru", "fr", "es", "ar"])
def test_the_seed_states_the_facts_in_each_language_and_translates_in_full(language: str) -> None:
    case = load_case(SEED)
    english, text = case.texts["en"], case.texts[language]
    assert text.facts is not None
    # Who, what, when and where: the end of custody, the charges, the place, the arrest.
    for fact in (CUSTODY_ENDS[language], "378.2", "274.2", "272.3", "2022", "2021"):
        assert fact in text.facts, fact
    assert len(text.facts) <= 1000
    assert len(text.asks) == len(english.asks)
    assert len(text.background.split("\n\n")) == len(english.background.split("\n\n"))
    for fact in ("378.2", "274.2", "272.3", "488.11", "232", "2019"):
        assert fact in text.summary + text.background, fact
    assert case.people[0].description[language]
    assert all(d.label[language] for d in case.key_dates)
    assert case.targets[0].salutation_in(language)


def test_the_shipped_catalogue_is_valid() -> None:
    result = load_catalogue(ROOT / "actions")
    assert result.problems == ()
    assert "kz-zhanbolat-mamay" in [c.slug for c in result.cases]
    assert {c.slug: p for c, p in result.cases_with_paths()}["kz-zhanbolat-mamay"] == SEED


# --- The codec ---------------------------------------------------------------------------------


def test_the_seed_round_trips_through_json() -> None:
    case = load_case(SEED)
    stored = json.dumps(case_to_mapping(case))
    assert case_from_mapping(json.loads(stored), source="database:kz-zhanbolat-mamay") == case


def test_every_field_round_trips_through_json() -> None:
    case = load_case(EXAMPLE)
    assert case.reference == "UA 99/24"
    assert case.issued == date(2024, 3, 1)
    assert case.key_dates[0].time == time(10, 30)
    again = case_from_mapping(json.loads(json.dumps(case_to_mapping(case))))
    assert again == case
    assert again.reminder_offsets == case.reminder_offsets


def test_the_codec_uses_the_files_field_names() -> None:
    mapping = case_to_mapping(load_case(EXAMPLE))
    written = tomllib.loads(GOOD)
    assert list(mapping) == list(written)
    assert list(mapping["text"]) == ["en", "ru"]
    for name in ("people", "targets", "key_dates"):
        for stored, in_file in zip(mapping[name], written[name], strict=True):
            assert set(stored) == set(in_file)
    assert mapping["issued"] == "2024-03-01"
    assert mapping["key_dates"][0]["time"] == "10:30"
    assert mapping["targets"][0]["fax"] == "+4722249090"
    assert mapping["reminders"] == {"before_deadline": ["7d", "2d", "1h30m", "0d"]}


def test_the_codec_validates_like_the_loader() -> None:
    mapping = case_to_mapping(load_case(SEED))
    mapping["targets"][0]["fax"] = "8 7172 74 56 31"
    mapping["status"] = "open"
    with pytest.raises(CatalogueError) as caught:
        case_from_mapping(mapping, source="database:kz-zhanbolat-mamay")
    assert [str(p) for p in caught.value.problems] == [
        "database:kz-zhanbolat-mamay: status: 'open' is not one of draft, active, closed",
        "database:kz-zhanbolat-mamay: targets[0].fax: '8 7172 74 56 31' is not in "
        "international form (+ and the country code)",
    ]


# --- Validation: each problem names the file and the field -------------------------------------


def test_the_example_fixture_is_valid() -> None:
    assert load_case(EXAMPLE).slug == "no-example"


# Each row breaks the example in one place: (name, old text, new text, field, message part).
# fmt: off
BREAKAGES = [
    ("unknown-top-level-field", 'country = "Norway"', 'country = "Norway"\nmood = "hopeful"',
     "mood", "unknown field"),
    ("unknown-target-field-with-a-hint", 'title = "Minister of Justice"',
     'titel = "Minister of Justice"', "targets[0].titel", "unknown field (did you mean title?)"),
    ("unknown-person-field", 'pronoun = "she"', 'pronoun = "she"\nage = 40',
     "people[0].age", "unknown field"),
    ("unknown-key-date-field", 'label = "Hearing"', 'label = "Hearing"\nplace = "Oslo"',
     "key_dates[0].place", "unknown field"),
    ("unknown-text-field", 'title = "Teacher detained"', 'title = "Teacher detained"\nnote = "x"',
     "text.en.note", "unknown field"),
    ("unknown-reminders-field", 'before_deadline = ["2d", "7d", "90m", "0d"]', 'after = ["1d"]',
     "reminders.after", "unknown field"),
    ("missing-country", 'country = "Norway"\n', "", "country", "missing"),
    ("missing-slug", 'slug = "no-example"\n', "", "slug", "missing"),
    ("missing-text-title", 'title = "Teacher detained"\n', "", "text.en.title", "missing"),
    ("missing-target-name", 'name = "Minister Example"\n', "", "targets[0].name", "missing"),
    ("missing-date", "date = 2024-03-15\n", "", "key_dates[0].date", "missing"),
    ("missing-label", 'label = "Hearing"\n', "", "key_dates[0].label", "missing"),
    ("missing-role", 'role = "copy"\n', "", "targets[1].role", "missing"),
    ("wrong-type-string", 'country = "Norway"', "country = 47",
     "country", "must be a string, not a number"),
    ("wrong-type-list", 'emails = ["minister@example.org"]', 'emails = "minister@example.org"',
     "targets[0].emails", "must be a list of strings"),
    ("wrong-type-bool", "deadline = true", 'deadline = "yes"',
     "key_dates[1].deadline", "must be true or false, not a string"),
    ("wrong-type-date", "issued = 2024-03-01", 'issued = "March"',
     "issued", "not a date like 2022-06-12"),
    ("date-with-a-time", "issued = 2024-03-01", "issued = 2024-03-01T10:00:00",
     "issued", "must be a date without a time"),
    ("impossible-time", 'time = "10:30"', 'time = "25:00"',
     "key_dates[0].time", "not a time like"),
    ("wordy-time", 'time = "10:30"', 'time = "half past ten"',
     "key_dates[0].time", "not a time like"),
    ("people-as-a-table-not-a-list", "[[people]]", "[people]", "people", "write [[people]]"),
    ("slug-form", 'slug = "no-example"', 'slug = "No Example"', "slug", "use at most 32 of a-z"),
    ("slug-is-not-the-file-name", 'slug = "no-example"', 'slug = "no-other"',
     "slug", "must be the file's name ('no-example'.toml)"),
    ("email-without-at", '"minister@example.org"', '"minister at example.org"',
     "targets[0].emails[0]", "is not an email address"),
    ("email-without-a-domain", '"embassy@example.org"', '"embassy@example"',
     "targets[1].emails[0]", "is not an email address"),
    ("fax-not-international", '"+47 22 24 90 90"', '"22 24 90 90"',
     "targets[0].fax", "is not in international form"),
    ("fax-invalid", '"+47 22 24 90 90"', '"+47 123"',
     "targets[0].fax", "is not a valid phone number"),
    ("phone-invalid", '"+47 23 00 00 00"', '"+47 23 00 00 00 ext. 12"',
     "targets[0].phone", "is not a phone number"),
    ("deadline-before-issue", "date = 2024-04-01", "date = 2024-02-01",
     "key_dates[1].date", "the deadline 2024-02-01 is before the issue date 2024-03-01"),
    ("unknown-timezone", 'timezone = "Europe/Oslo"\nsource_url',
     'timezone = "Europe/Olso"\nsource_url', "timezone",
     "'Europe/Olso' is not an IANA timezone name"),
    ("unknown-key-date-timezone", 'timezone = "Europe/Oslo"\nlabel', 'timezone = "CEST"\nlabel',
     "key_dates[0].timezone", "not an IANA timezone name"),
    ("unknown-status", 'status = "active"', 'status = "paused"',
     "status", "'paused' is not one of draft, active, closed"),
    ("closed-without-outcome", 'status = "active"', 'status = "closed"',
     "outcome", "a closed case needs an outcome"),
    ("outcome-of-an-open-case", 'status = "active"', 'status = "active"\noutcome = "released"',
     "outcome", "only a closed case has an outcome"),
    ("text-language-not-two-letters", "[text.ru]", "[text.rus]",
     "text.rus", "not a two-letter language code"),
    ("text-language-in-capitals", "[text.ru]", "[text.RU]",
     "text.RU", "not a two-letter language code"),
    ("label-language-not-two-letters", 'label.ru = "Истекает', 'label.russian = "Истекает',
     "key_dates[1].label.russian", "not a two-letter language code"),
    ("label-without-the-original", 'label.en = "Detention ends"\n', "",
     "key_dates[1].label", "has no en text (the case's original language)"),
    ("no-one-written-to", 'role = "to"', 'role = "copy"', "targets", 'no target has role = "to"'),
    ("unknown-role", 'role = "to"', 'role = "cc"',
     "targets[0].role", '\'cc\' is not "to" or "copy"'),
    ("asks-empty", 'asks = ["release Kari Example", "protect her from ill-treatment"]',
     "asks = []", "text.en.asks", "is empty"),
    ("translation-lost-an-ask", ', "защитить её от жестокого обращения"]', "]",
     "text.ru.asks", "has 1 asks, the original (en) has 2"),
    ("an-empty-ask", 'asks = ["release Kari Example", "protect her from ill-treatment"]',
     'asks = ["release Kari Example", " "]', "text.en.asks[1]", "is empty"),
    ("unknown-country-code", 'country_code = "NO"', 'country_code = "XX"',
     "country_code", "'XX' is not an ISO 3166 code"),
    ("target-language", 'language = "en"', 'language = "english"',
     "targets[0].language", "not a two-letter language code"),
    ("source-url", '"https://example.org/ua-99-24"', '"example.org/ua"',
     "source_url", "is not an http(s) address"),
    ("bad-reminder-offset", '"90m"', '"soon"',
     "reminders.before_deadline[2]", "'soon' is not an offset like 7d, 36h, 1d12h or 90m"),
    ("repeated-reminder-offset", '"90m"', '"48h"',
     "reminders.before_deadline[2]", "'48h' repeats reminders.before_deadline[0]"),
    ("reminder-offset-not-a-string", '"90m"', "90",
     "reminders.before_deadline[2]", "90 is not an offset"),
    ("reminders-without-a-deadline", "deadline = true\n", "",
     "reminders.before_deadline", "the case has no deadline to remind before"),
    ("facts-too-long-for-a-letter", "and is held without charge.", "and is held. " * 80,
     "text.en.facts", "has 1089 characters; a letter's facts are at most 1000"),
    ("facts-not-a-string", 'facts = "Кари Экзампл арестовали в Осло 1 марта 2024 года."',
     'facts = ["Кари Экзампл арестована"]',
     "text.ru.facts", "must be a string, not a list"),
    ("unknown-writers-country", 'for_country = ["GB", "IE"]', 'for_country = ["GB", "XX"]',
     "targets[1].for_country[1]", "'XX' is not an ISO 3166 country code like FR or KE"),
    ("title-past-its-limit", 'title = "Teacher detained"', f'title = "{"Long " * 40}"',
     "text.en.title", "has 199 characters; at most 150"),
    ("too-many-emails", 'emails = ["minister@example.org"]',
     f"emails = [{', '.join(f'{chr(34)}m{n}@example.org{chr(34)}' for n in range(11))}]",
     "targets[0].emails", "has 11 entries; at most 10"),
    ("writers-country-in-lower-case", 'for_country = ["GB", "IE"]', 'for_country = "ie"',
     "targets[1].for_country", "'ie': write country codes in capitals (IE)"),
    ("writers-country-twice", 'for_country = ["GB", "IE"]', 'for_country = ["GB", "GB"]',
     "targets[1].for_country[1]", "'GB' is listed twice"),
    ("writers-country-not-a-code", 'for_country = ["GB", "IE"]', "for_country = 44",
     "targets[1].for_country", 'must be a country code like "FR"'),
    ("writers-country-on-the-official-written-to", 'language = "en"',
     'language = "en"\nfor_country = "NO"', "targets[0].for_country",
     "only a copy target is for the writer's country"),
]
# fmt: on


@pytest.mark.parametrize(
    ("old", "new", "field", "says"), [b[1:] for b in BREAKAGES], ids=[b[0] for b in BREAKAGES]
)
def test_each_problem_names_the_file_and_the_field(
    tmp_path: Path, old: str, new: str, field: str, says: str
) -> None:
    problems = problems_of(tmp_path, edit(GOOD, old, new))
    assert says in the_problem(problems, field).message


def test_a_number_written_for_dialling_from_canada_is_refused_with_a_suggestion(
    tmp_path: Path,
) -> None:
    text = edit(GOOD, '"+47 22 24 90 90"', '"011 8 7172 74-56-31"')
    text = edit(text, 'emails = ["embassy@example.org"]', 'fax = "613 695 8755"')
    problems = problems_of(tmp_path, text)
    assert [str(p) for p in problems] == [
        "no-example.toml: targets[0].fax: '011 8 7172 74-56-31' is not in international form "
        "(+7 7172 74 56 31?)",
        "no-example.toml: targets[1].fax: '613 695 8755' is not in international form "
        "(+1 613 695 8755?)",
    ]


def test_two_deadlines_are_refused(tmp_path: Path) -> None:
    text = edit(GOOD, 'label = "Hearing"', 'label = "Hearing"\ndeadline = true')
    problem = the_problem(problems_of(tmp_path, text), "key_dates")
    assert problem.message == "key_dates[0] and key_dates[1] are both deadlines: mark only one"


def test_an_official_written_to_must_be_reachable(tmp_path: Path) -> None:
    text = GOOD
    for line in (
        'address = ["Example Street 1", "0150 Oslo"]\n',
        'emails = ["minister@example.org"]\n',
        'fax = "+47 22 24 90 90"\n',
    ):
        text = edit(text, line, "")
    problem = the_problem(problems_of(tmp_path, text), "targets[0]")
    assert problem.message == "an official written to needs emails, a fax or an address"


def test_an_addressee_is_given_only_where_a_language_asks_for_it(tmp_path: Path) -> None:
    """Russian writes the addressee in the dative: the line is given for Russian alone, with
    no English one (English needs none), and opens the Russian letter's address block."""
    line = 'addressee.ru = "Министру юстиции Норвегии К. Примеру"\n'
    text = edit(
        GOOD, 'emails = ["minister@example.org"]\n', f'emails = ["minister@example.org"]\n{line}'
    )
    case = load_case(write(tmp_path, "no-example", text))
    assert case.recipients[0].addressee_in("ru") == "Министру юстиции Норвегии К. Примеру"
    assert case.recipients[0].addressee_in("en") is None
    empty = edit(text, line, 'addressee.ru = ""\n')
    problem = the_problem(problems_of(tmp_path, empty), "targets[0].addressee.ru")
    assert problem.message == "is empty"


def test_a_copy_needs_no_channel(tmp_path: Path) -> None:
    text = edit(GOOD, 'emails = ["embassy@example.org"]\n', "")
    case = load_case(write(tmp_path, "no-example", text))
    assert case.copies[0].emails == ()


def test_an_open_ended_case_has_no_deadline(tmp_path: Path) -> None:
    text = edit(GOOD, "deadline = true\n", "")
    text = edit(text, '[reminders]\nbefore_deadline = ["2d", "7d", "90m", "0d"]\n', "")
    case = load_case(write(tmp_path, "no-example", text))
    assert case.deadline is None
    assert case.deadline_moment() is None


def test_a_case_without_texts_is_refused(tmp_path: Path) -> None:
    text = GOOD.split("[text.en]")[0] + "[[targets]]" + GOOD.split("[[targets]]", 1)[1]
    problem = the_problem(problems_of(tmp_path, text), "text")
    assert problem.message.startswith("missing: add a [text.en] table")


def test_a_case_without_people_or_targets_is_refused(tmp_path: Path) -> None:
    text = "\n".join(GOOD.split("\n")[:10])  # the top-level fields only
    problems = problems_of(tmp_path, text)
    assert {p.field for p in problems} == {"text", "people", "targets"}


def test_every_problem_of_a_file_is_reported_at_once(tmp_path: Path) -> None:
    text = edit(GOOD, 'slug = "no-example"', 'slug = "no-other"')
    text = edit(text, '"minister@example.org"', '"nope"')
    text = edit(text, '"+47 22 24 90 90"', '"22 24 90 90"')
    text = edit(text, 'status = "active"', 'status = "maybe"')
    text = edit(text, '"90m"', '"soon"')
    problems = problems_of(tmp_path, text)
    assert [p.field for p in problems] == [
        "slug",
        "status",
        "targets[0].emails[0]",
        "targets[0].fax",
        "reminders.before_deadline[2]",
    ]


def test_a_file_that_is_not_toml_is_refused_with_the_place(tmp_path: Path) -> None:
    (problem,) = problems_of(tmp_path, 'slug = "no-example"\nthis is = = not toml')
    assert problem.field == ""
    assert str(problem).startswith("no-example.toml: not valid TOML: ")
    assert "line 2" in problem.message


def test_a_file_that_is_not_utf8_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "no-example.toml"
    path.write_bytes('country = "Norway"'.encode("utf-16"))
    with pytest.raises(CatalogueError) as caught:
        load_case(path)
    assert str(caught.value).startswith("no-example.toml: cannot be read: ")


# --- The catalogue: broken files are refused alone ---------------------------------------------


def good_case(slug: str) -> str:
    return edit(GOOD, 'slug = "no-example"', f'slug = "{slug}"')


def test_a_broken_file_is_refused_and_the_others_still_load(tmp_path: Path) -> None:
    write(tmp_path, "no-alpha", good_case("no-alpha"))
    write(tmp_path, "no-broken", edit(good_case("no-broken"), '"+47 22 24 90 90"', '"5"'))
    write(tmp_path, "no-junk", "this is = = not toml")
    write(tmp_path, "no-omega", good_case("no-omega"))
    result = load_catalogue(tmp_path)
    assert [c.slug for c in result.cases] == ["no-alpha", "no-omega"]
    assert [(p.source, p.field) for p in result.problems] == [
        ("no-broken.toml", "targets[0].fax"),
        ("no-junk.toml", ""),
    ]


def test_subfolders_are_read_and_hidden_ones_are_not(tmp_path: Path) -> None:
    write(tmp_path, "no-alpha", good_case("no-alpha"))
    write(tmp_path / "closed", "no-beta", good_case("no-beta"))
    write(tmp_path / ".drafts", "no-gamma", "not toml at all = =")
    result = load_catalogue(tmp_path)
    assert sorted(c.slug for c in result.cases) == ["no-alpha", "no-beta"]
    assert result.problems == ()


def test_duplicate_slugs_refuse_both_files(tmp_path: Path) -> None:
    write(tmp_path, "no-alpha", good_case("no-alpha"))
    write(tmp_path, "no-beta", good_case("no-beta"))
    write(tmp_path / "closed", "no-beta", good_case("no-beta"))
    result = load_catalogue(tmp_path)
    assert [c.slug for c in result.cases] == ["no-alpha"]
    assert [str(p) for p in result.problems] == [
        "closed/no-beta.toml: slug: 'no-beta' is also the slug of no-beta.toml; neither is loaded",
        "no-beta.toml: slug: 'no-beta' is also the slug of closed/no-beta.toml; neither is loaded",
    ]


def test_a_problem_in_a_subfolder_names_the_file_by_its_path(tmp_path: Path) -> None:
    write(tmp_path / "closed", "no-beta", edit(good_case("no-beta"), '"+47 22 24 90 90"', '"5"'))
    result = load_catalogue(tmp_path)
    assert result.cases == ()
    assert [str(p).split(": ")[:2] for p in result.problems] == [
        ["closed/no-beta.toml", "targets[0].fax"]
    ]


def test_a_missing_folder_is_a_problem_not_a_crash(tmp_path: Path) -> None:
    result = load_catalogue(tmp_path / "nowhere")
    assert result.cases == ()
    assert [p.message for p in result.problems] == ["no such folder of case files"]


# --- Prose, emails, reminder offsets -----------------------------------------------------------


def test_wrapped_texts_are_reflowed_into_paragraphs() -> None:
    english = load_case(EXAMPLE).text("en")
    assert english.summary == "Kari Example was detained for teaching."
    assert english.background == "First paragraph, wrapped.\n\nSecond paragraph."


def test_a_status_left_out_makes_a_draft(tmp_path: Path) -> None:
    case = load_case(write(tmp_path, "no-example", edit(GOOD, 'status = "active"\n', "")))
    assert case.status is CaseStatus.DRAFT


@pytest.mark.parametrize(
    "address",
    ["udp@udp-rk.kz", "ottawa@mfa.kz", "first.last+ua@sub.example.org", "o'brien@example.ie"],
)
def test_plausible_email_addresses(address: str) -> None:
    assert is_email(address)


@pytest.mark.parametrize(
    "address",
    [
        "udp-rk.kz",
        "@udp-rk.kz",
        "udp@",
        "udp@udp-rk",
        "udp@@udp-rk.kz",
        "u dp@udp-rk.kz",
        "first..last@example.org",
        ".first@example.org",
        "udp@-udp-rk.kz",
        "udp@udp-rk.kz.",
        "udp@udp-rk.123",
        f"{'x' * 65}@example.org",
        # A line break inside: every email appeal of the case would fail to build.
        "x\n@evil.com",
        "a@b\n.com",
        "udp@udp-rk.kz\n",
    ],
)
def test_implausible_email_addresses(address: str) -> None:
    assert not is_email(address)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("7d", timedelta(days=7)),
        ("2d", timedelta(days=2)),
        ("0d", timedelta(0)),
        ("36h", timedelta(hours=36)),
        ("1d12h", timedelta(hours=36)),
        ("1d 12h", timedelta(hours=36)),
        ("90m", timedelta(minutes=90)),
        ("1h30m", timedelta(minutes=90)),
        ("30s", timedelta(seconds=30)),
    ],
)
def test_reminder_offsets_are_parsed(raw: str, expected: timedelta) -> None:
    assert parse_offset(raw) == expected
    assert parse_offset(format_offset(expected)) == expected


@pytest.mark.parametrize("raw", ["", "7", "d", "7 days", "12h1d", "-1d", "1.5d", "7D", "1w"])
def test_reminder_offsets_that_are_not(raw: str) -> None:
    with pytest.raises(ValueError, match="is not an offset like 7d, 36h, 1d12h or 90m"):
        parse_offset(raw)


def test_reminder_offsets_reach_the_case_latest_first() -> None:
    case = load_case(EXAMPLE)
    assert case.reminder_offsets == (
        timedelta(days=7),
        timedelta(days=2),
        timedelta(minutes=90),
        timedelta(0),
    )


def test_an_empty_reminder_plan_means_no_reminders(tmp_path: Path) -> None:
    text = edit(GOOD, '["2d", "7d", "90m", "0d"]', "[]")
    assert load_case(write(tmp_path, "no-example", text)).reminder_offsets == ()
