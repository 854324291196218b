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
from difflib import SequenceMatcher

from bot.importer.labels import SAMPLE_LETTER
from bot.importer.normalise import country_code
from bot.importer.words import alternatives

# A word of a person's name: capitalised ("Abdulhadi", "Al-Khawaja", "'Ali"), or an Arabic
# article joined to the next word ("al-'Ekri", "el-Baqer"), or a particle between two words.
# Every run is bounded and a name starts only where a word does: a crafted text of one endless
# word, or of thousands of names, is then read in time that grows with its length, not faster.
_CAP = r"[‘'ʿ’]?[A-ZÀ-ÖØ-ÞĀ-ſ][\w‘’'ʿ-]{0,40}"
_ARTICLE = r"(?:al|el|ad|ar|as|ash|az|an|at)-[‘'ʿ’]?\w[\w‘’'ʿ-]{0,40}"
_PARTICLE = r"(?:bin|ibn|bint|de|da|del|della|dos|das|van|von|der|la|le|y|e|abu|ben|el|al)"
_WORD = rf"(?:{_CAP}|{_ARTICLE})"
NAME = rf"(?<![\w-]){_WORD}(?:\s+(?:{_PARTICLE}\s+)?{_WORD}){{1,4}}"
_ONE_NAME = re.compile(rf"(?P<name>{NAME})")
# What people at risk are: the nouns sheets put before or after a name.
_WHAT = (
    r"prisoners? of conscience|(?:woman |women )?human rights defenders?|defenders?|activists?"
    r"|lawyers?|journalists?|bloggers?|students?|youths?|poets?|writers?|artists?|doctors?"
    r"|trade unionists?|unionists?|teachers?|academics?|reporters?|photographers?"
    r"|politicians?|leaders?|environmentalists?|protesters?|asylum[- ]seekers?"
    r"|refugees?|migrants?|workers?|national|citizens?|researchers?"
    r"|dr\.?|prof(?:essor)?\.?"
    r"|d[ée]fenseu?r?e?s?|d[ée]fenseures?|militant(?:e|es|s)?|journalistes?|avocat(?:e|es|s)?"
    r"|activistes?|chercheu(?:r|se)s?|investigador(?:a|as|es)?|forscher(?:in|innen)?"
    r"|prisonni(?:er|ère)s? d'opinion|blogueu(?:r|se)s?|[ée]tudiant(?:e|es|s)?"
    r"|defensor(?:a|as|es)?|activistas?|periodistas?|abogad[oa]s?|estudiantes?|l[íi]der(?:es)?"
    r"|expert[oa]s?(?: forenses?)?(?: independientes?)?|presos? de conciencia"
    r"|menschenrechtsverteidiger(?:in|innen)?|aktivist(?:in|innen|en)?|journalist(?:in|innen)?"
    r"|anw[äa]lt(?:in|innen)?|rechtsanw[äa]lt(?:in|innen)?|gewissensgefangene[rn]?"
    r"|student(?:in|innen)?|syndicalistes?|sindicalistas?|gewerkschafter(?:in|innen)?"
    r"|frauenrechtler(?:in|innen)?|menschenrechtler(?:in|innen)?|umweltsch[üu]tzer(?:in|innen)?"
    r"|blogger(?:in|innen)?|k[üu]nstler(?:in|innen)?|oppositionelle[rn]?|regierungskritiker(?:in)?"
    # Dutch, Italian and Portuguese sections' words.
    r"|mensenrechtenverdedigers?|mensenrechtenactivist(?:en)?|journalisten?|advocaa?t(?:en)?"
    r"|giornalist[ai]|attivist[ai]|difensor[ei]|difensora|avvocat[oaie]|sindacalist[ai]"
    r"|jornalistas?|ativistas?|defensor(?:a|as|es)?|advogad[oa]s?|l[íi]deres?"
    # And each language's data file's words.
    rf"|{alternatives('people_words')}"
)
# Words between the noun and the name: "defensoras de los derechos humanos", "of conscience".
_FILLER = (
    r"(?:\s+(?:de|des|del|los|las|la|of|the|for|human|rights|derechos|humanos|droits|humains"
    r"|l'homme|de l'homme|für|menschenrechte|environmental|indigenous|ind[íi]genas?|forense"
    r"|independiente|independent|and|et|y|und|opposition|political|pol[íi]tic[oa]s?"
    # Where the person is from, as the noun's adjective: "la defensora guatemalteca Norma
    # Cruz", "l'avocate iranienne ...", "l'attivista egiziano ...".
    r"|[a-zà-ÿ]{2,}(?:tec[oa]|an[oa]s?|enses?|eñ[oa]|es[oa]|in[oa]|ian[oa]|ienne|ien|aise|ais"
    r"|es[ei]|iaca|iaco)"
    rf"|{alternatives('people_filler')})){{0,8}}"
)
_TITLE = r"(?:(?i:dr|prof)\.?\s+)"
_BEFORE = re.compile(
    rf"\b(?P<what>(?i:(?:{_WHAT})(?:\s+(?:{_WHAT})){{0,3}}{_FILLER}))\s*,?\s+(?P<names>{NAME}"
    rf"(?:\s*,\s*{_TITLE}?{NAME}){{0,30}}(?:\s*,?\s+(?:and|y|et|und|e)\s+{_TITLE}?{NAME})?)"
)
_AFTER = re.compile(
    rf"(?:^|(?<=[.;:]\s))(?P<name>{NAME})\s*(?:\(\d+\))?,\s+(?:an?|the|une?|el|la|un[ao]?|ein(?:e|er)?"
    rf"|der|die|\d{{1,2}},?)\s+(?P<what>[^,.;]{{3,90}}?)(?=,|\s+(?:who|was|is|has|had|were|will"
    r"|qui|est|a|fue|es|ha|wurde|ist|hat)\b)",
)
# The older mailings' list of people: "Ali Hassan (m), aged 34, journalist".
LISTED = re.compile(
    rf"(?:^|(?<=[.;:]\s))(?P<name>{NAME})\s*\((?:m|f|h|w)\)(?:,\s*"
    # The age, in each language: "aged 34", "27 Jahre", "34 años", "34 ans".
    r"(?:(?i:aged\s+\d+|\d+\s+(?:jahre(?:\s+alt)?|a[ñn]os|ans|anni|jaar|anos)),?\s*)?"
    r"(?P<what>[^,.;]{3,60}))?"
)
# "Ana Ruiz, lawyer, ..." opening a sentence, or after Spanish's and French's "a"/"à" before a
# person ("han seguido a Diego Cadenas Gordillo, destacado defensor de los derechos humanos.").
_AFTER_BARE = re.compile(
    rf"(?:^|(?<=[.;:]\s)|(?<=\s[aà]\s))(?P<name>{NAME}),\s+"
    r"(?:(?i:destacad[oa]|conocid[oa]|reconocid[oa]|prominent|well-known|renowned|noted"
    r"|c[ée]l[èe]bre|bekannte[rn]?|not[oa])\s+)?"
    rf"(?P<what>(?i:{_WHAT})[^,.;]{{0,90}}?)(?=[,.]|\s+(?:who"
    r"|was|is|has|had|were|will|remains|faces|qui|est|fue|es|ha|wurde|ist|hat)\b)",
)
# How a model letter names the person it is about: "regarding the arrest of human rights
# researcher Patrick Zaki George", "la détention de Nadia Karam", "die Inhaftierung von ...".
_CONCERN = re.compile(
    r"\b(?i:arrest|detention|imprisonment|prosecution|torture|trial|sentencing|conviction|case"
    r"|situation|disappearance|abduction|assault|execution|release|arrestation|d[ée]tention"
    r"|emprisonnement|condamnation|disparition|detenci[óo]n|encarcelamiento|desaparici[óo]n"
    r"|procesamiento|inhaftierung|festnahme|verhaftung|verurteilung|haft)"
    r"\s+(?:of|de|d'|del|von|der)\s+(?P<what>(?:[a-zà-ÿ][\w-]{0,40}\s+){0,5}?)"
    rf"(?P<names>{NAME}(?:\s*,\s*{NAME}){{0,30}}(?:\s*,?\s+(?:and|y|et|und)\s+{NAME})?)"
    # "the case of Nabeel Rajab, the prominent human rights activist who ...".
    r"(?:,\s+(?:an?|the|une?|el|la|un[ao]?|ein(?:e|er)?|der|die)\s+(?P<after>[^,.;]{3,90}?)"
    r"(?=,|\s+(?:who|was|is|has|had|were|qui|est|a|fue|es|ha|wurde|ist|hat)\b))?"
)
# Two people at risk named together: "Shagufta Kausar et son mari Shafqat Masih", "Ana Ruiz
# and her brother Luis Ruiz".
_RELATIVES = (
    r"wife|husband|brother|sister|son|daughter|mother|father|mari|femme|[ée]pouse|fr[èe]re"
    r"|s(?:œ|oe)ur|fils|fille|m[èe]re|p[èe]re|esposa|esposo|marido|hermano|hermana|hijo|hija"
    r"|madre|padre|ehemann|ehefrau|mann|frau|bruder|schwester|sohn|tochter|mutter|vater"
)
_TOGETHER = re.compile(
    rf"(?:^|(?<=[.;:]\s))(?P<first>{NAME})\s+(?:and|et|y|und)\s+(?i:his|her|their|son|sa|su"
    rf"|sein(?:e|em)?|ihr(?:e|em)?)\s+(?i:{_RELATIVES})\s*,?\s+(?P<second>{NAME})"
)
# A heading naming the country and the person: "Russland: Aleksandra Skochilenko".
# It may end a paragraph a web page ran its lines into.
_HEADED = re.compile(
    rf"(?:^|(?<=[.!?]\s))(?P<country>[^\W\d_][\w'’-]{{2,30}}(?:\s[\w'’-]{{2,30}}){{0,2}})"
    rf"\s*[:–]\s*(?P<name>{NAME})\s*$"
)
# A list of names: "Honorary Members Ana Ruiz, Pablo Soto, Inés Vega and Luis Mora" (three or
# more, or two after a word asking for them: "release Ana Ruiz and Pablo Soto").
_AND = r"(?:and|y|et|und|e|ve|и)"
_LIST = re.compile(
    rf"(?P<names>{NAME}(?:\s*,\s*{_TITLE}?{NAME}){{1,30}}\s*,?\s+{_AND}\s+{_TITLE}?{NAME})"
)
# A paragraph that opens on a name and what the person is, with no article: "Lucía Cárcamo,
# integrante de un consejo comunitario lenca, recibió": a description for a name found
# elsewhere too (the asks, another paragraph), never alone a person.
_OPENS_ON = re.compile(rf"^(?P<name>{NAME}),\s+(?P<what>[a-zà-ÿ][^,.;:]{{3,90}}?),\s")
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
    found = [n for n in names if n and n[:1].isupper() and not any(c.isdigit() for c in n)]
    if found or not _A_GROUP.match(match["value"].strip()):
        return found
    # "Nombre: seis defensores de la comunidad de San Pedro", "Names: 16 refugees": a group at
    # risk is the case's people, described as the sheet describes it.
    group = match["value"].strip().rstrip(".;,")
    return [group[:1].upper() + group[1:]]


