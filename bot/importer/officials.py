"""Officials' blocks, as every layout writes them: the lines of title, name, organisation and
address, then the contact lines; or all of it on one line, as web pages run it together.

Each layout says where its officials are (`bot.importer.layouts`); this reads them: one block
per official (a name line after a contact line starts the next), the role switched to "copy"
by a "copies to" line, instruction and prose lines left out, and a block cut off by the end of
an excerpt dropped when nothing of it is an official.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field

from bot.domain.cases import TargetRole
from bot.importer.extract import BULLET
from bot.importer.labels import (
    ADDITIONAL,
    BOILERPLATE,
    BRACKETED,
    CLOSING,
    CONTACT,
    CONTACT_LABELS,
    COPY,
    DEAR,
    INLINE_CONTACT,
    INSTRUCTION,
    SAMPLE_LETTER,
    WRITE_TO,
)
from bot.importer.words import alternatives

# Words that make a line of an address block an official's title, or an organisation.
TITLE_WORDS = re.compile(
    r"\b(?:president|minister|prosecutor|ambassador|governor|chair(?:man|woman|person)?|head"
    r"|director|chief|commissioner|judge|mayor|king|emir|sultan|speaker|secretary|attorney"
    r"|ombuds(?:man|person)|leader|commander|chargé|charge d'affaires|deputy|general|counsel"
    r"|official|representative|senator|premier|chancellor|public|prime|crown|prince|queen"
    r"|fiscal|procurador|procureur|ministre|ministro|presidente|pr[ée]sident|embajador"
    r"|ambassadeur|gouverneur|gobernador|juez|juge|jefe|directeur|director|secretario"
    r"|pr[äa]sident(?:in)?|minister(?:in)?|botschafter(?:in)?|generalstaatsanwalt|staatsanwalt"
    r"|innenminister(?:in)?|justizminister(?:in)?|bundespr[äa]sident|defensor del pueblo"
    r"|responsable|chef|cheffe|leiter(?:in)?|oberste[rn]?|titular|comandante|commandant"
    r"|oberhaupt|aanklager|ambassadeur|procuratore|ambasciatore|ministro|governador"
    r"|procurador(?:a)?|embaixador(?:a)?|presidente"
    # And each language's data file's words.
    rf"|{alternatives('official_titles')})\b",
    re.IGNORECASE,
)
ORGANISATION = re.compile(
    r"^(?:c/o\s+)?(?:the\s+)?(?:embassy|ministry|office|department|permanent mission|mission"
    r"|consulate|high commission|presidential administration|administration|court|parliament"
    r"|commission|council|agency|government of|national|supreme|federal|state|royal court"
    r"|embajada|ministerio|fiscal[íi]a|secretar[íi]a|oficina|presidencia|procuradur[íi]a"
    r"|ambassade|minist[èe]re|cabinet|bureau|pr[ée]sidence|botschaft|ministerium"
    r"|bundesministerium|generalstaatsanwaltschaft|staatsanwaltschaft"
    # Bodies a copy goes to: "Centro de Derechos Humanos ...", "Comité ...", "Stichting ...".
    r"|cent(?:ro|re|er)|association|asociaci[óo]n|associa[çc][ãa]o|associazione|fundaci[óo]n"
    r"|foundation|fondation|stiftung|stichting|vereniging|verein|comit[ée]|committee|comitato"
    r"|organi[sz]ation|organizaci[óo]n|organisatie|sindicato|syndicat|gewerkschaft|colectivo"
    r"|collectif|red de|network of|observatorio|observatoire|instituto|institut"
    rf"|{alternatives('organisations')})\b"
    r"|\b(?:embassy|ministry|office|department|court|commission)\s+of\b"
    r"|\b(?:office|ministry|secretariat|commission)$",
    re.IGNORECASE,
)
HONORIFIC = re.compile(
    r"^(?:his|her|their)\s+(?:excellency|majesty|highness|royal highness)\b"
    r"|^(?:h\.\s?e\.?|s\.\s?e\.?|mr|mrs|ms|dr|sheikh|shaikh|counsellor|judge|excmo|excma|sr|sra|m|mme|herr|frau)\.?\s",
    re.IGNORECASE,
)
_CONNECTOR = re.compile(
    r"^(?:of|the|for|and|de|del|la|las|los|el|du|des|et|y|der|die|des|für|und|to)$", re.I
)
# Where a one-line block's organisation and address begin: "... Ravanchi Permanent Mission".
_ORGANISATION_IN_LINE = re.compile(
    r"\s(?=(?:c/o\s|(?:the\s+)?(?:permanent mission|embassy|ministry|office|mission"
    r"|embajada|ministerio|ambassade|minist[èe]re|botschaft|ministerium)\b))",
    re.IGNORECASE,
)
_NUMBER_IN_LINE = re.compile(
    r"\s(?=\d{1,5}\s+[A-Z][\w'’-]+\s|(?:avenue|street|road|rue|calle|avenida|boulevard|blvd"
    r"|stra(?:ß|ss)e|p\.?\s?o\.?\s?box|apartado)\b)",
    re.IGNORECASE,
)
_SPLIT_NUMBERS = re.compile(r"\s*(?:;|/|,|\bor\b|\bou\b|\bo\b|\boder\b)\s*")
_LONG = 60  # a line this long that holds a name and an address is a web page's one-line block


@dataclass
class TargetBlock:
    """An official as the sheet writes them: the lines of name, title and address; contacts."""

    role: TargetRole
    lines: list[str] = field(default_factory=list)
    faxes: list[str] = field(default_factory=list)
    phones: list[str] = field(default_factory=list)
    emails: list[str] = field(default_factory=list)
    salutation: str | None = None
    # A salutation the sheet gives in several languages at once ("Dear Minister / Sehr
    # geehrter Herr Minister"), by language, in the sheet's order.
    salutations: dict[str, str] = field(default_factory=dict)
    contacts: int = 0  # how many contact lines it had, social accounts included


def read_targets(lines: list[str], role: TargetRole = TargetRole.TO) -> list[TargetBlock]:
    """Officials' blocks from the lines where a layout keeps them."""
    pieces, one_liners = _pieces_of(lines)
    reader = _BlocksReader(role)
    i = 0
    while i < len(pieces):
        if i in one_liners:
            reader.after_contact = True
        following = pieces[i + 1] if i + 1 < len(pieces) else None
        i += 1
        if reader.read(pieces[i - 1], following):
            i += 1  # the contact's value was the next piece
    return [b for b in reader.blocks if b.contacts or len(b.lines) >= 2]


