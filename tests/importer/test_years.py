"""A deadline written without its year takes the sheet's year, or the next one when the sheet
was issued late in a year and the deadline falls early in the next."""

from __future__ import annotations

from datetime import date

import pytest

from bot.importer.build import import_sheet
from bot.importer.extract import read_sheet
from tests.importer.conftest import LABELS, SHEETS


def deadline_of(issued: str, until: str) -> date | None:
    """The deadline the importer reads from the Mexico sheet issued on `issued`, with `until`."""
    sheet = (SHEETS / "mexico-ruiz.txt").read_text(encoding="utf-8")
    assert "Date: 24 October 2023" in sheet and "UNTIL: 11 December" in sheet
    sheet = sheet.replace("Date: 24 October 2023", f"Date: {issued}")
    sheet = sheet.replace("UNTIL: 11 December", f"UNTIL: {until}")
    imported = import_sheet(
        read_sheet(sheet.encode(), "mexico-ruiz.txt"),
        deadline_label=LABELS,
        today=date(2023, 12, 5),
        source="mexico-ruiz.txt",
    )
    assert imported.case is not None
    deadline = imported.case.deadline
    return deadline.on if deadline is not None else None


@pytest.mark.parametrize(
    ("issued", "until", "expected"),
    [
        ("4 December 2023", "29 January", date(2024, 1, 29)),
        ("4 December 2023", "18 December", date(2023, 12, 18)),
        ("24 October 2023", "11 December", date(2023, 12, 11)),
    ],
)
def test_a_deadline_without_a_year_falls_after_the_sheets_date(
    issued: str, until: str, expected: date
) -> None:
    assert deadline_of(issued, until) == expected
