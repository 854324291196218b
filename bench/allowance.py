"""A year of Urgent Actions for 10,000 people: how the allowance spreads appeals across cases.

    python -m bench.allowance                     # 10,000 people, 52 weeks, 17 cases a week
    python -m bench.allowance --people 2000 --weeks 26 --json out.json

No Telegram and no database: the real choice (`bot.domain.allowance`) against two others, on the
same people and the same cases (one seed):

- **everyone**: today's bot, every case to everyone whose filters accept it, as it is published;
- **newest first**: the same allowances and slots as ours, but the newest fitting case is taken;
- **ours**: `bot.domain.allowance.choose` through `allocate`, one pass a day.

The people: allowances mixed (20% every case, 30% up to 3 a week, 35% 1 a week, 15% 2 a month);
30% follow two or three countries only, 20% a few themes only, 40% can only email. Each person
acts on a case offered to them with their own probability (uniform 5-50%) while they have the
time: at most as many letters a week as their allowance says (4 for "every case", 1 a fortnight
for "2 a month"). The cases: 17 a week, published on weekdays; a deadline 10 to 60 days later
(a fifth of them within 14 days), 2% urgent; themes and channels drawn at random.

Figures: alerts a week per person (mean, and the most any person got in any 7 days, against their
allowance), appeals per case (median, 10th percentile, the share of cases under 10% of the median
and with none) and the Gini coefficient of appeals across cases (0 even, 1 all on one case), over
the cases whose deadline passed within the simulated time; the same for the appeals of people on
an allowance alone, the part the choice of cases moves.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from bisect import bisect_left
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.domain.allowance import Allowance, OpenCase, Reader, allocate
from bot.domain.cases import Channel
from bot.domain.themes import THEMES as CASE_THEMES

START = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)  # a Monday
COUNTRIES = ["KZ", "IR", "EG", "MX", "BH", "SA", "CN", "RU", "BY", "TR", "VE", "NG"]
THEMES = list(CASE_THEMES[:8])  # the first eight themes a case file may name
LETTERS_A_WEEK = {
    Allowance.EVERY: 4.0,
    Allowance.THREE_A_WEEK: 3.0,
    Allowance.ONE_A_WEEK: 1.0,
    Allowance.TWO_A_MONTH: 0.5,
}


@dataclass
class Person:
    """One simulated person: their settings, their willingness, their history."""

    reader: Reader
    propensity: float
    offered: list[datetime] = field(default_factory=list)  # non-urgent offers, in order
    acted: list[datetime] = field(default_factory=list)

    def has_time(self, now: datetime) -> bool:
        """Whether they still write letters this week (or this fortnight, for 2 a month)."""
        per_week = LETTERS_A_WEEK[self.reader.allowance]
        window = timedelta(days=7) if per_week >= 1 else timedelta(days=14)
        allowed = max(1, round(per_week)) if per_week >= 1 else 1
        return sum(1 for t in self.acted if t > now - window) < allowed


@dataclass
class World:
    """The people and the cases, drawn once from a seed, then copied for each policy."""

    people: list[Person]
    cases: list[OpenCase]  # in order of publication


def build_world(people: int, weeks: int, seed: int) -> World:
    """The same people and cases for every policy."""
    rng = random.Random(seed)
    allowances = rng.choices(list(Allowance), weights=[20, 30, 35, 15], k=people)
    population: list[Person] = []
    for i, allowance in enumerate(allowances):
        countries = (
            frozenset(rng.sample(COUNTRIES, rng.randint(2, 3))) if rng.random() < 0.3 else None
        )
        themes = frozenset(rng.sample(THEMES, rng.randint(1, 3))) if rng.random() < 0.2 else None
        channels = frozenset({Channel.EMAIL}) if rng.random() < 0.4 else frozenset(Channel)
        reader = Reader(i, allowance, countries=countries, themes=themes, channels=channels)
        population.append(Person(reader, rng.uniform(0.05, 0.5)))
    cases: list[OpenCase] = []
    for week in range(weeks):
        for n in range(17):
            published = START + timedelta(weeks=week, days=n % 5, hours=rng.randint(0, 8))
            days = rng.randint(7, 14) if rng.random() < 0.2 else rng.randint(15, 60)
            channels = frozenset(rng.sample(list(Channel), rng.randint(1, 3)))
            cases.append(
                OpenCase(
                    slug=f"w{week}-{n}",
                    country_code=rng.choice(COUNTRIES),
                    published_at=published,
                    channels=channels,
                    deadline=published + timedelta(days=days),
                    themes=frozenset(rng.sample(THEMES, rng.randint(1, 2))),
                    urgent=rng.random() < 0.02,
                )
            )
    return World(population, cases)


# A policy sees everyone, the open cases, those published since its last pass, and the time.
Policy = Callable[
    [Sequence[Person], Sequence[OpenCase], Sequence[OpenCase], datetime], list[tuple[int, str]]
]


def everyone(
    people: Sequence[Person], cases: Sequence[OpenCase], fresh: Sequence[OpenCase], now: datetime
) -> list[tuple[int, str]]:
    """Today's bot: every fitting case to everyone as it is published, whatever they chose."""
    unlimited = [replace(p.reader, allowance=Allowance.EVERY) for p in people]
    return [(o.reader_id, o.slug) for o in allocate(unlimited, fresh, now).offers]