def _pieces_of(lines: list[str]) -> tuple[list[str], set[int]]:
    """The lines as pieces, a web page's one-line block (name, organisation and address on one
    line) cut where each part starts; and the index of each such block's first piece, since it
    is an official of its own."""
    pieces: list[str] = []
    one_liners: set[int] = set()
    for line in lines:
        bracketed = BRACKETED.match(line.strip())
        written = bracketed["inner"] if bracketed and CONTACT.match(bracketed["inner"]) else line
        parts = [written] if _not_an_address(written) else _pieces(written)
        if len(parts) > 1 and not CONTACT.match(written):
            one_liners.add(len(pieces))
        pieces.extend(parts)
    return pieces, one_liners


@dataclass
class _BlocksReader:
    """One pass over the pieces: a rule per kind of line (heading, copy, salutation, contact,
    address), all sharing the block being read."""

    role: TargetRole
    blocks: list[TargetBlock] = field(default_factory=list)
    current: TargetBlock | None = None
    after_contact: bool = False
    last_kind: str = ""

    def read(self, line: str, following: str | None) -> bool:
        """Read one piece; whether it took `following` as its value too."""
        if not line or BOILERPLATE.match(line) or WRITE_TO.match(_plain(line)):
            return False
        if COPY.match(_plain(line)) and len(line) < 120:
            self.role, self.current = TargetRole.COPY, None
            return False
        if DEAR.match(line) and self.current is not None and line.rstrip()[-1:] in ",:!":
            if self.current.salutation is None:
                self.current.salutation = salutation_of(line)
            return False
        match = CONTACT.match(line)
        if match is not None:
            return self._contact_line(match, following)
        if self.after_contact and self.current is not None and _more_contact(line):
            self._contact_going_on(self.current, line.strip())
        elif not _not_an_address(line):
            self._address_line(line)
        return False

    def _block(self) -> TargetBlock:
        if self.current is None:
            self.current = TargetBlock(self.role)
            self.blocks.append(self.current)
        return self.current

    def _contact_line(self, match: re.Match[str], following: str | None) -> bool:
        block = self._block()
        value = match["value"].strip()
        took = not value and bool(following) and not CONTACT.match(following or "")
        if took:
            value = following or ""
        self.last_kind = _kind(match)
        _contact(block, self.last_kind, value)
        self.after_contact = True
        return took

    def _contact_going_on(self, block: TargetBlock, text: str) -> None:
        """A contact line's value going on over the next line: a second handle, address or
        number ("1 2127791697 (via the mission to the UN)" under "Fax: ...")."""
        if _NUMBER_ONLY.match(text):
            kind = self.last_kind if self.last_kind in ("fax", "phone") else "phone"
        else:
            kind = "social" if text.startswith("@") else "email"
        _contact(block, kind, text)

    def _address_line(self, line: str) -> None:
        """A line of name, title or address: after a contact line, the next official's."""
        if self.current is None or self.after_contact:
            self.current = None
            self.after_contact = False
        self._block().lines.append(line)


