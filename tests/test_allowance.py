"""The allowance: how many cases each person gets, and which, tested on many cases and people."""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from bot.domain.allowance import (
    Allowance,
    DueReminder,
    NotOffered,
    OpenCase,
    Reader,
    allocate,
    choose,
    digest,
    one_reminder_a_day,
)
from bot.domain.cases import Channel

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
ALL_CHANNELS = frozenset(Channel)


def case(
    slug: str,
    *,
    days_old: float = 0,
    deadline_in: float | None = 30,
    country: str = "KZ",
    themes: frozenset[str] = frozenset(),
    channels: frozenset[Channel] = ALL_CHANNELS,
    urgent: bool = False,
    reached: int = 0,
    appeals: int = 0,
) -> OpenCase:
    return OpenCase(
        slug=slug,
        country_code=country,
        published_at=NOW - timedelta(days=days_old),
        channels=channels,
        deadline=None if deadline_in is None else NOW + timedelta(days=deadline_in),
        themes=themes,
        urgent=urgent,
        reached=reached,
        appeals=appeals,
    )


def test_a_person_on_one_a_week_waits_a_week_after_their_last_case() -> None:
    reader = Reader(1, Allowance.ONE_A_WEEK, offered_at=(NOW - timedelta(days=3),))
    assert reader.next_slot(NOW) == NOW + timedelta(days=4)
    assert choose(reader, [case("a")], NOW) == ()
    assert choose(reader, [case("a")], NOW + timedelta(days=4)) == (case("a"),)


def test_three_a_week_are_spread_over_the_week_not_sent_at_once() -> None:
    reader = Reader(1, Allowance.THREE_A_WEEK, offered_at=(NOW,))
    assert reader.next_slot(NOW) == NOW + timedelta(days=7) / 3


def test_two_a_month_never_gives_a_third_within_thirty_days() -> None:
    offered = (NOW - timedelta(days=29), NOW - timedelta(days=14))
    reader = Reader(1, Allowance.TWO_A_MONTH, offered_at=offered)
    assert reader.next_slot(NOW) == NOW + timedelta(days=1)


def test_every_case_means_every_fitting_case_at_once_oldest_first() -> None:
    reader = Reader(1, Allowance.EVERY, countries=frozenset({"KZ"}))
    cases = [case("new"), case("old", days_old=2), case("elsewhere", country="IR")]
    assert [c.slug for c in choose(reader, cases, NOW)] == ["old", "new"]


def test_a_case_whose_deadline_comes_before_the_next_slot_goes_first() -> None:
    reader = Reader(1, Allowance.ONE_A_WEEK)
    neglected = case("neglected", reached=500, appeals=0)
    closing = case("closing", deadline_in=5, reached=500, appeals=400)
    assert choose(reader, [neglected, closing], NOW) == (closing,)
    # The same case with its deadline after the next slot waits behind the less-served one.
    later = case("closing", deadline_in=9, reached=500, appeals=400)
    assert choose(reader, [neglected, later], NOW) == (neglected,)


def test_of_two_closing_cases_the_sooner_deadline_goes_first() -> None:
    reader = Reader(1, Allowance.ONE_A_WEEK)
    chosen = choose(reader, [case("b", deadline_in=6), case("a", deadline_in=2)], NOW)
    assert [c.slug for c in chosen] == ["a"]


def test_the_case_with_fewest_appeals_per_person_reached_comes_next() -> None:
    reader = Reader(1, Allowance.THREE_A_WEEK)
    cases = [
        case("popular", reached=1000, appeals=300),
        case("overlooked", reached=1000, appeals=20),
        case("middling", reached=100, appeals=15),
    ]
    assert choose(reader, cases, NOW) == (cases[1],)


def test_an_unseen_case_beats_one_as_unanswered_but_reached_more() -> None:
    reader = Reader(1, Allowance.ONE_A_WEEK)
    cases = [case("seen", reached=400), case("unseen")]
    assert choose(reader, cases, NOW) == (cases[1],)


def test_never_a_case_offered_acted_on_or_muted_nor_one_past_its_deadline() -> None:
    reader = Reader(1, Allowance.EVERY, done=frozenset({"acted", "muted"}))
    cases = [case("acted"), case("muted"), case("closed", deadline_in=-1), case("open")]
    assert [c.slug for c in choose(reader, cases, NOW)] == ["open"]


@pytest.mark.parametrize(
    ("reader", "reason"),
    [
        (Reader(1, countries=frozenset({"IR"})), NotOffered.COUNTRY),
        (Reader(1, themes=frozenset({"torture"})), NotOffered.THEME),
        (Reader(1, channels=frozenset({Channel.EMAIL})), NotOffered.CHANNEL),
        (Reader(1, done=frozenset({"kz"})), NotOffered.DONE),
    ],
)
def test_each_filter_names_itself_as_the_reason(reader: Reader, reason: NotOffered) -> None:
    postal = case("kz", themes=frozenset({"death-penalty"}), channels=frozenset({Channel.POST}))
    assert reader.refusal(postal, NOW) is reason
    assert choose(reader, [postal], NOW) == ()


def test_a_case_without_themes_reaches_people_who_follow_some() -> None:
    reader = Reader(1, themes=frozenset({"torture"}))
    assert choose(reader, [case("untagged")], NOW) == (case("untagged"),)


