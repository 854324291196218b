"""A sheet is read in a child process that cannot take more time or memory than a sheet may."""

from __future__ import annotations

import pytest

from bot.importer import isolation
from tests.importer.conftest import SHEETS


async def test_a_sheet_is_read_in_the_child_as_it_would_be_here() -> None:
    data = (SHEETS / "mexico-ruiz.pdf").read_bytes()
    there = await isolation.run(isolation.Job(data=data, filename="mexico-ruiz.pdf"))
    here = isolation.carry_out(isolation.Job(data=data, filename="mexico-ruiz.pdf"))
    assert there.imported is not None and here.imported is not None
    assert there.imported.mapping == here.imported.mapping
    assert there.text == here.text


async def test_a_file_that_is_no_sheet_is_named_as_such() -> None:
    outcome = await isolation.run(isolation.Job(data=b"\x00\x01PK", filename="x.txt"))
    assert outcome.failed == "not_text"


async def test_a_child_past_its_time_is_killed() -> None:
    text = (SHEETS / "egypt-adel.txt").read_text()
    with pytest.raises(isolation.ImportOverrunError, match="took more than"):
        await isolation.run(isolation.Job(text=text), isolation.Limits(seconds=0.001))


async def test_a_child_past_its_memory_is_stopped() -> None:
    # Less address space than the interpreter already holds: the first allocation fails.
    text = (SHEETS / "egypt-adel.txt").read_text() * 20
    with pytest.raises(isolation.ImportOverrunError, match="stopped"):
        await isolation.run(isolation.Job(text=text), isolation.Limits(memory=32 * 2**20))


def test_the_command_line_reads_in_a_child_too() -> None:
    text = (SHEETS / "egypt-adel.txt").read_text()
    with pytest.raises(isolation.ImportOverrunError):
        isolation.run_blocking(isolation.Job(text=text), isolation.Limits(seconds=0.001))
    outcome = isolation.run_blocking(isolation.Job(text=text))
    assert outcome.imported is not None
    assert "adel" in outcome.imported.slug
