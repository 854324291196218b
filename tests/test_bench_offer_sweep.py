"""The offer-sweep benchmark runs on a small scale: each sweep offers what its moment allows."""

from __future__ import annotations

from bench import offer_sweep
from bot import eventloop


def test_a_small_offer_sweep_offers_at_publish_nothing_an_hour_later_and_the_weekly_slots() -> (
    None
):
    at_publish, hour_later, week_later = eventloop.run(offer_sweep.run(people=200, cases=4))
    # 50 on every case get all 4 (45 of them; 5 digest readers get none), 130 on an allowance
    # one each; a fifth follows only KZ and BY, which two of the four cases are about.
    assert at_publish["offers"] > 150
    assert hour_later["offers"] == 0
    # A week on, the weekly slots come round (up to 3 a week, 1 a week); two a month wait.
    assert 0 < week_later["offers"] < at_publish["offers"]
    for sweep in (at_publish, hour_later, week_later):
        # Two batches of 100 people, the read that finds no more, and the reasons.
        assert sweep["transactions"] == 4
