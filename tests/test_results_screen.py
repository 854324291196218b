"""The organizer's results for a case say whom it was offered to once, and why not the others,
in every language the bot speaks."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

import pytest

from bot.db.plans import PlanCounts
from bot.db.shares import ShareCounts
from bot.domain.reminder_costs import StepCost
from bot.domain.replies import ReplyCounts
from bot.rendering import Renderer

RENDERER = Renderer()


def results(language: str, *, urgent: bool = False) -> list[str]:
    return RENDERER.render(
        language,
        "org_results.html",
        case=SimpleNamespace(slug="kz-case"),
        texts=SimpleNamespace(title="A case"),
        funnel=SimpleNamespace(alerted=1234, opened=56, acted=7, by_channel={"fax": 5, "post": 2}),
        offers=SimpleNamespace(
            offered=1234,
            not_offered={"allowance": 9876, "country": 43, "theme": 21, "channel": 8, "closed": 3},
            swept_at=None,
        ),
        urgent=urgent,
        funnel_days=[],
        subscriber_days=[],
        last_day=None,
        earlier=False,
        plans=PlanCounts(),
        shares=ShareCounts(),
        costs=[],
    ).splitlines()


@pytest.mark.parametrize("language", RENDERER.languages)
def test_the_offered_count_is_said_once_and_each_reason_has_its_line(language: str) -> None:
    lines = results(language)
    offered = RENDERER.number(1234, language)
    assert len([line for line in lines if offered in line]) == 1, lines
    for count in (9876, 43, 21, 8, 3):
        shown = RENDERER.number(count, language)
        (line,) = [line for line in lines if line.endswith((f": {shown}", f" : {shown}"))]
        assert line.startswith("• ")
    # Channels are named in the organizer's language, not by the code's keys ("post").
    (by_channel,) = [line for line in lines if line.endswith(RENDERER.number(2, language))]
    assert f"post {RENDERER.number(2, language)}" not in by_channel


def test_the_english_screen_reads_as_an_organizer_would_write_it() -> None:
    lines = results("en", urgent=True)
    assert lines[1:4] == [
        "Offered to: 1,234",
        "<i>People and groups whose alert about this case was queued; an alert may wait for the"
        " person's daytime.</i>",
        "Urgent: offered to everyone whose choices fit, whatever their allowance.",
    ]
    assert "• their allowance was used up or went to other cases: 9,876" in lines
    assert "• the deadline had passed: 3" in lines
    assert "By channel: Fax 5, Post 2" in lines
    assert not [line for line in lines if "Reached" in line]


def test_the_day_lines_put_the_colon_as_each_language_writes_it() -> None:
    def day_lines(language: str) -> list[str]:
        lines = RENDERER.render(
            language,
            "org_results.html",
            case=SimpleNamespace(slug="kz-case"),
            texts=SimpleNamespace(title="A case"),
            funnel=SimpleNamespace(alerted=3, opened=2, acted=1, by_channel={}),
            offers=SimpleNamespace(offered=3, not_offered={}, swept_at=None),
            urgent=False,
            funnel_days=[SimpleNamespace(day=date(2026, 5, 20), alerted=3, opened=2, acted=1)],
            subscriber_days=[SimpleNamespace(day=date(2026, 5, 20), joined=4, left=1, active=9)],
            last_day=SimpleNamespace(day=date(2026, 5, 20), active=9),
            earlier=False,
            plans=PlanCounts(planned=4, done=2, passed_on=1),
            shares=ShareCounts(joined=2, acted=1),
            costs=[
                StepCost("604800", 5, 1, 1, 0, 1, 0),
                StepCost("54000", 3),
                StepCost("plan", 2),
            ],
        ).splitlines()
        day = RENDERER.short_date(date(2026, 5, 20), language)
        return [line for line in lines if line.startswith(day)]

    # French puts a no-break space before a colon; English, Spanish and Russian no space.
    assert day_lines("fr") == ["20 mai\u00a0: 3 · 2 · 1", "20 mai\u00a0: +4 −1 → 9"]
    assert day_lines("en") == ["20 May: 3 · 2 · 1", "20 May: +4 −1 → 9"]
    assert day_lines("es")[0].endswith(": 3 · 2 · 1")
    assert " :" not in day_lines("es")[0] and " :" not in day_lines("ru")[0]


def test_the_reminder_steps_put_the_colon_as_each_language_writes_it() -> None:
    def lines(language: str) -> list[str]:
        return RENDERER.render(
            language,
            "org_results.html",
            case=SimpleNamespace(slug="kz-case"),
            texts=SimpleNamespace(title="A case"),
            funnel=SimpleNamespace(alerted=3, opened=2, acted=1, by_channel={}),
            offers=SimpleNamespace(offered=3, not_offered={}, swept_at=None),
            urgent=False,
            funnel_days=[],
            subscriber_days=[],
            last_day=None,
            earlier=False,
            plans=PlanCounts(planned=4, done=2, passed_on=1),
            shares=ShareCounts(joined=2, acted=1),
            costs=[
                StepCost("604800", 5, 1, 1, 0, 1, 0),
                StepCost("54000", 3),
                StepCost("plan", 2),
            ],
        ).splitlines()

    assert "📣 Through friends' shares: joined 2, acted 1." in lines("en")
    assert "7 days before the deadline: 5 · 1 · 1 · 0 · 1 · 0" in lines("en")
    assert "15 hours before the deadline: 3 · 0 · 0 · 0 · 0 · 0" in lines("en")
    assert "At the time they chose: 2 · 0 · 0 · 0 · 0 · 0" in lines("en")
    assert "7 jours avant l’échéance\u00a0: 5 · 1 · 1 · 0 · 1 · 0" in lines("fr")
    assert "За 15 часов до срока: 3 · 0 · 0 · 0 · 0 · 0" in lines("ru")
    assert "15 horas antes del plazo: 3 · 0 · 0 · 0 · 0 · 0" in lines("es")
    assert "قبل 7 أيام من انتهاء المهلة: 5 · 1 · 1 · 0 · 1 · 0" in lines("ar")


def test_replies_from_the_authorities_are_counted_per_official_in_each_language() -> None:
    def reply_lines(language: str, official: str) -> list[str]:
        counts = ReplyCounts(0, asked=1200, yes=3, no=5, later=2, files=2)
        # The part of the results screen (org_results.html includes it) for replies.
        lines = RENDERER.render(language, "org_replies.html", replies=[(official, counts)])
        return [line for line in lines.splitlines() if line.startswith(official)]

    assert reply_lines("en", "President of Kazakhstan") == [
        "President of Kazakhstan: 1,200 · 3 · 5 · 2 · 2"
    ]
    assert reply_lines("fr", "Président") == ["Président\u00a0: 1\u202f200 · 3 · 5 · 2 · 2"]
    assert RENDERER.render("en", "org_replies.html", replies=[]) == ""