def newest_first(
    people: Sequence[Person], cases: Sequence[OpenCase], fresh: Sequence[OpenCase], now: datetime
) -> list[tuple[int, str]]:
    """The same allowances and slots, filled with the newest fitting case."""
    offers: list[tuple[int, str]] = []
    for person in _due(people, cases, fresh, now):
        reader = person.reader
        fitting = [c for c in cases if reader.refusal(c, now) is None]
        offers += [(reader.id, c.slug) for c in fitting if c.urgent]
        regular = [c for c in fitting if not c.urgent]
        if not regular:
            continue
        if reader.allowance is Allowance.EVERY:
            offers += [(reader.id, c.slug) for c in regular]
        elif reader.next_slot(now) <= now:
            newest = max(regular, key=lambda c: (c.published_at, c.slug))
            offers.append((reader.id, newest.slug))
    return offers


def ours(
    people: Sequence[Person], cases: Sequence[OpenCase], fresh: Sequence[OpenCase], now: datetime
) -> list[tuple[int, str]]:
    """The bot's choice: `allocate` over everyone whose slot is free."""
    readers = [p.reader for p in _due(people, cases, fresh, now)]
    return [(o.reader_id, o.slug) for o in allocate(readers, cases, now).offers]


def _due(
    people: Sequence[Person], cases: Sequence[OpenCase], fresh: Sequence[OpenCase], now: datetime
) -> list[Person]:
    """Those who may get a case now: a free slot, or a case they have not had that goes past it.

    Only a shortcut, for the simulation's speed: `choose` would offer the others nothing. A
    person who takes every case has had every open case but those published since the last pass;
    anyone may have an urgent case still to come.
    """
    urgent = [c.slug for c in cases if c.urgent]
    return [
        p
        for p in people
        if (
            bool(fresh)
            if p.reader.allowance is Allowance.EVERY
            else p.reader.next_slot(now) <= now
        )
        or any(s not in p.reader.done for s in urgent)
    ]


_INSTANT = timedelta(microseconds=1)
POLICIES: dict[str, Policy] = {"everyone": everyone, "newest first": newest_first, "ours": ours}