# A group written where a name goes: a number, or words in lower case, then more words;
# "unnamed" or "and others" alone is no one.
_A_GROUP = re.compile(
    r"^(?!(?i:unnamed|unknown|sin nombre|inconnu|unbekannt|and others|y otros|et autres)\b)"
    r"(?:\d{1,5}|[a-zà-ÿ][\w'’-]{1,30})(?:\s+[\w'’-]{1,40}){1,14}$"
)


def people_in(story: Iterable[str], *, not_people: Iterable[str] = ()) -> list[FoundPerson]:
    """Everyone the paragraphs of a story name as at risk, in the order they are named."""
    excluded = {_key(n) for n in not_people}
    found: list[FoundPerson] = []
    for paragraph in story:
        text = _plain(paragraph)
        hits = [hit for rule in _NAMING_RULES for hit in rule(text)]
        for _, name, what in sorted(hits, key=lambda hit: hit[0]):
            _add(found, _clean(name), what, excluded)
    return found


# A person named in a paragraph: where, the name, and what the paragraph says they are.
_Hit = tuple[int, str, str | None]


def _named_after_what(text: str) -> list[_Hit]:
    """ "prisoner of conscience Abdulhadi Al-Khawaja", "las defensoras A, B y C"."""
    hits = []
    for match in _BEFORE.finditer(text):
        if _SOMEONES.search(text[max(0, match.start() - 20) : match.start()]):
            continue  # "his lawyer Ahmed Saleh": someone beside the person at risk
        if match["what"].isupper() and not match["names"].isupper():
            continue  # a heading in capitals run into the story: "... PERIODISTA EN HONDURAS La"
        what = _description(match["what"])
        for name in _split_names(match["names"]):
            hits.append((match.start("names") + match["names"].find(name), name, what))
    return hits


