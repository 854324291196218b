"""Asks made ready for the letters, which weave them into "I urge you to A, and to B.".

Sheets write some asks as a letter would ("Release Ana Ruiz"), others as the instruction to the
reader ("Calling on the authorities to release Ana Ruiz", "Urging them to allow her access to a
lawyer"). The second kind is cut down to what the official is asked to do; an English ask that
still starts with an "-ing" word ("Expressing concern that ...") is left as written and flagged
for the organizer, since no rule turns it into something the letter can ask.
"""

from __future__ import annotations

import re

# "Calling on the Bahraini authorities to", "Urging them to", "Asking the Minister of Justice
# to", "Requesting that the authorities": whom the reader asks, before what is asked.
_INSTRUCTION = re.compile(
    r"^(?:calling (?:on|upon)|urging|asking|requesting|pressing|encouraging|demanding of)\s+"
    r"(?!that\b)(?:(?!to\b)[\w'’.-]+\s+){0,8}?to\s+(?P<ask>\S.*)$"
    r"|^(?:calling (?:on|upon)|urging|asking|requesting|demanding)\s+(?:that\s+)(?P<that>\S.*)$",
    re.IGNORECASE | re.DOTALL,
)
_GERUND = re.compile(r"^[A-Za-z]+ing\b")
# "-ing" words that begin an ask a letter can use as it is: "Bring ...", "Bring to justice".
_NOT_GERUNDS = frozenset({"bring", "ring", "sing"})


# German points finishing "..., in denen Sie": "die Behörden auffordern, das Urteil nicht zu
# vollstrecken", "den Minister darum bitten, ...": whom the reader asks, before the ask.
_INSTRUCTION_DE = re.compile(
    r"^(?:(?:die|den|das|ihn|sie)\s+(?:[\w.-]{1,40}\s+){0,5}?)?"
    r"(?:auffordern|dazu auffordern|darum bitten|bitten|dr[äa]ngen|ersuchen|appellieren)"
    r"\s*,\s*(?P<ask>\S.*)$",
    re.IGNORECASE | re.DOTALL,
)
# A German ask the letters can weave in ends in an infinitive with "zu": "freizulassen",
# "zu schützen" (the letters say "Ich bitte Sie, A und B.").
_ZU_INFINITIVE = re.compile(r"(?:\bzu\s+\w{1,40}|\w{1,30}zu\w{1,30})en\W{0,2}$")


def letter_ready(ask: str, language: str) -> tuple[str, bool]:
    """The ask as the letters can use it, and whether it is ready (False: flag it)."""
    if language == "de":
        return _letter_ready_de(ask.strip())
    if language != "en":
        return ask, True
    found = _INSTRUCTION.match(ask.strip())
    if found:
        # "Requesting that the authorities release ...": the letter asks to "ensure that".
        rest = found["ask"] or f"ensure that {found['that']}"
        ready = rest[:1].upper() + rest[1:] if ask[:1].isupper() else rest
        return ready, True
    first = ask.strip().split(" ", 1)[0].lower()
    return ask, not (_GERUND.match(ask.strip()) and first not in _NOT_GERUNDS)


def _letter_ready_de(ask: str) -> tuple[str, bool]:
    """A German ask without "die Behörden auffordern, ...", ready when it is an infinitive
    with "zu"; "verlangen, dass ..." or "sich besorgt zeigen, dass ..." is flagged."""
    found = _INSTRUCTION_DE.match(ask)
    rest = found["ask"] if found else ask
    return rest, bool(_ZU_INFINITIVE.search(rest))