def simulate(world: World, policy: Policy, weeks: int, seed: int) -> dict[str, object]:
    """Run one policy over the weeks, three passes a day (09:00, 12:00, 15:00), and measure."""
    rng = random.Random(seed + 1)
    people = [replace(p, offered=[], acted=[]) for p in world.people]
    reached: Counter[str] = Counter()
    appeals: Counter[str] = Counter()
    chosen: Counter[str] = Counter()  # appeals from people on an allowance: what the choice moves
    urgent = {c.slug for c in world.cases if c.urgent}
    published = [c.published_at for c in world.cases]
    known: list[OpenCase] = []
    started = time.process_time()
    for step in range(weeks * 7 * 3):
        now = START + timedelta(days=step // 3, hours=3 * (step % 3))
        seen, known = len(known), world.cases[: bisect_left(published, now + _INSTANT)]
        fresh = [c for c in known[seen:] if c.is_open_at(now)]
        open_cases = [
            replace(c, reached=reached[c.slug], appeals=appeals[c.slug])
            for c in known
            if c.is_open_at(now)
        ]
        fresh = [replace(c, reached=reached[c.slug]) for c in fresh]
        for reader_id, slug in policy(people, open_cases, fresh, now):
            person = people[reader_id]
            reached[slug] += 1
            person.reader = replace(
                person.reader,
                done=person.reader.done | {slug},
                offered_at=_recent(person.reader.offered_at, now, slug in urgent),
            )
            if slug not in urgent:
                person.offered.append(now)
            if person.has_time(now) and rng.random() < person.propensity:
                person.acted.append(now)
                appeals[slug] += 1
                chosen[slug] += person.reader.allowance is not Allowance.EVERY
    return _figures(world, people, reached, appeals, chosen, weeks, time.process_time() - started)


def _recent(offered_at: tuple[datetime, ...], now: datetime, urgent: bool) -> tuple[datetime, ...]:
    """The offers the allowance still counts: the last 30 days, plus this one unless urgent."""
    kept = tuple(t for t in offered_at if t > now - timedelta(days=30))
    return kept if urgent else (*kept, now)


def _figures(
    world: World,
    people: Sequence[Person],
    reached: Counter[str],
    appeals: Counter[str],
    chosen: Counter[str],
    weeks: int,
    cpu: float,
) -> dict[str, object]:
    # Cases still open at the end have had only part of their time: count the closed ones.
    end = START + timedelta(weeks=weeks)
    closed = [c for c in world.cases if c.deadline is not None and c.deadline <= end]
    per_case = [appeals[c.slug] for c in closed]
    from_allowances = [chosen[c.slug] for c in closed]
    median = statistics.median(per_case)
    by_allowance: dict[str, dict[str, float]] = {}
    over = 0
    for allowance in Allowance:
        group = [p for p in people if p.reader.allowance is allowance]
        if not group:
            continue
        weekly = [len(p.offered) / weeks for p in group]
        most = max(_most_in_window(p.offered, timedelta(days=7)) for p in group)
        by_allowance[allowance.value] = {
            "people": len(group),
            "alerts a week, mean": round(statistics.fmean(weekly), 2),
            "most in any 7 days": most,
            "letters a week, mean": round(
                statistics.fmean(len(p.acted) / weeks for p in group), 2
            ),
        }
        count = allowance.per_window
        if count is not None:
            over += sum(1 for p in group if _most_in_window(p.offered, allowance.window) > count)
    return {
        "cases closed by the end": len(closed),
        "appeals": sum(appeals.values()),
        "appeals per case, median": median,
        "appeals per case, 10th percentile": statistics.quantiles(per_case, n=10)[0],
        "cases under 10% of the median": round(
            sum(1 for a in per_case if a < median / 10) / len(per_case), 4
        ),
        "cases with no appeal": round(sum(1 for a in per_case if a == 0) / len(per_case), 4),
        "gini": round(_gini(per_case), 3),
        "from people on an allowance: 10th percentile / median": round(
            statistics.quantiles(from_allowances, n=10)[0]
            / (statistics.median(from_allowances) or 1),
            3,
        ),
        "from people on an allowance: gini": round(_gini(from_allowances), 3),
        "reach per case, median": statistics.median(reached[c.slug] for c in closed),
        "reach per case, 10th percentile": statistics.quantiles(
            [reached[c.slug] for c in closed], n=10
        )[0],
        "people over their allowance": over,
        "by allowance": by_allowance,
        "cpu seconds": round(cpu, 1),
    }


def _most_in_window(times: Sequence[datetime], window: timedelta) -> int:
    """The most offers that fell within any one window."""
    most = 0
    for i, at in enumerate(times):
        most = max(most, bisect_left(times, at + window, lo=i) - i)
    return most


def _gini(values: Iterable[int]) -> float:
    ordered = sorted(values)
    total = sum(ordered)
    if not total:
        return 0.0
    n = len(ordered)
    weighted = sum((i + 1) * v for i, v in enumerate(ordered))
    return (2 * weighted) / (n * total) - (n + 1) / n


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, default=10_000)
    parser.add_argument("--weeks", type=int, default=52)
    parser.add_argument("--seed", type=int, default=17)
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args(argv)
    world = build_world(args.people, args.weeks, args.seed)
    print(f"{args.people} people, {len(world.cases)} cases over {args.weeks} weeks")
    report: dict[str, object] = {}
    for name, policy in POLICIES.items():
        figures = simulate(world, policy, args.weeks, args.seed)
        report[name] = figures
        print(f"\n{name}:")
        for key, value in figures.items():
            if key == "by allowance":
                assert isinstance(value, dict)
                for allowance, row in value.items():
                    print(f"  {allowance:>8}: {row}")
            else:
                print(f"  {key}: {value}")
    if args.json:
        args.json.write_text(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
