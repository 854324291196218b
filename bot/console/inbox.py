"""The console's inbox: the drafts waiting to be checked, importing a sheet (pasted or uploaded),
and each case as a form beside the sheet it came from, with what was read, guessed or missing at
each field."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

from aiohttp import web

from bot.catalogue.checks import gaps
from bot.catalogue.document import case_to_mapping
from bot.console.casefields import Field, fields_of, mapping_from_form, with_translation
from bot.console.web import SESSION, render, services_of
from bot.db.cases import SlugTakenError
from bot.db.console import CaseSheetRepository, subscribers_by_language
from bot.domain.cases import CaseStatus, UrgentAction
from bot.importer import isolation
from bot.importer.report import NoteKind
from bot.operations.cases import (
    EditRefused,
    edit_case,
    read_sheet,
    store_imported,
    stored_note,
)

MAX_SHEET_BYTES = 5 * 1024 * 1024  # as in the chat: a sheet is a few pages
# What the importer did not read from a labelled line: the organizer should check it.
_GUESSED = frozenset(
    {
        NoteKind.GUESSED,
        NoteKind.YEAR_INFERRED,
        NoteKind.NUMBER_CONVERTED,
        NoteKind.RECASED,
        NoteKind.DEADLINE_GUESSED,
        NoteKind.LABEL_WRITTEN,
        NoteKind.SEVERAL_LANGUAGES,
        NoteKind.THEMES_INFERRED,
        NoteKind.NUMBER_INVALID,
        NoteKind.EMAIL_INVALID,
    }
)


def _actor(request: web.Request) -> int:
    return request[SESSION].user_id


async def inbox_page(request: web.Request) -> web.StreamResponse:
    """Every draft, the latest imported first: its title (or "untitled"), where its sheet came
    from, when, and how many fields are still to complete; each opens its review page."""
    services = services_of(request)
    entries = await CaseSheetRepository(services.db).inbox(services.clock())
    drafts = []
    for entry in entries:
        case = await services.cases.get(entry.slug)
        if case is not None:
            drafts.append({"entry": entry, "case": case, "gaps": len(gaps(case))})
    return render(request, "inbox.html", drafts=drafts)


async def import_page(request: web.Request) -> web.StreamResponse:
    """The form that imports a sheet: pasted text, or a .txt or .pdf file."""
    return render(request, "import.html", problem=None, sheet="")


async def import_sheet(request: web.Request) -> web.StreamResponse:
    """Read the sheet, store its case as a draft with the sheet beside it, and open it."""
    services = services_of(request)
    form = await request.post()
    upload = form.get("file")
    sheet = str(form.get("sheet", "")).strip()
    data: bytes | None = None
    filename = ""
    if isinstance(upload, web.FileField) and upload.filename:
        data = upload.file.read(MAX_SHEET_BYTES + 1)
        if len(data) > MAX_SHEET_BYTES:
            return render(request, "import.html", status=400, problem="too_big", sheet="")
        filename = upload.filename
    elif not sheet:
        return render(request, "import.html", status=400, problem="empty", sheet="")
    # Read once, in a process of its own with limits on time and memory, as the chat does.
    try:
        found = await read_sheet(
            services, text=None if data else sheet, data=data, filename=filename, source="console"
        )
    except isolation.ImportOverrunError:
        return render(request, "import.html", status=400, problem="overrun", sheet="")
    if found.failed is not None:
        return render(request, "import.html", status=400, problem="unreadable", sheet="")
    sheet = found.text or sheet
    imported = found.imported
    if imported is None or imported.case is None:
        return render(request, "import.html", status=400, problem="not_a_case", sheet=sheet)
    case = imported.case
    if imported.update_of is None:
        case = dataclasses.replace(case, status=CaseStatus.DRAFT)
    try:
        await store_imported(services, _actor(request), imported, case, sheet=sheet)
    except SlugTakenError:
        return render(request, "import.html", status=409, problem="taken", sheet=sheet)
    raise web.HTTPSeeOther(f"{request.app.router['console.case'].url_for(slug=case.slug)}")


async def case_page(request: web.Request) -> web.StreamResponse:
    """A case as a form beside its sheet; ?add=fr adds empty texts in French to fill in."""
    case = await _case(request)
    mapping = case_to_mapping(case)
    adding = request.query.get("add", "")
    if adding in services_of(request).renderer.languages:
        mapping = with_translation(mapping, adding)
    published, at_morning = (request.query.get(key, "") for key in ("published", "at_morning"))
    return await _page(
        request,
        case,
        mapping,
        refused=None,
        saved="saved" in request.query,
        published=int(published) if published.isdigit() else None,
        at_morning=int(at_morning) if at_morning.isdigit() else 0,
    )


async def save_case(request: web.Request) -> web.StreamResponse:
    """Check the form by a case file's rules; store it, or show each problem at its field."""
    case = await _case(request)
    form = await request.post()
    values = {k: str(v) for k, v in form.items() if isinstance(v, str)}
    mapping = mapping_from_form(case_to_mapping(case), values)
    done = await edit_case(services_of(request), _actor(request), case.slug, mapping)
    if isinstance(done, EditRefused):
        return await _page(request, case, mapping, refused=done, saved=False, status=400)
    url = request.app.router["console.case"].url_for(slug=case.slug).with_query(saved="1")
    raise web.HTTPSeeOther(str(url))


