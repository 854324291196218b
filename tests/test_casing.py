"""A button's label inside a sentence is written as each language writes a colon's continuation,
a parenthesis or a list: lower case in French, Spanish, Russian and English, nouns still
capitalised in German, names and acronyms untouched."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.casing import mid_sentence
from bot.catalogue import load_case
from bot.handlers.allowance import labels
from bot.rendering import Renderer

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize(
    ("language", "label", "inside"),
    [
        ("en", "Every case", "every case"),
        ("fr", "Tous les dossiers", "tous les dossiers"),
        ("fr", "E-mail", "e-mail"),
        ("es", "Pena de muerte", "pena de muerte"),
        ("ru", "Все дела", "все дела"),
        ("de", "Alle Fälle", "alle Fälle"),
        ("de", "Bis zu 3 pro Woche", "bis zu 3 pro Woche"),
        ("de", "Todesstrafe", "Todesstrafe"),  # a noun
        ("de", "E-Mail", "E-Mail"),
        ("en", "LGBTI rights", "LGBTI rights"),  # an acronym
        ("fr", "1 par semaine", "1 par semaine"),
        ("ar", "كل القضايا", "كل القضايا"),
        ("pt_BR", "Todos os casos", "todos os casos"),
    ],
)
def test_a_label_continuing_a_sentence(language: str, label: str, inside: str) -> None:
    assert mid_sentence(label, language) == inside


@pytest.mark.parametrize(
    ("language", "shown"),
    [
        ("fr", "Le choix du réseau (tous les dossiers)"),
        ("es", "Lo que elija la red (todos los casos)"),
        ("ru", "Как решила сеть (все дела)"),
        ("de", "Vorgabe des Netzwerks (alle Fälle)"),
    ],
)
def test_the_networks_choice_names_its_allowance_in_lower_case(language: str, shown: str) -> None:
    words = labels(Renderer(), language)
    assert words["default"].format(allowance=mid_sentence(words["every"], language)) == shown


def test_the_settings_screen_writes_themes_and_channels_in_a_sentence() -> None:
    renderer = Renderer()
    words = labels(renderer, "fr")
    shown = renderer.render(
        "fr",
        "offers_settings.html",
        in_group=True,
        allowance=words["every"],
        digest=False,
        themes=[words["torture"], words["death-penalty"]],
        channels=[],
    )
    assert "Pour ce groupe\u00a0: tous les dossiers" in shown
    assert "\u00a0: torture et peine de mort" in shown
    german = renderer.render(
        "de",
        "offers_settings.html",
        in_group=False,
        allowance=labels(renderer, "de")["every"],
        digest=False,
        themes=[labels(renderer, "de")["torture"]],
        channels=[labels(renderer, "de")["email"], labels(renderer, "de")["post"]],
    )
    assert "Folter" in german and "E-Mail und Post" in german


@pytest.mark.parametrize(
    ("language", "label", "shown"),
    [
        ("en", "Released", "Zhanbolat Mamay: <b>released</b>."),
        ("de", "Freigelassen", "Zhanbolat Mamay: <b>freigelassen</b>."),
        ("de", "Freilassung", "Zhanbolat Mamay: <b>Freilassung</b>."),  # a noun
        ("es", "Puesto en libertad", "Zhanbolat Mamay: <b>puesto en libertad</b>."),
    ],
)
def test_the_outcome_continues_the_persons_name(language: str, label: str, shown: str) -> None:
    case = load_case(ROOT / "actions" / "kz-zhanbolat-mamay.toml")
    page = Renderer().render(
        language, "outcome.html", case=case, texts=case.text(language), outcome=label, acted=False
    )
    assert shown in page
