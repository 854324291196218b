"""The case catalogue: the seed carries every fact of the sheet; broken files are refused
with every problem named, without touching the others."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest

from bot.catalogue import (
    CatalogueError,
    case_from_mapping,
    case_to_mapping,
    load_case,
    load_catalogue,
    parse_offset,
)
from bot.domain.cases import CaseStatus, Channel, TargetRole
from bot.domain.phones import display, from_dialled, to_e164

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "actions" / "kz-zhanbolat-mamay.toml"
SHEET = ROOT.parent / "shared" / "seed" / "urgent-action-kazakhstan-mamay.txt"

GOOD = """
slug = "{slug}"
country = "Egypt"
country_code = "EG"
status = "active"
issued = 2024-03-01
[[people]]
name = "Alaa Example"
[text.en]
title = "Release Alaa"
summary = "Alaa is detained."
background = "More about Alaa."
asks = ["release Alaa"]
[[targets]]
role = "to"
name = "Minister Example"
emails = ["minister@example.gov"]
fax = "+20 2 2794 5060"
[[key_dates]]
date = 2024-04-01
label = "Hearing"
deadline = true
"""


def write(directory: Path, slug: str, text: str) -> Path:
    path = directory / f"{slug}.toml"
    path.write_text(text, encoding="utf-8")
    return path


def problems_of(tmp_path: Path, text: str, slug: str = "eg-alaa") -> list[str]:
    with pytest.raises(CatalogueError) as caught:
        load_case(write(tmp_path, slug, text))
    return caught.value.problems


def test_the_seed_case_carries_every_fact_of_the_sheet() -> None:
    case = load_case(SEED)
    sheet = " ".join(SHEET.read_text(encoding="utf-8").split())
    assert case.slug == "kz-zhanbolat-mamay"
    assert case.status is CaseStatus.ACTIVE
    assert (case.country, case.country_code) == ("Kazakhstan", "KZ")
    assert [p.name for p in case.people] == ["Zhanbolat Mamay"]
    assert "Democratic Party of Kazakhstan" in case.people[0].description["en"]
    president, ambassador = case.targets
    assert president.role is TargetRole.TO
    assert president.name == "Kassym-Jomart Tokayev"
    assert president.title == "President of Kazakhstan"
    assert president.address == (
        "Government House",
        "Mangilik Yel St, 6",
        "Nur-Sultan",
        "Republic of Kazakhstan",
    )
    assert president.emails == ("udp@udp-rk.kz",)
    assert president.fax == "+77172745631"
    assert display(president.fax) == "+7 7172 74 56 31"
    assert president.salutation == "Dear Mr President"
    assert ambassador.role is TargetRole.COPY
    assert ambassador.name == "His Excellency Akylbek Kamaldinov"
    assert ambassador.title == "Ambassador"
    assert ambassador.organisation == "Embassy of the Republic of Kazakhstan"
    assert ambassador.address == ("150 Metcalfe Street, Suite 701", "Ottawa, ON K2P 1P1")
    assert ambassador.emails == ("ottawa@mfa.kz",)
    assert ambassador.fax == "+16136958755"
    for part in (
        "Government House",
        "Mangilik Yel St, 6",
        "udp@udp-rk.kz",
        "ottawa@mfa.kz",
        "150 Metcalfe Street, Suite 701",
        "Ottawa, ON K2P 1P1",
        "Akylbek Kamaldinov",
    ):
        assert part in sheet
    english = case.text("en")
    assert english.asks[0] in sheet
    assert english.asks[1].replace("stop to his", "stop his") in sheet
    assert len(english.asks) == 2
    for sentence in (
        "He is currently detained in a facility of temporary detention (SIZO)",
        "232 people including 19",
        "Seven of Mamay's supporters",
    ):
        assert sentence in english.background
    hearing, custody = case.key_dates
    assert hearing.on == date(2022, 5, 6)
    assert not hearing.deadline
    assert custody.on == date(2022, 6, 12)
    assert custody.deadline
    assert case.deadline == custody
    assert case.channels() == (Channel.EMAIL, Channel.FAX, Channel.POST)
    assert set(case.languages) == {"en", "ru"}
    assert case.text("ru").title.startswith("Содержание")
    assert len(case.text("ru").asks) == 2


def test_the_database_codec_round_trips_the_seed() -> None:
    case = load_case(SEED)
    stored = json.dumps(case_to_mapping(case), ensure_ascii=False)
    assert case_from_mapping(json.loads(stored), source="database") == case


def test_a_good_file_loads(tmp_path: Path) -> None:
    case = load_case(write(tmp_path, "eg-alaa", GOOD.format(slug="eg-alaa")))
    assert case.targets[0].fax == "+20227945060"
    assert case.deadline is not None and case.deadline.label == {"en": "Hearing"}


@pytest.mark.parametrize(
    ("change", "field", "says"),
    [
        (
            ('country_code = "EG"', 'country_code = "EG"\nmood = "hopeful"'),
            "mood",
            "unknown field",
        ),
        (
            ('name = "Minister Example"', 'name = "Minister Example"\nrank = 1'),
            "targets[0].rank",
            "unknown field",
        ),
        (('"minister@example.gov"', '"minister at example"'), "targets[0].emails", "not an email"),
        (('"+20 2 2794 5060"', '"02 2794 5060"'), "targets[0].fax", "international form"),
        (('"+20 2 2794 5060"', '"+20 123"'), "targets[0].fax", "not a valid phone number"),
        (("date = 2024-04-01", "date = 2024-02-01"), "key_dates[0].date", "before the issue date"),
        (('status = "active"', 'status = "paused"'), "status", "not one of draft, active, closed"),
        (('status = "active"', 'status = "closed"'), "outcome", "needs an outcome"),
        (('slug = "eg-alaa"', 'slug = "eg-other"'), "slug", "must match the file name"),
        (('slug = "eg-alaa"', 'slug = "EG Alaa"'), "slug", "use 1-32 of a-z"),
        (('role = "to"', 'role = "copy"'), "targets", 'no target has role "to"'),
        (('asks = ["release Alaa"]', "asks = []"), "text.en.asks", "at least one ask"),
        (("[text.en]", "[text.english]"), "text.english", "two-letter language code"),
        (('country = "Egypt"\n', ""), "country", "missing"),
        (
            ("deadline = true", 'deadline = true\ntimezone = "Cairo/Nowhere"'),
            "key_dates[0].timezone",
            "not an IANA timezone",
        ),
    ],
)
def test_each_problem_names_the_file_and_the_field(
    tmp_path: Path, change: tuple[str, str], field: str, says: str
) -> None:
    text = GOOD.format(slug="eg-alaa").replace(*change)
    problems = problems_of(tmp_path, text)
    assert any(p.startswith(f"eg-alaa.toml: {field}:") and says in p for p in problems), problems


def test_every_problem_of_a_file_is_reported_at_once(tmp_path: Path) -> None:
    text = (
        GOOD.format(slug="eg-alaa")
        .replace('"minister@example.gov"', '"nope"')
        .replace('"+20 2 2794 5060"', '"2794 5060"')
        .replace('status = "active"', 'status = "maybe"')
    )
    problems = problems_of(tmp_path, text)
    assert len(problems) == 3


def test_two_deadlines_are_refused(tmp_path: Path) -> None:
    text = (
        GOOD.format(slug="eg-alaa")
        + '[[key_dates]]\ndate = 2024-05-01\nlabel = "x"\ndeadline = true\n'
    )
    assert any("more than one key date" in p for p in problems_of(tmp_path, text))


def test_a_recipient_must_be_reachable(tmp_path: Path) -> None:
    text = GOOD.format(slug="eg-alaa").replace(
        'emails = ["minister@example.gov"]\nfax = "+20 2 2794 5060"\n', ""
    )
    assert any("needs an email, a fax or an address" in p for p in problems_of(tmp_path, text))


def test_a_broken_file_is_refused_and_the_others_still_load(tmp_path: Path) -> None:
    write(tmp_path, "eg-alaa", GOOD.format(slug="eg-alaa"))
    write(tmp_path, "eg-broken", GOOD.format(slug="eg-broken").replace('"+20 2 2794 5060"', '"5"'))
    write(tmp_path, "eg-junk", "this is = = not toml")
    result = load_catalogue(tmp_path)
    assert [c.slug for c in result.cases] == ["eg-alaa"]
    assert any(p.startswith("eg-broken.toml: targets[0].fax") for p in result.problems)
    assert any(p.startswith("eg-junk.toml: not valid TOML") for p in result.problems)


def test_the_shipped_catalogue_is_valid() -> None:
    result = load_catalogue(ROOT / "actions")
    assert result.problems == ()
    assert "kz-zhanbolat-mamay" in [c.slug for c in result.cases]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("7d", timedelta(days=7)),
        ("36h", timedelta(hours=36)),
        ("1d12h", timedelta(hours=36)),
        ("90m", timedelta(minutes=90)),
        ("30s", timedelta(seconds=30)),
        ("0d", timedelta(0)),
    ],
)
def test_reminder_offsets(raw: str, expected: timedelta) -> None:
    assert parse_offset(raw) == expected


def test_a_bad_reminder_offset_is_named(tmp_path: Path) -> None:
    text = GOOD.format(slug="eg-alaa") + '[reminders]\nbefore_deadline = ["7d", "soon"]\n'
    assert any(
        p.startswith("eg-alaa.toml: reminders.before_deadline[1]:")
        for p in problems_of(tmp_path, text)
    )


def test_offsets_in_a_case_file_reach_the_case(tmp_path: Path) -> None:
    text = GOOD.format(slug="eg-alaa") + '[reminders]\nbefore_deadline = ["30s", "2m"]\n'
    case = load_case(write(tmp_path, "eg-alaa", text))
    assert case.reminder_offsets == (timedelta(minutes=2), timedelta(seconds=30))


@pytest.mark.parametrize(
    ("raw", "region", "expected"),
    [
        ("011 8 7172 74-56-31", "CA", "+77172745631"),
        ("613 695 8755", "CA", "+16136958755"),
        ("011 20 2 2794 5060", "CA", "+20227945060"),
        ("+7 7172 74 56 31", "CA", "+77172745631"),
    ],
)
def test_numbers_written_for_dialling_from_canada(raw: str, region: str, expected: str) -> None:
    assert from_dialled(raw, region) == expected


def test_an_invalid_number_is_refused_with_a_reason() -> None:
    with pytest.raises(ValueError, match="not a valid phone number"):
        to_e164("+7 123")
