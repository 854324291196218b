"""The case file writer: what it writes, tomllib reads back, and the catalogue loads."""

from __future__ import annotations

import dataclasses
import tomllib
from collections.abc import Mapping
from datetime import date

import pytest

from bot.casefile import case_file
from bot.catalogue import case_from_mapping, case_to_mapping, load_case
from bot.domain.cases import CaseStatus
from tests.test_catalogue import EXAMPLE, SEED


@pytest.mark.parametrize(
    "text",
    [
        'He said "release him" and left',
        "a back\\slash, a tab\tand a bell\x07",
        'ends in a quote"',
        '"""three quotes"""',
        "Жанболат Мамай’s “case”",
    ],
)
def test_any_string_survives_the_round_trip(text: str) -> None:
    mapping = {"slug": "x", "text": {"en": {"title": text, "summary": text, "asks": [text]}}}
    read = tomllib.loads(case_file(mapping))
    assert read["text"]["en"]["title"] == text
    assert read["text"]["en"]["asks"] == [text]
    # Prose is reflowed: line breaks inside a paragraph are the writer's, not the text's.
    assert " ".join(read["text"]["en"]["summary"].split()) == " ".join(text.split())


def test_the_shipped_case_written_again_loads_as_the_same_case() -> None:
    shipped = load_case(SEED)
    written = case_file(case_to_mapping(shipped), ["a comment", "over two lines"])
    assert written.startswith("# a comment\n# over two lines\n")
    assert case_from_mapping(tomllib.loads(written)) == shipped
    assert 'fax = "+7 7172 74 56 31"' in written  # readable, as the shipped file writes it
    assert "date = 2022-06-12" in written
    summary = written.split('summary = """\n', 1)[1].split('"""', 1)[0]
    assert all(len(line) <= 99 for line in summary.splitlines())  # prose wrapped, as by hand


def test_dates_are_written_as_toml_dates() -> None:
    read = tomllib.loads(case_file({"slug": "x", "issued": "2023-05-04"}))
    assert read["issued"] == date(2023, 5, 4)


def test_facts_and_embassies_per_country_are_written_as_an_organizer_would() -> None:
    example = load_case(EXAMPLE)
    written = case_file(case_to_mapping(example))
    assert case_from_mapping(tomllib.loads(written)) == example
    assert 'facts = """\nKari Example was arrested in Oslo on 1 March 2024 and is held' in written
    assert 'for_country = ["GB", "IE"]' in written
    shipped = case_file(case_to_mapping(load_case(SEED)))
    assert 'for_country = "CA"' in shipped  # one country: a string, as in the shipped file
    assert shipped.index('summary = """') < shipped.index('facts = """')
    assert shipped.index('facts = """') < shipped.index('background = """')


def _unset_fields(value: object, seen: dict[type, set[str]]) -> None:
    """Note, per dataclass, the fields that hold something other than their default."""
    if isinstance(value, Mapping):
        for item in value.values():
            _unset_fields(item, seen)
    elif isinstance(value, tuple):
        for item in value:
            _unset_fields(item, seen)
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        held = seen.setdefault(type(value), set())
        for spec in dataclasses.fields(value):
            current = getattr(value, spec.name)
            if spec.default is not dataclasses.MISSING:
                default: object = spec.default
            elif spec.default_factory is not dataclasses.MISSING:
                default = spec.default_factory()
            else:
                default = dataclasses.MISSING
            if current != default:
                held.add(spec.name)
            _unset_fields(current, seen)


def test_every_field_a_case_holds_survives_its_file_written_and_read_again() -> None:
    example = load_case(EXAMPLE)
    person = dataclasses.replace(
        example.people[0], names={"en": "Kari Example", "ru": "Кари Экзампл"}
    )
    minister = dataclasses.replace(
        example.targets[0],
        salutations={"en": "Dear Minister", "ru": "Уважаемый министр"},
        titles={"en": "Minister of Justice", "ru": "Министр юстиции"},
        names={"en": example.targets[0].name, "ru": "Кари Министр"},
        organisations={"en": "Ministry of Justice", "ru": "Министерство юстиции"},
        addressees={"ru": "Министру юстиции К. Министру"},
        language="ru",
        languages=("ru", "en"),
    )
    english = dataclasses.replace(
        example.texts["en"], card_asks=("release Kari Example", "protect her from ill-treatment")
    )
    case = dataclasses.replace(
        example,
        texts={**example.texts, "en": english},
        people=(person,),
        targets=(minister, *example.targets[1:]),
        status=CaseStatus.CLOSED,
        outcome="released",
        themes=("prisoners-of-conscience", "torture"),
        urgent=True,
    )
    seen: dict[type, set[str]] = {}
    _unset_fields(case, seen)
    # The case above sets every field of every part of a case, so none can be lost unseen.
    for kind, held in seen.items():
        assert held == {spec.name for spec in dataclasses.fields(kind)}, kind.__name__

    written = case_file(case_to_mapping(case))
    assert "urgent = true" in written
    assert 'themes = ["prisoners-of-conscience", "torture"]' in written
    assert case_from_mapping(tomllib.loads(written)) == case
