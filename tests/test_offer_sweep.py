"""The offer sweep over the database: a sweep cut short resumes where it stopped, each offer
once with its alert and reminders, and allowances hold from one sweep to the next."""

from __future__ import annotations

import asyncio
import dataclasses
from contextlib import AbstractAsyncContextManager
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.config import Secret
from bot.db import offers
from bot.db.alerts import Audience
from bot.db.cases import CaseRepository
from bot.db.connection import Connection, Database
from bot.db.migrations import migrate
from bot.db.offers import ChoiceRepository, case_offers, sweep_offers
from bot.db.reminders import ReminderRepository
from bot.db.subscribers import SubscriberRepository
from bot.delivery.messages import OutboundMessage
from bot.domain.allowance import Allowance
from bot.domain.cases import CaseStatus, UrgentAction
from bot.domain.subscribers import ChatType
from tests.reminders.test_plan import SEED

MAY_20 = datetime(2022, 5, 20, 9, 0, tzinfo=UTC)


def alert(case: UrgentAction, audience: Audience) -> OutboundMessage:
    return OutboundMessage.text(f"{case.slug} in {audience.language}")


async def cases(db: Database, *slugs: str) -> list[UrgentAction]:
    found = [dataclasses.replace(SEED, slug=s, status=CaseStatus.ACTIVE) for s in slugs]
    await CaseRepository(db).seed([(c, "test") for c in found], MAY_20)
    return found


async def alerts_per_chat(db: Database) -> dict[int, int]:
    async with db.read() as conn:
        cursor = await conn.execute(
            "SELECT chat_id, count(*) FROM outbox WHERE kind = 'alert' GROUP BY chat_id"
        )
        return {int(r[0]): int(r[1]) for r in await cursor.fetchall()}


async def test_a_sweep_cut_short_resumes_and_offers_each_case_once(db: Database) -> None:
    subscribers = SubscriberRepository(db)
    for chat_id in range(1, 8):
        await subscribers.subscribe(
            chat_id, ChatType.PRIVATE, "ru" if chat_id == 7 else "en", MAY_20
        )
    (case,) = await cases(db, "kz-one")
    made = 0

    def crash_at_the_second_audience(case: UrgentAction, audience: Audience) -> OutboundMessage:
        nonlocal made
        made += 1
        if made > 1:
            raise RuntimeError("the machine went down")
        return alert(case, audience)

    with pytest.raises(RuntimeError):
        await sweep_offers(db, [case], crash_at_the_second_audience, MAY_20, "UTC", batch=3)
    first_part = sum((await alerts_per_chat(db)).values())
    assert first_part == 6  # two batches landed whole; the third, with chat 7, not at all
    report = await sweep_offers(db, [case], alert, MAY_20, "UTC", batch=3)
    assert report.offered == 1
    assert await alerts_per_chat(db) == dict.fromkeys(range(1, 8), 1)
    reminders = ReminderRepository(db, "UTC")
    for chat_id in range(1, 8):
        subscriber = await subscribers.get(chat_id)
        assert subscriber is not None
        assert len(await reminders.pending(subscriber.id)) == 3
    assert (await sweep_offers(db, [case], alert, MAY_20, "UTC", batch=3)).offered == 0
    assert (await case_offers(db, "kz-one")).offered == 7


async def test_allowances_hold_across_sweeps_and_the_least_reached_case_goes_first(
    db: Database,
) -> None:
    subscribers = SubscriberRepository(db)
    choices = ChoiceRepository(db)
    for chat_id in range(1, 5):
        await subscribers.subscribe(chat_id, ChatType.PRIVATE, "en", MAY_20)
        await choices.set_allowance(chat_id, Allowance.ONE_A_WEEK, MAY_20)
    open_cases = await cases(db, "kz-one", "kz-two")
    report = await sweep_offers(db, open_cases, alert, MAY_20, "UTC")
    # Four people, one case each: two and two, not four on the first.
    assert report.by_case == {"kz-one": 2, "kz-two": 2}
    for hours in (1, 24, 24 * 6):
        later = await sweep_offers(db, open_cases, alert, MAY_20 + timedelta(hours=hours), "UTC")
        assert later.offered == 0
    seen = await case_offers(db, "kz-one")
    assert seen.not_offered == {"allowance": 2}  # the two who had the other case this week
    week = await sweep_offers(db, open_cases, alert, MAY_20 + timedelta(days=7), "UTC")
    assert week.by_case == {"kz-one": 2, "kz-two": 2}  # each gets the case they had not had
    assert await alerts_per_chat(db) == dict.fromkeys(range(1, 5), 2)


