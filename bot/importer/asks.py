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


# French points as the reader's instruction: "demandez aux autorités de libérer ...", "priez-les
# de veiller à ...", "en leur demandant de ...": what follows "de" is the ask.
_INSTRUCTION_FR = re.compile(
    r"^(?:en\s+)?(?:(?:leur|lui)\s+)?(?:demand(?:ez|er|ant)|pri(?:ez|er|ant)|exhort(?:ez|er|ant)"
    r"|appel(?:ez|er|ant))(?:-(?:les|le|la|leur|lui))?\b[^,;:]{0,80}?\s(?:de\s+|d['’])"
    r"(?P<ask>\S.*)$",
    re.IGNORECASE | re.DOTALL,
)
# Spanish points as the reader's instruction: "instando a las autoridades a proporcionar ...",
# "pidiéndoles que investiguen ...".
_INSTRUCTION_ES = re.compile(
    r"^(?:instando|exhortando|llamando)(?:les|le)?\b[^,;:]{0,80}?\sa\s+"
    r"(?P<ask>\w{1,30}(?:ar|er|ir)(?:se|l[oa]s?|les?)?\b.*)$"
    r"|^(?:pidi[ée]ndo|exigi[ée]ndo|solicit[áa]ndo)(?:les|le)?\b[^,;:]{0,80}?\s(?P<that>que\s.*)$",
    re.IGNORECASE | re.DOTALL,
)


def letter_ready(ask: str, language: str) -> tuple[str, bool]:
    """The ask as the letters can use it, and whether it is ready (False: flag it)."""
    if language == "de":
        return _letter_ready_de(ask.strip())
    if language == "fr":
        return _letter_ready_fr(ask.strip())
    if language == "es":
        return _letter_ready_es(ask.strip())
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


def _letter_ready_fr(ask: str) -> tuple[str, bool]:
    """A French ask as the infinitive the letters put after "de" ("Je vous demande de ...");
    an imperative ("Libérez ...") is flagged."""
    found = _INSTRUCTION_FR.match(ask)
    rest = found["ask"] if found else ask
    rest = re.sub(r"^(?:de\s+|d['’])(?=\w)", "", rest, flags=re.IGNORECASE)
    first = rest.split(" ", 1)[0].lower()
    return rest, not first.endswith("ez")


def _letter_ready_es(ask: str) -> tuple[str, bool]:
    """A Spanish ask as the letters put it after "Le insto a": an infinitive, or "que" and
    what follows; a verb that asks ("ponga en libertad", "Liberen") takes "que"; anything else
    is flagged."""
    found = _INSTRUCTION_ES.match(ask)
    rest = (found["ask"] or found["that"]) if found else ask
    rest = re.sub(r"^a\s+(?=que\b)", "", rest, flags=re.IGNORECASE)
    first = rest.split(" ", 1)[0].lower()
    if re.fullmatch(r"\w{2,}(?:ar|er|ir|[aei]rse|[aei]rlos?|[aei]rlas?|[aei]rles?)", first):
        return rest, True
    if first == "que":
        return rest, True
    if re.fullmatch(r"\w{3,}(?:e|a|en|an)", first):
        # "ponga en libertad a ...", "Liberen a ...": the letter asks "que" they do it.
        return f"que {rest[:1].lower()}{rest[1:]}", True
    return rest, False
