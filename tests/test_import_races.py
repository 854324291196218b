"""An organizer's import updates a case while people's /start record its alert (issue 22.9): a
/start that read the case before the import records the alert and plans the person's reminders
from the case as stored, never from the copy it read, and never fails a foreign key."""

from __future__ import annotations

import asyncio
import dataclasses
from datetime import UTC, datetime, timedelta

from bot.catalogue import load_case
from bot.db.alerts import AlertRepository
from bot.db.cases import CaseRepository
from bot.db.connection import Database
from bot.db.outbox import timestamp
from bot.db.subscribers import SubscriberRepository
from bot.domain.cases import CaseStatus, UrgentAction
from bot.domain.reminders import steps
from bot.domain.subscribers import ChatType
from tests.conftest import ROOT

SEED = ROOT / "actions" / "kz-zhanbolat-mamay.toml"
NOW = datetime(2022, 5, 20, 9, 0, tzinfo=UTC)


def moved(case: UrgentAction, days: int) -> UrgentAction:
    """The case as a follow-up sheet has it: its deadline `days` later."""
    dates = tuple(
        dataclasses.replace(d, on=d.on + timedelta(days=days)) if d.deadline else d
        for d in case.key_dates
    )
    return dataclasses.replace(case, key_dates=dates)


async def pending_reminders(db: Database, subscriber_id: int) -> set[tuple[str, str]]:
    """The person's pending reminders for the case: (step, due)."""
    async with db.read() as conn:
        rows = await conn.fetchall(
            "SELECT step, due_at FROM reminders WHERE subscriber_id = ? AND status = 'pending'",
            (subscriber_id,),
        )
    return {(str(row[0]), str(row[1])) for row in rows}


def planned(case: UrgentAction) -> set[tuple[str, str]]:
    """The reminders a person alerted now gets for `case`."""
    return {(step.key, timestamp(step.due)) for step in steps(case, "UTC", NOW)}


async def test_a_start_that_read_the_case_before_an_import_plans_from_the_case_imported(
    db: Database,
) -> None:
    case = dataclasses.replace(load_case(SEED), status=CaseStatus.ACTIVE)
    cases = CaseRepository(db)
    await cases.seed([(case, "test")], NOW)
    subscriber, _ = await SubscriberRepository(db).subscribe(7001, ChatType.PRIVATE, "en", NOW)
    # The /start read the case; the organizer's follow-up moves its deadline a week; then the
    # /start records the alert with the copy it read.
    later = moved(case, 7)
    await cases.store_import(later, NOW, None, update=True)
    assert await AlertRepository(db, "UTC").record(case, subscriber.id, NOW) is True
    assert planned(later) != planned(case)
    assert await pending_reminders(db, subscriber.id) == planned(later)


async def test_starts_racing_imports_of_their_case_all_record_and_follow_the_last_import(
    db: Database,
) -> None:
    case = dataclasses.replace(load_case(SEED), status=CaseStatus.ACTIVE)
    cases = CaseRepository(db)
    await cases.seed([(case, "test")], NOW)
    subscribers = SubscriberRepository(db)
    people = [
        (await subscribers.subscribe(7000 + n, ChatType.PRIVATE, "en", NOW))[0].id
        for n in range(30)
    ]
    alerts = AlertRepository(db, "UTC")
    imports = [moved(case, days) for days in (1, 2, 3)]

    # Each /start read the case before any import; the imports land between them.
    starts = [alerts.record(case, person, NOW) for person in people]
    updates = [cases.store_import(sheet, NOW, None, update=True) for sheet in imports]
    recorded = await asyncio.gather(
        *starts[:10],
        updates[0],
        *starts[10:20],
        updates[1],
        *starts[20:25],
        updates[2],
        *starts[25:],
    )
    assert [r for r in recorded if r is not False] == [True] * len(people)
    for person in people:
        assert await pending_reminders(db, person) == planned(imports[-1]), person
