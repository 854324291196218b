"""The replies benchmark runs on a small scale and reports every figure."""

from __future__ import annotations

from bench.replies import one_run


async def test_a_small_run_asks_everyone_once_and_nobody_early() -> None:
    figures = await one_run(300, photo=(400, 300))
    assert figures["asked_early"] == 0
    assert figures["asked"] == 300
    assert figures["asked_twice"] == 0
    # Two languages, one official: two messages stored, not one per person.
    assert figures["payloads"] == 2
    assert {"sweep_s", "nothing_due_s", "photo_12mp_clean_s"} <= figures.keys()
