"""Phone and fax numbers: stored in E.164 ("+77172745631"), shown readably ("+7 7172 74 56 31")."""

from __future__ import annotations

import re

import phonenumbers

# International exit codes by the region a number was written to be dialled from.
_EXIT_CODES = {"CA": "011", "US": "011"}
_EXIT_DEFAULT = "00"


def is_international(raw: str) -> bool:
    """Whether the number is written in international form (a leading +)."""
    return raw.strip().startswith("+")


def to_e164(raw: str, default_region: str | None = None) -> str:
    """The number in E.164; ValueError with a readable reason when it is not a valid number."""
    try:
        number = phonenumbers.parse(raw, default_region)
    except phonenumbers.NumberParseException as error:
        raise ValueError(f"{raw!r} is not a phone number ({error})") from None
    if not phonenumbers.is_valid_number(number):
        raise ValueError(f"{raw!r} is not a valid phone number")
    return str(phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164))


def display(e164: str) -> str:
    """The number as people read it: "+7 7172 74 56 31"."""
    number = phonenumbers.parse(e164, None)
    return str(phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL))


def from_dialled(raw: str, dialled_from: str = "CA") -> str:
    """E.164 of a number written for dialling from `dialled_from`.

    Sheets write foreign numbers the way a reader there dials them: the sheet's
    "011 8 7172 74-56-31" is Canada's exit code 011, then Kazakhstan's number with its domestic
    trunk prefix 8. A number without the exit code is a local one of `dialled_from`.
    """
    digits = re.sub(r"[^\d+]", "", raw)
    if digits.startswith("+"):
        return to_e164(digits)
    exit_code = _EXIT_CODES.get(dialled_from, _EXIT_DEFAULT)
    if not digits.startswith(exit_code):
        return to_e164(digits, dialled_from)
    rest = digits[len(exit_code) :]
    # The rest is a country code and a national number; some sheets keep the trunk prefix
    # ("8" in Kazakhstan and Russia, "0" in most others). Try each split that yields a valid
    # number, the plain reading first.
    for size in (1, 2, 3):
        country, national = rest[:size], rest[size:]
        known = phonenumbers.region_code_for_country_code(int(country or 0)) != "ZZ"
        if not known or not national:
            continue
        candidates = [national]
        for trunk in ("8", "0"):
            if national.startswith(trunk):
                candidates.append(national[len(trunk) :])
        for candidate in candidates:
            try:
                return to_e164(f"+{country}{candidate}")
            except ValueError:
                continue
    # Kazakhstan-style: exit code, then the trunk prefix 8, then the number (country code 7).
    if rest.startswith("8"):
        try:
            return to_e164(f"+7{rest[1:]}")
        except ValueError:
            pass
    raise ValueError(f"{raw!r} is not a phone number dialled from {dialled_from}")
