"""The people a sheet names as at risk, with what it says they are.

Sheets name them in a few ways, in every language: after what they are ("Prisoner of
conscience Abdulhadi Al-Khawaja", "prominent activist Alaa Abdel Fattah", "las defensoras de
los derechos humanos Ana Lorena Delgadillo, Marcela Turati y Mercedes Doretti", "Dr. Bassem
Dhaif"), or followed by it ("Salah 'Abdullah al-Khawaja, an opposition activist, was
arrested"); and in labelled lines ("NAME AND PRONOUN: Karim Adel (he/him)", "Name: ...").
Only the story is read: a model letter respells names and names its addressee.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

# A word of a person's name: capitalised ("Abdulhadi", "Al-Khawaja", "'Ali"), or an Arabic
# article joined to the next word ("al-'Ekri", "el-Baqer"), or a particle between two words.
_CAP = r"[‘'ʿ’]?[A-ZÀ-ÖØ-ÞĀ-ſ][\w‘’'ʿ-]*"
_ARTICLE = r"(?:al|el|ad|ar|as|ash|az|an|at)-[‘'ʿ’]?\w[\w‘’'ʿ-]*"
_PARTICLE = r"(?:bin|ibn|bint|de|da|del|della|dos|das|van|von|der|la|le|y|e|abu|ben)"
_WORD = rf"(?:{_CAP}|{_ARTICLE})"
NAME = rf"{_WORD}(?:\s+(?:{_PARTICLE}\s+)?{_WORD}){{1,4}}"
_ONE_NAME = re.compile(rf"(?P<name>{NAME})")
# What people at risk are: the nouns sheets put before or after a name.
_WHAT = (
    r"prisoners? of conscience|(?:woman |women )?human rights defenders?|defenders?|activists?"
    r"|lawyers?|journalists?|bloggers?|students?|youths?|poets?|writers?|artists?|doctors?"
    r"|trade unionists?|unionists?|teachers?|academics?|reporters?|photographers?"
    r"|politicians?|leaders?|environmentalists?|protesters?|asylum[- ]seekers?"
    r"|refugees?|migrants?|workers?|national|citizens?"
    r"|dr\.?|prof(?:essor)?\.?"
    r"|d[ée]fenseu?r?e?s?|d[ée]fenseures?|militant(?:e|es|s)?|journalistes?|avocat(?:e|es|s)?"
    r"|prisonni(?:er|ère)s? d'opinion|blogueu(?:r|se)s?|[ée]tudiant(?:e|es|s)?"
    r"|defensor(?:a|as|es)?|activistas?|periodistas?|abogad[oa]s?|estudiantes?|l[íi]der(?:es)?"
    r"|expert[oa]s?(?: forenses?)?(?: independientes?)?|presos? de conciencia"
    r"|menschenrechtsverteidiger(?:in|innen)?|aktivist(?:in|innen|en)?|journalist(?:in|innen)?"
    r"|anw[äa]lt(?:in|innen)?|rechtsanw[äa]lt(?:in|innen)?|gewissensgefangene[rn]?"
    r"|student(?:in|innen)?|syndicalistes?|sindicalistas?|gewerkschafter(?:in|innen)?"
)
# Words between the noun and the name: "defensoras de los derechos humanos", "of conscience".
_FILLER = (
    r"(?:\s+(?:de|des|del|los|las|la|of|the|for|human|rights|derechos|humanos|droits|humains"
    r"|l'homme|de l'homme|für|menschenrechte|environmental|indigenous|ind[íi]genas?|forense"
    r"|independiente|independent|and|et|y|und|opposition|political|pol[íi]tic[oa]s?))*"
)
_TITLE = r"(?:(?i:dr|prof)\.?\s+)"
_BEFORE = re.compile(
    rf"\b(?P<what>(?i:(?:{_WHAT})(?:\s+(?:{_WHAT}))*{_FILLER}))\s*,?\s+(?P<names>{NAME}(?:\s*,\s*{_TITLE}?"
    rf"{NAME})*(?:\s*,?\s+(?:and|y|et|und|e)\s+{_TITLE}?{NAME})?)"
)
_AFTER = re.compile(
    rf"(?:^|(?<=[.;:]\s))(?P<name>{NAME})\s*(?:\(\d+\))?,\s+(?:an?|the|une?|el|la|un[ao]?|ein(?:e|er)?"
    rf"|der|die|\d{{1,2}},?)\s+(?P<what>[^,.;]{{3,90}}?)(?=,|\s+(?:who|was|is|has|had|were|will"
    r"|qui|est|a|fue|es|ha|wurde|ist|hat)\b)",
)
# The older mailings' list of people: "Ali Hassan (m), aged 34, journalist".
LISTED = re.compile(
    rf"(?:^|(?<=[.;:]\s))(?P<name>{NAME})\s*\((?:m|f|h)\)(?:,\s*(?:aged\s+\d+,?\s*)?"
    r"(?P<what>[^,.;]{3,60}))?"
)
_AFTER_BARE = re.compile(
    rf"(?:^|(?<=[.;:]\s))(?P<name>{NAME}),\s+(?P<what>(?i:{_WHAT})[^,.;]{{0,90}}?)(?=,|\s+(?:who"
    r"|was|is|has|had|were|will|remains|faces|qui|est|fue|es|ha|wurde|ist|hat)\b)",
)
_WHAT_WORD = re.compile(rf"(?:{_WHAT})", re.IGNORECASE)
_SOMEONES = re.compile(
    r"\b(?:his|her|their|whose|its|son|sa|ses|su|sus|sein(?:e|er|en)?|ihr(?:e|er|en)?)\s+$",
    re.IGNORECASE,
)
_OFFICIAL = re.compile(
    r"\b(?:prosecutor|minister|president|judge|governor|ambassador|official|officer|police"
    r"|fiscal|procureur|ministre|ministro|juez|juge|staatsanwalt|richter)\b",
    re.IGNORECASE,
)
# Words that begin a capitalised run that is not a person: places, bodies, months, titles.
_NOT_A_PERSON = re.compile(
    r"^(?:amnesty|the|la|el|los|las|le|les|der|die|das|un|una|une|ein|public|supreme|state|high"
    r"|national|federal|court|ministry|minister|president|prime|king|queen|prince|sheikh"
    r"|shaikh|general|judge|prosecutor|police|security|army|un|united|european|international"
    r"|january|february|march|april|may|june|july|august|september|october|november|december"
    r"|urgent|action|human|rights|his|her|their|our|on|in|at|since|after|before|during|when"
    r"|amid|over|against|for|from|with|without|under|facing|faces|at|risk|released|detained"
    r"|monday|tuesday|wednesday|thursday|friday|saturday|sunday|fiscal|fiscal[íi]a|tribunal"
    r"|ministerio|procuradur[íi]a|subprocuradur[íi]a|secretar[íi]a|consejo|comisi[óo]n|m[ée]xico"
    r"|ciudad|san|santa|saint|st|mount|lake|river|province|region|district|city|prison|hospital"
    r"|university|universit[ée]|universidad|universit[äa]t|colonia|avenue|street|road)$",
    re.IGNORECASE,
)
_NAME_LINE = re.compile(
    r"^(?:names?|nom(?:s)?|nombres?|name\(n\))\s*:\s*(?P<value>.+?)(?:\s+(?:gender|genre|g[ée]nero"
    r"|geschlecht)\b.*)?$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class FoundPerson:
    """A person the sheet names as at risk, and what it says they are (as written)."""

    name: str
    description: str | None = None


def names_in_line(line: str) -> list[str]:
    """The names of a labelled "Name: ..." line ("Name: Abdulhadi Al-Khawaja Gender m/f: m")."""
    match = _NAME_LINE.match(line)
    if match is None:
        return []
    parts = re.split(r"\s*(?:[,;]|\band\b|\by\b|\bet\b|\bund\b)\s*", match["value"])
    names = [re.sub(r"\s*\((?:m|f|h)\)\s*$", "", p.strip()) for p in parts]
    # "and 11 others", "unnamed": not a name.
    return [n for n in names if n and n[:1].isupper() and not any(c.isdigit() for c in n)]


def people_in(story: Iterable[str], *, not_people: Iterable[str] = ()) -> list[FoundPerson]:
    """Everyone the paragraphs of a story name as at risk, in the order they are named."""
    excluded = {_key(n) for n in not_people}
    found: list[FoundPerson] = []
    for paragraph in story:
        text = _plain(paragraph)
        hits: list[tuple[int, str, str | None]] = []
        for match in _BEFORE.finditer(text):
            if _SOMEONES.search(text[max(0, match.start() - 20) : match.start()]):
                continue  # "his lawyer Ahmed Saleh": someone beside the person at risk
            what = _description(match["what"])
            for name in _split_names(match["names"]):
                hits.append((match.start("names") + match["names"].find(name), name, what))
        for pattern in (_AFTER, _AFTER_BARE, LISTED):
            for match in pattern.finditer(text):
                what = match["what"]
                if what and _OFFICIAL.search(what):
                    continue  # "Hamada al-Sawi, the Public Prosecutor, ordered"
                hits.append((match.start(), match["name"], _description(what) if what else None))
        for _, name, what in sorted(hits, key=lambda hit: hit[0]):
            _add(found, _clean(name), what, excluded)
    return found


def _split_names(names: str) -> list[str]:
    parts = re.split(r"\s*,\s*|\s*,?\s+(?:and|y|et|und|e)\s+", names)
    return [re.sub(r"^(?:dr|prof)\.?\s+", "", p, flags=re.IGNORECASE) for p in parts if p]


def _add(found: list[FoundPerson], name: str, what: str | None, excluded: set[str]) -> None:
    words = name.split()
    if len(words) < 2 or name.isupper() or _NOT_A_PERSON.match(words[0].strip("‘'’")):
        return
    key = _key(name)
    if key in excluded or any(_same(key, _key(p.name)) for p in found):
        return
    if any(_same(key, e) for e in excluded):
        return
    found.append(FoundPerson(name, what))


def _same(a: str, b: str) -> bool:
    """Two spellings of one name: one holds the other, or they share two words."""
    wa, wb = set(a.split()), set(b.split())
    return a == b or wa <= wb or wb <= wa or len(wa & wb) >= 2


def _key(name: str) -> str:
    text = unicodedata.normalize("NFKD", name.lower())
    text = "".join(c for c in text if not unicodedata.combining(c))
    words = re.sub(r"[‘’'ʿ`]", "", text).replace("-", " ").split()
    return " ".join(w for w in words if w not in {"al", "el", "bin", "de", "la", "dr"})


def _clean(name: str) -> str:
    name = re.sub(r"[’']s$", "", name.strip())  # "Mohamed el-Baqer's detention"
    words = name.strip(" ,.;:").split()
    while len(words) > 2 and _WHAT_WORD.fullmatch(words[0]):
        words.pop(0)  # "Student Maryna Kavalenka, a member of ...": what she is, then her name
    return " ".join(words)


def _description(what: str) -> str | None:
    text = " ".join(what.split()).strip(" ,")
    text = re.sub(r"^(?:an?|the|une?|el|la|un[ao]?|ein(?:e|er)?|der|die)\s+", "", text, flags=re.I)
    if re.fullmatch(r"(?:dr|prof)\.?", text, re.IGNORECASE) or not text:
        return None
    if re.fullmatch(r"\d{1,2},?", text):
        return None
    return text


def _plain(text: str) -> str:
    return text.replace("–", ",").replace("—", ",")
