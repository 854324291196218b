"""The organizer's results for a case say whom it was offered to once, and why not the others,
in every language the bot speaks."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

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
