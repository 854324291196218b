"""The catalogues: complete and current in every shipped language, with CLDR's locale data."""

from __future__ import annotations

import io
import re
from datetime import date
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

from bot.catalogue import load_case
from bot.rendering import LOCALES_DIR, ROOT, Renderer

# The languages shipped are those with a catalogue: a new one is held to the same standard
# the moment its `.po` file is there.
TRANSLATED = Renderer().catalogues
SHIPPED = ("en", *TRANSLATED)
PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def fresh_template() -> Catalog:
    """What `pybabel extract -F babel.cfg` finds in the templates and code today."""
    with (ROOT / "babel.cfg").open(encoding="utf-8") as config:
        method_map, options_map = parse_mapping_cfg(config)  # type: ignore[no-untyped-call]
    catalog = Catalog()
    for filename, _, message, comments, context in extract_from_dir(
        str(ROOT), method_map, options_map
    ):
        catalog.add(message, None, [(filename, 0)], auto_comments=comments, context=context)
    return catalog


def ids(catalog: Catalog) -> set[object]:
    return {m.id for m in catalog if m.id}


def read(path: Path) -> Catalog:
    with path.open("rb") as source:
        return read_po(source)


@pytest.fixture(scope="module")
def extracted() -> set[object]:
    return ids(fresh_template())


def test_the_shipped_languages() -> None:
    assert Renderer().languages == SHIPPED


def test_the_committed_template_is_current(extracted: set[object]) -> None:
    committed = ids(read(LOCALES_DIR / "messages.pot"))
    assert extracted - committed == set(), "new strings: run pybabel extract (README)"
    assert committed - extracted == set(), "strings gone from the templates: extract again"


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_string_is_translated_and_none_is_stale(
    language: str, extracted: set[object]
) -> None:
    catalog = read(LOCALES_DIR / language / "LC_MESSAGES" / "messages.po")
    assert catalog.locale is not None and str(catalog.locale) == language
    assert ids(catalog) == extracted, "run pybabel update (README)"
    assert not catalog.obsolete, f"obsolete: {list(catalog.obsolete)}"
    for message in catalog:
        if not message.id:
            continue
        assert not message.fuzzy, f"{language}: fuzzy {message.id!r}"
        strings = forms(message.string)
        assert all(strings), f"{language}: untranslated {message.id!r}"
        if isinstance(message.id, tuple):
            # One form per CLDR plural category of the language: Arabic has six.
            assert len(strings) == catalog.num_plurals, f"{language}: forms of {message.id!r}"
        wanted = set(PLACEHOLDER.findall(" ".join(forms(message.id))))
        for string in strings:
            unknown = set(PLACEHOLDER.findall(string)) - wanted
            assert not unknown, f"{language}: {unknown} in {string!r}"


def forms(value: object) -> tuple[str, ...]:
    """A message's singular, or each of its plural forms."""
    if isinstance(value, tuple | list):
        return tuple(str(v) for v in value)
    return (str(value or ""),)


def say(language: str, count: int) -> str:
    return Renderer().render(language, "broadcast_cancelled.txt", count=count)


def test_plural_forms_follow_each_languages_rules() -> None:
    assert [say("en", n) for n in (0, 1, 2)] == [
        "Cancelled: 0 messages will not be sent.",
        "Cancelled: 1 message will not be sent.",
        "Cancelled: 2 messages will not be sent.",
    ]
    # French treats 0 as singular.
    assert say("fr", 0) == "Annulé\u00a0: 0 message ne sera pas envoyé."
    assert say("fr", 2) == "Annulé\u00a0: 2 messages ne seront pas envoyés."
    assert [say("ru", n).split(": ", 1)[1] for n in (1, 2, 5, 11, 21, 22)] == [
        "1 сообщение не будет отправлено.",
        "2 сообщения не будут отправлены.",
        "5 сообщений не будет отправлено.",
        "11 сообщений не будет отправлено.",
        "21 сообщение не будет отправлено.",
        "22 сообщения не будут отправлены.",
    ]
    # Arabic's six: zero, one, two, few (3-10), many (11-99), other (100-102...).
    arabic = [say("ar", n) for n in (0, 1, 2, 3, 11, 100)]
    assert len(set(arabic)) == 6
    assert "رسالتان" in arabic[2] and "3 رسائل" in arabic[3]


def test_numbers_are_grouped_as_each_language_writes_them() -> None:
    renderer = Renderer()
    assert renderer.number(100000, "en") == "100,000"
    assert renderer.number(100000, "ru") == "100\xa0000"
    assert renderer.number(100000, "fr") == "100\u202f000"
    assert "100\xa0000 сообщений" in say("ru", 100000)


def test_country_and_language_names_come_from_cldr() -> None:
    renderer = Renderer()
    assert renderer.country_name("KZ", "ru", "Kazakhstan") == "Казахстан"
    assert renderer.country_name("KZ", "ar", "Kazakhstan") == "كازاخستان"
    assert renderer.country_name("KZ", "es", "Kazakhstan") == "Kazajistán"
    assert [renderer.language_name(code) for code in ("en", "ar", "de", "es", "fr", "ru")] == [
        "English",
        "العربية",
        "Deutsch",
        "Español",
        "Français",
        "Русский",
    ]
    # Every shipped language, however many, is named in its own words, never by its code.
    for code in SHIPPED:
        assert renderer.language_name(code) not in ("", code)


def test_short_dates_in_every_language() -> None:
    renderer = Renderer()
    day = date(2022, 6, 12)
    assert [renderer.short_date(day, lang) for lang in ("en", "fr", "ru")] == [
        "12 June",
        "12 juin",
        "12 июня",
    ]


def test_a_catalogue_compiles_in_memory_from_its_po_file() -> None:
    # The same entry read back through the compiled catalogue: no .mo file in the tree.
    assert not list(LOCALES_DIR.rglob("*.mo"))
    po = io.BytesIO((LOCALES_DIR / "ru" / "LC_MESSAGES" / "messages.po").read_bytes())
    assert b'msgid "Saved."' in po.getvalue()
    assert Renderer().render("ru", "preferences_saved.txt") == "Сохранено."


@pytest.mark.parametrize(
    ("language", "dates"),
    [
        ("fr", ("12 juin", "6 mai")),
        ("es", ("12 de junio", "6 de mayo")),
        ("ar", ("12 يونيو", "6 مايو")),
        ("de", ("12. Juni", "6. Mai")),
    ],
)
def test_the_shipped_case_reads_in_full_in_each_language(
    language: str, dates: tuple[str, ...]
) -> None:
    case = load_case(ROOT / "actions" / "kz-zhanbolat-mamay.toml")
    english, text = case.text("en"), case.text(language)
    assert text is not english
    assert len(text.asks) == len(english.asks)
    assert len(text.background.split("\n\n")) == len(english.background.split("\n\n"))
    # The facts that carry the case survive translation: dates, articles, numbers.
    for fact in ("378.2", "274.2", "272.3", "488.11", "232", "2019", *dates):
        assert fact in text.summary + text.background, fact
    assert case.people[0].description[language]
