"""Publishing a case and queueing a broadcast run in batches, each one short transaction, and
resume after a crash where they stopped: everyone gets the message once, and a start with
nothing unfinished does no work over all subscribers."""

from __future__ import annotations

import dataclasses
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.catalogue import load_case
from bot.db.broadcasts import BroadcastRepository
from bot.db.cases import CaseRepository
from bot.db.connection import Database
from bot.db.news import Letter, Totals, queue_outcome, totals
from bot.db.offers import ChoiceRepository, Reach, preview_reach, sweep_offers
from bot.db.subscribers import SubscriberRepository
from bot.delivery.messages import OutboundMessage
from bot.domain.allowance import Allowance
from bot.domain.cases import UrgentAction
from bot.domain.subscribers import ChatType, SubscriberStatus
from bot.rendering import Renderer

ROOT = Path(__file__).resolve().parent.parent
T0 = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
OLGA = 42


@pytest.fixture
async def case(db: Database) -> UrgentAction:
    # The shipped case, still open (its deadline passed in 2022).
    shipped = dataclasses.replace(
        load_case(ROOT / "actions" / "kz-zhanbolat-mamay.toml"), key_dates=()
    )
    await CaseRepository(db).seed([(shipped, "kz-zhanbolat-mamay.toml")], T0)
    return shipped


async def people(db: Database, count: int) -> None:
    """`count` subscribers, every third in Russian, every fifth a group."""
    repository = SubscriberRepository(db)
    for n in range(1, count + 1):
        chat_type = ChatType.GROUP if n % 5 == 0 else ChatType.PRIVATE
        chat_id = -n if chat_type is ChatType.GROUP else n
        await repository.subscribe(chat_id, chat_type, "ru" if n % 3 == 0 else "en", T0)


async def rows_per_chat(db: Database, kind: str) -> Counter[int]:
    async with db.read() as conn:
        cursor = await conn.execute("SELECT chat_id FROM outbox WHERE kind = ?", (kind,))
        return Counter(int(row[0]) for row in await cursor.fetchall())


def alert(*_: object) -> OutboundMessage:
    return OutboundMessage.text("alert")


def news(language: str) -> OutboundMessage:
    return OutboundMessage.text(f"News ({language})")


async def test_a_broadcast_cut_short_resumes_where_it_stopped_and_reaches_everyone_once(
    db: Database,
) -> None:
    await people(db, 40)
    # Batches of 6 in id order. A language is rendered once, in the first batch that has it:
    # English and Russian in the first, Kazakh (ids 13 and 14) in the third, where the machine
    # goes down.
    async with db.transaction() as conn:
        await conn.execute("UPDATE subscribers SET language = 'kk' WHERE id IN (13, 14)")
    broadcasts = BroadcastRepository(db)
    broadcast = await broadcasts.create(
        created_by=OLGA, text="News", audience="all", send_at=T0, now=T0
    )
    assert broadcast.recipients == 0
    assert not broadcast.queued

    def down_at_kazakh(language: str) -> OutboundMessage:
        if language == "kk":
            raise RuntimeError("the machine went down")
        return news(language)

    with pytest.raises(RuntimeError):
        await broadcasts.fill(broadcast.id, down_at_kazakh, T0, batch=6)
    stopped = await broadcasts.get(broadcast.id)
    assert stopped is not None
    assert stopped.recipients == 12  # two batches landed; of the third, not a row
    assert not stopped.queued
    assert sum((await rows_per_chat(db, "broadcast")).values()) == 12
    assert [b.id for b in await broadcasts.unqueued()] == [broadcast.id]
    # The bot at start: the rest, from where it stopped; everyone once.
    finished = await broadcasts.fill(broadcast.id, news, T0, batch=6)
    assert finished.queued
    assert finished.recipients == 40
    counts = await rows_per_chat(db, "broadcast")
    assert len(counts) == 40
    assert set(counts.values()) == {1}
    assert await broadcasts.unqueued() == []
    # Filling again queues nobody twice.
    again = await broadcasts.fill(broadcast.id, news, T0)
    assert again.recipients == 40
    assert sum((await rows_per_chat(db, "broadcast")).values()) == 40


async def test_each_batch_wakes_the_engine_and_a_cancelled_broadcast_queues_no_more(
    db: Database,
) -> None:
    await people(db, 30)
    broadcasts = BroadcastRepository(db)
    first = await broadcasts.create(
        created_by=OLGA, text="News", audience="all", send_at=T0, now=T0
    )
    wakes = 0

    def wake() -> None:
        nonlocal wakes
        wakes += 1

    filled = await broadcasts.fill(first.id, news, T0, batch=10, wake=wake)
    assert filled.recipients == 30
    assert wakes == 3  # the engine sends the first batch while the next is queued
    # Cancelled before (or between) batches: nothing more is queued, and it counts as queued.
    second = await broadcasts.create(
        created_by=OLGA, text="More", audience="all", send_at=T0, now=T0
    )
    await broadcasts.cancel(second.id, T0)
    cancelled = await broadcasts.fill(second.id, news, T0, batch=10)
    assert cancelled.recipients == 0
    assert cancelled.queued
    assert cancelled.status == "cancelled"
    assert await broadcasts.unqueued() == []