def test_an_urgent_case_goes_past_a_spent_allowance_and_does_not_use_it() -> None:
    reader = Reader(1, Allowance.ONE_A_WEEK, offered_at=(NOW - timedelta(hours=1),))
    execution = case("execution", urgent=True, deadline_in=2)
    assert choose(reader, [execution, case("regular")], NOW) == (execution,)
    fresh = Reader(2, Allowance.ONE_A_WEEK)
    assert choose(fresh, [execution, case("regular")], NOW) == (execution, case("regular"))


def test_an_urgent_case_still_keeps_to_the_persons_filters() -> None:
    reader = Reader(1, Allowance.EVERY, countries=frozenset({"IR"}))
    assert choose(reader, [case("execution", urgent=True)], NOW) == ()


def test_a_round_spreads_one_slot_each_evenly_over_equal_cases() -> None:
    readers = [Reader(i, Allowance.ONE_A_WEEK) for i in range(100)]
    cases = [case(f"case-{n}") for n in range(5)]
    decided = allocate(readers, cases, NOW)
    per_case = Counter(offer.slug for offer in decided.offers)
    assert sorted(per_case.values()) == [20, 20, 20, 20, 20]
    assert {c.reached for c in decided.cases.values()} == {20}
    # Each case was not offered to the 80 people whose slot went to another.
    assert all(reasons == {NotOffered.ALLOWANCE: 80} for reasons in decided.not_offered.values())


def test_a_round_says_why_each_case_missed_people() -> None:
    readers = [
        Reader(1, countries=frozenset({"IR"})),
        Reader(2, channels=frozenset({Channel.EMAIL})),
        Reader(3, Allowance.ONE_A_WEEK, offered_at=(NOW,)),
        Reader(4),
    ]
    decided = allocate(readers, [case("kz", channels=frozenset({Channel.POST}))], NOW)
    assert decided.offers[0].reader_id == 4
    assert len(decided.offers) == 1
    assert decided.not_offered["kz"] == {
        NotOffered.COUNTRY: 1,
        NotOffered.CHANNEL: 1,
        NotOffered.ALLOWANCE: 1,
    }


def test_half_a_year_of_cases_never_exceeds_anyones_allowance() -> None:
    """Many people with mixed settings over 26 weeks of 17 cases a week, one day at a time."""
    rng = random.Random(20260302)
    readers = {
        i: Reader(
            i,
            rng.choice(list(Allowance)),
            countries=None if rng.random() < 0.7 else frozenset(rng.sample(["KZ", "IR", "EG"], 2)),
            channels=ALL_CHANNELS if rng.random() < 0.5 else frozenset({Channel.EMAIL}),
        )
        for i in range(120)
    }
    offered: dict[int, list[datetime]] = {i: [] for i in readers}
    reached: Counter[str] = Counter()
    published: list[OpenCase] = []
    for day in range(26 * 7):
        now = NOW + timedelta(days=day, hours=rng.randint(0, 12))
        if day % 7 == 0:
            published += [
                OpenCase(
                    slug=f"d{day}-{n}",
                    country_code=rng.choice(["KZ", "IR", "EG", "MX", "BH"]),
                    published_at=now,
                    channels=frozenset(rng.sample(list(Channel), rng.randint(1, 3))),
                    deadline=now + timedelta(days=rng.randint(10, 60)),
                    urgent=rng.random() < 0.02,
                )
                for n in range(17)
            ]
        open_cases = [replace(c, reached=reached[c.slug]) for c in published if c.is_open_at(now)]
        current = [replace(r, offered_at=tuple(offered[r.id])) for r in readers.values()]
        urgent = {c.slug for c in open_cases if c.urgent}
        for offer in allocate(current, open_cases, now).offers:
            reached[offer.slug] += 1
            reader = readers[offer.reader_id]
            readers[offer.reader_id] = replace(reader, done=reader.done | {offer.slug})
            if offer.slug not in urgent:
                offered[offer.reader_id].append(now)

    limited = [r for r in readers.values() if r.allowance.per_window is not None]
    assert limited
    for reader in limited:
        times = sorted(offered[reader.id])
        assert times, reader  # everyone on an allowance got cases
        for i, at in enumerate(times):
            within = [t for t in times[i:] if t < at + reader.allowance.window]
            assert len(within) <= (reader.allowance.per_window or 0), (reader, at)
    assert all(reached[c.slug] > 0 for c in published), "a case nobody was offered"


def test_the_digest_lists_every_fitting_open_case_soonest_deadline_first() -> None:
    reader = Reader(1, Allowance.ONE_A_WEEK, countries=frozenset({"KZ"}), done=frozenset({"x"}))
    cases = [
        case("late", deadline_in=40),
        case("soon", deadline_in=3),
        case("no-deadline", deadline_in=None),
        case("elsewhere", country="IR"),
        case("x"),
    ]
    assert [c.slug for c in digest(reader, cases, NOW)] == ["soon", "late", "no-deadline"]


def test_at_most_one_reminder_a_day_the_soonest_deadline_first() -> None:
    due = [
        DueReminder(1, "later", NOW, NOW + timedelta(days=9)),
        DueReminder(1, "sooner", NOW, NOW + timedelta(days=2)),
        DueReminder(2, "later", NOW, NOW + timedelta(days=9)),
        DueReminder(3, "later", NOW, NOW + timedelta(days=9)),
    ]
    kept = one_reminder_a_day(due, {3: NOW - timedelta(hours=20)}, NOW)
    assert sorted((r.reader_id, r.slug) for r in kept) == [(1, "sooner"), (2, "later")]
    assert one_reminder_a_day(due[2:3], {2: NOW - timedelta(hours=25)}, NOW) == (due[2],)
