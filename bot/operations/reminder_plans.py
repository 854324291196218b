"""Choosing reminder plans: the network's default and a case's own, from the chat and the console.

Organizers choose among `PRESET_PLANS` (7 days, 2 days and the deadline's morning; 2 days and
the morning; the morning only; none), with the reminder cost figures of /results beside them. A
case's choice is kept in the case (its `[reminders]`); the network's in network_settings. Both
plan the pending reminders anew at once, and both are audited.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import timedelta

from bot.context import Services
from bot.db.organizers import OrganizerRepository
from bot.db.reminder_plans import ReminderPlanRepository
from bot.domain.cases import CaseStatus, UrgentAction
from bot.domain.reminders import PRESET_PLANS, stored_plan

# A case's choice: a preset's index, or the network's default.
NETWORK = "net"


@dataclass(frozen=True)
class PlanChoice:
    """What the plan screens show: the case's own plan (None: the network's) and the network's."""

    case: tuple[timedelta, ...] | None
    network: tuple[timedelta, ...]

    def case_preset(self) -> str | None:
        """The case's choice as a key: a preset's index, NETWORK, or None for a plan of its own
        that is no preset (from its file)."""
        if self.case is None:
            return NETWORK
        return str(PRESET_PLANS.index(self.case)) if self.case in PRESET_PLANS else None

    def network_preset(self) -> str | None:
        """The network's choice as a preset's index (None: not a preset)."""
        return str(PRESET_PLANS.index(self.network)) if self.network in PRESET_PLANS else None


def repository(services: Services) -> ReminderPlanRepository:
    """The network plan's repository for these services."""
    return ReminderPlanRepository(services.db, services.settings.default_timezone)


async def plans_of(services: Services, case: UrgentAction) -> PlanChoice:
    """The case's plan and the network's."""
    return PlanChoice(case.reminder_offsets, await repository(services).network_plan())


def preset(key: str) -> tuple[timedelta, ...] | None:
    """The plan a choice key names; None for the network's default. ValueError if unknown."""
    if key == NETWORK:
        return None
    if not key.isdigit() or int(key) >= len(PRESET_PLANS):
        raise ValueError(f"no reminder plan {key!r}")
    return PRESET_PLANS[int(key)]


async def choose_case_plan(
    services: Services, user_id: int, case: UrgentAction, key: str
) -> UrgentAction:
    """Give the case the plan `key` names (or the network's); its reminders follow at once."""
    if case.status is CaseStatus.CLOSED:
        raise ValueError("a closed case sends no reminders")
    offsets = preset(key)
    now = services.clock()
    changed = dataclasses.replace(case, reminder_offsets=offsets)
    await services.cases.save(changed, now)
    await OrganizerRepository(services.db).record(
        user_id,
        "case_reminder_plan_set",
        {"case": case.slug, "plan": NETWORK if offsets is None else stored_plan(offsets)},
        now,
    )
    return changed


async def choose_network_plan(services: Services, user_id: int, key: str) -> None:
    """Make the plan `key` names the network's default; the cases following it replan."""
    offsets = preset(key)
    if offsets is None:
        raise ValueError("the network's default is a plan")
    now = services.clock()
    following = [c for c in await services.cases.active() if c.reminder_offsets is None]
    await repository(services).set_network_plan(offsets, user_id, now, following)
    await OrganizerRepository(services.db).record(
        user_id, "network_reminder_plan_set", {"plan": stored_plan(offsets)}, now
    )
