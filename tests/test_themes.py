"""Themes and urgency in the case file: a fixed list, checked as `python -m bot check` does."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import pytest

from bot.catalogue import CatalogueError, case_from_mapping, case_to_mapping
from bot.domain.themes import THEMES

SEED = Path(__file__).resolve().parent.parent / "actions" / "kz-zhanbolat-mamay.toml"


def seed_mapping() -> dict[str, object]:
    return tomllib.loads(SEED.read_text("utf-8"))


def test_a_case_names_its_themes_and_urgency_and_both_round_trip() -> None:
    data = seed_mapping() | {"themes": ["torture", "death-penalty"], "urgent": True}
    case = case_from_mapping(data)
    assert case.themes == ("torture", "death-penalty")
    assert case.urgent is True
    assert case_from_mapping(json.loads(json.dumps(case_to_mapping(case)))) == case


def test_a_case_without_them_is_about_nothing_in_particular_and_not_urgent() -> None:
    case = case_from_mapping(seed_mapping())
    assert case.themes == ()
    assert case.urgent is False
    assert "themes" not in case_to_mapping(case)


def test_an_unknown_theme_is_refused_with_the_nearest_one_and_the_list() -> None:
    with pytest.raises(CatalogueError) as refused:
        case_from_mapping(seed_mapping() | {"themes": ["death penalty"]})
    (problem,) = refused.value.problems
    assert problem.field == "themes[0]"
    assert "did you mean death-penalty?" in problem.message
    assert all(theme in problem.message for theme in THEMES)


def test_urgent_must_be_true_or_false() -> None:
    with pytest.raises(CatalogueError) as refused:
        case_from_mapping(seed_mapping() | {"urgent": "yes"})
    assert [p.field for p in refused.value.problems] == ["urgent"]