def _named_in_concern(text: str) -> list[_Hit]:
    """ "concern for the safety of A and B, ...", with what follows them."""
    hits = []
    for match in _CONCERN.finditer(text):
        if _SOMEONES.search(text[max(0, match.start("names") - 20) : match.start("names")]):
            continue
        what = _description(match["what"]) if _WHAT_WORD.search(match["what"]) else None
        if match["after"] and not _OFFICIAL.search(match["after"]):
            what = _description(match["after"])
        for name in _split_names(match["names"]):
            hits.append((match.start("names") + match["names"].find(name), name, what))
    return hits


def _named_in_a_heading(text: str) -> list[_Hit]:
    headed = _HEADED.search(text.strip())
    if headed and country_code(headed["country"]):
        return [(headed.start("name"), headed["name"], None)]
    return []


def _named_together(text: str) -> list[_Hit]:
    """ "X et son mari Y": both."""
    hits: list[_Hit] = []
    for match in _TOGETHER.finditer(text):
        hits.append((match.start("first"), match["first"], None))
        hits.append((match.start("second"), match["second"], None))
    return hits


def _named_then_what(text: str) -> list[_Hit]:
    """ "Salah al-Khawaja, an opposition activist, was", "Ali Hassan (m), aged 34, ..."."""
    hits = []
    for pattern in (_AFTER, _AFTER_BARE, LISTED):
        for match in pattern.finditer(text):
            what = match["what"]
            if what and _OFFICIAL.search(what):
                continue  # "Hamada al-Sawi, the Public Prosecutor, ordered"
            hits.append((match.start(), match["name"], _description(what) if what else None))
    return hits


