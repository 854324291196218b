"""Turning what a sheet writes into what a case file holds: numbers, emails, dates, names.

Each function says what it could not settle, so the import can ask an organizer to check it.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from functools import cache

import phonenumbers
from babel import Locale
from phonenumbers import timezone as phone_timezones
from unidecode import unidecode

from bot.catalogue import is_email
from bot.domain.phones import from_dialled, to_e164
from bot.importer import words
from bot.importer.countries import CODES

MONTHS = (
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december",
)  # fmt: skip
# Month names as sheets write them, in every language with a data file
# (bot/importer/languages/<code>.toml), with and without accents, and the usual abbreviations.
MONTH_NUMBERS: dict[str, int] = words.months()
_MONTH = "|".join(sorted((re.escape(m) for m in MONTH_NUMBERS), key=len, reverse=True))
# "12 June", "12th June 2022", "1er mars 2015", "22 de abril de 2015", "14. Juni 2019", and the
# American "June 12, 2022".
_DAY_MONTH = re.compile(
    rf"\b(?P<day>\d{{1,2}})(?:st|nd|rd|th|er|\.)?\s+(?:de\s+)?(?P<month>{_MONTH})\b"
    # The Arabic month's other name after a slash: "مايو/أيار".
    rf"(?:\s*/\s*(?:{_MONTH})\b)?"
    rf"(?:,?\s+(?:de\s+)?(?P<year>\d{{4}})\b)?",
    re.IGNORECASE,
)
_MONTH_DAY = re.compile(
    rf"\b(?P<month>{_MONTH})\.?\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\b(?:,?\s+(?P<year>\d{{4}})\b)?",
    re.IGNORECASE,
)
# "06.03.2018", "6-3-2018": day first, as every section outside the Americas writes it. The
# slash ("03/06/2018") is left alone: American pages put the month first.
_NUMERIC = re.compile(
    r"(?<![\d.])(?P<day>[0-3]?\d)(?P<sep>[.-])(?P<month>[01]?\d)(?P=sep)(?P<year>\d{4})(?!\d)"
)
_YEAR = re.compile(r"\b(19[5-9]\d|20\d\d)\b")
# An address starts where a word does, and its local part holds no "@": a long run of
# characters with no "@" is passed over once, not once from each of its characters.
_EMAIL = re.compile(r"(?<![^\s,;:<>()\[\]])[^\s,;:<>()\[\]@]++@[^\s,;:<>()\[\]]+")
_SMALL_WORDS = frozenset({"and", "of", "the", "in", "on", "for", "to", "at", "a", "an", "or"})
# ISO 639-1 codes of the languages sheets name as a target's preferred one.
LANGUAGES = {
    "arabic": "ar", "azerbaijani": "az", "belarusian": "be", "bengali": "bn", "burmese": "my",
    "chinese": "zh", "mandarin": "zh", "english": "en", "farsi": "fa", "persian": "fa",
    "french": "fr", "georgian": "ka", "german": "de", "hebrew": "he", "hindi": "hi",
    "indonesian": "id", "italian": "it", "japanese": "ja", "kazakh": "kk", "korean": "ko",
    "kyrgyz": "ky", "portuguese": "pt", "russian": "ru", "spanish": "es", "swahili": "sw",
    "tajik": "tg", "thai": "th", "turkish": "tr", "turkmen": "tk", "ukrainian": "uk",
    "urdu": "ur", "uzbek": "uz", "vietnamese": "vi",
    # As French, Spanish and German sheets name them.
    "anglais": "en", "français": "fr", "espagnol": "es", "arabe": "ar", "russe": "ru",
    "allemand": "de", "persan": "fa", "chinois": "zh", "portugais": "pt", "turc": "tr",
    "inglés": "en", "francés": "fr", "español": "es", "castellano": "es", "árabe": "ar",
    "ruso": "ru", "alemán": "de", "persa": "fa", "chino": "zh", "portugués": "pt", "turco": "tr",
    "englisch": "en", "französisch": "fr", "spanisch": "es", "arabisch": "ar", "russisch": "ru",
    "deutsch": "de", "persisch": "fa", "chinesisch": "zh", "portugiesisch": "pt",
    "türkisch": "tr",
}  # fmt: skip
# Pronouns as sheets in other languages give them ("Ana (ella)"), as the case keeps them.
PRONOUNS = {
    "he": "he", "she": "she", "they": "they", "il": "he", "elle": "she", "iel": "they",
    "él": "he", "el": "he", "ella": "she", "elle/ella": "she", "er": "he", "sie": "she",
    "هو": "he", "هي": "she", "هم": "they",
}  # fmt: skip


@dataclass(frozen=True)
class DateMention:
    """A date written in the text: where, as written, and the year if the text gives one."""

    day: int
    month: int
    year: int | None
    start: int
    end: int
    written: str

    def on(self, year: int) -> date | None:
        """The date in `year` (its own year if written), or None if there is no such day."""
        try:
            return date(self.year or year, self.month, self.day)
        except ValueError:
            return None


def dates_in(text: str) -> list[DateMention]:
    """Every date written in `text`, in order."""
    found: dict[int, DateMention] = {}
    for pattern in (_DAY_MONTH, _MONTH_DAY):
        for match in pattern.finditer(text):
            if any(m.start <= match.start() < m.end for m in found.values()):
                continue
            month = MONTH_NUMBERS[match["month"].lower()]
            year = int(match["year"]) if match["year"] else None
            found[match.start()] = DateMention(
                int(match["day"]), month, year, match.start(), match.end(), match.group(0)
            )
    for match in _NUMERIC.finditer(text):
        day, month = int(match["day"]), int(match["month"])
        if 1 <= day <= 31 and 1 <= month <= 12:
            found[match.start()] = DateMention(
                day, month, int(match["year"]), match.start(), match.end(), match.group(0)
            )
    return [found[k] for k in sorted(found)]


def one_date(text: str) -> DateMention | None:
    """The first date in `text`, or None."""
    found = dates_in(text)
    return found[0] if found else None


def years_in(text: str) -> list[int]:
    """The years a text mentions ("in 2021", "4 January 2022")."""
    return [int(y) for y in _YEAR.findall(text)]


# Sheets name countries in their own language: CLDR's names in the languages sections write.
SHEET_LANGUAGES = ("en", "fr", "es", "de")


@cache
def _all_codes(languages: tuple[str, ...] = SHEET_LANGUAGES) -> dict[str, str]:
    codes = {_ascii_key(name): code for name, code in CODES.items()}
    for language in languages:
        for code, name in Locale(language).territories.items():
            if len(code) == 2 and code.isalpha() and code not in ("EU", "EZ", "UN", "ZZ", "QO"):
                codes.setdefault(_ascii_key(name), code)
    return codes


def _ascii_key(name: str) -> str:
    text = unidecode(_plain_quotes(name)).lower()
    return " ".join(re.sub(r"[^a-z0-9&()' -]", " ", text).split())


@cache
def _arabic_codes() -> dict[str, str]:
    """Countries' names in Arabic (CLDR's), as written, without the article's variants."""
    codes: dict[str, str] = {}
    for code, name in Locale("ar").territories.items():
        if len(code) == 2 and code.isalpha() and code not in ("EU", "EZ", "UN", "ZZ", "QO"):
            codes.setdefault(str(name), code)
    return codes


