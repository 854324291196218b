"""Direct replies: queued at the whole bot's pace, and a 429 waited out as often as it comes."""

from __future__ import annotations

import asyncio
import warnings
from datetime import timedelta
from typing import Any

import pytest
from telegram.error import ChatMigrated, RetryAfter

from bot.delivery.limits import SendLimiter
from bot.delivery.replies import ReplyTracker
from tests.delivery.test_limits import Ticks


def refusal(seconds: float) -> RetryAfter:
    """Telegram's 429 as PTB raises it (PTB 22 warns about the type of its retry_after)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return RetryAfter(timedelta(seconds=seconds))


def test_replies_beyond_the_burst_wait_in_line_at_the_reply_rate() -> None:
    ticks = Ticks()
    tracker = ReplyTracker(SendLimiter(25.0), reply_rate=20.0, reply_burst=2.0, monotonic=ticks)
    waits = [tracker.reserve() for _ in range(6)]
    # Two go at once; each one after waits a twentieth of a second longer than the one before.
    assert waits == pytest.approx([0.0, 0.0, 0.05, 0.10, 0.15, 0.20])
    ticks.now += 10.0
    assert tracker.reserve() == 0.0  # the line has cleared


async def test_a_reply_refused_again_and_again_is_retried_until_it_goes() -> None:
    limiter = SendLimiter(25.0)
    tracker = ReplyTracker(limiter)
    calls = 0

    async def send(*args: Any, **kwargs: Any) -> dict[str, Any]:
        nonlocal calls
        calls += 1
        if calls <= 4:
            raise refusal(0.02)
        return {"message_id": 1}

    result = await tracker.process_request(
        send, (), {}, "sendMessage", {"chat_id": 7, "text": "hi"}, None
    )
    assert result == {"message_id": 1}
    assert calls == 5


async def test_a_reply_gives_up_past_the_longest_wait() -> None:
    tracker = ReplyTracker(SendLimiter(25.0), longest_wait=0.05)
    calls = 0

    async def send(*args: Any, **kwargs: Any) -> dict[str, Any]:
        nonlocal calls
        calls += 1
        raise refusal(0.02)

    with pytest.raises(RetryAfter):
        await tracker.process_request(send, (), {}, "editMessageText", {"chat_id": 7}, None)
    assert calls == 3  # 20 + 20 ms waited, the third refusal would pass 50 ms


async def test_a_429_for_one_chat_holds_that_chat_and_no_other() -> None:
    limiter = SendLimiter(25.0)
    tracker = ReplyTracker(limiter, longest_wait=0.0)

    async def send(*args: Any, **kwargs: Any) -> dict[str, Any]:
        raise refusal(3)

    with pytest.raises(RetryAfter):
        await tracker.process_request(send, (), {}, "sendMessage", {"chat_id": -7}, None)
    assert 2.0 < limiter.chat_wait(-7) <= 3.0
    assert limiter.paused_for() == 0
    assert limiter.chat_wait(8) == 0
    assert limiter.wait() == 0


async def test_429s_for_several_chats_at_once_pause_every_send() -> None:
    limiter = SendLimiter(25.0)
    tracker = ReplyTracker(limiter, longest_wait=0.0)

    async def send(*args: Any, **kwargs: Any) -> dict[str, Any]:
        raise refusal(3)

    for chat in (7, 8):
        with pytest.raises(RetryAfter):
            await tracker.process_request(send, (), {}, "sendMessage", {"chat_id": chat}, None)
        assert limiter.paused_for() == 0
    # A third chat refused within moments: the whole bot's limit, not one chat's.
    with pytest.raises(RetryAfter):
        await tracker.process_request(send, (), {}, "sendMessage", {"chat_id": 9}, None)
    assert 2.0 < limiter.paused_for() <= 3.0


async def test_a_429_for_a_call_to_no_chat_pauses_every_send() -> None:
    limiter = SendLimiter(25.0)
    tracker = ReplyTracker(limiter, longest_wait=0.0)

    async def send(*args: Any, **kwargs: Any) -> dict[str, Any]:
        raise refusal(3)

    with pytest.raises(RetryAfter):
        await tracker.process_request(
            send, (), {}, "answerCallbackQuery", {"callback_query_id": "1"}, None
        )
    assert 2.0 < limiter.paused_for() <= 3.0


async def test_every_new_message_takes_its_share_of_the_rate_the_processes_share() -> None:
    tracker = ReplyTracker(SendLimiter(25.0))
    events: list[str] = []

    async def share() -> float:
        events.append("share taken")
        return 0.0

    async def send(*args: Any, **kwargs: Any) -> dict[str, Any]:
        events.append("sent")
        return {"message_id": 1}

    tracker.shared = share
    await tracker.process_request(send, (), {}, "sendMessage", {"chat_id": 7}, None)
    assert events == ["share taken", "sent"]
    # Answering a tap is not a message: it takes no share of the rate.
    events.clear()
    await tracker.process_request(send, (), {}, "answerCallbackQuery", {}, None)
    assert events == ["sent"]


async def test_a_reply_still_goes_when_the_shared_rate_cannot_be_read(
    caplog: pytest.LogCaptureFixture,
) -> None:
    tracker = ReplyTracker(SendLimiter(25.0))

    async def closed() -> float:
        raise ConnectionError("the pool is closed")

    async def send(*args: Any, **kwargs: Any) -> dict[str, Any]:
        return {"message_id": 1}

    tracker.shared = closed
    result = await tracker.process_request(send, (), {}, "sendMessage", {"chat_id": 7}, None)
    assert result == {"message_id": 1}
    assert "shared send rate is out of reach" in caplog.text


async def test_replies_the_database_lets_through_together_still_leave_at_the_reply_rate() -> None:
    # A busy database answers the shared rate late and for many replies at once; this
    # process's own queue comes after it, so they do not reach Telegram in one burst.
    tracker = ReplyTracker(SendLimiter(25.0), reply_rate=50.0, reply_burst=1.0)
    answered = asyncio.Event()
    loop = asyncio.get_running_loop()
    sent: list[float] = []

    async def late_share() -> float:
        await answered.wait()
        return 0.0

    async def send(*args: Any, **kwargs: Any) -> dict[str, Any]:
        sent.append(loop.time())
        return {"message_id": 1}

    tracker.shared = late_share
    replies = [
        asyncio.create_task(
            tracker.process_request(send, (), {}, "sendMessage", {"chat_id": chat}, None)
        )
        for chat in range(1, 12)
    ]
    await asyncio.sleep(0.3)  # longer than the queue of eleven at fifty a second
    answered.set()
    await asyncio.gather(*replies)
    # One at once, then one every fiftieth of a second: ten intervals, 0.2 s.
    assert sent[-1] - sent[0] >= 0.18


async def test_a_reply_to_a_group_that_became_a_supergroup_follows_it_once() -> None:
    tracker = ReplyTracker(SendLimiter(25.0))
    moved: list[tuple[int, int]] = []

    async def migrated(old: int, new: int) -> None:
        moved.append((old, new))

    tracker.migrated = migrated
    data: dict[str, Any] = {"chat_id": -5, "text": "hi"}
    posted_to: list[int] = []

    async def send(endpoint: str, params: dict[str, Any]) -> dict[str, Any]:
        posted_to.append(params["chat_id"])
        if params["chat_id"] == -5:
            raise ChatMigrated(-1009)
        return {"message_id": 1}

    result = await tracker.process_request(
        send, ("sendMessage", data), {}, "sendMessage", data, None
    )
    assert result == {"message_id": 1}
    assert posted_to == [-5, -1009]
    assert moved == [(-5, -1009)]


async def test_a_reply_that_meets_a_second_move_gives_up() -> None:
    tracker = ReplyTracker(SendLimiter(25.0))
    data: dict[str, Any] = {"chat_id": -5, "text": "hi"}

    async def send(endpoint: str, params: dict[str, Any]) -> dict[str, Any]:
        raise ChatMigrated(params["chat_id"] - 1000)

    with pytest.raises(ChatMigrated):
        await tracker.process_request(send, ("sendMessage", data), {}, "sendMessage", data, None)