# A name opening what the sentence says of the person's danger, in each language's words:
# "Afsaneh Nouroozi è a rischio immediato", "Ana Ruiz corre peligro", "Tomás Quispe droht".
_AT_RISK = re.compile(
    rf"(?:^|(?<=[.;:!?]\s))(?P<name>{NAME})\s+(?i:{alternatives('at_risk')})(?![\w])"
)


# A name with the person's age after it, as a sheet's list gives them where no "(m)" or "(f)"
# follows: "Mohamed Kohail, de 22 años, ciudadano canadiense", "Ana Ruiz, aged 34, lawyer".
_AGED = re.compile(
    rf"(?P<name>{NAME}),\s+(?i:(?:de\s+)?\d{{1,3}}\s+(?:años|anos|ans|jahre|anni|jaar)"
    r"|de\s+\d{1,3}(?=,)|aged\s+\d{1,3}|âgée?\s+de\s+\d{1,3}\s+ans)\b"
)


def _named_with_age(text: str) -> list[_Hit]:
    hits: list[_Hit] = []
    for match in _AGED.finditer(text):
        words = match["name"].split()
        # The header's country in capitals, or what the person is ("Teacher Paul Nkwenti"),
        # before the first name: not part of it.
        while len(words) > 2 and (words[0].isupper() or re.fullmatch(_WHAT, words[0].lower())):
            words = words[1:]
        hits.append((match.end("name") - len(" ".join(words)), " ".join(words), None))
    return hits


def _named_at_risk(text: str) -> list[_Hit]:
    return [(match.start("name"), match["name"], None) for match in _AT_RISK.finditer(text)]


# Each way a story names someone, one small rule each.
_NAMING_RULES = (
    _named_after_what,
    _named_at_risk,
    _named_in_concern,
    _named_in_a_heading,
    _named_together,
    _named_then_what,
    _named_with_age,  # last: where another rule reads the same name, it says what they are
)