async def test_a_publish_done_is_not_gone_over_again_at_start(
    db: Database, case: UrgentAction
) -> None:
    await people(db, 12)
    published = await sweep_offers(db, [case], alert, T0, "UTC", batch=5)
    assert (published.looked_at, published.offered) == (12, 12)
    # A start reads nobody again, since everyone was looked at under the case...
    assert (await sweep_offers(db, [case], alert, T0, "UTC")).looked_at == 0
    # ...but for someone who joined since: the one read, and offered the case.
    repository = SubscriberRepository(db)
    await repository.subscribe(99, ChatType.PRIVATE, "en", T0)
    joined = await sweep_offers(db, [case], alert, T0, "UTC")
    assert (joined.looked_at, joined.offered) == (1, 1)
    assert set((await rows_per_chat(db, "alert")).values()) == {1}


async def test_the_audience_is_counted_over_ranges_as_it_is_alerted(
    db: Database, case: UrgentAction
) -> None:
    await people(db, 23)
    repository = SubscriberRepository(db)
    await repository.set_status(2, SubscriberStatus.STOPPED, T0)
    await repository.set_countries(3, ["RU"], T0)
    await repository.set_countries(4, [case.country_code, "RU"], T0)
    # 23 chats: 4 groups (5, 10, 15, 20), one stopped, one wanting only Russia's cases. The
    # choice run for everyone (`sample` above their number), or counted in SQL over ranges.
    exact = Reach(17, 4, exact=True)
    assert await preview_reach(db, [case], case.slug, T0, "UTC") == exact
    assert await preview_reach(db, [case], case.slug, T0, "UTC", sample=0, chunk=4) == exact
    broadcasts = BroadcastRepository(db)
    assert await broadcasts.audience_size("all", chunk=4) == 22
    assert await broadcasts.audience_size("lang:ru", chunk=4) == 7
    await sweep_offers(db, [case], alert, T0, "UTC")
    assert await preview_reach(db, [case], case.slug, T0, "UTC", sample=0, chunk=4) == Reach(
        0, 0, exact=True
    )
    assert await broadcasts.audience_size(f"case:{case.slug}", chunk=4) == 21
    assert await broadcasts.audience_size(f"notacted:{case.slug}", chunk=4) == 21


async def test_a_closed_case_tells_everyone_it_reached_once_in_batches(
    db: Database, case: UrgentAction
) -> None:
    await people(db, 10)
    await sweep_offers(db, [case], alert, T0, "UTC")
    await SubscriberRepository(db).set_status(4, SubscriberStatus.STOPPED, T0)
    async with db.transaction() as conn:
        await conn.execute(
            "INSERT INTO actions (case_slug, actor, channel, target, acted_at)"
            " SELECT ?, actor, 'email', 0, ? FROM subscribers WHERE chat_id IN (1, 7)",
            (case.slug, T0.isoformat()),
        )
        # Chat 7 also wrote by post, to the same official.
        await conn.execute(
            "INSERT INTO actions (case_slug, actor, channel, target, acted_at)"
            " SELECT ?, actor, 'post', 0, ? FROM subscribers WHERE chat_id = 7",
            (case.slug, T0.isoformat()),
        )
    rendered: list[tuple[str, tuple[Letter, ...]]] = []

    def outcome(language: str, letters: tuple[Letter, ...]) -> OutboundMessage:
        rendered.append((language, letters))
        return OutboundMessage.text(f"Outcome ({language}) {letters}")

    assert await queue_outcome(db, case.slug, outcome, T0, batch=3) == 9
    counts = await rows_per_chat(db, "outcome")
    assert set(counts) == {1, 2, 3, 6, 7, 8, 9, -5, -10}  # all reached but the stopped one
    assert set(counts.values()) == {1}
    # Rendered once per language and part, whatever the number of batches.
    assert sorted(rendered) == [
        ("en", ()),
        ("en", ((0, "email"),)),
        ("en", ((0, "email"), (0, "post"))),
        ("ru", ()),
    ]
    assert await totals(db, case.slug) == Totals(people=2, letters=3)


async def test_the_preview_estimates_from_a_sample_those_on_a_limited_allowance(
    db: Database, case: UrgentAction
) -> None:
    await people(db, 30)
    choices = ChoiceRepository(db)
    for chat_id in [n for n in range(1, 21) if n % 5] + [-5, -10]:
        await choices.set_allowance(chat_id, Allowance.ONE_A_WEEK, T0)
    # 24 people, 16 of them on one a week; 6 groups, 2 of them on one a week. Nothing else is
    # open, so the case would go to all, and the sample says so.
    estimate = await preview_reach(db, [case], case.slug, T0, "UTC", sample=5, chunk=7)
    assert estimate == Reach(24, 6, exact=False)
    # Those whose week's case is spent would not get it now: the sample sees it too.
    (other,) = [dataclasses.replace(case, slug="kz-other")]
    await CaseRepository(db).seed([(other, "kz-other.toml")], T0)
    await sweep_offers(db, [other], alert, T0, "UTC")
    estimate = await preview_reach(db, [other, case], case.slug, T0, "UTC", sample=5, chunk=7)
    assert estimate == Reach(8, 4, exact=False)


def test_the_preview_says_about_when_its_count_is_an_estimate(case: UrgentAction) -> None:
    renderer = Renderer()
    for language, about in (("en", "about"), ("ru", "примерно"), ("fr", "environ")):
        estimate = renderer.render(
            language, "org_preview.html", case=case, people=2_500, groups=3, estimate=True
        )
        exact = renderer.render(
            language, "org_preview.html", case=case, people=2_500, groups=3, estimate=False
        )
        assert about in estimate
        assert about not in exact
