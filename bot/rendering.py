"""Every word a person reads comes from `templates/` and the catalogues in `locales/`.

Templates hold the layout and English message ids in `{% trans %}` blocks; translators work on
`locales/<language>/LC_MESSAGES/messages.po`, extracted from them with Babel (see README.md,
"Languages and translating"). A language is offered once its catalogue is complete (or it is
listed in BOT_LANGUAGES): a catalogue just begun with `pybabel init` is not. The `.po` files
are compiled in memory when the bot starts, so there is no build step to forget. A language
may carry a region (`locales/pt_BR/`, beside `locales/pt_PT/` or `locales/pt/`).

Layout of `templates/`:
- `*.html`: chat messages in Telegram's HTML, autoescaped;
- `*.txt`: plain text (letters, email bodies, buttons), not escaped;
- `buttons.txt`, `commands.txt`, `charts.txt`: short labels, one macro each;
- `<language>/letters/`: the letters, whole texts per language, since their prose is written,
  not translated sentence by sentence.
Plural forms, dates, numbers and the names of countries and languages come from CLDR (Babel).
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable
from datetime import date, datetime
from functools import cache, cached_property, lru_cache
from pathlib import Path
from typing import Any

import jinja2
from babel import Locale, UnknownLocaleError
from babel.dates import format_date, format_skeleton
from babel.lists import format_list
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal
from babel.support import Translations

from bot.casing import line_start, mid_sentence

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES_DIR = ROOT / "templates"
LOCALES_DIR = ROOT / "locales"
DOMAIN = "messages"
# The language the templates are written in: it needs no catalogue.
FALLBACK_LANGUAGE = "en"
# The CLDR locale whose dates a language uses where its own default is not the one wanted:
# Amnesty's English is British ("12 June 2022", not "June 12, 2022").
_CLDR_LOCALE = {"en": "en_GB"}
# Scripts written right to left: printable pages set dir="rtl" for them.
_RTL = frozenset({"ar", "fa", "he", "ur"})


@cache
def cldr_locale(language: str) -> Locale:
    """The CLDR locale for a two-letter language code, parsed once."""
    return Locale.parse(_CLDR_LOCALE.get(language, language))


def list_of(items: Iterable[str], language: str) -> str:
    """Words joined as `language` joins a list: "A, B and C", "A, B и C", "A وB وC"."""
    return _listed(tuple(str(item) for item in items), language)


def catalogue_complete(po_file: Path) -> bool:
    """Whether every message of the `.po` file is translated (every plural form) and none is
    fuzzy: a language is offered to people only then, unless BOT_LANGUAGES lists it."""
    return _complete(po_file, po_file.stat().st_mtime_ns)


@lru_cache(maxsize=64)
def _complete(po_file: Path, _mtime: int) -> bool:
    with po_file.open("rb") as source:
        catalog = read_po(source)
    for message in catalog:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy or not all(strings):
            return False
    return True


def base_language(language: str) -> str:
    """The language without its region: "pt" for "pt_BR"."""
    return language.split("_", maxsplit=1)[0]


def load_translations(po_file: Path) -> Translations:
    """A catalogue compiled from its `.po` file in memory (the `.mo` a build would write)."""
    with po_file.open("rb") as source:
        catalog = read_po(source)
    compiled = io.BytesIO()
    write_mo(compiled, catalog, use_fuzzy=False)
    compiled.seek(0)
    return Translations(compiled, domain=DOMAIN)


class Renderer:
    """Renders messages, letters and button labels in a person's language."""

    def __init__(
        self,
        directory: Path = TEMPLATES_DIR,
        locales: Path = LOCALES_DIR,
        languages: Iterable[str] | None = None,
    ) -> None:
        self.directory = directory
        self.locales = locales
        # The languages BOT_LANGUAGES lists, offered however complete; None: the complete ones.
        self.chosen = tuple(languages) if languages is not None else None
        self._loader = jinja2.FileSystemLoader(directory)
        self._environments: dict[str, jinja2.Environment] = {}
        self._templates: dict[tuple[str, str], jinja2.Template] = {}

    @cached_property
    def catalogues(self) -> tuple[str, ...]:
        """Every language with a catalogue in `locales/`, complete or not, sorted."""
        return tuple(
            sorted(
                p.name
                for p in self.locales.iterdir()
                if self._po(p.name).is_file() and p.name != FALLBACK_LANGUAGE
            )
        )

    @cached_property
    def languages(self) -> tuple[str, ...]:
        """The languages offered: English first, then those listed in BOT_LANGUAGES, or, when
        none is listed, each whose catalogue is complete (a half-translated one would show
        people English under their language's name)."""
        if self.chosen is not None:
            missing = [code for code in self.chosen if code not in self.catalogues]
            if any(code != FALLBACK_LANGUAGE for code in missing):
                raise ValueError(f"BOT_LANGUAGES: no catalogue in locales/ for {missing}")
            offered = [code for code in self.catalogues if code in self.chosen]
        else:
            offered = [code for code in self.catalogues if catalogue_complete(self._po(code))]
        return (FALLBACK_LANGUAGE, *offered)

    def language_for(self, code: str | None) -> str:
        """The offered language closest to a Telegram `language_code` ("ru", "en-GB", "pt-br"):
        the language with that region, else the language itself, else one of its regions."""
        base, _, region = (code or "").replace("-", "_").partition("_")
        base = base.lower()
        for candidate in (f"{base}_{region.upper()}" if region else None, base):
            if candidate in self.languages:
                return candidate
        regional = [lang for lang in self.languages if base_language(lang) == base]
        return regional[0] if regional else FALLBACK_LANGUAGE

    def is_rtl(self, language: str) -> bool:
        """Whether `language` is written right to left."""
        return base_language(language) in _RTL

    def _po(self, language: str) -> Path:
        return self.locales / language / "LC_MESSAGES" / f"{DOMAIN}.po"

    def environment(self, language: str) -> jinja2.Environment:
        """The jinja environment that renders in `language`: its catalogue and locale data.

        One per language rather than translations swapped in per call: charts and files are
        rendered in worker threads too, and an environment never changes once built.
        """
        if language not in self.languages:
            language = FALLBACK_LANGUAGE
        environment = self._environments.get(language)
        if environment is None:
            environment = self._build(language)
            self._environments[language] = environment
        return environment

    def template(self, language: str, name: str) -> jinja2.Template:
        """The template `name` for `language`: its own copy (letters), else the shared one."""
        key = (language, name)
        found = self._templates.get(key)
        if found is None:
            # Which file answers is looked up once: a miss costs jinja a search of the folder.
            found = self.environment(language).get_or_select_template(
                [f"{language}/{name}", name, f"{FALLBACK_LANGUAGE}/{name}"]
            )
            self._templates[key] = found
        return found

    def render(self, language: str, name: str, **context: Any) -> str:
        """Render template `name` in `language` with `context`, trimmed of outer whitespace."""
        return self.template(language, name).render(language=language, **context).strip()

    def button(self, language: str, key: str, **context: Any) -> str:
        """The label of button `key` (a macro of `templates/buttons.txt`) in `language`."""
        # Labels are plain text (Telegram shows button text as is), so no escaping here.
        return self._macro(language, "buttons.txt", key)(**context).strip()

    def commands(self, language: str, scope: str) -> list[tuple[str, str]]:
        """The command menu for `scope` ("private" or "group"): (command, description) pairs."""
        lines = self.render(language, "commands.txt", scope=scope).splitlines()
        return [
            (command, description.strip())
            for command, _, description in (line.partition(" ") for line in lines if line.strip())
        ]

    def labels(self, language: str, name: str) -> dict[str, str]:
        """Every label of `templates/<name>` (one macro each, without arguments), in `language`."""
        module = self.template(language, name).module
        return {
            key: str(value()).strip()
            for key, value in vars(module).items()
            if isinstance(value, jinja2.runtime.Macro)
        }

    def long_date(self, day: date, language: str) -> str:
        """A date written out in `language`: "12 June 2022", "12 июня 2022 г."."""
        return _long_date(day, language)

    def short_date(self, day: date, language: str) -> str:
        """A day of the year in `language`, without the year: "12 June", "12 июня"."""
        return _short_date(day, language)

    def moment(self, when: datetime, language: str) -> str:
        """A date and time of day in `language`, joined as CLDR joins them: "5 June 2022, 09:00",
        "5 يونيو 2022، 09:00"."""
        return _moment(when.replace(tzinfo=None), language)

    def listed(self, items: Iterable[str], language: str) -> str:
        """Words joined as `language` joins a list: "A, B and C", "A, B и C", "A وB وC"."""
        return list_of(items, language)

    def number(self, value: float, language: str) -> str:
        """A number as `language` groups its digits: "100,000", "100 000"."""
        return _number(value, language)

    def country_name(self, code: str, language: str, fallback: str) -> str:
        """The name of country `code` (ISO 3166-1) in `language`, from CLDR."""
        return str(cldr_locale(language).territories.get(code.upper(), fallback))

    def language_name(
        self, code: str, language: str | None = None, *, capitalised: bool = True
    ) -> str:
        """The name of language `code` in `language` (by default its own name)."""
        try:
            name = Locale.parse(code).get_display_name(Locale.parse(language or code))
        except (UnknownLocaleError, ValueError):
            return code
        name = name or code
        return name[:1].upper() + name[1:] if capitalised else name

    def _macro(self, language: str, name: str, key: str) -> Callable[..., str]:
        macro = getattr(self.template(language, name).module, key, None)
        if not isinstance(macro, jinja2.runtime.Macro):
            raise KeyError(f"no label {key!r} in templates/{name}")
        return lambda **context: str(macro(**context))

    def _build(self, language: str) -> jinja2.Environment:
        environment = jinja2.Environment(
            loader=self._loader,
            autoescape=jinja2.select_autoescape(
                enabled_extensions=("html",), default_for_string=True, default=False
            ),
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=False,
            extensions=["jinja2.ext.i18n"],
        )
        po_file = self._po(language)
        translations = load_translations(po_file) if po_file.is_file() else Translations()
        environment.install_gettext_translations(translations, newstyle=True)  # type: ignore[attr-defined]

        def bound(function: Callable[..., str]) -> Callable[..., str]:
            # Templates may name the language ("| longdate(language)") or leave it implied.
            return lambda value, lang=None, *args: function(value, lang or language, *args)

        environment.filters["longdate"] = bound(self.long_date)
        environment.filters["shortdate"] = bound(self.short_date)
        environment.filters["number"] = bound(self.number)
        environment.filters["listed"] = bound(self.listed)
        environment.filters["country"] = bound(self.country_name)
        # A button's label inside a sentence: "Combien de dossiers : tous les dossiers".
        environment.filters["midsentence"] = bound(mid_sentence)
        # A title at the head of an address line: "Ambassadeur" where the copy line says
        # "…, ambassadeur, …".
        environment.filters["linestart"] = line_start
        # In a sentence a language's name keeps CLDR's case ("Язык: русский"); alone on a button
        # it is capitalised (Renderer.language_name).
        environment.globals["name_of_language"] = lambda code: self.language_name(
            code, language, capitalised=False
        )
        environment.globals["rtl"] = self.is_rtl(language)
        # A letter states what happened where the case says it (`facts` in its context); a
        # case without that statement leaves the paragraph out.
        environment.globals["facts"] = ""
        return environment


# CLDR's formatting is general and so not quick; an alert to many people writes the same few
# dates and counts again and again, so each is formatted once.
@lru_cache(maxsize=4096)
def _long_date(day: date, language: str) -> str:
    return format_date(day, "long", locale=cldr_locale(language))


@lru_cache(maxsize=4096)
def _short_date(day: date, language: str) -> str:
    return format_skeleton("MMMMd", day, locale=cldr_locale(language))


@lru_cache(maxsize=4096)
def _moment(when: datetime, language: str) -> str:
    locale = cldr_locale(language)
    # CLDR's pattern for a date with its time ("{1}, {0}"; Arabic "{1}، {0}"); the time
    # itself on the 24-hour clock every screen uses.
    joined = str(locale.datetime_formats["long"])
    return joined.replace("{1}", _long_date(when.date(), language)).replace("{0}", f"{when:%H:%M}")


@lru_cache(maxsize=4096)
def _listed(items: tuple[str, ...], language: str) -> str:
    return format_list(list(items), locale=cldr_locale(language)) if items else ""


@lru_cache(maxsize=4096)
def _number(value: float, language: str) -> str:
    return format_decimal(value, locale=cldr_locale(language))
