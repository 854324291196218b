"""Organizers' drafts in the database: saved and replaced, taken once, too old and gone,
forgotten; and a broadcast queued, or an imported case stored, with its draft in one
transaction."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta

import pytest

from bot.catalogue import load_case
from bot.db.broadcasts import Broadcast, BroadcastRepository
from bot.db.cases import CaseRepository, SlugTakenError
from bot.db.connection import Database
from bot.db.drafts import MAX_AGE, DraftGoneError, DraftKind, DraftRepository
from bot.db.outbox import OutboxRepository
from bot.db.subscribers import SubscriberRepository
from bot.delivery.messages import OutboundMessage
from bot.domain.cases import CaseStatus
from bot.domain.subscribers import ChatType
from tests.conftest import ROOT

T0 = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
OLGA, IVAN = 42, 43
SHEET = {"chunks": ["URGENT ACTION", "Write to the President"], "read_on": None}


@pytest.fixture
def drafts(db: Database) -> DraftRepository:
    return DraftRepository(db)


async def test_a_draft_is_kept_per_organizer_and_kind_and_replaced_as_it_changes(
    drafts: DraftRepository,
) -> None:
    assert await drafts.get(OLGA, DraftKind.BROADCAST, T0) is None
    await drafts.save(OLGA, DraftKind.BROADCAST, {"html": None, "audience": None}, T0)
    await drafts.save(OLGA, DraftKind.IMPORT, SHEET, T0)
    later = T0 + timedelta(minutes=5)
    news = {"html": "<b>Новости</b>", "audience": None}
    await drafts.save(OLGA, DraftKind.BROADCAST, news, later)

    draft = await drafts.get(OLGA, DraftKind.BROADCAST, later)
    assert draft is not None
    assert draft.body == news
    assert draft.updated_at == later
    sheet = await drafts.get(OLGA, DraftKind.IMPORT, later)
    assert sheet is not None
    assert sheet.body == SHEET
    assert await drafts.get(IVAN, DraftKind.BROADCAST, later) is None


async def test_a_draft_is_taken_once_and_only_as_it_was_read(drafts: DraftRepository) -> None:
    await drafts.save(OLGA, DraftKind.BROADCAST, {"html": "A", "audience": "all"}, T0)
    read = await drafts.get(OLGA, DraftKind.BROADCAST, T0)
    assert read is not None
    await drafts.take(read)
    assert await drafts.get(OLGA, DraftKind.BROADCAST, T0) is None
    with pytest.raises(DraftGoneError):
        await drafts.take(read)

    # Changed after it was read: the old reading cannot take the new draft.
    await drafts.save(OLGA, DraftKind.BROADCAST, {"html": "A", "audience": None}, T0)
    old = await drafts.get(OLGA, DraftKind.BROADCAST, T0)
    assert old is not None
    await drafts.save(OLGA, DraftKind.BROADCAST, {"html": "A", "audience": "all"}, T0)
    with pytest.raises(DraftGoneError):
        await drafts.take(old)
    assert await drafts.get(OLGA, DraftKind.BROADCAST, T0) is not None


async def test_a_draft_older_than_the_limit_is_gone_for_good(drafts: DraftRepository) -> None:
    await drafts.save(OLGA, DraftKind.IMPORT, SHEET, T0)
    await drafts.save(IVAN, DraftKind.BROADCAST, {"html": "B", "audience": None}, T0)
    assert await drafts.get(OLGA, DraftKind.IMPORT, T0 + MAX_AGE) is not None
    stale = T0 + MAX_AGE + timedelta(seconds=1)
    assert await drafts.get(OLGA, DraftKind.IMPORT, stale) is None
    # Deleted, not only hidden: it does not come back at an earlier moment.
    assert await drafts.get(OLGA, DraftKind.IMPORT, T0) is None
    # Anyone's save clears every draft too old, even of organizers who never come back.
    await drafts.save(OLGA, DraftKind.BROADCAST, {"html": None, "audience": None}, stale)
    assert await drafts.get(IVAN, DraftKind.BROADCAST, T0) is None
    assert [d.kind for d in await drafts.of_person(OLGA, stale)] == [DraftKind.BROADCAST]


async def test_forgetting_a_person_deletes_all_their_drafts_and_nobody_elses(
    drafts: DraftRepository,
) -> None:
    await drafts.save(OLGA, DraftKind.BROADCAST, {"html": "A", "audience": None}, T0)
    await drafts.save(OLGA, DraftKind.IMPORT, SHEET, T0)
    await drafts.save(IVAN, DraftKind.IMPORT, SHEET, T0)
    assert [d.kind for d in await drafts.of_person(OLGA, T0)] == [
        DraftKind.BROADCAST,
        DraftKind.IMPORT,
    ]
    assert await drafts.forget(OLGA) == 2
    assert await drafts.of_person(OLGA, T0) == []
    assert await drafts.forget(OLGA) == 0
    assert await drafts.get(IVAN, DraftKind.IMPORT, T0) is not None


async def test_a_broadcast_is_queued_from_its_draft_once_and_the_draft_goes_with_it(
    db: Database, drafts: DraftRepository
) -> None:
    for chat_id in (1001, 1002):
        await SubscriberRepository(db).subscribe(chat_id, ChatType.PRIVATE, "en", T0)
    await drafts.save(OLGA, DraftKind.BROADCAST, {"html": "News", "audience": "all"}, T0)
    draft = await drafts.get(OLGA, DraftKind.BROADCAST, T0)
    assert draft is not None
    broadcasts = BroadcastRepository(db)

    async def queue(audience: str) -> Broadcast:
        return await broadcasts.queue(
            created_by=OLGA,
            text="News",
            audience=audience,
            send_at=T0,
            message_for=lambda _: OutboundMessage.text("News"),
            now=T0,
            draft=draft,
        )

    # A broadcast that fails to queue leaves its draft to try again.
    with pytest.raises(ValueError, match="unknown audience"):
        await queue("nobody")
    assert await drafts.get(OLGA, DraftKind.BROADCAST, T0) == draft

    broadcast = await queue("all")
    assert broadcast.recipients == 2
    assert await drafts.get(OLGA, DraftKind.BROADCAST, T0) is None
    # The same draft again (a second tap): nothing more is queued.
    with pytest.raises(DraftGoneError):
        await queue("all")
    assert [b.id for b in await broadcasts.unfinished()] == [broadcast.id]
    assert (await OutboxRepository(db).progress(broadcast.id)).pending == 2


async def test_an_imported_case_is_stored_with_its_draft_finished_once(
    db: Database, drafts: DraftRepository
) -> None:
    cases = CaseRepository(db)
    sheet = dataclasses.replace(
        load_case(ROOT / "actions" / "kz-zhanbolat-mamay.toml"),
        slug="kz-imported",
        status=CaseStatus.DRAFT,
    )
    await drafts.save(OLGA, DraftKind.IMPORT, SHEET, T0)
    read = await drafts.get(OLGA, DraftKind.IMPORT, T0)
    assert read is not None
    assert await cases.store_import(sheet, T0, read, update=False) is True
    assert await drafts.get(OLGA, DraftKind.IMPORT, T0) is None
    assert (await cases.get("kz-imported")) is not None
    # A second tap on the same sheet stores nothing more.
    with pytest.raises(DraftGoneError):
        await cases.store_import(
            dataclasses.replace(sheet, reference="again"), T0, read, update=False
        )
    stored = await cases.get("kz-imported")
    assert stored is not None
    assert stored.reference != "again"
    # A new case whose slug another case has taken meanwhile never overwrites it.
    await drafts.save(OLGA, DraftKind.IMPORT, SHEET, T0)
    other = await drafts.get(OLGA, DraftKind.IMPORT, T0)
    assert other is not None
    with pytest.raises(SlugTakenError):
        await cases.store_import(
            dataclasses.replace(sheet, reference="UA 9/99"), T0, other, update=False
        )
    assert await cases.get("kz-imported") == stored
    assert await drafts.get(OLGA, DraftKind.IMPORT, T0) is not None  # the sheet still waits
    # A follow-up sheet for the stored case is saved over it.
    follow_up = await drafts.get(OLGA, DraftKind.IMPORT, T0)
    assert follow_up is not None
    assert (
        await cases.store_import(
            dataclasses.replace(sheet, reference="UA 1/23"), T0, follow_up, update=True
        )
        is False
    )
    stored = await cases.get("kz-imported")
    assert stored is not None
    assert stored.reference == "UA 1/23"
