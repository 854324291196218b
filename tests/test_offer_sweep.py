"""The offer sweep over the database: a sweep cut short resumes where it stopped, each offer
once with its alert and reminders, and allowances hold from one sweep to the next."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta

import pytest

from bot.db.alerts import Audience
from bot.db.cases import CaseRepository
from bot.db.connection import Database
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