async def test_a_sweep_with_nothing_new_reads_nobody_and_a_changed_choice_is_read_again(
    db: Database,
) -> None:
    subscribers = SubscriberRepository(db)
    for chat_id in range(1, 11):
        await subscribers.subscribe(chat_id, ChatType.PRIVATE, "en", MAY_20)
    await subscribers.set_countries(10, ["BY"], MAY_20)
    open_cases = await cases(db, "kz-one")
    first = await sweep_offers(db, open_cases, alert, MAY_20, "UTC", batch=4)
    assert (first.looked_at, first.offered) == (10, 9)
    # Nothing new: the sweep every ten minutes reads nobody.
    for minutes in (10, 20, 60 * 24):
        later = MAY_20 + timedelta(minutes=minutes)
        assert (await sweep_offers(db, open_cases, alert, later, "UTC")).looked_at == 0
    # Chat 10 now follows every country: read again, and offered the case it was not before.
    await subscribers.set_countries(10, None, MAY_20 + timedelta(days=1))
    changed = await sweep_offers(db, open_cases, alert, MAY_20 + timedelta(days=1), "UTC")
    assert (changed.looked_at, changed.offered) == (1, 1)
    assert await alerts_per_chat(db) == dict.fromkeys(range(1, 11), 1)
    # A second case is new to everyone: all are read once more, then nobody.
    both = [*open_cases, *(await cases(db, "kz-two"))]
    again = await sweep_offers(db, both, alert, MAY_20 + timedelta(days=2), "UTC")
    assert (again.looked_at, again.by_case) == (10, {"kz-two": 10})
    assert (await sweep_offers(db, both, alert, MAY_20 + timedelta(days=2), "UTC")).looked_at == 0


async def test_a_case_waiting_for_a_persons_slot_is_offered_at_the_sweep_after_it_opens(
    db: Database,
) -> None:
    subscribers = SubscriberRepository(db)
    choices = ChoiceRepository(db)
    for chat_id in range(1, 5):
        await subscribers.subscribe(chat_id, ChatType.PRIVATE, "en", MAY_20)
    for chat_id in (3, 4):
        await choices.set_allowance(chat_id, Allowance.ONE_A_WEEK, MAY_20)
    open_cases = await cases(db, "kz-one", "kz-two")
    assert (await sweep_offers(db, open_cases, alert, MAY_20, "UTC")).offered == 6
    before = MAY_20 + timedelta(days=7) - timedelta(minutes=1)
    assert (await sweep_offers(db, open_cases, alert, before, "UTC")).looked_at == 0
    # A week on, only the two whose slot opened are read, and each gets the case they lacked.
    week = await sweep_offers(db, open_cases, alert, MAY_20 + timedelta(days=7), "UTC")
    assert (week.looked_at, week.offered) == (2, 2)
    assert await alerts_per_chat(db) == dict.fromkeys(range(1, 5), 2)
    assert (await case_offers(db, "kz-one")).not_offered == {}


async def test_a_new_urgent_case_reaches_those_whose_allowance_is_spent(db: Database) -> None:
    subscribers = SubscriberRepository(db)
    choices = ChoiceRepository(db)
    for chat_id in (1, 2):
        await subscribers.subscribe(chat_id, ChatType.PRIVATE, "en", MAY_20)
        await choices.set_allowance(chat_id, Allowance.TWO_A_MONTH, MAY_20)
    first = await cases(db, "kz-one")
    assert (await sweep_offers(db, first, alert, MAY_20, "UTC")).offered == 2
    later = MAY_20 + timedelta(hours=2)
    (urgent,) = await cases(db, "kz-urgent")
    urgent = dataclasses.replace(urgent, urgent=True)
    report = await sweep_offers(db, [*first, urgent], alert, later, "UTC")
    assert report.by_case == {"kz-urgent": 2}
    assert await alerts_per_chat(db) == {1: 2, 2: 2}
    # It did not use up their allowance: their next slot is where it was.
    (plain,) = await cases(db, "kz-plain")
    slot = MAY_20 + timedelta(days=15)
    assert (await sweep_offers(db, [*first, urgent, plain], alert, later, "UTC")).offered == 0
    assert (await sweep_offers(db, [*first, urgent, plain], alert, slot, "UTC")).by_case == {
        "kz-plain": 2
    }