# A group at risk opening a story, named where a name would be: "Six men", "Die rund 300
# Mitglieder der indigenen Gemeinde Tekoha Guasu", "Members of the Xinka community". At most
# three words (a count, "the", "rund 300") before the group's word; the group ends where the
# sentence goes on (a comma, a place, a verb).
_GROUP = re.compile(
    rf"^(?P<group>(?:[\w*-]{{1,20}}\s+){{0,3}}?(?i:{alternatives('group_words')})"
    r"(?:\s+(?!(?i:im|in|at|en|aus|from|who|which|que|qui|die|dat|che|in|on|near|bei|nahe)\b)"
    r"(?!(?i:are|were|have|has|had|is|was|will|sind|waren|wurden|werden|sollen|haben|hat|ist|droht"
    r"|fueron|han|son|están|ont|sont|étaient|zijn|waren|worden|hebben|sono|hanno|foram|são"
    r"|estão|têm)\b)[\w'’*-]{1,40}){0,8}?)(?=\s*[,.;:(]|\s+(?i:im|in|at|en|aus|from|who"
    r"|which|que|qui|die|dat|che|on|near|bei|nahe|are|were|have|has|had|is|was|will|sind"
    r"|waren|wurden|werden|sollen|haben|hat|ist|droht|fueron|han|son|están|ont|sont|étaient"
    r"|zijn|worden|hebben|sono|hanno|foram|são|estão|têm)\b)"
)


# A news agency's dateline before the story: "06. Februar 2023-Amnesty international- ".
_DATELINE = re.compile(r"^\d{1,2}\.?\s+[^\W\d]+\s+\d{4}\s*[-–—]\s*[^-–—]{3,40}[-–—]\s*")


def group_at_risk(summary: str) -> str | None:
    """The group a story opens on, as the sheet describes it; None when it opens otherwise."""
    found = _GROUP.match(_DATELINE.sub("", summary.strip()))
    if found is None:
        return None
    group = found["group"].strip()
    return group[:1].upper() + group[1:] if len(group.split()) >= 2 else None


def people_asked_for(
    asks: Iterable[str], story: Iterable[str], *, not_people: Iterable[str] = ()
) -> list[FoundPerson]:
    """The people the asks name who the story names too: "release Ana Ruiz and Pablo Soto",
    "que investigue las amenazas contra Lucía Cárcamo". An ask is about the people at risk;
    a name it shares with the story is one of them, described where the story opens a
    paragraph on the name and what the person is. Places, bodies and officials are not."""
    excluded = {_key(n) for n in not_people}
    told = [_plain(p) for p in story]
    keys = [_key(p) for p in told]
    found: list[FoundPerson] = []
    for ask in asks:
        for match in _ONE_NAME.finditer(_plain(ask)):
            name = _clean(_trim(match["name"]))
            words = _key(name).split()
            if not _a_name(name) or any(country_code(w) for w in name.split()):
                continue
            if not any(re.search(rf"\b{re.escape(' '.join(words))}\b", k) for k in keys):
                continue
            if any(_DETERMINED.search(t) for t in _before(name, [ask, *told])):
                continue  # "ihrer Freilassung Zugang", "the Public Prosecutor": not a name
            what = None
            for paragraph in told:
                if (opens := _OPENS_ON.match(paragraph)) and _same(
                    _key(opens["name"]), _key(name)
                ):
                    what = _description(opens["what"])
            _add(found, name, what, excluded)
    return found


# A word that goes before a noun and not before a name: "ihrer Freilassung", "the Court".
_DETERMINED = re.compile(
    r"\b(?i:the|a|an|his|her|their|its|this|that|der|die|das|den|dem|des|ein(?:e[mnrs]?)?"
    r"|ihr(?:e[mnrs]?)?|sein(?:e[mnrs]?)?|unser(?:e[mnrs]?)?|dies(?:e[mnrs]?)?|el|la|los|las"
    r"|su|sus|un|una|le|les|son|sa|ses|leur|leurs|une|du)\s+$"
)


def _before(name: str, texts: Iterable[str]) -> list[str]:
    """The words just before each place `texts` write `name`."""
    return [
        text[max(0, m.start() - 12) : m.start()]
        for text in texts
        for m in re.finditer(rf"\b{re.escape(name)}\b", _plain(text))
    ]


# A list a sentence introduces, with no "and" before its last name: "They are Ana Ruiz, Pablo
# Soto, Inés Vega, ..." (a sheet cut off mid-list ends it anywhere).
_INTRODUCED = re.compile(
    r"\b(?i:they are|these are|namely|their names are|sie hei(?:ß|ss)en|ce sont|ils s'appellent"
    rf"|son|sono|zijn)\s+(?P<names>{NAME}(?:\s*,\s*{_TITLE}?{NAME}){{2,40}})(?P<end>\s*[.;]|\s*$)?"
)