_HANDLE = re.compile(r"^@\w{2,30}$")
_BARE_EMAIL = re.compile(
    r"^[\w.+-]+\s*(?:@|\[\s*at\s*\]|\(\s*(?:at|a)\s*\))\s*[\w-]+(?:\.[\w-]+)+"
    r"(?:\s*[/;,]\s*[\w.+-]+\s*(?:@|\[\s*at\s*\]|\(\s*(?:at|a)\s*\))\s*[\w-]+(?:\.[\w-]+)+)*$",
    re.IGNORECASE,
)


_NUMBER_ONLY = re.compile(r"^\+?[\d][\d ()./-]{6,20}\d(?:\s*\([^)]{0,60}\))?$")


def _more_contact(line: str) -> bool:
    """A line holding only a social handle ("@PakPMO"), email addresses or a number."""
    text = line.strip()
    return bool(_HANDLE.match(text) or _BARE_EMAIL.match(text) or _NUMBER_ONLY.match(text))


def _kind(match: re.Match[str]) -> str:
    return next(kind for kind in CONTACT_LABELS if match[kind] is not None)


def _contact(block: TargetBlock, kind: str, value: str) -> None:
    block.contacts += 1
    value = re.sub(r"\s*\((?:keep trying|[^)]{0,60})\)\s*$", "", value).strip()
    if kind == "fax":
        block.faxes.extend(v for v in _SPLIT_NUMBERS.split(value) if v)
    elif kind == "phone":
        block.phones.extend(v for v in _SPLIT_NUMBERS.split(value) if v)
    elif kind == "email":
        block.emails.append(value)
    elif kind == "salutation":
        block.salutations = salutations_by_language(value)
        block.salutation = salutation_of(value.split(" / ")[0] if block.salutations else value)


def _pieces(line: str) -> list[str]:
    """A line as its parts: "... NY 10017 Phone: 212 ... I Fax: 212 ..." holds the address, a
    phone and a fax; a long line of name, organisation and address is split where each starts.
    """
    line = re.sub(r"\s+I\s+(?=(?:fax|phone|tel|email|e-mail)\b)", " ", line, flags=re.I)
    starts = [m.start() for m in INLINE_CONTACT.finditer(line)]
    if not starts:
        return _head(line)
    head = line[: starts[0]].strip()
    parts = _head(head) if head else []
    bounds = [*starts, len(line)]
    parts += [line[a:b].strip(" ,") for a, b in itertools.pairwise(bounds)]
    return parts


def _head(line: str) -> list[str]:
    if len(line) < _LONG or CONTACT.match(line):
        return [line]
    parts = [p.strip(" ,") for p in _ORGANISATION_IN_LINE.split(line, maxsplit=1)]
    if len(parts) == 2:
        organisation, *address = _NUMBER_IN_LINE.split(parts[1], maxsplit=1)
        return [parts[0], organisation.strip(" ,"), *(a.strip(" ,") for a in address)]
    return [line]


_SECTION_HEADING = re.compile(r"^(?:additional|background) information\b", re.IGNORECASE)


def _not_an_address(line: str) -> bool:
    """An instruction ("Click here..."), a bullet point, a heading or a sentence of prose."""
    if line.startswith(BULLET) or INSTRUCTION.match(line) or SAMPLE_LETTER.match(line):
        return True
    if line.startswith("[") or ADDITIONAL.match(line) or _SECTION_HEADING.match(line):
        return True  # "[Sections to add when relevant]", "BACKGROUND INFORMATION (400 WORDS"
    if CLOSING.match(line):
        return True  # "Vriendelijke groet," closing the text above the addressee
    words = line.split()
    lower = sum(1 for w in words if w[:1].islower())
    return len(words) >= 9 and lower >= len(words) / 2 and not any(c.isdigit() for c in line)


