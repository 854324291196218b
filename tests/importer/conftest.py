"""What the importer's tests share: the sheets, and importing one as the bot does."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path

from bot.domain.cases import UrgentAction
from bot.importer.build import Imported, import_sheet
from bot.importer.cli import deadline_labels
from bot.importer.extract import read_sheet
from bot.rendering import Renderer

SHEETS = Path(__file__).resolve().parent.parent / "fixtures" / "sheets"
LABELS = deadline_labels(Renderer())


def import_fixture(name: str, existing: Sequence[UrgentAction] = ()) -> Imported:
    """Import tests/fixtures/sheets/`name` as the command line does."""
    path = SHEETS / name
    return import_sheet(
        read_sheet(path.read_bytes(), path.name),
        deadline_label=LABELS,
        existing=existing,
        today=date(2024, 1, 15),
        source=name,
    )