def _arabic(text: str) -> bool:
    return any("\u0600" <= c <= "\u06ff" for c in text)


def country_code(name: str) -> str | None:
    """The ISO code of a country named as sheets name it ("KAZAKHSTAN", "Russia", "México",
    "Ägypten", "مصر"), or None."""
    if _arabic(name):
        return _arabic_codes().get(name.strip(" :.,،"))
    key = _ascii_key(name).strip(" :.,")
    # A name standing alone (a heading, "Turchia: ...") is safe to read in more languages
    # than a story's words are.
    codes = _all_codes((*SHEET_LANGUAGES, "it", "nl", "pt"))
    return codes.get(key.removeprefix("the ")) or codes.get(key)


def english_name(code: str) -> str | None:
    """A country's name in English ("MX" -> "Mexico"), as the case keeps it."""
    name = Locale("en").territories.get(code)
    return str(name) if name else None


# How stories name a country's people and authorities ("the Egyptian authorities").
DEMONYMS = {
    "afghan": "AF", "algerian": "DZ", "american": "US", "angolan": "AO", "argentine": "AR",
    "armenian": "AM", "australian": "AU", "british": "GB", "canadian": "CA", "french": "FR",
    "german": "DE", "greek": "GR", "italian": "IT", "japanese": "JP", "spanish": "ES",
    "sri lankan": "LK", "south sudanese": "SS",
    "azerbaijani": "AZ", "bahraini": "BH", "bangladeshi": "BD", "belarusian": "BY",
    "bolivian": "BO", "brazilian": "BR", "burundian": "BI", "cambodian": "KH",
    "cameroonian": "CM", "chadian": "TD", "chilean": "CL", "chinese": "CN", "colombian": "CO",
    "congolese": "CD", "cuban": "CU", "egyptian": "EG", "emirati": "AE", "eritrean": "ER",
    "ethiopian": "ET", "georgian": "GE", "ghanaian": "GH", "guatemalan": "GT", "guinean": "GN",
    "haitian": "HT", "honduran": "HN", "indian": "IN", "indonesian": "ID", "iranian": "IR",
    "iraqi": "IQ", "israeli": "IL", "jordanian": "JO", "kazakh": "KZ", "kenyan": "KE",
    "kuwaiti": "KW", "kyrgyz": "KG", "lebanese": "LB", "libyan": "LY", "malaysian": "MY",
    "mexican": "MX", "moroccan": "MA", "nicaraguan": "NI", "nigerian": "NG", "omani": "OM",
    "pakistani": "PK", "palestinian": "PS", "peruvian": "PE", "philippine": "PH",
    "qatari": "QA", "russian": "RU", "rwandan": "RW", "saudi": "SA", "somali": "SO",
    "sudanese": "SD", "syrian": "SY", "tajik": "TJ", "thai": "TH", "tunisian": "TN",
    "turkish": "TR", "turkmen": "TM", "ugandan": "UG", "ukrainian": "UA", "uzbek": "UZ",
    "venezuelan": "VE", "vietnamese": "VN", "yemeni": "YE", "zimbabwean": "ZW",
    "égyptien": "EG", "iranien": "IR", "mexicain": "MX", "égyptienne": "EG",
    "egipcio": "EG", "egipcias": "EG", "iraní": "IR", "mexicano": "MX", "mexicanas": "MX",
    "mexicanos": "MX", "ägyptisch": "EG", "iranisch": "IR", "mexikanisch": "MX",
}  # fmt: skip


