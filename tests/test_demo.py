"""The demo's rehearsal: old cases moved so their deadline lies ten days ahead."""

from __future__ import annotations

import socket
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.__main__ import main
from bot.catalogue import load_catalogue
from bot.config import Secret, Settings
from bot.db.startup import UnusableDatabaseError
from bot.demo import REHEARSAL_DAYS_AHEAD, _seed, demo, rehearsal_shift, shift_dates
from bot.domain.deadlines import countdown
from tests.conftest import ROOT


@pytest.mark.parametrize(
    "now",
    [
        datetime(2026, 11, 28, 12, 0, tzinfo=UTC),
        # Past 19:00 UTC it is already the next day in Almaty, where the seed case's dates are.
        datetime(2026, 11, 28, 20, 30, tzinfo=UTC),
        datetime(2026, 11, 28, 23, 59, tzinfo=UTC),
        datetime(2026, 11, 29, 0, 1, tzinfo=UTC),
    ],
)
def test_a_rehearsed_case_shows_ten_days_left_at_any_hour(now: datetime) -> None:
    cases = [case for case, _ in load_catalogue(ROOT / "actions").cases_with_paths()]
    assert cases
    for case in cases:
        rehearsed = shift_dates(case, rehearsal_shift(case, now))
        left = countdown(rehearsed, now)
        assert left is not None
        assert left.days_left == REHEARSAL_DAYS_AHEAD


async def test_the_demo_refuses_a_database_it_cannot_use_and_leaves_it_alone(
    tmp_path: Path,
) -> None:
    # The demo makes its own fresh file; should that file be unusable, it stops as run does.
    path = tmp_path / "demo.sqlite3"
    path.write_bytes(b"not a database at all" * 100)
    settings = Settings(token=Secret("1:demo"), db_path=path, actions_dir=ROOT / "actions")
    with pytest.raises(UnusableDatabaseError, match="is not an SQLite database"):
        await _seed(settings, True, datetime(2026, 3, 1, tzinfo=UTC))
    assert path.read_bytes() == b"not a database at all" * 100


def test_a_busy_port_is_one_line_that_suggests_another(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # The command line sets up logging for a terminal; the other tests keep pytest's.
    monkeypatch.setattr("bot.logs.configure_logging", lambda *args, **kwargs: None)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert main(["demo", "--port", str(port)]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err == f"demo: port {port} is busy: try another one, such as --port {port + 1}\n"


async def test_the_demo_started_from_another_folder_still_has_the_shipped_cases(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # a folder with no actions/ in it
    async with demo(port=0, data_dir=tmp_path) as running_demo:
        services = running_demo.app.bot_data.services
        assert services is not None
        shipped = {case.slug for case in await services.cases.all()}
    assert "kz-zhanbolat-mamay" in shipped