# How a salutation opens, by the language it is in.
_OPENINGS = {
    "en": r"dear|your (?:excellency|majesty|highness)|excellency|sir|madam",
    "de": r"sehr geehrte[rn]?|exzellenz|hochverehrte[rn]?",
    "fr": r"monsieur|madame|excellence|ma[îi]tre",
    "es": r"se[ñn]or[a]?|estimad[oa]|excelent[íi]sim[oa]|excelencia",
    "it": r"egregi[oa]|gentile|eccellenza|illustrissim[oa]|signor[a]?",
    "nl": r"geachte|excellentie|hooggeachte",
    "pt": r"excelent[íi]ssim[oa]|exm[oa]\.?|prezad[oa]|senhor[a]?|vossa excel[êe]ncia",
    "ru": r"уважаем\w*|ваше превосходительство",
    "ar": r"معالي|سيادة|فخامة|سعادة|حضرة|صاحب",
}
_OPENING_LANGUAGE = re.compile(
    "|".join(rf"(?P<{lang}>^(?:{words})\b)" for lang, words in _OPENINGS.items()), re.IGNORECASE
)


def salutations_by_language(value: str) -> dict[str, str]:
    """A salutation written in several languages at once ("Dear Minister / Sehr geehrter Herr
    Minister"), by language; {} when it is written in one."""
    parts = [p.strip() for p in re.split(r"\s+/\s+|\s*;\s*", value) if p.strip()]
    found: dict[str, str] = {}
    for part in parts:
        match = _OPENING_LANGUAGE.match(part)
        if match is None or match.lastgroup is None:
            return {}
        found.setdefault(match.lastgroup, salutation_of(part))
    return found if len(found) > 1 else {}


def salutation_of(line: str) -> str:
    """A salutation as a letter opens with it: "Dear Counselor," -> "Dear Counselor"."""
    text = line.strip()
    if DEAR.match(text) and "," in text:
        text = text.split(",", 1)[0]
    return text.rstrip(",:;.! ").strip()


# An Arabic block: the office ("النائب العام"), the name, often after how one addresses the
# person ("المستشار محمد شوقي عياد"), the body ("مكتب النائب العام"), then the address.
_ARABIC_OFFICE = re.compile(
    r"^(?:مكتب|وزارة|ديوان|رئاسة|النيابة|سفارة|مجلس|هيئة|المجلس|الهيئة|القصر)\b"
)


def _arabic_block(
    lines: list[str],
) -> tuple[str | None, str | None, str | None, list[str]] | None:
    """An Arabic official's block read as title, name, organisation and address; None if the
    block is not Arabic or its second line cannot be a name."""
    if len(lines) < 2 or not all(_ARABIC_LETTER.search(line) for line in lines[:2]):
        return None
    title, name = lines[0], lines[1]
    if any(c.isdigit() for c in name) or CONTACT.match(name) or len(name.split()) > 6:
        return None
    rest = lines[2:]
    organisation = rest.pop(0) if rest and _ARABIC_OFFICE.match(rest[0]) else None
    return name, title, organisation, rest


_ARABIC_LETTER = re.compile(r"[\u0600-\u06ff]")


def address_block(lines: list[str]) -> tuple[str | None, str | None, str | None, list[str]]:
    """An official's lines as name, title, organisation and the address that follows.

    Sheets put the title before the name ("President of Kazakhstan", "Kassym-Jomart Tokayev"),
    on the name's line ("Public Prosecutor Hamada al-Sawi", "Fiscal General de México Alejandro
    Gertz Manero", "Head of judiciary, Gholamhossein Mohseni Ejei") or after it ("His
    Excellency ...", "Ambassador"); the address starts at the first line that is none of these.
    """
    name = title = organisation = None
    title_last = False  # whether the line just read was (the end of) the title
    rest = list(lines)
    if arabic := _arabic_block(rest):
        return arabic
    if (
        len(rest) >= 2
        and not any(c.isdigit() for c in rest[0])
        and not looks_like_a_name(rest[0])
        and not ORGANISATION.search(rest[0])
        and looks_like_a_name(rest[1])
        and not CONTACT.match(rest[1])
    ):
        # An office the words above do not know, over the name: "Responsable du pouvoir
        # judiciaire", then "Gholamreza Pirzadeh".
        title, name = rest[0], rest[1]
        rest = rest[2:]
    elif _capitals_over_a_name(rest):
        # German sections write the office in capitals over the name: "RELIGIÖSER FÜHRER",
        # then "Ayatollah Ali Khamenei".
        title, name = rest[0], rest[1]
        rest = rest[2:]
    while rest:
        line = rest[0]
        if CONTACT.match(line):
            break
        if (
            organisation is None
            and ORGANISATION.search(line)
            and (name or title or ORGANISATION.match(line) or _ORGANISATION_AT_END.search(line))
        ):
            organisation = line
        elif title is not None and title_last and _TITLE_GOES_ON.match(line):
            title = f"{title} {line}"  # "Prime Minister" / "of the Islamic Republic of Pakistan"
        elif title is None and TITLE_WORDS.search(line) and not HONORIFIC.match(line):
            named_below = len(rest) > 1 and looks_like_a_name(rest[1])
            if name is None and not named_below and (named := name_before_title(line)):
                # No name on the next line ("Pennsylvania Acting Attorney General" over
                # "William H. Ryan Jr"): the name is on this one, before the title.
                name, title = named
            elif name is None and (split := split_title_and_name(line)):
                title, name = split
            else:
                title = line
        elif name is None and looks_like_a_name(line):
            name = line
        else:
            break
        title_last = title is not None and title.endswith(line)
        rest.pop(0)
    return name, title, organisation, rest