def people_introduced(
    story: Iterable[str], *, not_people: Iterable[str] = ()
) -> list[FoundPerson]:
    """The people a sentence lists after "They are ...", three or more; a name the text's
    end cuts off is left out."""
    excluded = {_key(n) for n in not_people}
    found: list[FoundPerson] = []
    for paragraph in story:
        text = _plain(paragraph)
        for match in _INTRODUCED.finditer(text):
            names = [_clean(n) for n in _split_names(match["names"])]
            if match.end() == len(text.rstrip()) and not match["end"]:
                names = names[:-1]  # "..., Mohammad Ghobadl": the page ends mid-name
            if match["end"] is None and match.end() < len(text.rstrip()):
                names = names[:-1]  # the list goes on past what the pattern takes
            if len(names) < 3 or not all(_a_name(n) for n in names):
                continue
            for name in names:
                _add(found, name, None, excluded)
    return found


def people_listed(story: Iterable[str], *, not_people: Iterable[str] = ()) -> list[FoundPerson]:
    """The people a story lists by name, three or more together: "the Honorary Members Ana
    Ruiz, Pablo Soto, Inés Vega and Luis Mora". A list of places is not one."""
    excluded = {_key(n) for n in not_people}
    found: list[FoundPerson] = []
    for paragraph in story:
        text = _plain(paragraph)
        for match in _LIST.finditer(text):
            split = _split_names(match["names"])
            first, heading = _trimmed(split[0])
            names = [_clean(first)] + [_clean(_trim(n)) for n in split[1:]]
            if len(names) < 3 or not all(_a_name(n) for n in names):
                continue  # "Buenos Aires, Santa Fe and La Rioja": one place makes all places
            before = text[max(0, match.start() - 60) : match.start()]
            written = re.search(rf"(?i:(?:{_WHAT})(?:{_FILLER}))\s*,?\s*$", before)
            what = heading or (written[0] if written else None)
            for name in names:
                _add(found, name, _description(what) if what else None, excluded)
    return found


def joined(*found: list[FoundPerson]) -> list[FoundPerson]:
    """People found in several ways, each once (the first way's spelling and description,
    else a later way's description)."""
    people: list[FoundPerson] = []
    for someone in (p for ways in found for p in ways):
        same = next(
            (i for i, p in enumerate(people) if _same(_key(p.name), _key(someone.name))), None
        )
        if same is None:
            people.append(someone)
        elif people[same].description is None and someone.description:
            people[same] = FoundPerson(people[same].name, someone.description)
    return people


def _trim(name: str) -> str:
    """A name without the capitalised words sheets put before one: "The Honorary Members Ana
    Ruiz", "Señora Ana Ruiz", "Release Ana Ruiz" are Ana Ruiz."""
    return _trimmed(name)[0]


def _trimmed(name: str) -> tuple[str, str]:
    """A name and the capitalised words before it that are not part of it."""
    words = name.split()
    popped: list[str] = []
    while len(words) > 2 and _BEFORE_A_NAME.fullmatch(words[0]):
        popped.append(words.pop(0))
    what = " ".join(w for w in popped if w.lower() not in {"the", "la", "el", "die", "der", "les"})
    return " ".join(words), what


_BEFORE_A_NAME = re.compile(
    r"(?i:the|la|el|los|las|les|die|der|honorary|members?|mr|mrs|ms|miss|señora?|sra|sr|don"
    r"|doña|herr|frau|m|mme|monsieur|madame|release|free|liberen|libérez|freilassung)\.?"
)


def _split_names(names: str) -> list[str]:
    parts = re.split(r"\s*,\s*|\s*,?\s+(?:and|y|et|und|e)\s+", names)
    return [re.sub(r"^(?:dr|prof)\.?\s+", "", p, flags=re.IGNORECASE) for p in parts if p]


def _a_name(name: str) -> bool:
    """Whether a capitalised run may be a person's name: two words or more, not in capitals,
    not beginning as places, bodies and months do, not a country."""
    words = name.split()
    return not (
        len(words) < 2
        or name.isupper()
        or _NOT_A_PERSON.match(words[0].strip("‘'’"))
        or country_code(name)
    )


