"""The shared limiter: the whole bot's rate, each chat's pace, the pause after a 429."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from bot.delivery.limits import ChatLimits, SendLimiter


@dataclass
class Ticks:
    """A monotonic clock the test moves."""

    now: float = 100.0

    def __call__(self) -> float:
        return self.now


def test_the_whole_bot_rate_spaces_sends_after_the_burst() -> None:
    ticks = Ticks()
    limiter = SendLimiter(20.0, burst=2.0, monotonic=ticks)
    sent = 0
    # Over ten simulated seconds, send whenever the limiter allows.
    while ticks.now < 110.0:
        if limiter.wait() == 0:
            limiter.answered(1000 + sent, limiter.note(1000 + sent))  # answered at once
            sent += 1
        else:
            ticks.now += limiter.wait()
    assert 200 <= sent <= 202  # the rate, plus the burst


def test_a_person_gets_at_most_one_message_a_second() -> None:
    ticks = Ticks()
    limiter = SendLimiter(1000.0, monotonic=ticks)
    assert limiter.chat_wait(7) == 0
    limiter.note(7)
    assert limiter.chat_wait(7) == pytest.approx(1.0)
    assert limiter.chat_wait(8) == 0
    ticks.now += 0.6
    assert limiter.chat_wait(7) == pytest.approx(0.4)
    ticks.now += 0.4
    assert limiter.chat_wait(7) == 0


def test_a_group_gets_at_most_twenty_messages_a_minute() -> None:
    ticks = Ticks()
    limiter = SendLimiter(1000.0, monotonic=ticks)
    for _ in range(20):
        assert limiter.chat_wait(-5) == 0
        limiter.note(-5)
        ticks.now += 1.0
    # The first of the twenty went out 20 s ago: the window reopens 40 s from now.
    assert limiter.chat_wait(-5) == pytest.approx(40.0)
    ticks.now += 40.0
    assert limiter.chat_wait(-5) == 0


def test_a_pause_holds_every_send_until_it_ends() -> None:
    ticks = Ticks()
    limiter = SendLimiter(25.0, monotonic=ticks)
    limiter.pause(3.0)
    assert limiter.wait() == pytest.approx(3.0)
    assert limiter.paused_for() == pytest.approx(3.0)
    limiter.pause(1.0)  # a shorter pause does not end a longer one
    ticks.now += 3.0
    assert limiter.wait() == 0
    assert limiter.paused_for() == 0


def test_replies_take_their_share_so_the_engine_waits_for_them() -> None:
    ticks = Ticks()
    limiter = SendLimiter(10.0, burst=1.0, monotonic=ticks)
    for chat in range(1, 6):
        limiter.note(chat)  # five direct replies at once: never delayed
    # The engine's next send waits until the replies are paid for at 10 a second.
    assert limiter.wait() == pytest.approx(0.5)


def test_a_groups_window_counts_from_when_its_messages_were_answered() -> None:
    ticks = Ticks()
    chats = ChatLimits(group_messages=2, group_window=10.0)
    limiter = SendLimiter(1e9, chats=chats, monotonic=ticks)
    first, second = limiter.note(-5), limiter.note(-5)
    # The second reached the group 0.2 s after it was sent, the first 0.5 s after.
    ticks.now += 0.2
    limiter.answered(-5, second)
    ticks.now += 0.3
    limiter.answered(-5, first)
    assert limiter.chat_wait(-5) == pytest.approx(9.7)
    limiter.answered(-5, first)  # an answer noted twice changes nothing
    assert limiter.chat_wait(-5) == pytest.approx(9.7)


def test_old_entries_are_swept_so_memory_stays_bounded() -> None:
    ticks = Ticks()
    limiter = SendLimiter(1e9, chats=ChatLimits(group_window=1.0), monotonic=ticks)
    for chat in range(1, 10_000):
        limiter.note(chat)
        limiter.note(-chat)
        ticks.now += 0.01
    assert len(limiter._private) < 5000
    assert len(limiter._groups) < 5000


def test_a_rate_must_be_positive() -> None:
    with pytest.raises(ValueError, match="positive"):
        SendLimiter(0)


def test_the_engine_may_wait_for_a_bunch_of_sends_up_to_the_burst() -> None:
    ticks = Ticks()
    limiter = SendLimiter(25.0, burst=5.0, monotonic=ticks)
    for chat in range(1, 6):
        limiter.note(chat)
    assert limiter.wait() == pytest.approx(0.04)  # one message's worth
    assert limiter.wait(5) == pytest.approx(0.2)  # five messages' worth, sent together
    assert limiter.wait(50) == pytest.approx(0.2)  # never more than the burst
    ticks.now += 0.2
    assert limiter.wait(5) == 0


def test_replies_queued_at_once_to_a_group_each_take_their_own_moment() -> None:
    ticks = Ticks()
    limiter = SendLimiter(1000.0, monotonic=ticks)
    # Twenty-five replies to one group, all queued before any goes: no two share a moment of
    # the group's window, so the 21st waits the window's minute instead of meeting a 429.
    moments = [limiter.reserve_chat(-5) for _ in range(25)]
    assert moments[:20] == [100.0] * 20
    assert moments[20:] == [160.0] * 5
    assert limiter.chat_wait(-5) == pytest.approx(60.0)


def test_a_persons_replies_come_a_few_at_once_then_one_a_second() -> None:
    ticks = Ticks()
    limiter = SendLimiter(1000.0, monotonic=ticks)
    moments = [limiter.reserve_chat(7) - 100.0 for _ in range(6)]
    assert moments == pytest.approx([0.0, 0.0, 0.0, 1.0, 2.0, 3.0])
    assert limiter.reserve_chat(8) == 100.0  # another person's line is their own
    ticks.now += 30.0
    assert limiter.reserve_chat(7) == 130.0  # a person who slowed down is answered at once


def test_a_persons_messages_count_as_arrived_when_answered() -> None:
    """Telegram counts a message when it arrives, somewhere between its posting and its
    answer: the fourth of a burst must come a second after the first arrived, and the first
    answered late may have arrived just then."""
    ticks = Ticks()
    limiter = SendLimiter(1000.0, monotonic=ticks)
    moments = [limiter.reserve_chat(7) for _ in range(4)]
    assert moments == pytest.approx([100.0, 100.0, 100.0, 101.0])
    noted = [limiter.note(7, moment) for moment in moments[:3]]
    assert limiter.arrival_wait(7) > 0  # a whole burst on its way: an answer comes first
    assert limiter.arrival_wait(8) == 0  # another person's chat is their own
    ticks.now += 0.3  # answered late: they may all have arrived just now
    for moment in noted:
        limiter.answered(7, moment)
    assert limiter.arrival_wait(7) == pytest.approx(1.0)  # the fourth goes at 101.3, not 101
    assert limiter.chat_wait(7) == pytest.approx(3.7)  # the engine waits for the line to end
    ticks.now += 1.0
    assert limiter.arrival_wait(7) == 0
    limiter.note(7, moments[3])  # on its way: the fifth goes a second after it
    assert limiter.arrival_wait(7) == pytest.approx(1.0)
    ticks.now += 100.0  # a person who slowed down is answered at once again
    assert limiter.arrival_wait(7) == 0


def test_a_429_for_one_chat_holds_that_chat_only() -> None:
    ticks = Ticks()
    limiter = SendLimiter(25.0, monotonic=ticks)
    assert limiter.flood(-5, 30.0) is False
    assert limiter.flood(-5, 30.0) is False  # the same chat again is still one chat's limit
    assert limiter.chat_wait(-5) == pytest.approx(30.0)
    assert limiter.reserve_chat(-5) == pytest.approx(130.0)
    assert limiter.chat_wait(-6) == 0
    assert limiter.reserve_chat(7) == 100.0
    assert limiter.wait() == 0
    assert limiter.paused_for() == 0


def test_429s_for_three_chats_within_moments_pause_every_send() -> None:
    ticks = Ticks()
    limiter = SendLimiter(25.0, monotonic=ticks)
    assert limiter.flood(7, 5.0) is False
    ticks.now += 3.0
    assert limiter.flood(8, 5.0) is False  # the first is too old to count with it
    ticks.now += 0.5
    assert limiter.flood(9, 5.0) is False
    assert limiter.flood(10, 5.0) is True
    assert limiter.paused_for() == pytest.approx(5.0)
    assert limiter.flood(None, 9.0) is True  # a call to no chat: the whole bot's limit
    assert limiter.paused_for() == pytest.approx(9.0)


def test_no_second_holds_more_than_the_windows_share_of_messages() -> None:
    ticks = Ticks()
    limiter = SendLimiter(25.0, monotonic=ticks)
    assert limiter.window_cap == 28  # Telegram's 30 in any second, less two for bunching
    # Replies are never refused by the bucket, but the last second's count holds them.
    for chat in range(1, 15):
        limiter.answered(chat, limiter.note(chat))  # Telegram answers at once
    ticks.now += 0.5
    for chat in range(15, 29):
        limiter.answered(chat, limiter.note(chat))
    assert limiter.window_wait() == pytest.approx(0.5)
    assert limiter.wait() >= 0.5
    ticks.now += 0.5  # the first fourteen leave the window
    assert limiter.window_wait() == 0
    for chat in range(29, 43):
        limiter.answered(chat, limiter.note(chat))
    assert limiter.window_wait() == pytest.approx(0.5)


def test_a_message_holds_its_place_in_the_second_until_a_second_after_its_answer() -> None:
    """Telegram counts a message when it arrives, which may be long after it was posted (a
    busy event loop, a slow network): until it is answered, it may still arrive with the next
    second's messages."""
    ticks = Ticks()
    limiter = SendLimiter(25.0, monotonic=ticks)
    posted = [(chat, limiter.note(chat)) for chat in range(1, 29)]
    ticks.now += 1.5  # none of them answered yet
    assert limiter.window_wait() == pytest.approx(1.0)
    for chat, noted in posted[:14]:
        limiter.answered(chat, noted)  # arrived just now, with the next ones if they went
    assert limiter.window_wait() == pytest.approx(1.0)
    ticks.now += 0.5
    for chat, noted in posted[14:]:
        limiter.answered(chat, noted)
    assert limiter.window_wait() == pytest.approx(0.5)  # when the first fourteen leave
    ticks.now += 0.5
    assert limiter.window_wait() == 0
    for chat in range(29, 43):
        limiter.note(chat)
    assert limiter.window_wait() == pytest.approx(0.5)  # fourteen on their way, fourteen left
