"""The seed sheet, imported, is the shipped case: every fact the sheet carries is equal."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping

from bot.catalogue import load_case
from bot.domain.cases import CaseStatus, CaseText, UrgentAction
from tests.importer.conftest import import_fixture
from tests.test_catalogue import EDITS, SEED


def english_facts(case: UrgentAction) -> UrgentAction:
    """The case without what a sheet cannot carry, so that the rest compares field by field.

    Left out, each on purpose:
    - the Russian translation: texts, names, descriptions, the salutation, the addressee in the
      dative, the dates' labels;
    - the status: an import is a draft until an organizer publishes it;
    - the key dates' labels: the shipped ones are an editor's words. Their dates, times,
      timezones and which one is the deadline are compared;
    - the facts the letters state, and the country the embassy is for: the shipped ones are an
      editor's words and choice, from the sheet's facts;
    - the card's asks: the sheet words its asks once, to the President ("in your power"), and
      the shipped file's words for the reader ("in their power") are an editor's.
    """

    def english(texts: Mapping[str, str]) -> dict[str, str]:
        return {k: v for k, v in texts.items() if k == "en"}

    return dataclasses.replace(
        case,
        status=CaseStatus.DRAFT,
        people=tuple(
            dataclasses.replace(p, description=english(p.description), names=english(p.names))
            for p in case.people
        ),
        texts={"en": dataclasses.replace(case.texts["en"], facts=None, card_asks=())},
        targets=tuple(
            dataclasses.replace(
                t,
                salutations=english(t.salutations),
                titles={},
                names={},
                organisations={},
                addressees={},
                language=None,
                languages=(),
                for_countries=(),
            )
            for t in case.targets
        ),
        key_dates=tuple(dataclasses.replace(d, label={}) for d in case.key_dates),
    )


def as_edited(text: CaseText) -> CaseText:
    """The sheet's wording with the shipped file's two corrections of its slips (EDITS)."""

    def edit(value: str) -> str:
        for fixed, original in EDITS.items():
            assert value.count(original) <= 1
            value = value.replace(original, fixed)
        return value

    return CaseText(
        edit(text.title),
        edit(text.summary),
        edit(text.background),
        tuple(edit(ask) for ask in text.asks),
    )


def test_importing_the_seed_sheet_yields_the_shipped_case() -> None:
    imported = import_fixture("kazakhstan-mamay.txt")
    assert imported.case is not None, imported.problems
    assert imported.update_of is None
    case = imported.case
    edited = dataclasses.replace(case, texts={"en": as_edited(case.texts["en"])})
    assert english_facts(edited) == english_facts(load_case(SEED))
    # The corrections were needed: without them the texts differ, exactly there.
    assert case.texts["en"] != load_case(SEED).texts["en"]


def test_the_seed_sheets_numbers_become_international() -> None:
    case = import_fixture("kazakhstan-mamay.txt").case
    assert case is not None
    president, ambassador = case.targets
    assert president.fax == "+77172745631"  # "011 8 7172 74-56-31", as dialled from Canada
    assert ambassador.fax == "+16136958755"  # "613 695 8755", an Ottawa number


def test_the_seed_sheets_review_names_what_was_inferred() -> None:
    report = import_fixture("kazakhstan-mamay.txt").report
    kinds = {(n.kind, n.field) for n in report.notes}
    assert report.layout == "section"
    assert ("missing", "reference") in kinds
    assert ("missing", "issued") in kinds
    assert ("number_converted", "targets[0].fax") in kinds
    assert ("deadline_guessed", "key_dates") in kinds
    assert ("guessed", "people[0].pronoun") in kinds
    years = [dict(n.values) for n in report.notes if n.kind == "year_inferred"]
    assert {"written": "12 June", "value": "2022-06-12"} in years
    assert {"written": "6 May", "value": "2022-05-06"} in years


def test_re_importing_a_known_sheet_updates_its_case_and_keeps_nothing_stale() -> None:
    shipped = load_case(SEED)
    imported = import_fixture("kazakhstan-mamay.txt", existing=[shipped])
    assert imported.update_of == shipped
    assert imported.case is not None
    # The sheet's wording differs from the corrected file's, so the translation of the
    # corrected text is left out rather than kept beside a text it no longer translates.
    assert list(imported.case.texts) == ["en"]
    assert ("translation_dropped", "text.ru") in {(n.kind, n.field) for n in imported.report.notes}
    assert imported.case.status is CaseStatus.ACTIVE  # published stays published
