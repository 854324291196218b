"""Publishing a case: its reach shown before, and the act itself, for the chat and the console."""

from __future__ import annotations

import dataclasses
import logging
from dataclasses import dataclass

from bot.catalogue import gaps
from bot.context import Services
from bot.db.offers import Reach, ReachBreakdown, preview_reach, reach_breakdown
from bot.db.organizers import OrganizerRepository
from bot.domain.cases import CaseStatus, UrgentAction
from bot.domain.publishing import NoReach, why_it_reaches_nobody
from bot.handlers import allowance
from bot.importer.report import Note, gap_notes
from bot.logs import pseudonym
from bot.views.cards import card_problems

log = logging.getLogger(__name__)


class PublishRefusedError(Exception):
    """The case cannot be published: `reason` is "closed" or "incomplete" (then `gaps`)."""

    def __init__(self, reason: str, missing: tuple[str, ...] = ()) -> None:
        super().__init__(reason)
        self.reason = reason
        self.gaps = missing

    @property
    def gap_notes(self) -> tuple[Note, ...]:
        """The gaps, as the organizer's words name them ("Official 2: name")."""
        return gap_notes(self.gaps)


@dataclass(frozen=True)
class Published:
    """A case published: the case as stored, how many alerts were queued at once (and of those,
    how many wait for the morning where the person lives), and why it reaches nobody where it
    cannot, else None."""

    case: UrgentAction
    alerts: int
    nobody: NoReach | None = None
    at_morning: int = 0


@dataclass(frozen=True)
class Foreseen:
    """What publishing a case would do, before it is done: whom it reaches now (`now`), and
    everyone else by what happens to them (`rest`: later, or not and why)."""

    now: Reach
    rest: ReachBreakdown

    @property
    def nobody_now(self) -> bool:
        """Whether it would alert nobody at once: the warning both doors show."""
        return self.now.people + self.now.groups == 0


async def foresee(services: Services, case: UrgentAction) -> Foreseen:
    """Whom publishing `case` reaches now, later, and not and why: what the console's publish
    page and the chat's confirmation both show, by the offer sweep's own rules."""
    opening = [c for c in await services.cases.active() if c.slug != case.slug]
    cases = [*opening, dataclasses.replace(case, status=CaseStatus.ACTIVE)]
    now, timezone = services.clock(), services.settings.default_timezone
    return Foreseen(
        await preview_reach(services.db, cases, case.slug, now, timezone),
        await reach_breakdown(services.db, cases, case.slug, now, timezone),
    )


async def publish_case(
    services: Services, actor: int, case: UrgentAction, bot_username: str
) -> Published:
    """The case becomes active and its alert is offered to every matching subscriber within
    their allowance; audited. PublishRefusedError for a closed or incomplete case."""
    if case.status is CaseStatus.CLOSED:
        raise PublishRefusedError("closed")
    # A card longer than a message would reach no one: its text is what to shorten.
    too_long = bool(card_problems(case, services.renderer, services.clock()))
    if missing := gaps(case) or (("text",) if too_long else ()):
        raise PublishRefusedError("incomplete", missing)
    now = services.clock()
    nobody = why_it_reaches_nobody(case, now)
    active = dataclasses.replace(case, status=CaseStatus.ACTIVE)
    await services.cases.save(active, now)
    # Offered within each person's allowance: those on "every case" get it now, the rest at
    # their next slot (bot.handlers.allowance).
    offered = await allowance.offer_now(services, bot_username)
    count, at_morning = offered.by_case.get(case.slug, 0), offered.at_morning.get(case.slug, 0)
    await OrganizerRepository(services.db).record(
        actor, "case_published", {"case": case.slug, "alerts": count}, now
    )
    services.wake_delivery()
    log.info("case %s published by %s: %d alerts queued", case.slug, pseudonym(actor), count)
    return Published(active, count, nobody, at_morning)
