"""python -m bot import FILE: the case file it writes, the report it prints, its exit code."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.__main__ import main
from bot.catalogue import gaps, load_case, load_catalogue
from bot.domain.cases import CaseStatus
from tests.importer.conftest import SHEETS, import_fixture
from tests.test_catalogue import SEED


def test_a_sheet_becomes_a_draft_case_file_and_a_report(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["import", str(SHEETS / "mexico-ruiz.pdf"), "--out", str(tmp_path)])
    report = capsys.readouterr().out
    assert code == 0
    written = tmp_path / "mx-ana-ruiz.toml"
    case = load_case(written)
    assert case == import_fixture("mexico-ruiz.pdf").case
    assert case.status is CaseStatus.DRAFT
    assert "mexico-ruiz.pdf (the International Secretariat’s layout): a new case, mx-ana-ruiz" in (
        report
    )
    assert "  targets[0].phone = +529515015000" in report  # every field found
    assert "“11 December” has no year; taken as 2023-12-11" in report  # what to check
    assert f"Written: {written}" in report
    # The file says what to check, above the case.
    assert written.read_text(encoding="utf-8").startswith("# Imported from mexico-ruiz.pdf")


def test_a_follow_up_rewrites_the_file_of_the_case_it_updates(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    closed = tmp_path / "closed"
    closed.mkdir()
    shutil.copy(SEED, closed / SEED.name)
    code = main(["import", str(SHEETS / "kazakhstan-mamay-update.txt"), "--out", str(tmp_path)])
    assert code == 0
    assert "update to kz-zhanbolat-mamay" in capsys.readouterr().out
    assert [p.name for p in tmp_path.rglob("*.toml")] == [SEED.name]  # no second file
    case = load_case(closed / SEED.name)
    assert case.texts["en"].title == "Activist’s detention extended again"
    assert load_catalogue(tmp_path).problems == ()


def test_another_cases_file_is_not_overwritten_without_force(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "eg-karim-adel.toml").write_text("# somebody's draft\n", encoding="utf-8")
    catalogue = tmp_path / "none"
    catalogue.mkdir()
    args = ["import", str(SHEETS / "egypt-adel.txt"), "--out", str(tmp_path)]
    assert main([*args, "--catalogue", str(catalogue)]) == 1
    assert "Not written" in capsys.readouterr().out
    assert (tmp_path / "eg-karim-adel.toml").read_text(encoding="utf-8") == "# somebody's draft\n"
    assert main([*args, "--catalogue", str(catalogue), "--force"]) == 0
    assert load_case(tmp_path / "eg-karim-adel.toml").reference == "UA 41/23"


def test_a_file_that_is_no_sheet_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    picture = tmp_path / "photo.png"
    picture.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    assert main(["import", str(picture), "--out", str(tmp_path)]) == 2
    assert "neither text nor a PDF" in capsys.readouterr().err
    assert main(["import", str(tmp_path / "missing.txt"), "--out", str(tmp_path)]) == 2


def test_a_sheet_that_does_not_make_a_whole_case_is_written_as_a_draft_that_loads(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    code = main(["import", str(SHEETS / "egypt-adel-released.txt"), "--out", str(tmp_path)])
    assert code == 0
    out = capsys.readouterr().out
    assert "UA reference: a follow-up of UA 41/23, but no known case matches it" in out
    assert "Asks: not found on the sheet" in out
    assert "Before it is published, complete: Asks and Officials to write to" in out
    written = tmp_path / "eg-karim-adel.toml"
    assert "# - Asks: not found on the sheet" in written.read_text(encoding="utf-8")
    case = load_case(written)  # what `python -m bot check` reads
    assert case.status is CaseStatus.DRAFT
    assert gaps(case) == ("text.en.asks", "targets")
    monkeypatch.setenv("BOT_ACTIONS_DIR", str(tmp_path))
    assert main(["check"]) == 0
    checked = capsys.readouterr().out
    assert "eg-karim-adel.toml: a draft, to complete: text.en.asks, targets" in checked
    assert "1 case(s) valid, 0 problem(s)" in checked


def test_a_page_listing_several_cases_writes_nothing_and_names_them(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["import", str(SHEETS / "web-listing-act-now-2020.txt"), "--out", str(tmp_path)])
    assert code == 1
    err = capsys.readouterr().err
    assert "This page lists 3 Urgent Actions, not one sheet:" in err
    assert "• UA 131.20: Union Leader Faces New Charges (Zimbabwe)" in err
    assert list(tmp_path.iterdir()) == []


def test_a_listing_without_references_is_seen_by_its_headings(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    name = "section-listing-no-references-2024.txt"
    code = main(["import", str(SHEETS / name), "--out", str(tmp_path)])
    assert code == 1
    err = capsys.readouterr().err
    assert "This page lists 3 Urgent Actions, not one sheet:" in err
    assert "• Water defenders threatened in Cajamarca (Peru)" in err
    assert list(tmp_path.iterdir()) == []