def _add(found: list[FoundPerson], name: str, what: str | None, excluded: set[str]) -> None:
    words = name.split()
    if len(words) < 2 or name.isupper() or _NOT_A_PERSON.match(words[0].strip("‘'’")):
        return
    if any(_NOT_IN_A_NAME.match(w.strip("‘'’,.")) for w in words[1:]):
        return  # "Yet Kieu Street", "Civic Council": an address line or a body
    key = _key(name)
    if key in excluded or any(_same(key, _key(p.name)) for p in found):
        return
    if any(_same(key, e) for e in excluded):
        return
    found.append(FoundPerson(name, what))


def _same(a: str, b: str) -> bool:
    """Two spellings of one name: one holds the other, or they share two words and start
    alike. Brothers share their father's and family's names ("Hassan Ali al-Maqtari", "Faris
    Ali al-Maqtari"): a different first name is another person."""
    wa, wb = set(a.split()), set(b.split())
    if a == b or wa <= wb or wb <= wa:
        return True
    first_a, first_b = a.split(maxsplit=1)[0], b.split(maxsplit=1)[0]
    alike = SequenceMatcher(None, first_a, first_b).ratio() >= 0.75  # "mohamed", "mohammed"
    return len(wa & wb) >= 2 and alike


def _key(name: str) -> str:
    text = unicodedata.normalize("NFKD", name.lower())
    text = "".join(c for c in text if not unicodedata.combining(c))
    words = re.sub(r"[‘’'ʿ`]", "", text).replace("-", " ").split()
    return " ".join(w for w in words if w not in {"al", "el", "bin", "de", "la", "dr"})


def _clean(name: str) -> str:
    name = re.sub(r"[’']s$", "", name.strip())  # "Mohamed el-Baqer's detention"
    words = name.strip(" ,.;:").split()
    while len(words) > 2 and words[-1].isupper() and SAMPLE_LETTER.match(words[-1]):
        words.pop()  # "Aleksandra Skochilenko MUSTERBRIEF": the next line's heading
    while len(words) > 2 and _WHAT_WORD.fullmatch(words[0]):
        words.pop(0)  # "Student Maryna Kavalenka, a member of ...": what she is, then her name
    return " ".join(words)


def _description(what: str) -> str | None:
    text = " ".join(what.split()).strip(" ,")
    text = without_article(text)
    if re.fullmatch(r"(?:dr|prof)\.?", text, re.IGNORECASE) or not text:
        return None
    if re.fullmatch(r"\d{1,2},?", text):
        return None
    return text


# An article before what a person is, in the languages read: "the", "lo", "het", "l'".
_ARTICLE_FIRST = re.compile(
    r"^(?:(?:an?|the|une?|el|la|las|los|un[ao]?|ein(?:e|er)?|der|die|das|den|lo|il|gli|le|les"
    r"|de|het|een|os|as|o)\s+(?=\S)|l['’](?=\w))",
    re.IGNORECASE,
)


def without_article(text: str) -> str:
    """What a person is, without the article before it: "lo studente" -> "studente"."""
    return _ARTICLE_FIRST.sub("", text.strip(), count=1)


def _plain(text: str) -> str:
    return text.replace("–", ",").replace("—", ",")


# Words of a capitalised run that make it a place, a body or an office, wherever they stand in it:
# "Ninoy Aquino International Airport", "Padre Faura Street", "Revolutionary Court".
_NOT_IN_A_NAME = re.compile(
    r"^(?:airport|street|road|avenue|square|building|court|prison|jail|police|party|republic"
    r"|ministry|office|department|embassy|council|committee|commission|agency|international"
    r"|national|university|city|province|region|district|state|government|guard|army|forces?"
    r"|tribunal|gefängnis|straße|strasse|platz|ministerium|botschaft|gericht|partei|rue|place"
    r"|calle|avenida|plaza|c[áa]rcel|prisi[óo]n|penal|ministerio|embajada|corte|juzgado"
    r"|organisation|organization|network|union|movement|foundation|campaign|award|prize)$",
    re.IGNORECASE,
)
# An official named with their office: "President Rodrigo Duterte", "CEO Stephen Kaufer".
_TITLED = re.compile(
    r"\b(?i:president|minister|secretary|judge|prosecutor|king|queen|governor|ambassador|ceo"
    r"|director|chief|commissioner|mayor|senator|sheikh|shaikh|general|head|officer|chairman"
    r"|pr[äa]sident(?:in)?|minister(?:in)?|ministro|ministre|pr[ée]sident(?:e)?|fiscal"
    r"|procureur|staatsanwalt|richter(?:in)?|juez|juge|gouverneur|gobernador)\.?\s+"
    rf"(?P<name>{NAME})"
)


