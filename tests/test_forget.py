"""After /forget: the counts stay, but nothing in the database links two appeals to one person,
and the deleted rows are gone from the files on disk too (SQLite's log included)."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.catalogue import load_catalogue
from bot.db.actions import ActionRepository
from bot.db.cases import CaseRepository
from bot.db.connection import Database, SQLiteDatabase
from bot.db.subscribers import SubscriberRepository
from bot.domain.cases import Channel
from bot.domain.subscribers import ChatType
from tests.conftest import ROOT

NOW = datetime(2022, 5, 20, 9, 0, 0, 672683, tzinfo=UTC)
CASES = ("kz-zhanbolat-mamay", "kz-second-case")


async def two_cases(db: Database) -> None:
    (case,) = load_catalogue(ROOT / "actions").cases
    second = dataclasses.replace(case, slug=CASES[1])
    await CaseRepository(db).seed([(case, "a.toml"), (second, "b.toml")], NOW)


async def rows(db: Database) -> list[tuple[str, ...]]:
    """(table, case, actor, time) of every open and action."""
    async with db.read() as conn:
        opens = await conn.fetchall("SELECT case_slug, actor, opened_at FROM appeal_opens")
        acts = await conn.fetchall("SELECT case_slug, actor, acted_at FROM actions")
    return [("open", *map(str, r)) for r in opens] + [("act", *map(str, r)) for r in acts]


async def test_after_forget_no_two_appeals_are_linked_and_the_counts_stay(db: Database) -> None:
    await two_cases(db)
    subscribers, actions = SubscriberRepository(db), ActionRepository(db)
    anna, _ = await subscribers.subscribe(1001, ChatType.PRIVATE, "en", NOW)
    boris, _ = await subscribers.subscribe(1002, ChatType.PRIVATE, "en", NOW)
    for slug in CASES:
        await actions.record_open(slug, anna.actor, NOW)
        await actions.record(slug, anna.actor, Channel.EMAIL, 0, NOW + timedelta(seconds=3))
        await actions.record(slug, anna.actor, Channel.FAX, 1, NOW + timedelta(seconds=5))
    await actions.record_open(CASES[0], boris.actor, NOW)

    assert await subscribers.forget(1001)

    held = await rows(db)
    annas = [r for r in held if r[2] != boris.actor]
    assert len(annas) == 6  # nothing deleted: the opens and appeals still count
    assert anna.actor not in {r[2] for r in held}
    # Within a case her rows share one key (the case's counts), across cases none is shared.
    keys = {slug: {r[2] for r in annas if r[1] == slug} for slug in CASES}
    assert all(len(k) == 1 for k in keys.values())
    assert keys[CASES[0]].isdisjoint(keys[CASES[1]])
    # Her times keep the day only; Boris's are untouched.
    assert {r[3] for r in annas} == {"2022-05-20T00:00:00+00:00"}
    assert [r[3] for r in held if r[2] == boris.actor] == [NOW.isoformat()]
    for slug in CASES:
        assert await actions.count_people(slug) == 1
    assert await subscribers.forget(1001) is False


async def test_a_forgotten_signature_leaves_the_files_on_disk(tmp_path: Path) -> None:
    path = tmp_path / "bot.sqlite3"
    db = await SQLiteDatabase.connect(path)
    try:
        from bot.db.migrations import migrate  # noqa: PLC0415

        await migrate(db)
        subscribers = SubscriberRepository(db)
        await subscribers.subscribe(1001, ChatType.PRIVATE, "en", NOW)
        await subscribers.set_signature(1001, '{"initials": "Q. Z.", "city": "Zyxville"}', NOW)
        async with db.read() as conn:
            (secure,) = await conn.fetchone("PRAGMA secure_delete")  # type: ignore[misc]
        assert secure == 1
        assert await subscribers.forget(1001)
        await db.erase_deleted()
        for name in ("bot.sqlite3", "bot.sqlite3-wal"):
            file = tmp_path / name
            if file.exists():
                assert b"Zyxville" not in file.read_bytes(), name
    finally:
        await db.close()


@pytest.mark.parametrize("memory", [":memory:"])
async def test_erasing_an_in_memory_database_does_nothing(memory: str) -> None:
    db = await SQLiteDatabase.connect(Path(memory))
    try:
        await db.erase_deleted()
    finally:
        await db.close()
