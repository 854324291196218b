"""The time zone a person's reminders keep to: whole hours from UTC, or a place's zone by name.

Either way it is stored as an IANA name. A whole-hour offset is an Etc/GMT zone and never
changes; a place's zone ("Europe/Berlin") follows its daylight saving time through zoneinfo.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from datetime import datetime, timedelta
from functools import cache
from zoneinfo import ZoneInfo, available_timezones

# Names in the database that are no place a person lives in: the server's own zone, tzdata's
# placeholder, and the Etc/GMT±N offsets, which count the other way ("GMT-5" is UTC+5): typed,
# they would give the opposite of what was meant, and whole hours have their buttons.
_NOT_A_PLACE = re.compile(r"localtime|posixrules|Factory|(?:.*/)?GMT[+-]\d+")
# What separates words in a typed name: spaces stand for the database's underscores.
_SEPARATORS = re.compile(r"[\s_-]+")
_SLASH = re.compile(r"\s*/\s*")


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


def matching_zones(typed: str, zones: Iterable[str] | None = None) -> list[str]:
    """The zones a typed name means, sorted: the zone of that full name ("Europe/Berlin") if
    there is one, else every zone whose name ends in it ("Berlin", "new york",
    "Argentina/Buenos Aires"); several only where places share a name."""
    wanted = _key(typed)
    if not wanted:
        return []
    candidates = typable_zones() if zones is None else frozenset(zones)
    exact = sorted(z for z in candidates if _key(z) == wanted)
    if exact:
        return exact
    return sorted(z for z in candidates if _key(z).endswith("/" + wanted))