# A country's government or authorities, named by its adjective: the state an appeal is
# addressed to ("the Canadian government must not deport him", "las autoridades mexicanas").
_GOVERNING = re.compile(
    r"\b(?P<before>(?:sri |south )?[^\W\d_]+)\s+(?:government|authorities|Regierung|Behörden)\b"
    r"|\b(?:gouvernement|autorités|gobierno|autoridades)\s+(?P<after>[^\W\d_]+)\b",
    re.IGNORECASE,
)
# Each time a story names a country's government or authorities counts as this many mentions
# of the country: a person "from Ivory Coast" twice does not outweigh "the Canadian government"
# twice, and the country the story is about, named again and again, still outweighs a foreign
# government named once.
_GOVERNING_WEIGHT = 2


def governing_countries(text: str) -> list[tuple[int, str]]:
    """Where `text` names a country's government or authorities by its adjective, and the
    country's code: "the Egyptian authorities", "die ägyptischen Behörden"."""
    found = []
    for match in _GOVERNING.finditer(text):
        word = (match.group("before") or match.group("after")).lower()
        # German inflects the adjective ("ägyptischen"), French and Spanish agree it.
        last = word.split()[-1]
        forms = (
            word,
            last,
            last.removesuffix("en"),
            last.removesuffix("e"),
            last.removesuffix("s"),
        )
        for form in forms:
            if form in DEMONYMS:
                found.append((match.start(), DEMONYMS[form]))
                break
    return found


def find_country(text: str, languages: tuple[str, ...] | None = None) -> tuple[str, str] | None:
    """The country `text` names most (the name as written, and its code), the first named on a
    tie; None if it names none. A passing mention ("a worker from Ivory Coast") does not
    outweigh the country the story is about, and naming a country's government or authorities
    ("the Canadian government") counts for more than naming the country. Names are CLDR's in
    `languages` (English and the sheets' languages when not given): another language's name for
    a country can be a common word ("Indien", India in German, is "if" in Dutch)."""
    if _arabic(text):
        # Arabic has no capitals and joins "و" and "ب" to the next word: a name is counted
        # where it stands as a word, or after one of those letters.
        counts = {
            code: (len(re.findall(rf"(?<![\w])[وبل]?{re.escape(name)}(?![\w])", text)), name)
            for name, code in _arabic_codes().items()
        }
        found = [(n, name, code) for code, (n, name) in counts.items() if n]
        if found:
            _, name, code = max(found, key=lambda f: (f[0], -text.find(f[1])))
            return name, code
    return _country_in(text, _all_codes(languages or SHEET_LANGUAGES))


# Countries' names that are also common words in the languages sheets are written in ("réunion",
# a meeting in French, "reunión" in Spanish; "turkey", "jersey"): read only when capitalised.
_COMMON_WORDS = frozenset({"reunion", "la reunion", "turkey", "jersey"})


