"""Before publishing, whom a case reaches now, later and not, and why: counted by the offer
sweep's own rules (bot.db.offers.reach_breakdown), shown alike by the console and the chat."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.catalogue import load_case
from bot.db.cases import CaseRepository
from bot.db.connection import Database
from bot.db.offers import ChoiceRepository, preview_reach, reach_breakdown
from bot.db.outbox import timestamp
from bot.db.subscribers import SubscriberRepository
from bot.domain.allowance import Allowance, NotOffered
from bot.domain.cases import UrgentAction
from bot.domain.subscribers import ChatType, SubscriberStatus
from bot.rendering import Renderer

ROOT = Path(__file__).resolve().parent.parent
T0 = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)


@pytest.fixture
async def case(db: Database) -> UrgentAction:
    # The shipped case, about torture, still open (its deadline passed in 2022), and another
    # case already published, which some have received.
    shipped = dataclasses.replace(
        load_case(ROOT / "actions" / "kz-zhanbolat-mamay.toml"), key_dates=(), themes=("torture",)
    )
    other = dataclasses.replace(shipped, slug="kz-other")
    await CaseRepository(db).seed([(shipped, "a.toml"), (other, "b.toml")], T0)
    return shipped


async def network(db: Database) -> None:
    """Ten chats, each kept from the case (or not) by one thing."""
    subscribers, choices = SubscriberRepository(db), ChoiceRepository(db)
    for chat_id, language in enumerate(("en", "ru", "en", "en", "en", "en", "en", "en", "pt"), 1):
        await subscribers.subscribe(chat_id, ChatType.PRIVATE, language, T0)
    await subscribers.subscribe(-10, ChatType.GROUP, "en", T0)  # 10: a group, now
    await subscribers.set_countries(3, ["RU"], T0)  # 3: other countries
    await choices.set_themes(4, ["death-penalty"], T0)  # 4: other themes
    await subscribers.set_status(5, SubscriberStatus.STOPPED, T0)  # 5: paused
    await choices.set_allowance(6, Allowance.ONE_A_WEEK, T0)  # 6: got another case yesterday
    await choices.set_digest(7, True, T0)  # 7: the weekly digest
    async with db.transaction() as conn:
        await conn.execute(
            "INSERT INTO case_alerts (case_slug, subscriber_id, alerted_at) VALUES (?, ?, ?)",
            ("kz-other", 6, timestamp(T0 - timedelta(days=1))),
        )
        # 8: already has this case (a follow-up published again).
        await conn.execute(
            "INSERT INTO case_alerts (case_slug, subscriber_id, alerted_at) VALUES (?, ?, ?)",
            ("kz-zhanbolat-mamay", 8, timestamp(T0)),
        )


async def test_each_chat_is_counted_now_later_or_not_with_its_reason(
    db: Database, case: UrgentAction
) -> None:
    await network(db)
    now = await preview_reach(db, [case], case.slug, T0, "UTC")
    assert (now.people, now.groups) == (3, 1)  # 1, 2, 9 and the group
    rest = await reach_breakdown(db, [case], case.slug, T0, "UTC")
    assert (rest.later_allowance, rest.later_digest, rest.paused) == (1, 1, 1)
    assert rest.refused == {NotOffered.COUNTRY: 1, NotOffered.THEME: 1, NotOffered.DONE: 1}
    assert rest.other_language == 1  # 9 reads Portuguese: the case has no text in it
    assert rest.exact


async def test_past_its_deadline_a_case_reaches_nobody_and_everyone_is_told_why(
    db: Database, case: UrgentAction
) -> None:
    await network(db)
    deadline = T0 - timedelta(days=1)
    closed = dataclasses.replace(
        case, key_dates=load_case(ROOT / "actions" / "kz-zhanbolat-mamay.toml").key_dates
    )
    moment = closed.deadline_moment()
    assert moment is not None
    assert moment < deadline
    now = await preview_reach(db, [closed], case.slug, T0, "UTC")
    assert (now.people, now.groups) == (0, 0)
    rest = await reach_breakdown(db, [closed], case.slug, T0, "UTC")
    # Every active chat (5 has paused); 8, who has it already, is told apart.
    assert rest.refused == {NotOffered.DONE: 1, NotOffered.CLOSED: 8}
    assert (rest.later_allowance, rest.later_digest, rest.paused) == (0, 0, 1)


async def test_a_large_network_is_counted_on_a_sample_and_says_so(
    db: Database, case: UrgentAction
) -> None:
    subscribers = SubscriberRepository(db)
    for chat_id in range(1, 41):
        await subscribers.subscribe(chat_id, ChatType.PRIVATE, "en", T0)
        if chat_id % 4 == 0:
            await subscribers.set_countries(chat_id, ["RU"], T0)
    rest = await reach_breakdown(db, [case], case.slug, T0, "UTC", sample=10)
    assert not rest.exact
    assert rest.refused == {NotOffered.COUNTRY: 40}  # every fourth of 40, sampled every fourth


def test_the_reasons_read_as_a_person_would_say_them() -> None:
    renderer = Renderer()
    rest = {
        "later_allowance": 2,
        "later_digest": 1,
        "refused": {"closed": 0, "country": 3, "theme": 1, "channel": 0, "done": 0},
        "paused": 1,
        "other_language": 1,
    }
    template = renderer.template("en", "reach_reasons.txt")
    lines = [line for line in str(vars(template.module)["lines"](rest)).split("\n") if line]
    assert lines == [
        "2 later: their allowance is full for now, and the case reaches them at their next turn",
        "1 later, in their weekly digest",
        "3 not: they follow other countries",
        "1 not: they follow other themes",
        "1 not: they have paused their alerts",
        "Of those it reaches, 1 gets it in its original language: the case has no text in theirs",
    ]
