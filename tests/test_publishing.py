"""Publishing rules every door applies, and how an untitled case is named."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

from bot.catalogue import load_catalogue
from bot.domain.cases import UrgentAction
from bot.domain.publishing import NoReach, why_it_reaches_nobody
from bot.rendering import Renderer
from tests.conftest import ROOT


def shipped() -> UrgentAction:
    (case,) = [case for case, _ in load_catalogue(ROOT / "actions").cases_with_paths()]
    return case


def test_a_case_reaches_nobody_once_its_deadline_has_passed() -> None:
    case = shipped()
    deadline = case.deadline_moment()  # 12 June 2022, the end of the day in Almaty
    assert deadline is not None
    assert why_it_reaches_nobody(case, deadline - timedelta(minutes=1)) is None
    assert why_it_reaches_nobody(case, deadline) is NoReach.DEADLINE_PASSED
    assert why_it_reaches_nobody(case, deadline + timedelta(days=400)) is NoReach.DEADLINE_PASSED
    undated = dataclasses.replace(case, key_dates=())
    assert why_it_reaches_nobody(undated, datetime(2030, 1, 1, tzinfo=UTC)) is None


def test_an_untitled_case_is_named_by_its_people_never_by_a_blank() -> None:
    case = shipped()
    english = dataclasses.replace(case.texts["en"], title="")
    untitled = dataclasses.replace(case, texts={**case.texts, "en": english})
    renderer = Renderer()
    saved = renderer.render("en", "import_saved.html", case=untitled, imported=None)
    assert "<b>Kept as a draft:</b> Zhanbolat Mamay." in saved
    counts = SimpleNamespace(alerted=0, opened=0, acted=0)
    listing = renderer.render("en", "cases.html", lines=[(untitled, counts)], organizer=False)
    assert "<b>Zhanbolat Mamay</b>" in listing
    assert "</b> — " not in listing