def _country_in(text: str, names: dict[str, str]) -> tuple[str, str] | None:
    plain = unidecode(_plain_quotes(text))
    lowered = plain.lower()
    counts: dict[str, tuple[int, int, str]] = {}
    for name, code in names.items():
        # A plain search first: most of the thousand names are nowhere in the text.
        if len(name) < 4 or name not in lowered:
            continue
        if name in _COMMON_WORDS:
            # "une réunion publique", "una reunión": the island only as a name, capitalised.
            pattern = rf"\b(?:{re.escape(name.title())}|{re.escape(name.upper())})\b"
            found = list(re.finditer(pattern, plain))
        else:
            found = list(re.finditer(rf"\b{re.escape(name)}\b", plain, re.IGNORECASE))
        if not found:
            continue
        many, first, written = counts.get(code, (0, len(plain), ""))
        start = found[0].start()
        counts[code] = (
            many + len(found),
            min(first, start),
            written if first <= start else text[start : found[0].end()],
        )
    if counts:
        for start, code in governing_countries(text):
            many, first, written = counts.get(code, (0, len(plain), ""))
            counts[code] = (many + _GOVERNING_WEIGHT, min(first, start), written)
    if not counts:
        # Only the people's or authorities' adjective: "the Egyptian authorities".
        words = re.findall(r"[^\W\d_]+", text.lower())
        codes = [DEMONYMS[w] for w in words if w in DEMONYMS]
        if not codes:
            return None
        most = max(codes, key=codes.count)
        english = english_name(most)
        return (english, most) if english else None
    code = max(counts, key=lambda c: (counts[c][0], -counts[c][1]))
    return counts[code][2] or english_name(code) or code, code


# Words frequent in one of the languages sheets come in, and rare in the others.
_LANGUAGE_WORDS = {
    "en": {"the", "and", "of", "to", "is", "was", "his", "her", "with", "for", "that", "on"},
    "fr": {"le", "la", "les", "et", "des", "est", "du", "une", "dans", "pour", "qui", "au"},
    "es": {"el", "la", "los", "las", "y", "del", "que", "en", "una", "por", "con", "su"},
    "de": {"der", "die", "das", "und", "ist", "nicht", "mit", "von", "sie", "zu", "den", "ein"},
    "it": {"il", "di", "che", "della", "per", "non", "sono", "gli", "nel", "alla", "è", "delle"},
    "nl": {"het", "een", "van", "niet", "zijn", "werd", "voor", "naar", "dat", "wordt", "heeft"},
    "pt": {"os", "do", "da", "dos", "das", "não", "uma", "em", "ao", "foi", "pelo", "são"},
}


def language_of(text: str) -> str:
    """The language a sheet is written in, of those sections write (English when unsure)."""
    letters = [c for c in text if c.isalpha()]
    if letters and sum(1 for c in letters if "\u0600" <= c <= "\u06ff") > len(letters) / 2:
        return "ar"  # mostly Arabic letters: an Arabic sheet
    words = re.findall(r"[a-zà-ÿ]+", text.lower())
    scores = {
        lang: sum(1 for w in words if w in common) for lang, common in _LANGUAGE_WORDS.items()
    }
    best = max(scores, key=lambda lang: scores[lang])
    return best if scores[best] > scores["en"] else "en"


def recase_words(caps: str) -> str:
    """A name written in capitals, as a name is written: "REPUBLIC OF KAZAKHSTAN" -> "Republic
    of Kazakhstan"."""
    words = caps.split()
    out = []
    for i, word in enumerate(words):
        lower = word.lower()
        out.append(lower if i and lower in _SMALL_WORDS else _capitalize(lower))
    return " ".join(out)


def recase_title(caps: str, body: str, *, nouns_capitalised: bool = False) -> str:
    """A heading written in capitals, in sentence case; words the body capitalises stay so.

    In a language whose nouns take a capital (German), a word the body never writes in lower
    case keeps its capital: "JOURNALISTIN IN HAFT" is "Journalistin in Haft"."""
    if caps != caps.upper():
        return caps
    proper = proper_words(body)
    common = lower_words(body) if nouns_capitalised else set()
    words = caps.split()
    out = []
    for i, word in enumerate(words):
        lower = word.lower()
        if _plain_quotes(lower) in proper:
            out.append(proper[_plain_quotes(lower)])
        elif i == 0 or (nouns_capitalised and _plain_quotes(lower) not in common):
            out.append(_capitalize(lower))
        else:
            out.append(lower)
    return " ".join(out)


