"""A sheet's themes, read onto the bot's theme keys (`bot.domain.themes`).

Where a sheet labels its topics ("Issues: Death Penalty, Torture", "Thèmes : peine de mort",
"Temas: ...", "Themen: ...", a page's "Tags:"), or names its concern in the older mailings'
header ("UA 88/05 Fear of torture / Incommunicado detention"), each topic is matched to a key;
a topic that is no theme of ours is reported, never forced onto one. A country or region among
the tags (AIUSA pages tag both) is not a topic.

Where the sheet labels none, the themes are inferred from its own words, conservatively: only
phrases that name a theme outright ("sentenced to death", "prisoner of conscience",
"disparition forcée"), never a theme read into a story. The import report says they were
inferred, so the organizer checks them before publishing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.importer.normalise import country_code

# The topics sections and amnesty.org tag cases with, in English, French, Spanish and German,
# by theme key. A labelled topic matches when one of these is the whole topic or begins it
# ("Death penalty", "Torture and other ill-treatment", "Fear of torture").
_TOPICS: dict[str, str] = {
    "death-penalty": r"death penalty|death sentences?|capital punishment|executions?"
    r"|(?:at )?risk of execution|imminent execution|death row|peine de mort|peine capitale"
    r"|ex[ée]cutions?|pena de muerte|pena capital|ejecuci[óo]n(?:es)?|todesstrafe"
    r"|hinrichtungen?|todesurteile?",
    "prisoners-of-conscience": r"prisoners? of conscience|poc|prisonni[èe]re?s? d'opinion"
    r"|pres[oa]s? de conciencia|gewissensgefangene[rn]?",
    "human-rights-defenders": r"human rights defenders?|hrds?|d[ée]fenseu(?:r|se|rs|ses)"
    r"(?:\s+des droits (?:humains|de l'homme))?|defensor(?:a|es|as)?"
    r"(?:\s+de (?:los )?derechos humanos)?|menschenrechtsverteidiger(?:in|innen)?",
    "torture": r"(?:fear of |risk of )?torture(?: and (?:other )?ill-treatment)?|ill-treatment"
    r"|torture et (?:autres )?mauvais traitements|mauvais traitements|tortura"
    r"(?: y (?:otros )?malos tratos)?|malos tratos|folter(?: und (?:andere )?misshandlung)?"
    r"|misshandlung",
    "enforced-disappearance": r"(?:fear of )?(?:enforced |involuntary )?disappearances?"
    r"|disparitions? forc[ée]es?|desapariciones? forzadas?|desaparici[óo]n"
    r"|verschwindenlassen|verschwundene",
    "refugees-and-migrants": r"refugees?(?: and migrants)?|migrants?(?: and refugees)?"
    r"|asylum(?:[- ]seekers?)?|r[ée]fugi[ée]e?s?(?: et migrants)?|migrants?|demandeurs? d'asile"
    r"|refugiad[oa]s?|migrantes?|personas (?:refugiadas|migrantes)|solicitantes de asilo"
    r"|fl[üu]chtlinge?|gefl[üu]chtete|migrant(?:inn)?en|asyl",
    "freedom-of-expression": r"freedom of (?:expression|speech|the press)|free(?:dom of)? speech"
    r"|press freedom|libert[ée] d'expression|libert[ée] de la presse|libertad de (?:expresi[óo]n"
    r"|prensa)|meinungsfreiheit|pressefreiheit|(?:recht auf )?freie meinungs[äa]u(?:ß|ss)erung",
    "womens-rights": r"women'?s rights|women and girls|gender(?:-based)? violence"
    r"|droits des femmes|violences? (?:faites aux femmes|de genre)|derechos de las mujeres"
    r"|violencia de g[ée]nero|frauenrechte|rechte von frauen",
    "lgbti-rights": r"lgbt[iq+]*(?: rights)?|droits (?:des personnes )?lgbt[iq+]*"
    r"|derechos (?:de las personas )?lgbt[iq+]*|lgbt[iq+]*-rechte|sexual orientation",
    "indigenous-peoples": r"indigenous(?: peoples?| rights)?|peuples? autochtones?"
    r"|autochtones?|pueblos? ind[íi]genas?|ind[íi]genas?|indigene(?:n)?(?: v[öo]lker)?",
    "unfair-trial": r"unfair trials?|fair trials?|proc[èe]s (?:in)?[ée]quitables?"
    r"|juicios? (?:in)?justos?|unfaire[rns]? (?:verfahren|prozess(?:e)?)|faire[rns]? verfahren",
    "health": r"(?:right to )?health|health concern|medical (?:care|concern|treatment)"
    r"|(?:droit [àa] la )?sant[ée]|soins m[ée]dicaux|(?:derecho a la )?salud|atenci[óo]n m[ée]dica"
    r"|gesundheit|medizinische versorgung",
}
_TOPIC = {key: re.compile(rf"^(?:{words})\b", re.IGNORECASE) for key, words in _TOPICS.items()}

# Regions and groupings a page tags beside its topics: not topics, and not gaps either.
_REGION = re.compile(
    r"^(?:africa|americas?|asia(?: and the)? pacific|asia|europe(?: and central asia)?"
    r"|middle east(?: and north africa)?|mena|north africa|latin america|caribbean"
    r"|urgent actions?|individuals? at risk|afrique|am[ée]riques?|asie|moyen-orient"
    r"|am[ée]rica(?: latina)?|[áa]frica|oriente (?:medio|pr[óo]ximo)|afrika|amerika|asien"
    r"|europa|naher osten|urgent action|action urgente|acci[óo]n urgente|eilaktion)$",
    re.IGNORECASE,
)
_SEPARATORS = re.compile(r"\s*(?:[,;|•/]|\s[–—-]\s|\band\b(?=\s+[A-Z])|\bet\b(?=\s+[A-Z]))\s*")

# The sheet's own words that name a theme outright, for a sheet that labels none. Narrower than
# the topics above: "executions" in a story may be extrajudicial, "health" may be a prisoner's.
_NAMED: dict[str, str] = {
    "death-penalty": r"death (?:penalty|sentences?|row)|sentenced to death|risk of execution"
    r"|imminent execution|execution date|peine de mort|condamn[ée]e?s? [àa] mort"
    r"|pena de muerte|condenad[oa]s? a muerte|todesstrafe|todesurteile?|zum tode verurteilt",
    "prisoners-of-conscience": _TOPICS["prisoners-of-conscience"].replace("|poc", ""),
    "human-rights-defenders": r"human rights defenders?|d[ée]fenseu(?:r|se|rs|ses) des droits"
    r" (?:humains|de l'homme)|defensor(?:a|es|as)? de (?:los )?derechos humanos"
    r"|menschenrechtsverteidiger(?:in|innen)?",
    "torture": r"tortured?|torturing|tortur[ée]e?s?|tortura(?:d[oa]s?)?|torturar|folter"
    r"|gefoltert",
    "enforced-disappearance": r"enforced disappearances?|forcibly disappeared"
    r"|disparitions? forc[ée]es?|desapariciones? forzadas?|verschwindenlassen",
    "refugees-and-migrants": r"refugees?|asylum[- ]seekers?|r[ée]fugi[ée]e?s?"
    r"|demandeu(?:r|se)s? d'asile|refugiad[oa]s?|solicitantes? de asilo|fl[üu]chtlinge?"
    r"|asylsuchende",
}
_NAMED_RE = {key: re.compile(rf"\b(?:{words})\b", re.IGNORECASE) for key, words in _NAMED.items()}


@dataclass(frozen=True)
class ThemesFound:
    """The themes of a sheet: the keys, how they were found, and the topics that are no theme."""

    keys: tuple[str, ...]
    labelled: bool  # read from a labelled line or the header's concern, not inferred
    unknown: tuple[str, ...] = ()


def topics_of(written: str) -> list[str]:
    """The topics a labelled line lists ("Death Penalty, Iran / Torture")."""
    return [t.strip(" .:-") for t in _SEPARATORS.split(written) if t.strip(" .:-")]


def theme_of(topic: str) -> str | None:
    """The theme key a written topic names, if one does."""
    plain = " ".join(topic.replace("’", "'").split())
    for key, pattern in _TOPIC.items():
        if pattern.match(plain):
            return key
    return None


def read_themes(labelled: list[str], concern: str | None, text: str) -> ThemesFound:
    """The themes from the labelled topics and the header's concern, else those the text names.

    `labelled`: each labelled line's value ("Death Penalty, Torture"); `concern`: the older
    mailings' header concern; `text`: the sheet's own words, for a sheet that labels nothing.
    """
    written = [t for line in labelled for t in topics_of(line)]
    if concern:
        written.extend(topics_of(concern))
    keys: list[str] = []
    unknown: list[str] = []
    for topic in written:
        key = theme_of(topic)
        if key is not None:
            if key not in keys:
                keys.append(key)
        elif not (_REGION.match(topic) or country_code(topic)) and topic not in unknown:
            unknown.append(topic)
    if keys or unknown:
        # A labelled topic, even one that is no theme of ours: the sheet said what it is about.
        return ThemesFound(tuple(keys), labelled=True, unknown=tuple(unknown))
    # Nothing labelled, or only countries and regions ("Tags: Iran, Urgent Actions").
    plain = text.replace("’", "'")
    inferred = tuple(key for key, pattern in _NAMED_RE.items() if pattern.search(plain))
    return ThemesFound(inferred, labelled=False, unknown=tuple(unknown))
