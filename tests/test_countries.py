"""Countries as people name them: typed in their language, listed by name, checked by code."""

from __future__ import annotations

import pytest

from bot.domain.countries import (
    countries_by_name,
    country_codes,
    country_name,
    is_country,
    matching_countries,
)


@pytest.mark.parametrize(
    ("typed", "codes"),
    [
        ("Франция", ["FR"]),  # the person's language
        ("франция", ["FR"]),
        ("Allemagne", ["DE"]),  # Amnesty's working languages, in any chat
        ("Alemania", ["DE"]),
        ("كينيا", ["KE"]),
        ("Kenya", ["KE"]),
        ("  japan ", ["JP"]),
        ("Cote d'Ivoire", ["CI"]),  # accents and apostrophes do not count
        ("USA", ["US"]),  # names CLDR does not give
        ("UK", ["GB"]),
        ("CA", ["CA"]),  # the code
        ("Казах", ["KZ"]),  # the beginning of one name
        ("guin", ["GN", "GQ", "GW"]),  # ... or of several
    ],
)
def test_a_typed_country_is_found_in_the_persons_language(typed: str, codes: list[str]) -> None:
    assert matching_countries(typed, ("ru",)) == codes


@pytest.mark.parametrize("typed", ["", "  ", "Atlantis", "Ка", "XX", "Europe"])
def test_a_name_no_country_has_finds_none(typed: str) -> None:
    assert matching_countries(typed, ("ru",)) == []


def test_every_country_has_a_name_in_each_language_and_regions_are_none() -> None:
    codes = country_codes()
    assert {"FR", "KE", "JP", "CA", "KZ", "XK"} <= codes
    assert not {"EU", "UN", "ZZ", "001", "419"} & codes
    assert len(codes) > 230
    for code in codes:
        assert country_name(code, "ru") != code
    assert country_name("KZ", "ru") == "Казахстан"
    assert country_name("DE", "fr") == "Allemagne"
    assert is_country("FR")
    assert not is_country("fr")


def test_the_list_is_in_the_order_of_the_names_in_the_persons_language() -> None:
    russian = [name for _, name in countries_by_name("ru")]
    assert russian[0] == "Австралия"
    assert russian.index("Франция") < russian.index("Япония")
    english = [code for code, _ in countries_by_name("en")]
    assert english[0] == "AF"