def lower_words(body: str) -> set[str]:
    """The words a text writes in lower case somewhere."""
    return {_plain_quotes(w.lower()) for w in re.findall(r"[\w’'-]+", body) if w[0].islower()}


def proper_words(body: str) -> dict[str, str]:
    """Words the text capitalises where a sentence does not begin: names, places, acronyms."""
    proper: dict[str, str] = {}
    common: set[str] = set()
    for sentence in re.split(r"(?<=[.!?”\"])\s+", body):
        for i, word in enumerate(re.findall(r"[\w’'-]+", sentence)):
            key = _plain_quotes(word.lower())
            if word[0].isupper() and i:
                proper.setdefault(key, word)
            elif word[0].islower():
                common.add(key)
    return {k: v for k, v in proper.items() if k not in common}


def _capitalize(word: str) -> str:
    return word[:1].upper() + word[1:]


def _plain_quotes(text: str) -> str:
    return text.translate(str.maketrans("‘’“”", "''\"\""))


def phone_number(
    raw: str, *, dialled_from: str, country: str | None
) -> tuple[str | None, str | None]:
    """E.164 of a sheet's number and the error if none: international form is taken as it is,
    any other is read as dialled from `dialled_from`, then (when that is ambiguous) as a number
    in `country`."""
    text = raw.strip().rstrip(".;,")
    text = re.sub(r"^\(\+(\d{1,3})\)", r"+\1", text)  # "(+973) 1766 4587"
    text = re.sub(r"\s*[–—]\s*", " ", text)  # "0084 – 24 3823 1872": a dash between groups
    if text.startswith("+"):
        try:
            return to_e164(text), None
        except ValueError as error:
            return None, str(error)
    try:
        return from_dialled(text, dialled_from), None
    except ValueError as error:
        problem = str(error)
    if country:
        try:
            return from_dialled(text, dialled_from, country=country), None
        except ValueError as error:
            problem = str(error)
        try:
            return to_e164(text, country), None
        except ValueError:
            pass
    return None, problem


def region_of(e164: str) -> str | None:
    """The country a number belongs to (ISO code), or None."""
    try:
        number = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return None
    region = phonenumbers.region_code_for_number(number)
    return str(region) if region and region != "001" else None


def timezone_for(numbers: list[str], country: str | None) -> tuple[str | None, bool]:
    """The timezone of the officials' numbers, else of the country; and whether it is certain.

    A country with one timezone is certain; one with several is a guess for review.
    """
    for e164 in numbers:
        try:
            zones = phone_timezones.time_zones_for_number(phonenumbers.parse(e164, None))
        except phonenumbers.NumberParseException:
            continue
        known = [z for z in zones if "/" in z]
        if len(known) == 1:
            return known[0], True
    if country:
        example = phonenumbers.example_number_for_type(
            country, phonenumbers.PhoneNumberType.FIXED_LINE
        )
        if example is not None:
            named = [z for z in phone_timezones.time_zones_for_number(example) if "/" in z]
            if named:
                return named[0], len(named) == 1
    return None, False


def emails_in(text: str) -> tuple[list[str], list[str]]:
    """The email addresses written in `text`: those that are valid, and those that are not."""
    good: list[str] = []
    bad: list[str] = []
    # Written to fool harvesters: "minister [at] justice.gov.bh", "info(at)moi(dot)bh".
    # "info(a)pmo.gov.pk" too.
    text = re.sub(r"\s*[\[(]\s*(?:at|a)\s*[\])]\s*", "@", text, flags=re.IGNORECASE)
    text = re.sub(r"\s*[\[(]\s*dot\s*[\])]\s*", ".", text, flags=re.IGNORECASE)
    for candidate in _EMAIL.findall(text):
        address = candidate.strip(".;,'\"’”").removeprefix("mailto:")
        (good if is_email(address) else bad).append(address)
    return good, bad


def language_code(name: str) -> str | None:
    """The ISO 639-1 code of a language named in English ("Arabic" -> "ar"), or None."""
    return LANGUAGES.get(name.strip().lower())


def slug_for(country: str, name: str) -> str:
    """The case's slug: the country code and the person's name transliterated,
    "kz-zhanbolat-mamay" (from "Жанболат Мамай" as well)."""
    ascii_name = unidecode(unicodedata.normalize("NFKC", name))
    words = re.findall(r"[a-z0-9]+", ascii_name.lower())
    slug = country.lower()
    for word in words:
        if len(slug) + 1 + len(word) > 32:
            break
        slug = f"{slug}-{word}"
    return slug
