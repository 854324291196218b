"""The numbers behind a case's results: its days, and the bot's subscribers over them."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from bot.catalogue import load_case
from bot.db.actions import ActionRepository
from bot.db.cases import CaseRepository
from bot.db.connection import Database
from bot.db.offers import sweep_offers
from bot.db.results import Day, funnel, timeline
from bot.db.subscribers import SubscriberRepository
from bot.delivery.messages import OutboundMessage
from bot.domain.cases import CaseStatus, Channel, UrgentAction
from bot.domain.subscribers import ChatType, SubscriberStatus

ROOT = Path(__file__).resolve().parent.parent
T0 = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)  # the case is published
DAY = timedelta(days=1)


@pytest.fixture
async def case(db: Database) -> UrgentAction:
    shipped = load_case(ROOT / "actions" / "kz-zhanbolat-mamay.toml")
    assert shipped.status is CaseStatus.ACTIVE
    await CaseRepository(db).seed([(shipped, "kz-zhanbolat-mamay.toml")], T0)
    return shipped


async def alert(db: Database, case: UrgentAction, now: datetime) -> int:
    # The shipped case's deadline passed in 2022: open here, so that the sweep offers it.
    still_open = dataclasses.replace(case, key_dates=())
    report = await sweep_offers(
        db, [still_open], lambda *_: OutboundMessage.text("A new Urgent Action"), now, "UTC"
    )
    return report.offered


# Counted in ranges of 10,000 ids or actors, and of one: each range read on its own, the sums
# are the same (an actor's several actions fall in one range).
@pytest.mark.parametrize("chunk", [10_000, 1])
async def test_each_day_counts_the_funnel_and_the_subscribers_as_stored(
    db: Database, case: UrgentAction, chunk: int
) -> None:
    subscribers, actions = SubscriberRepository(db), ActionRepository(db)

    async def join(chat_id: int, at: datetime) -> str:
        subscriber, _ = await subscribers.subscribe(chat_id, ChatType.PRIVATE, "en", at)
        return subscriber.actor

    anna = await join(1, T0 - 2 * DAY)  # before the case: counted in the first day's total
    await join(2, T0 - DAY)
    await subscribers.set_status(2, SubscriberStatus.STOPPED, T0 - DAY + timedelta(hours=1))
    chen = await join(3, T0 + timedelta(hours=1))
    assert await alert(db, case, T0 + timedelta(hours=2)) == 2  # Anna and Chen
    await join(4, T0 + DAY)
    await join(5, T0 + DAY)
    assert await alert(db, case, T0 + DAY) == 2
    await subscribers.forget(5)  # gone from every number but the anonymous actions
    await actions.record_open(case.slug, anna, T0 + DAY)
    await actions.record(case.slug, anna, Channel.EMAIL, 0, T0 + DAY)
    await actions.record(case.slug, anna, Channel.FAX, 0, T0 + 2 * DAY)
    await actions.record(case.slug, chen, Channel.FAX, 0, T0 + 2 * DAY)
    await subscribers.set_status(4, SubscriberStatus.BLOCKED, T0 + 2 * DAY)

    days = await timeline(db, case.slug, now=T0 + 3 * DAY, chunk=chunk)

    assert days == (
        Day(date(2026, 3, 2), alerted=2, opened=0, acted=0, joined=1, left=0, active=2),
        Day(date(2026, 3, 3), alerted=1, opened=1, acted=1, joined=1, left=0, active=3),
        Day(date(2026, 3, 4), alerted=0, opened=0, acted=1, joined=0, left=1, active=2),
        Day(date(2026, 3, 5), alerted=0, opened=0, acted=0, joined=0, left=0, active=2),
    )
    numbers = await funnel(db, case.slug, chunk=chunk)
    assert (numbers.alerted, numbers.opened, numbers.acted) == (3, 1, 2)
    assert numbers.by_channel == {"email": 1, "fax": 2}
    # The running total ends where the table stands today.
    assert days[-1].active == await subscribers.count_active()


async def test_a_closed_case_ends_on_its_closing_day(db: Database, case: UrgentAction) -> None:
    await SubscriberRepository(db).subscribe(1, ChatType.PRIVATE, "en", T0)
    closed = dataclasses.replace(case, status=CaseStatus.CLOSED, outcome="released")
    await CaseRepository(db).save(closed, T0 + 2 * DAY)

    days = await timeline(db, case.slug, now=T0 + 30 * DAY)

    assert [d.day for d in days] == [date(2026, 3, 2), date(2026, 3, 3), date(2026, 3, 4)]
    assert [d.active for d in days] == [1, 1, 1]


async def test_a_case_never_published_has_no_days(db: Database, case: UrgentAction) -> None:
    draft = dataclasses.replace(case, slug="draft-case", status=CaseStatus.DRAFT)
    await CaseRepository(db).seed([(draft, "draft-case.toml")], T0)
    await SubscriberRepository(db).subscribe(1, ChatType.PRIVATE, "en", T0)

    assert await timeline(db, "draft-case", now=T0 + DAY) == ()
    assert await timeline(db, "no-such-case", now=T0 + DAY) == ()
