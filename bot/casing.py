"""A label written for a button ("Every case") as it reads inside a sentence ("How many cases:
every case", "Combien de dossiers : tous les dossiers", "Сколько дел: все дела").

French, Spanish, Russian, Italian, Portuguese and English write a colon's continuation, a
parenthesis and a list in lower case; German and Luxembourgish keep their nouns capitalised
("Themen: Folter, Todesstrafe") and lower-case only the other words ("Wie viele Fälle: alle
Fälle"); a script without case is left as it is. A name or an acronym is never touched.
"""

from __future__ import annotations

NOUNS_CAPITALISED = frozenset({"de", "lb"})
# The words that can begin a German label and are not nouns: only these are lower-cased there.
NOT_NOUNS = {
    "de": frozenset(
        {
            "alle", "bis", "ein", "eine", "einen", "einer", "jede", "jeder", "jedes", "kein",
            "keine", "nur", "höchstens", "mindestens", "pro", "je", "von", "vom", "zum", "zur",
            "mehr", "weniger", "einmal", "täglich", "wöchentlich", "monatlich", "sofort",
            "freigelassen", "verurteilt", "entlassen", "freigesprochen", "weitere", "weiter",
        }
    ),
}  # fmt: skip


def mid_sentence(label: str, language: str) -> str:
    """`label` continuing a sentence in `language`: its first word lower-cased where the
    language writes it so, unless it is a name, an acronym or (German) a noun."""
    first = label.split(" ", 1)[0]
    if not first[:1].isupper() or (len(first) > 1 and not first[1:].islower()):
        return label  # already lower case, a symbol or digit first, "LGBTI", "McDonald", "Wi-Fi"
    language = language.split("_", maxsplit=1)[0]
    if language in NOUNS_CAPITALISED and first.lower() not in NOT_NOUNS.get(language, ()):
        return label
    return label[0].lower() + label[1:]


def line_start(text: str) -> str:
    """`text` beginning a line (an address block, a button): its first letter capitalised.

    An official's title is written in the case file as it reads after the name ("ambassadeur",
    "embajador", "посол": French, Spanish and Russian write titles in lower case there); at the
    head of a line of an address it takes a capital in every language that has them.
    """
    return text[:1].upper() + text[1:]


def mid_sentence_all(labels: list[str], language: str) -> list[str]:
    """Each label of a list that continues a sentence ("Thèmes : torture, peine de mort")."""
    return [mid_sentence(label, language) for label in labels]