def _capitals_over_a_name(lines: list[str]) -> bool:
    """A first line in capitals (not an organisation) over a name in mixed case."""
    if len(lines) < 2 or not lines[0].isupper() or lines[1].isupper():
        return False
    first, second = lines[0], lines[1]
    return (
        not any(c.isdigit() for c in first)
        and not ORGANISATION.search(first)
        and looks_like_a_name(second)
        and not CONTACT.match(second)
        and not ORGANISATION.search(second)
    )


# A title going on over the next line, in lower case: "of the Islamic Republic of Pakistan".
_TITLE_GOES_ON = re.compile(r"^(?:of|for|de|del|de la|du|des|von|der|des)\s+\S", re.UNICODE)
# An organisation named before its official: "Valparaíso Regional Prosecutor's Office".
_ORGANISATION_AT_END = re.compile(
    r"\b(?:office|ministry|secretariat|commission|department|embassy)$", re.IGNORECASE
)


# The style Commonwealth ministers are written to with: "The Honourable", "The Hon.", "Rt Hon".
_STYLE = re.compile(r"^(?:the\s+)?(?:right\s+|rt\.?\s+)?hon(?:ou?rable|\.)?\s+", re.IGNORECASE)


def name_before_title(line: str) -> tuple[str, str] | None:
    """A line that runs the name into the title, as (name, title): "The Honourable Sean Fraser
    Minister of Immigration, Refugees and Citizenship" -> ("Sean Fraser", "Minister of ...");
    None when the line does not start with a name (the title comes first: see
    `split_title_and_name`)."""
    rest = _STYLE.sub("", line)
    title = TITLE_WORDS.search(rest)
    if title is None or title.start() == 0:
        return None
    name = rest[: title.start()].strip(" ,")
    if not 2 <= len(name.split()) <= 5 or not looks_like_a_name(name):
        return None
    return name, rest[title.start() :].strip()


def split_title_and_name(line: str) -> tuple[str, str] | None:
    """A line holding an official's title and name, as (title, name); None if it holds one."""
    if "," in line:
        first, _, second = (p.strip() for p in line.partition(","))
        if TITLE_WORDS.search(first) and looks_like_a_name(second):
            return first, second
        if TITLE_WORDS.search(second) and looks_like_a_name(first):
            return second, first
        return None
    words = line.split()
    end = 0
    after_connector = False
    for i, word in enumerate(words):
        if TITLE_WORDS.fullmatch(word.strip(".,")) or _CONNECTOR.match(word):
            after_connector = bool(_CONNECTOR.match(word))
            end = i + 1
        elif after_connector:  # "of Interior", "de México": part of the title
            after_connector = False
            end = i + 1
        else:
            break
    name = " ".join(words[end:])
    if end and len(words) - end >= 2 and looks_like_a_name(name):
        return " ".join(words[:end]), name
    return None


def looks_like_a_name(line: str) -> bool:
    """A person's name: a few words, no figures, each capitalised but for particles."""
    words = line.split()
    particles = re.compile(
        r"^(?:bin|ibn|bint|al|el|de|del|la|van|von|der|da|dos|y|[a-z]{1,2}-.+)$"
    )
    # "S. E. Herrn Roberto Jaguaribe Gomes de Mattos": the honorific is not the name's length.
    honorific = HONORIFIC.match(line)
    counted = line[honorific.end() :].split() if honorific else words
    return (
        1 <= len(counted) <= 7
        and not any(ch.isdigit() for ch in line)
        and (
            bool(HONORIFIC.match(line))
            or all(w.lstrip("‘'’ʿ")[:1].isupper() or particles.match(w) for w in words)
        )
    )


def _plain(line: str) -> str:
    return line.translate(str.maketrans("‘’“”", "''\"\"")).strip()
