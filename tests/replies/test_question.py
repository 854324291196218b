"""The question names the officials the person wrote to, in their language, and a "Yes" names
the official who replied; answers are counted per official."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from bot.db.cases import CaseRepository
from bot.db.connection import Database
from bot.db.replies import ReplyRepository
from bot.db.subscribers import SubscriberRepository
from bot.domain.replies import Answer, ReplyCounts, ask_again_at
from bot.domain.subscribers import ChatType
from bot.rendering import Renderer
from bot.views.callbacks import MAX_BYTES, decode
from bot.views.replies import question_screen
from tests.reminders.test_plan import SEED

RENDERER = Renderer()
NOW = datetime(2022, 6, 3, 9, 0, tzinfo=UTC)


def test_a_person_who_wrote_to_both_officials_says_which_one_replied() -> None:
    screen = question_screen(SEED, "en", (0, 1), RENDERER)
    assert "You wrote to these officials about Zhanbolat Mamay. Did any of them reply?" in (
        screen.text
    )
    assert "• President of Kazakhstan — Kassym-Jomart Tokayev" in screen.text
    assert (
        "• Ambassador — His Excellency Akylbek Kamaldinov (Embassy of the Republic of Kazakhstan)"
        in screen.text
    )
    assert screen.markup is not None
    buttons = [b for row in screen.markup.inline_keyboard for b in row]
    assert [b.text for b in buttons] == [
        "✅ Yes: President of Kazakhstan",
        "✅ Yes: Ambassador (copy)",
        "✖️ No",
        "⏳ Not yet",
    ]
    for button in buttons:
        data = str(button.callback_data)
        assert len(data.encode()) <= MAX_BYTES and decode(data) is not None


def test_arabic_names_the_officials_as_arabic_letters_do_with_the_dual() -> None:
    screen = question_screen(SEED, "ar", (0, 1), RENDERER)
    assert "كتبتَ إلى هذين المسؤولَين" in screen.text
    assert "قاسم جومارت توكاييف" in screen.text
    one = question_screen(SEED, "ar", (0,), RENDERER)
    assert "كتبتَ إلى هذا المسؤول" in one.text


def test_not_yet_comes_back_once_in_the_persons_daytime() -> None:
    # 21:30 UTC plus fourteen days is the night in Almaty (03:30): the morning, 08:00 there.
    late = datetime(2022, 6, 3, 21, 30, tzinfo=UTC)
    assert ask_again_at(late, 1, "Asia/Almaty") == datetime(2022, 6, 18, 2, 0, tzinfo=UTC)
    assert ask_again_at(NOW, 1, "UTC") == NOW + timedelta(days=14)
    assert ask_again_at(NOW, 2, "UTC") is None


async def test_yes_counts_for_the_official_named_and_no_for_each_one_asked_about(
    db: Database,
) -> None:
    subscribers = SubscriberRepository(db)
    replies = ReplyRepository(db, "UTC")
    await CaseRepository(db).seed([(SEED, "test")], NOW)
    people = []
    for chat_id in (1, 2, 3):
        person, _ = await subscribers.subscribe(chat_id, ChatType.PRIVATE, "en", NOW)
        people.append(person.id)
    async with db.transaction() as conn:
        for person_id in people:
            await conn.execute(
                "INSERT INTO reply_asks (case_slug, subscriber_id, targets, asked_at)"
                " VALUES (?, ?, ?, ?)",
                (SEED.slug, person_id, json.dumps([0, 1]), NOW.isoformat()),
            )
    assert await replies.answer(SEED.slug, people[0], Answer.YES, NOW, "UTC", 1)
    assert await replies.answer(SEED.slug, people[1], Answer.NO, NOW, "UTC")
    # An official the person was not asked about is refused.
    assert not await replies.answer(SEED.slug, people[2], Answer.YES, NOW, "UTC", 5)
    assert await replies.counts(SEED.slug) == [
        ReplyCounts(0, asked=3, no=1),
        ReplyCounts(1, asked=3, yes=1, no=1),
    ]
