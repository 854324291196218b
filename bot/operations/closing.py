"""Closing a case with its outcome, for the chat and the console alike."""

from __future__ import annotations

import dataclasses
import logging
from dataclasses import dataclass

from bot.casing import line_start
from bot.context import Services
from bot.db.news import Letter, queue_outcome, totals
from bot.db.organizers import OrganizerRepository
from bot.delivery.messages import OutboundMessage
from bot.domain.cases import OUTCOMES, CaseStatus, UrgentAction
from bot.logs import pseudonym

log = logging.getLogger(__name__)


class CloseRefusedError(Exception):
    """The case is closed already, or the outcome is not one the bot knows."""


@dataclass(frozen=True)
class Closed:
    """A case closed: the case as stored, and how many were told its outcome."""

    case: UrgentAction
    told: int


async def close_case(
    services: Services, actor: int, case: UrgentAction, outcome: str, *, notify: bool
) -> Closed:
    """Close the case with its outcome; its reminders stop; with `notify`, everyone the case
    reached is told, with thanks to those who acted. Audited."""
    if case.status is CaseStatus.CLOSED:
        raise CloseRefusedError("closed")
    if outcome not in OUTCOMES:
        raise CloseRefusedError(outcome)
    now = services.clock()
    closed = dataclasses.replace(case, status=CaseStatus.CLOSED, outcome=outcome)
    await services.cases.save(closed, now)
    # Reminders stop with the case (a sweep would cancel them too; this keeps the table tidy).
    await services.reminders.cancel_case(case.slug, now, "the case closed")
    told = await _tell_outcome(services, closed, outcome) if notify else 0
    await OrganizerRepository(services.db).record(
        actor, "case_closed", {"case": case.slug, "outcome": outcome, "told": told}, now
    )
    log.info("case %s closed by %s as %s, %d told", case.slug, pseudonym(actor), outcome, told)
    return Closed(closed, told)


async def _tell_outcome(services: Services, case: UrgentAction, outcome: str) -> int:
    """Queue the outcome for everyone the case reached; those who acted also read their own
    part beside the network's totals."""
    renderer = services.renderer
    done = await totals(services.db, case.slug)

    def message_for(language: str, letters: tuple[Letter, ...]) -> OutboundMessage:
        part = [
            (
                line_start(
                    case.targets[index].title_in(language) or case.targets[index].name_in(language)
                ),
                channel,
            )
            for index, channel in letters
            if index < len(case.targets)
        ]
        body = renderer.render(
            language,
            "outcome.html",
            case=case,
            texts=case.text(language),
            outcome=renderer.button(language, f"outcome_{outcome}", agreement=case.agreement),
            grave=outcome == "executed",  # no "your appeal was part of this"
            acted=bool(letters),
            part=part,
            totals=done,
        )
        return OutboundMessage.text(body)

    return await queue_outcome(
        services.db, case.slug, message_for, services.clock(), wake=services.wake_delivery
    )