async def _case(request: web.Request) -> UrgentAction:
    case = await services_of(request).cases.get(request.match_info["slug"])
    if case is None:
        raise web.HTTPNotFound
    return case


async def _page(
    request: web.Request,
    case: UrgentAction,
    mapping: Mapping[str, Any],
    *,
    refused: EditRefused | None,
    saved: bool,
    status: int = 200,
    published: int | None = None,
    at_morning: int = 0,
) -> web.StreamResponse:
    services = services_of(request)
    renderer = services.renderer
    language = request[SESSION].language
    sheet = await CaseSheetRepository(services.db).get(case.slug)
    fields = fields_of(mapping, gaps(case), set(renderer.languages))
    paths = {f.path for f in fields}
    notes = sheet.notes if sheet is not None else []
    rows = [
        {
            "field": f,
            "state": _state(f, notes) if sheet is not None else None,
            # As the importer made them, so the phrases can say where each points.
            "notes": [stored_note(n) for n in notes if _about(n, f)],
            "problems": refused.at(f.path) if refused is not None else [],
        }
        for f in fields
    ]
    elsewhere = (
        [p for p in refused.problems if not any(_inside(p.field, path) for path in paths)]
        if refused is not None
        else []
    )
    return render(
        request,
        "case.html",
        status=status,
        case=case,
        groups=_grouped(rows),
        sheet=sheet,
        saved=saved,
        published=published,
        at_morning=at_morning,
        refused=refused,
        elsewhere=elsewhere,
        labels=renderer.labels(language, "console/labels.txt"),
        missing_languages=[code for code in renderer.languages if code not in case.texts],
        language_rows=_languages(
            case, renderer.languages, await subscribers_by_language(services.db)
        ),
        gaps=gaps(case),
    )


def _languages(
    case: UrgentAction, shipped: tuple[str, ...], readers: Mapping[str, int]
) -> list[dict[str, Any]]:
    """Each language the bot speaks: the case's texts in it (what is missing), how many
    subscribers read the bot in it, and the language they get the case in."""
    rows = []
    for code in shipped:
        texts = case.texts.get(code)
        missing = (
            [key for key in ("title", "summary", "background") if not getattr(texts, key)]
            + ([] if texts.asks else ["asks"])
            if texts is not None
            else []
        )
        rows.append(
            {
                "code": code,
                "has": texts is not None,
                "missing": missing,
                "readers": readers.get(code, 0),
                # The bot's rule (UrgentAction.text): their language's texts, else the original.
                "gets": code if texts is not None else case.original_language,
            }
        )
    return rows


def _inside(field: str, path: str) -> bool:
    return field == path or path.startswith((f"{field}.", f"{field}["))


def _about(note: Mapping[str, Any], field: Field) -> bool:
    where = str(note.get("field", ""))
    return bool(where) and (_inside(where, field.path) or _inside(field.path, where))


def _state(field: Field, notes: list[dict[str, Any]]) -> str:
    """Read, guessed or missing: what the importer says of this field."""
    kinds = {str(n.get("kind")) for n in notes if _about(n, field)}
    if NoteKind.MISSING in kinds or (not field.value and not field.checkbox):
        return "missing"
    if kinds & {str(k) for k in _GUESSED}:
        return "guessed"
    return "read"


def _grouped(rows: list[dict[str, Any]]) -> list[tuple[tuple[str, Any], list[dict[str, Any]]]]:
    """The rows in the file's order, in groups: the case, each person, text, official, date."""
    groups: list[tuple[tuple[str, Any], list[dict[str, Any]]]] = []
    for row in rows:
        group = row["field"].group
        if not groups or groups[-1][0] != group:
            groups.append((group, []))
        groups[-1][1].append(row)
    return groups
