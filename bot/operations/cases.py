"""Importing and editing cases: one function each, for the chat and the console alike."""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from bot.catalogue.document import case_from_mapping, case_to_mapping
from bot.catalogue.problems import CatalogueError, Problem
from bot.context import Services
from bot.db.console import CaseSheetRepository
from bot.db.drafts import Draft
from bot.db.organizers import OrganizerRepository
from bot.domain.cases import UrgentAction
from bot.domain.contacts import contact_changes
from bot.importer import isolation
from bot.importer.build import Imported
from bot.importer.cli import deadline_labels
from bot.importer.report import Note, NoteKind
from bot.logs import pseudonym

log = logging.getLogger(__name__)


async def read_sheet(
    services: Services,
    *,
    text: str | None = None,
    data: bytes | None = None,
    filename: str = "",
    source: str,
) -> isolation.Outcome:
    """What the importer makes of a sheet (its file or its text), against the cases the bot
    holds, read once in a process of its own with limits on time and memory
    (bot/importer/isolation.py; ImportOverrunError past them). Nothing is stored."""
    job = isolation.Job(
        text=text,
        data=data,
        filename=filename,
        deadline_label=deadline_labels(services.renderer),
        existing=await services.cases.all(),
        today=services.clock().date(),
        source=source,
    )
    return await isolation.run(job)


async def store_imported(
    services: Services,
    actor: int,
    imported: Imported,
    case: UrgentAction,
    *,
    draft: Draft | None = None,
    sheet: str | None = None,
    source: str = "console",
) -> bool:
    """Store an imported case (a follow-up saved over its case), finishing the chat's `draft`
    if there is one, and keep its `sheet` (and the importer's notes) for the console's inbox,
    saying which door (`source`: "chat" or "console") it came in by; audited. Whether the case
    is new.

    DraftGoneError or SlugTakenError as `CaseRepository.store_import` raises them, with
    nothing stored.
    """
    now = services.clock()
    update = imported.update_of is not None
    added = await services.cases.store_import(case, now, draft, update=update)
    if sheet is not None:
        notes = [dataclasses.asdict(note) for note in imported.report.notes]
        await CaseSheetRepository(services.db).keep(
            case.slug, sheet, notes, actor, now, source=source
        )
    changed = (
        [
            {"official": c.official, "field": c.field, "before": c.before, "after": c.after}
            for c in contact_changes(imported.update_of, case)
        ]
        if imported.update_of is not None
        else []
    )
    await OrganizerRepository(services.db).record(
        actor,
        "case_imported",
        {
            "case": case.slug,
            "update": update,
            "status": case.status,
            # Where letters go, before and after: the audit trail of a redirected case.
            "contacts_changed": changed,
        },
        now,
    )
    log.info("imported case %s stored as %s by %s", case.slug, case.status, pseudonym(actor))
    return added


def stored_note(stored: Mapping[str, Any]) -> Note:
    """An importer's note as a draft or a case's sheet keeps it (`dataclasses.asdict`)."""
    values = stored.get("values")
    return Note(
        kind=NoteKind(str(stored.get("kind"))),
        field=str(stored.get("field") or ""),
        values={str(k): str(v) for k, v in values.items()} if isinstance(values, dict) else {},
    )


@dataclass(frozen=True)
class EditRefused:
    """An edit that breaks a case file's rules: nothing was stored; each problem at its field."""

    problems: tuple[Problem, ...]

    def at(self, field: str) -> list[str]:
        """The problems found at `field` (or inside it)."""
        return [
            p.message
            for p in self.problems
            if p.field == field or p.field.startswith((f"{field}.", f"{field}["))
        ]


async def edit_case(
    services: Services, actor: int, slug: str, mapping: Mapping[str, Any]
) -> UrgentAction | EditRefused:
    """Replace case `slug` by the case `mapping` describes, checked by the same rules as a case
    file (its slug and status stay the case's own); audited with the fields that changed."""
    before = await services.cases.get(slug)
    if before is None:
        raise KeyError(slug)
    data = {**mapping, "slug": slug, "status": str(before.status)}
    try:
        case = case_from_mapping(data, source="console")
    except CatalogueError as error:
        return EditRefused(tuple(error.problems))
    old, new = case_to_mapping(before), case_to_mapping(case)
    changed = sorted(k for k in old.keys() | new.keys() if old.get(k) != new.get(k))
    if not changed:
        return case
    now = services.clock()
    await services.cases.save(case, now)
    await OrganizerRepository(services.db).record(
        actor, "case_edited", {"case": slug, "fields": changed}, now
    )
    log.info("case %s edited by %s: %s", slug, pseudonym(actor), ", ".join(changed))
    return case