async def test_a_crash_in_the_second_batch_loses_nothing_and_sends_nothing_twice(
    db: Database,
) -> None:
    subscribers = SubscriberRepository(db)
    for chat_id in range(1, 10):
        await subscribers.subscribe(
            chat_id, ChatType.PRIVATE, "ru" if chat_id > 3 else "en", MAY_20
        )
    (case,) = await cases(db, "kz-one")

    def crash_in_russian(case: UrgentAction, audience: Audience) -> OutboundMessage:
        if audience.language == "ru":
            raise RuntimeError("the machine went down")
        return alert(case, audience)

    with pytest.raises(RuntimeError):
        await sweep_offers(db, [case], crash_in_russian, MAY_20, "UTC", batch=3)
    assert await alerts_per_chat(db) == dict.fromkeys((1, 2, 3), 1)  # the first batch, whole
    resumed = await sweep_offers(db, [case], alert, MAY_20, "UTC", batch=3)
    assert (resumed.looked_at, resumed.offered) == (6, 6)
    assert await alerts_per_chat(db) == dict.fromkeys(range(1, 10), 1)
    assert (await case_offers(db, "kz-one")).offered == 9


async def test_two_sweeps_at_once_offer_nobody_a_case_twice(database: Path | Secret) -> None:
    first = await Database.open(database)
    await migrate(first)
    # On PostgreSQL a second pool, as a second process would have; SQLite has one process.
    second = await Database.open(database) if isinstance(database, Secret) else first
    try:
        subscribers = SubscriberRepository(first)
        for chat_id in range(1, 41):
            await subscribers.subscribe(chat_id, ChatType.PRIVATE, "en", MAY_20)
        open_cases = await cases(first, "kz-one", "kz-two")
        reports = await asyncio.gather(
            sweep_offers(first, open_cases, alert, MAY_20, "UTC", batch=5),
            sweep_offers(second, open_cases, alert, MAY_20, "UTC", batch=5),
        )
        assert sum(r.offered for r in reports) == 80
        assert sorted(r.offered for r in reports) == [0, 80]
        assert await alerts_per_chat(first) == dict.fromkeys(range(1, 41), 2)
    finally:
        if second is not first:
            await second.close()
        await first.close()


async def test_slow_batches_of_a_sweep_shrink_and_offer_everyone_once(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    # On a busy machine a batch of offers holds the database longer; the next ones shrink,
    # so that a tap waits for a short batch, and nobody is offered a case twice or not at all.
    subscribers = SubscriberRepository(db)
    for chat_id in range(1, 21):
        await subscribers.subscribe(chat_id, ChatType.PRIVATE, "en", MAY_20)
    (case,) = await cases(db, "kz-one")
    batches: list[int] = []
    bulk = db.bulk

    def counted() -> AbstractAsyncContextManager[Connection]:
        batches.append(1)
        return bulk()

    monkeypatch.setattr(db, "bulk", counted)
    monkeypatch.setattr(offers, "OFFER_HOLD", 0.0)  # every batch counts as slow
    monkeypatch.setattr(offers, "OFFER_BATCH_LEAST", 2)
    report = await sweep_offers(db, [case], alert, MAY_20, "UTC", batch=8)
    assert report.offered == 20
    # 8, 4, then 2 at a time: 8 + 4 + 2 * 4 = 20 in six batches, and one that finds nobody.
    assert len(batches) == 6 + 1
    assert await alerts_per_chat(db) == dict.fromkeys(range(1, 21), 1)
