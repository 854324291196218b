"""Phone and fax numbers: stored in E.164 ("+77172745631"), shown readably ("+7 7172 74 56 31").

Urgent Action sheets write numbers the way their readers dial them: Amnesty International
Canada's sheets write "011 8 7172 74-56-31" for a fax in Kazakhstan. Case files hold numbers in
international form only, so a fax machine anywhere can dial them; `from_dialled` turns a sheet's
number into that form.
"""

from __future__ import annotations

import re

import phonenumbers
from phonenumbers import PhoneMetadata

# What a written number may contain besides digits: the separators people use.
_WRITTEN = re.compile(r"^\+?[\d\s().\-/]+$")


def is_international(raw: str) -> bool:
    """Whether the number is written in international form (a leading +)."""
    return raw.strip().startswith("+")


def to_e164(raw: str, default_region: str | None = None) -> str:
    """The number in E.164; ValueError saying why when it is not a valid number.

    Without `default_region` the number must be in international form (+country code ...).
    """
    number = _parse(raw, default_region)
    if not phonenumbers.is_valid_number(number):
        raise ValueError(f"{raw!r} is not a valid phone number")
    return _e164(number)


def display(e164: str) -> str:
    """The number as people read it: "+7 7172 74 56 31"; ValueError if it is not a number."""
    number = _parse(e164, None)
    readable = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
    return _one_style(str(readable))


def dialled_from(e164: str, region: str) -> str:
    """The number as a person in `region` (ISO alpha-2) dials it: from France a fax in
    Kazakhstan is "00 7 7172 74 56 31", from Canada "011 7 7172 74 56 31", from Kazakhstan
    itself "8 7172 74 56 31". ValueError if it is not a number or `region` no region."""
    if PhoneMetadata.metadata_for_region(region.upper()) is None:
        raise ValueError(f"{region!r} is not a region code such as FR")
    number = _parse(e164, None)
    dialled = phonenumbers.format_out_of_country_calling_number(number, region.upper())
    return _one_style(str(dialled))


def from_dialled(raw: str, dialled_from: str = "CA", *, country: str | None = None) -> str:
    """E.164 of a number written for dialling from region `dialled_from`; ValueError otherwise.

    Handles a number local to `dialled_from` ("613 695 8755" from CA), one behind the region's
    international exit code ("011 7 7172 74 56 31" from CA), and the sheets' habit of writing the
    destination's trunk prefix where its country code belongs ("011 8 7172 74-56-31": Kazakhstan
    is dialled with 8 at home, its country code is 7). `country` (ISO alpha-2) settles a trunk
    prefix that several countries share when the number alone does not.
    """
    region = dialled_from.upper()
    if PhoneMetadata.metadata_for_region(region) is None:
        raise ValueError(f"{dialled_from!r} is not a region code such as CA")
    try:
        return to_e164(raw, region)
    except ValueError as plain:
        problem = plain
    digits = re.sub(r"\D", "", raw)
    rest = _after_exit_code(digits, region)
    if raw.strip().startswith("+") or rest is None:
        raise problem
    # The exit code is followed by a trunk prefix, not a country code: read the rest as a
    # national number of each country with that trunk prefix, and keep the valid readings.
    regions = [country.upper()] if country else sorted(phonenumbers.SUPPORTED_REGIONS)
    readings = set()
    for candidate in regions:
        trunk = _trunk_prefix(candidate)
        if trunk and rest.startswith(trunk):
            try:
                readings.add(to_e164(rest, candidate))
            except ValueError:
                continue
    if len(readings) == 1:
        return readings.pop()
    if readings:
        found = ", ".join(display(r) for r in sorted(readings))
        raise ValueError(f"{raw!r} could be any of {found}: say which country it is in")
    raise ValueError(f"{raw!r} is not a phone number dialled from {region}")


def _one_style(written: str) -> str:
    # Some countries' formats use hyphens ("+1 613-695-8755") or brackets ("8 (7172) 74 56 31");
    # one style reads better in a list, and the digits are what a fax machine needs. A "~"
    # ("8~10": wait for a second tone) becomes a space, the pause people leave anyway.
    for mark in "-~()":
        written = written.replace(mark, " ")
    return " ".join(written.split())


def _parse(raw: str, region: str | None) -> phonenumbers.PhoneNumber:
    text = raw.strip()
    if not text or not _WRITTEN.match(text):
        raise ValueError(f"{raw!r} is not a phone number (digits, spaces and + - . ( ) only)")
    if region is None and not is_international(text):
        raise ValueError(f"{raw!r} is not in international form (+ and the country code)")
    try:
        return phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException as error:
        reason = re.sub(r"^\(\d+\)\s*", "", str(error)).rstrip(".")
        raise ValueError(f"{raw!r} is not a phone number ({reason})") from None


def _e164(number: phonenumbers.PhoneNumber) -> str:
    return str(phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164))


def _after_exit_code(digits: str, region: str) -> str | None:
    """The digits after `region`'s international exit code, or None if they do not start so."""
    metadata = PhoneMetadata.metadata_for_region(region)
    pattern = metadata.international_prefix if metadata else None
    match = re.match(f"(?:{pattern})", digits) if pattern else None
    return digits[match.end() :] if match else None


def _trunk_prefix(region: str) -> str | None:
    metadata = PhoneMetadata.metadata_for_region(region)
    return metadata.national_prefix if metadata else None
