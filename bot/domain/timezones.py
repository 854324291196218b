"""The time zone a person's reminders keep to: whole hours from UTC, or a place's zone by name.

Either way it is stored as an IANA name. A whole-hour offset is an Etc/GMT zone and never
changes; a place's zone ("Europe/Berlin") follows its daylight saving time through zoneinfo.
A place is typed as the IANA database names it ("Berlin", "Europe/Berlin"), as CLDR names its
city in the person's language ("Алматы", "Париж", "Calcutta"), as a capital the database does
not name ("Ottawa", "Astana"), or as a country with one time zone ("Kenya", "Франция").
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from datetime import datetime, timedelta
from functools import cache
from zoneinfo import ZoneInfo, available_timezones

from babel.core import get_global
from babel.dates import get_timezone_location

from bot.domain.countries import matching_countries

# Names in the database that are no place a person lives in: the server's own zone, tzdata's
# placeholder, and the Etc/GMT±N offsets, which count the other way ("GMT-5" is UTC+5): typed,
# they would give the opposite of what was meant, and whole hours have their buttons.
_NOT_A_PLACE = re.compile(r"localtime|posixrules|Factory|(?:.*/)?GMT[+-]\d+")
# What separates words in a typed name: spaces stand for the database's underscores.
_SEPARATORS = re.compile(r"[\s_-]+")
_SLASH = re.compile(r"\s*/\s*")
# Capitals whose zone the database names after another city, as people write them in English
# and Russian (the cities it does name come with CLDR's names in every language).
CAPITALS: dict[str, str] = {
    "Abu Dhabi": "Asia/Dubai",
    "Абу-Даби": "Asia/Dubai",
    "Abuja": "Africa/Lagos",
    "Абуджа": "Africa/Lagos",
    "Andorra la Vella": "Europe/Andorra",
    "Ankara": "Europe/Istanbul",
    "Анкара": "Europe/Istanbul",
    "Astana": "Asia/Almaty",
    "Астана": "Asia/Almaty",
    "Nur-Sultan": "Asia/Almaty",
    "Нур-Султан": "Asia/Almaty",
    "Bandar Seri Begawan": "Asia/Brunei",
    "Basseterre": "America/St_Kitts",
    "Beijing": "Asia/Shanghai",
    "Пекин": "Asia/Shanghai",
    "Belmopan": "America/Belize",
    "Bern": "Europe/Zurich",
    "Берн": "Europe/Zurich",
    "Brasília": "America/Sao_Paulo",
    "Бразилиа": "America/Sao_Paulo",
    "Bridgetown": "America/Barbados",
    "Канберра": "Australia/Sydney",
    "Castries": "America/St_Lucia",
    "Delhi": "Asia/Kolkata",
    "New Delhi": "Asia/Kolkata",
    "Дели": "Asia/Kolkata",
    "Нью-Дели": "Asia/Kolkata",
    "Dodoma": "Africa/Dar_es_Salaam",
    "Georgetown": "America/Guyana",
    "Gitega": "Africa/Bujumbura",
    "Guatemala City": "America/Guatemala",
    "Hanoi": "Asia/Ho_Chi_Minh",
    "Ханой": "Asia/Ho_Chi_Minh",
    "Honiara": "Pacific/Guadalcanal",
    "Islamabad": "Asia/Karachi",
    "Исламабад": "Asia/Karachi",
    "Kingston": "America/Jamaica",
    "Kingstown": "America/St_Vincent",
    "Kuwait City": "Asia/Kuwait",
    "Lilongwe": "Africa/Blantyre",
    "Malé": "Indian/Maldives",
    "Manama": "Asia/Bahrain",
    "Moroni": "Indian/Comoro",
    "Naypyidaw": "Asia/Yangon",
    "Ngerulmud": "Pacific/Palau",
    "Nuku'alofa": "Pacific/Tongatapu",
    "Ottawa": "America/Toronto",
    "Оттава": "America/Toronto",
    "Palikir": "Pacific/Pohnpei",
    "Panama City": "America/Panama",
    "Port Louis": "Indian/Mauritius",
    "Port Vila": "Pacific/Efate",
    "Praia": "Atlantic/Cape_Verde",
    "Pretoria": "Africa/Johannesburg",
    "Претория": "Africa/Johannesburg",
    "Cape Town": "Africa/Johannesburg",
    "Pristina": "Europe/Belgrade",
    "Quito": "America/Guayaquil",
    "Rabat": "Africa/Casablanca",
    "Рабат": "Africa/Casablanca",
    "Roseau": "America/Dominica",
    "Saint John's": "America/Antigua",
    "San José": "America/Costa_Rica",
    "San Salvador": "America/El_Salvador",
    "Sanaa": "Asia/Aden",
    "St. George's": "America/Grenada",
    "Sucre": "America/La_Paz",
    "Suva": "Pacific/Fiji",
    "Tarawa": "Pacific/Tarawa",
    "Valletta": "Europe/Malta",
    "Vatican City": "Europe/Vatican",
    "Washington": "America/New_York",
    "Washington DC": "America/New_York",
    "Вашингтон": "America/New_York",
    "Wellington": "Pacific/Auckland",
    "Веллингтон": "Pacific/Auckland",
    "Yamoussoukro": "Africa/Abidjan",
    "Yaoundé": "Africa/Douala",
    "Yaren": "Pacific/Nauru",
}


def zone_of(hours: int) -> str:
    """The IANA name of a fixed offset from UTC (the Etc/GMT names count the other way)."""
    return "Etc/UTC" if hours == 0 else f"Etc/GMT{-hours:+d}"


def utc_offset(offset: timedelta) -> str:
    """An offset from UTC as a person reads it: "UTC", "UTC+6", "UTC-3", "UTC+5:30"."""
    minutes = round(offset.total_seconds() / 60)
    if minutes == 0:
        return "UTC"
    sign = "+" if minutes > 0 else "-"
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours}" + (f":{rest:02d}" if rest else "")


def zone_label(zone: str, now: datetime) -> str:
    """A time zone as a person reads it at `now`: "UTC+6" for a fixed offset, and a place's
    zone with its offset of the moment, "Europe/Berlin (UTC+2)" in summer."""
    offset = utc_offset(ZoneInfo(zone).utcoffset(now) or timedelta(0))
    if zone == "UTC" or zone.startswith("Etc/"):
        return offset
    return f"{zone.replace('_', ' ')} ({offset})"


@cache
def typable_zones() -> frozenset[str]:
    """The zones a person may choose by name: every place the time-zone database knows."""
    return frozenset(z for z in available_timezones() if not _NOT_A_PLACE.fullmatch(z))


def _key(name: str) -> str:
    """A name as compared: accents, case and word separators do not count."""
    decomposed = unicodedata.normalize("NFKD", name.strip())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _SEPARATORS.sub(" ", _SLASH.sub("/", plain)).strip().casefold()


def matching_zones(
    typed: str, zones: Iterable[str] | None = None, languages: Iterable[str] = ()
) -> list[str]:
    """The zones a typed name means, sorted: the zone of that full name ("Europe/Berlin") if
    there is one, else every zone whose name ends in it ("Berlin", "new york",
    "Argentina/Buenos Aires"); else the zone of a city as CLDR names it in English or one of
    `languages` ("Алматы", "Париж"); else a capital's ("Ottawa", "Astana"); else a country's
    zones ("Kenya"). Several only where places share a name or a country has several."""
    wanted = _key(typed)
    if not wanted:
        return []
    candidates = typable_zones() if zones is None else frozenset(zones)
    exact = sorted(z for z in candidates if _key(z) == wanted)
    if exact:
        return exact
    ending = sorted(z for z in candidates if _key(z).endswith("/" + wanted))
    if ending:
        return ending
    found = _cities(tuple(sorted(set(languages)))).get(wanted) or _capitals().get(wanted)
    if found:
        return sorted(z for z in found if z in candidates)
    countries = matching_countries(typed, languages, prefixes=False)
    territory_zones = get_global("territory_zones")
    return sorted(
        {z for code in countries for z in territory_zones.get(code, ()) if z in candidates}
    )


@cache
def _cities(languages: tuple[str, ...]) -> dict[str, frozenset[str]]:
    """Each zone's city as CLDR writes it in English and in `languages`, as compared."""
    found: dict[str, set[str]] = {}
    for zone in typable_zones():
        if "/" not in zone or zone.startswith(("Etc/", "SystemV/")):
            continue
        english = get_timezone_location(zone, "en", return_city=True)
        # An old name of a zone ("Asia/Calcutta", "Europe/Kiev") shares its city with the
        # current one; only the zone the city is named after answers to it.
        own = _key(zone.rsplit("/", 1)[-1])
        if not (_key(english).startswith(own) or own.startswith(_key(english))):
            continue
        for language in ("en", *languages):
            city = get_timezone_location(zone, language, return_city=True)
            found.setdefault(_key(city), set()).add(zone)
    return {city: frozenset(zones) for city, zones in found.items()}


@cache
def _capitals() -> dict[str, frozenset[str]]:
    return {_key(city): frozenset({zone}) for city, zone in CAPITALS.items()}
