"""A year of cases and reminders: the default plan against the planning prompt.

    python -m bench.plans                          # 10,000 people, 52 weeks
    python -m bench.plans --people 2000 --json out.json

No Telegram and no database: a model of what happens after a case reaches a person, run for
the same people and the same draws under two designs of the card:

- **default plan**: "Not now" hands the person to the case's reminders (7 days before the
  deadline, 2 days before, the deadline's morning: `bot.domain.reminders.DEFAULT_PLAN`);
- **planning prompt**: the card asks "When will you write?". Some choose a time and get one
  reminder then (`bot.domain.plans`), some pass the case on and get none, the others say
  nothing and get the default plan.

The assumptions (`Model`, each a field, printed with the figures):

- One case a week reaches each person still subscribed (an allowance of one a week).
- Each person has a chance of their own to act on a case at the alert, within the two or three
  days when almost every response comes (issue 24: a field experiment with 53,000 donors; a long
  deadline drew the fewest responses): uniform between 5% and 40%.
- A reminder to someone who has not acted brings a smaller share of that chance the later it
  comes (1/2, then 1/3, then 1/3): later reminders add little (issue 24: weekly reminders did
  no better than monthly ones).
- Every reminder carries a chance of stopping the bot (0.5%), every alert a smaller one (0.1%):
  reminders raise action and unsubscribes both (issue 24: ignoring the unsubscribes overstated
  their benefit about tenfold). Whoever stops gets no more cases that year.
- Asked when they will write, 45% of those who did not act at once choose a time, 15% pass the
  case on, 40% do not answer. Choosing a time raises follow-through: a planner acts at their one
  reminder with 1.5 times their alert chance (a planning prompt raised flu vaccination from
  33.1% to 37.3% in Milkman et al., PNAS 2011, on people who had not chosen to plan; those who
  choose to here are taken to be more committed). A case passed on is not replaced by another
  in this model, so the prompt's appeals are a lower bound.

Figures per design: appeals per case, stops per 1,000 people over the year (and how many of
them followed a reminder), reminders sent per person, and letters per stop (appeals in the year
divided by the people who stopped).
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections.abc import Sequence
from dataclasses import asdict, dataclass, replace
from pathlib import Path

DESIGNS = ("default plan", "planning prompt")
HEADLINE = ("appeals per case", "stops per 1,000 people", "letters per stop")
SENSITIVITY = (0.002, 0.01)


@dataclass(frozen=True)
class Model:
    """The assumptions, one field each (see the module's docstring for where they come from)."""

    weeks: int = 52
    alert_chance_low: float = 0.05
    alert_chance_high: float = 0.40
    reminder_share: tuple[float, ...] = (1 / 2, 1 / 3, 1 / 3)  # the default plan's 3 steps
    stop_per_reminder: float = 0.005
    stop_per_alert: float = 0.001
    plans_a_time: float = 0.45
    passes_on: float = 0.15
    plan_boost: float = 1.5


@dataclass
class Tally:
    """What one design's year added up to."""

    appeals: int = 0
    stops: int = 0
    after_reminder: int = 0
    reminders: int = 0
    planned: int = 0
    passed: int = 0


def simulate(people: int, design: str, model: Model, seed: int) -> dict[str, float]:
    """Run one design for `people` over the model's weeks; the same seed draws the same people."""
    if design not in DESIGNS:
        raise ValueError(f"unknown design {design!r}")
    rng = random.Random(seed)
    chances = [rng.uniform(model.alert_chance_low, model.alert_chance_high) for _ in range(people)]
    tally = Tally()
    for person, chance in enumerate(chances):
        # Each person's own stream of draws: both designs meet the same luck case by case.
        luck = random.Random(seed * 1_000_003 + person)
        for _ in range(model.weeks):
            if not _one_case(design, model, chance, [luck.random() for _ in range(9)], tally):
                tally.stops += 1
                break
    return {
        "appeals per case": round(tally.appeals / model.weeks, 1),
        "stops per 1,000 people": round(1000 * tally.stops / people, 1),
        "of which after a reminder": round(1000 * tally.after_reminder / people, 1),
        "reminders per person": round(tally.reminders / people, 1),
        "letters per stop": round(tally.appeals / tally.stops, 1) if tally.stops else 0.0,
        "planned a time": tally.planned,
        "passed on": tally.passed,
        "appeals": tally.appeals,
        "stops": tally.stops,
    }


def _one_case(design: str, model: Model, chance: float, draws: list[float], tally: Tally) -> bool:
    """One case reaching one person: count what happens; False when they stop the bot."""
    if draws[0] < model.stop_per_alert:
        return False
    if draws[1] < chance:
        tally.appeals += 1
        return True
    steps: list[float] = list(model.reminder_share)
    if design == "planning prompt":
        if draws[2] < model.plans_a_time:
            tally.planned += 1
            steps = [model.plan_boost]
        elif draws[2] < model.plans_a_time + model.passes_on:
            tally.passed += 1
            steps = []
    for n, share in enumerate(steps):
        tally.reminders += 1
        if draws[3 + n] < model.stop_per_reminder:
            tally.after_reminder += 1
            return False
        # A reminder brings a share of the person's chance (a planner's, more than all of it).
        if draws[6 + n] < min(1.0, chance * share):
            tally.appeals += 1
            return True
    return True


def run(people: int, seed: int, model: Model | None = None) -> dict[str, dict[str, float]]:
    """Both designs on the same people."""
    model = model or Model()
    return {design: simulate(people, design, model, seed) for design in DESIGNS}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--people", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=24)
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args(argv)
    model = Model()
    print(f"{args.people} people, {model.weeks} weeks; assumptions: {asdict(model)}")
    report = run(args.people, args.seed, model)
    for design, figures in report.items():
        print(f"\n{design}:")
        for key, value in figures.items():
            print(f"  {key}: {value}")
    # How the comparison moves with the one assumption nobody has measured for this network.
    sensitivity = {}
    for stop in SENSITIVITY:
        varied = run(args.people, args.seed, replace(model, stop_per_reminder=stop))
        sensitivity[str(stop)] = varied
        print(f"\nstop chance per reminder {stop:.1%}:")
        for design, figures in varied.items():
            shown = {k: figures[k] for k in HEADLINE}
            print(f"  {design}: {shown}")
    if args.json:
        args.json.write_text(
            json.dumps(
                {"model": asdict(model), **report, "stop per reminder": sensitivity}, indent=2
            )
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
