"""Time zones as people choose them: a typed place found by name, and labels as they read."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest

from bot.domain.timezones import (
    CAPITALS,
    matching_zones,
    typable_zones,
    utc_offset,
    zone_label,
    zone_of,
)
from bot.views.callbacks import decode, encode

SUMMER = datetime(2022, 5, 20, 9, 0, tzinfo=UTC)
WINTER = datetime(2022, 1, 20, 9, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("typed", "zones"),
    [
        ("Europe/Berlin", ["Europe/Berlin"]),  # the full name
        ("Berlin", ["Europe/Berlin"]),  # the place
        ("berlin", ["Europe/Berlin"]),
        ("  BERLIN ", ["Europe/Berlin"]),
        ("europe/berlin", ["Europe/Berlin"]),
        ("Europe / Berlin", ["Europe/Berlin"]),
        ("new york", ["America/New_York"]),  # spaces for underscores
        ("New_York", ["America/New_York"]),
        ("Kolkata", ["Asia/Kolkata"]),
        ("Port au Prince", ["America/Port-au-Prince"]),
        ("Zürich", ["Europe/Zurich"]),  # accents do not count
        ("Argentina/Buenos Aires", ["America/Argentina/Buenos_Aires"]),  # a longer ending
        ("UTC", ["UTC"]),
        ("Singapore", ["Singapore"]),  # a full name wins over the ends of longer ones
    ],
)
def test_a_typed_place_finds_its_zone(typed: str, zones: list[str]) -> None:
    assert matching_zones(typed) == zones


@pytest.mark.parametrize(
    ("typed", "zones"),
    [
        ("Eastern", ["Canada/Eastern", "US/Eastern"]),
        ("buenos aires", ["America/Argentina/Buenos_Aires", "America/Buenos_Aires"]),
        ("Istanbul", ["Asia/Istanbul", "Europe/Istanbul"]),
    ],
)
def test_a_name_several_places_share_finds_them_all(typed: str, zones: list[str]) -> None:
    assert matching_zones(typed) == zones


@pytest.mark.parametrize(
    "typed",
    [
        "",
        "   ",
        "Berlinn",
        "Ber",  # a part of a name is not the name
        "Europe",  # a region is not a zone
        "Алматы",  # a Russian name, when the person's languages do not include Russian
        "Berlin, Germany",
        "localtime",  # the server's own zone
        # Etc/GMT-5 is UTC+5: someone typing "GMT-5" means the opposite, and hours have buttons.
        "GMT-5",
        "Etc/GMT+3",
        "x" * 5000,
    ],
)
def test_a_name_no_zone_has_finds_none(typed: str) -> None:
    assert matching_zones(typed) == []


@pytest.mark.parametrize(
    ("typed", "zones"),
    [
        ("Алматы", ["Asia/Almaty"]),  # CLDR's names of cities, in the person's language
        ("Париж", ["Europe/Paris"]),
        ("Торонто", ["America/Toronto"]),
        ("Калькутта", ["Asia/Kolkata"]),  # the current zone, not its old name Asia/Calcutta
        ("Киев", ["Europe/Kyiv"]),
        ("Хошимин", ["Asia/Ho_Chi_Minh"]),
        ("Ottawa", ["America/Toronto"]),  # capitals the database names after another city
        ("Оттава", ["America/Toronto"]),
        ("Astana", ["Asia/Almaty"]),
        ("астана", ["Asia/Almaty"]),
        ("Canberra", ["Australia/Canberra"]),  # a name the database keeps for Sydney
        ("Канберра", ["Australia/Sydney"]),
        ("washington dc", ["America/New_York"]),
        ("Brasilia", ["America/Sao_Paulo"]),
        ("Nairobi", ["Africa/Nairobi"]),  # a capital that is the zone's own city
        ("Kenya", ["Africa/Nairobi"]),  # a country with one zone
        ("Франция", ["Europe/Paris"]),
        ("Япония", ["Asia/Tokyo"]),
    ],
)
def test_a_city_or_capital_in_the_persons_language_finds_its_zone(
    typed: str, zones: list[str]
) -> None:
    assert matching_zones(typed, languages=("en", "ru")) == zones


def test_a_country_with_several_zones_offers_each() -> None:
    found = matching_zones("Kazakhstan", languages=("en", "ru"))
    assert "Asia/Almaty" in found
    assert "Asia/Oral" in found
    assert matching_zones("Казахстан", languages=("ru",)) == found


def test_every_capital_names_a_zone_a_person_may_choose() -> None:
    for city, zone in CAPITALS.items():
        assert zone in typable_zones(), city
        assert matching_zones(city, languages=("en", "ru")) == [zone], city


def test_matching_looks_only_at_the_zones_given() -> None:
    assert matching_zones("berlin", ["Europe/Berlin", "Asia/Almaty"]) == ["Europe/Berlin"]
    assert matching_zones("berlin", ["Asia/Almaty"]) == []


def test_every_zone_a_person_may_type_fits_in_a_button() -> None:
    zones = typable_zones()
    assert "Europe/Berlin" in zones
    assert "Asia/Kathmandu" in zones
    for zone in zones:
        data = encode("tzn", zone)
        assert len(data.encode()) <= 64
        decoded = decode(data)
        assert decoded is not None
        assert decoded.args == (zone,)


def test_offsets_read_as_hours_and_minutes_from_utc() -> None:
    assert utc_offset(timedelta(0)) == "UTC"
    assert utc_offset(timedelta(hours=6)) == "UTC+6"
    assert utc_offset(timedelta(hours=-3)) == "UTC-3"
    assert utc_offset(timedelta(hours=5, minutes=30)) == "UTC+5:30"
    assert utc_offset(timedelta(hours=5, minutes=45)) == "UTC+5:45"
    assert utc_offset(-timedelta(hours=3, minutes=30)) == "UTC-3:30"


def test_a_whole_hour_offset_reads_as_before() -> None:
    assert [zone_label(zone_of(h), SUMMER) for h in (-5, 0, 6)] == ["UTC-5", "UTC", "UTC+6"]
    assert zone_label("UTC", SUMMER) == "UTC"
    assert zone_label("Etc/UTC", WINTER) == "UTC"


def test_a_named_zone_reads_with_its_offset_of_the_moment() -> None:
    assert zone_label("Europe/Berlin", WINTER) == "Europe/Berlin (UTC+1)"
    assert zone_label("Europe/Berlin", SUMMER) == "Europe/Berlin (UTC+2)"
    assert zone_label("America/New_York", WINTER) == "America/New York (UTC-5)"
    assert zone_label("Asia/Kolkata", SUMMER) == "Asia/Kolkata (UTC+5:30)"
    assert zone_label("Europe/London", WINTER) == "Europe/London (UTC)"


def test_whole_hour_zones_are_etc_gmt_names_that_count_the_other_way() -> None:
    assert zone_of(6) == "Etc/GMT-6"
    assert zone_of(-5) == "Etc/GMT+5"
    assert zone_of(0) == "Etc/UTC"
    assert all(re.fullmatch(r"Etc/(UTC|GMT[+-]\d{1,2})", zone_of(h)) for h in range(-11, 15))
