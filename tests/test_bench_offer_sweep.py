"""The offer-sweep benchmark runs on a small scale: each sweep reads whom its moment needs."""

from __future__ import annotations

from bench import offer_sweep
from bot import eventloop


def test_a_small_offer_sweep_reads_everyone_at_publish_nobody_after_and_the_weekly_slots() -> None:
    at_publish, steady, one_more, week_later, preview = eventloop.run(
        offer_sweep.run(people=200, cases=4)
    )
    # 50 on every case get all 4 (45 of them; 5 digest readers get none), 130 on an allowance
    # one each; a fifth follows only KZ and BY, which two of the four cases are about.
    assert at_publish["looked_at"] == 200
    assert at_publish["offers"] > 150
    # Ten minutes on, nothing new: nobody is read; a short read for each of the four open
    # cases, the generation's transaction and the empty read.
    assert (steady["looked_at"], steady["offers"], steady["transactions"]) == (0, 0, 6)
    # A case more: everyone is read once; those on every case who follow its country get it.
    assert one_more["looked_at"] == 200
    assert 0 < one_more["offers"] < 50
    # A week on, the weekly slots come round (up to 3 a week, 1 a week); two a month wait.
    assert 0 < week_later["looked_at"] < 200
    assert 0 < week_later["offers"] < at_publish["offers"]
    # The preview of one case more: 200 people is few enough to count exactly.
    assert preview["sweep"].startswith("preview: ")
    assert not preview["sweep"].endswith("(about)")
