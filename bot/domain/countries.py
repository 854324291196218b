"""Countries people live in: ISO 3166 codes with their names in every language, from CLDR.

A person may tell the bot where they live, so that their letters copy the embassy accredited to
their country and numbers read as dialled from there. The names come from Babel's copy of CLDR,
which has every country in every language the bot may speak; a person types their country in
their own language ("Франция", "Allemagne", "Kenya") or taps it in a list.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from functools import cache

import phonenumbers
from babel import Locale, UnknownLocaleError

# CLDR's two-letter codes that are no country: the EU, the euro area, the UN, pseudo-locales,
# "Outlying Oceania" and "Unknown Region".
_NOT_A_COUNTRY = frozenset({"EU", "EZ", "UN", "QO", "XA", "XB", "ZZ"})
# Names people use that CLDR does not give (its own are "United States", "Czechia", ...).
ALIASES: Mapping[str, str] = {
    "usa": "US",
    "america": "US",
    "united states of america": "US",
    "uk": "GB",
    "britain": "GB",
    "great britain": "GB",
    "england": "GB",
    "scotland": "GB",
    "wales": "GB",
    "northern ireland": "GB",
    "holland": "NL",
    "ivory coast": "CI",
    "czech republic": "CZ",
    "burma": "MM",
    "swaziland": "SZ",
    "macedonia": "MK",
    "turkey": "TR",
    "сша": "US",
    "америка": "US",
    "англия": "GB",
    "голландия": "NL",
    "чехия": "CZ",
    "турция": "TR",
}
# Amnesty's working languages: a name typed in one of them is understood in any chat, as
# people abroad often know their country's name in the language of where they live.
WORKING_LANGUAGES = ("en", "fr", "es", "ar")
_SEPARATORS = re.compile(r"[\s_\-‐-―’'.,()]+")
# Fewer letters than this match no name by its beginning ("Ка" would match a dozen).
_SHORTEST_PREFIX = 3


@cache
def _locale(language: str) -> Locale:
    try:
        return Locale.parse(language)
    except (UnknownLocaleError, ValueError):
        return Locale.parse("en")


@cache
def country_codes() -> frozenset[str]:
    """Every country a person may live in: CLDR's territories that have telephone numbers."""
    territories = _locale("en").territories
    return frozenset(
        code
        for code in map(str, territories)
        if len(code) == 2
        and code.isalpha()
        and code not in _NOT_A_COUNTRY
        and code in phonenumbers.SUPPORTED_REGIONS
    )


def is_country(code: str) -> bool:
    """Whether `code` is an ISO 3166 alpha-2 code of a country ("FR", "KE")."""
    return code in country_codes()


def country_name(code: str, language: str) -> str:
    """The country's name in `language` ("Франция" for FR in Russian); the code if unknown."""
    names = _locale(language).territories
    return str(names.get(code) or _locale("en").territories.get(code) or code)


@cache
def countries_by_name(language: str) -> tuple[tuple[str, str], ...]:
    """Every country as (code, name in `language`), in the order of the names."""
    return tuple(
        sorted(
            ((code, country_name(code, language)) for code in country_codes()),
            key=lambda pair: _key(pair[1]),
        )
    )


def _key(name: str) -> str:
    """A name as compared: accents, case, punctuation and spaces do not count."""
    decomposed = unicodedata.normalize("NFKD", name.strip())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    # "й" and "ё" decompose too; Russian readers do not tell "ё" from "е" when typing.
    return _SEPARATORS.sub(" ", plain).strip().casefold()


@cache
def _names(languages: tuple[str, ...]) -> Mapping[str, frozenset[str]]:
    """Every way of writing a country in `languages` and the working ones, compared as keys."""
    found: dict[str, set[str]] = {}
    for language in (*WORKING_LANGUAGES, *languages):
        for code in country_codes():
            found.setdefault(_key(country_name(code, language)), set()).add(code)
    for alias, code in ALIASES.items():
        found.setdefault(_key(alias), set()).add(code)
    return {name: frozenset(codes) for name, codes in found.items()}


def matching_countries(
    typed: str, languages: Iterable[str] = (), *, prefixes: bool = True
) -> list[str]:
    """The countries a typed name means, as codes sorted: its name in any of `languages` or of
    Amnesty's working languages ("Франция", "allemagne", "Kenya"), a common other name ("USA"),
    its code ("FR"), or else (with `prefixes`) the beginning of names ("Germ"); several only
    where the typed words fit several."""
    wanted = _key(typed)
    if not wanted:
        return []
    names = _names(tuple(sorted(set(languages))))
    if wanted in names:
        return sorted(names[wanted])
    code = typed.strip().upper()
    if len(code) == 2 and is_country(code):
        return [code]
    if len(wanted) < _SHORTEST_PREFIX or not prefixes:
        return []
    return sorted({c for name, codes in names.items() if name.startswith(wanted) for c in codes})