_GERMAN_DONE = (
    r"festgenommen|verhaftet|verurteilt|inhaftiert|freigelassen|entf[üu]hrt|bedroht|angeklagt"
    r"|gefoltert|hingerichtet|verschleppt|misshandelt"
)
# German puts the name after the verb: "Am 3. Mai wurde Jana Novak in Minsk festgenommen".
_GERMAN_BEFORE = re.compile(r"\bwurden?\s+$")
_GERMAN_AFTER = re.compile(rf"^(?:\s+\S+){{0,6}}?\s+(?:{_GERMAN_DONE})\b", re.IGNORECASE)
# What happens to a person at risk, said right after the name: "Maria Ressa was arrested",
# "Ahmadreza Djalali was sentenced", "wurde festgenommen", "fue detenida", "a été arrêté".
_AT_RISK_AFTER = re.compile(
    r"^(?:[’']s\s+(?:arrest|detention|death sentence|trial|release|family|lawyer|health)\b"
    r"|,?\s+(?:who\s+)?(?:was|were|has been|had been|is being|remains|is still|had)\s+"
    r"(?:\w+\s+){0,2}?(?:arrested|detained|sentenced|charged|released|held|transferred"
    r"|tortured|abducted|killed|threatened|convicted|executed|summoned|beaten|accused|jailed"
    r"|imprisoned|disappeared|taken|questioned|interrogated|prosecuted|attacked|harassed)\b"
    rf"|,?\s+(?:wurde|ist|war)\s+(?:\S+\s+){{0,6}}?(?:{_GERMAN_DONE})\b"
    r"|,?\s+(?:fue|ha sido|est[áa])\s+(?:\w+\s+){0,2}?(?:detenid|arrestad|condenad|liberad"
    r"|secuestrad|amenazad|desaparecid|acusad)[oa]s?\b"
    r"|,?\s+(?:a été|est|avait été)\s+(?:\w+\s+){0,2}?(?:arr[êe]t[ée]|d[ée]tenu|condamn[ée]"
    r"|lib[ée]r[ée]|enlev[ée]|menac[ée]|inculp[ée]|accus[ée])e?s?\b"
    # What the person is, then what they received: "Diego Martínez, secrétaire exécutif du
    # CPDH, a reçu un appel", "Ana Ruiz, a lawyer, received death threats".
    r"|,\s+[a-zà-ÿ(][^.;:,]{2,100}(?:,[^.;:,]{2,60})?,\s+(?:a reçu|a été|avait reçu|received"
    r"|was|has been|had been|fue|recibi[óo]|ha recibido|ha sido|wurde|erhielt|hat)\s)",
    re.IGNORECASE,
)


def people_named_again(
    texts: Iterable[str], *, not_people: Iterable[str] = ()
) -> list[FoundPerson]:
    """The people a story names by their full name in running text, with no word that says
    what they are, where the story says what was done to them ("On 24 November, Ahmadreza
    Djalali was told ...", "Maria Ressa was arrested"): an official named with their office,
    a place or a body is none of them."""
    excluded = {_key(n) for n in not_people}
    officials: set[str] = set()
    at_risk: list[str] = []
    for text in texts:
        plain = _plain(text)
        officials.update(_key(m["name"]) for m in _TITLED.finditer(plain))
        for match in _ONE_NAME.finditer(plain):
            name = _clean(_trim(match["name"]))
            words = name.split()
            if not _a_name(name) or any(_NOT_IN_A_NAME.match(w.strip("‘'’,.")) for w in words):
                continue
            if any(_NOT_A_PERSON.match(w.strip("‘'’,.")) for w in words if w[:1].isupper()):
                continue
            after = plain[match.end() : match.end() + 200]
            german = _GERMAN_BEFORE.search(plain[max(0, match.start() - 8) : match.start()])
            if _AT_RISK_AFTER.match(after) or (german and _GERMAN_AFTER.match(after)):
                at_risk.append(name)
    found: list[FoundPerson] = []
    for name in at_risk:
        if not any(_same(_key(name), o) for o in officials):
            _add(found, name, None, excluded)
    return found
