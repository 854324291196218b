"""Every language of the section side by side: for each language the bot speaks, the case's
texts beside the original's, field by field, what is missing marked, and how many subscribers
read the bot in it and in which language they get the case."""

from __future__ import annotations

from dataclasses import dataclass

from aiohttp import web

from bot.console.web import SESSION, render, services_of
from bot.db.console import subscribers_by_language
from bot.domain.cases import CaseText, UrgentAction

_FIELDS = ("title", "summary", "facts", "background")


@dataclass(frozen=True)
class TextRow:
    """One field of the texts: its label's key, the original's text, and this language's
    (empty where it is missing; `needed` when the case cannot do without it)."""

    key: str
    number: int  # the ask's number from 1; 0 for the other fields
    original: str
    text: str
    needed: bool


def rows_of(case: UrgentAction, language: str) -> list[TextRow]:
    """The texts of `case` in `language` beside the original's, field by field."""
    original = case.texts[case.original_language]
    texts = case.texts.get(language)
    rows = [
        TextRow(key, 0, getattr(original, key) or "", _field(texts, key), key != "facts")
        for key in _FIELDS
        if getattr(original, key) or _field(texts, key)
    ]
    asks = texts.asks if texts is not None else ()
    count = max(len(original.asks), len(asks))
    rows += [
        TextRow(
            "asks",
            i + 1,
            original.asks[i] if i < len(original.asks) else "",
            asks[i] if i < len(asks) else "",
            i < len(original.asks),
        )
        for i in range(count)
    ]
    return rows


def _field(texts: CaseText | None, key: str) -> str:
    return "" if texts is None else str(getattr(texts, key) or "")


async def languages_page(request: web.Request) -> web.StreamResponse:
    """The case's texts in every language the bot speaks, each beside the original."""
    services = services_of(request)
    case = await services.cases.get(request.match_info["slug"])
    if case is None:
        raise web.HTTPNotFound
    readers = await subscribers_by_language(services.db)
    sections = []
    for code in services.renderer.languages:
        if code == case.original_language:
            continue
        rows = rows_of(case, code)
        sections.append(
            {
                "code": code,
                "has": code in case.texts,
                "rows": rows,
                "missing": sum(1 for r in rows if r.needed and not r.text),
                "readers": readers.get(code, 0),
                # The bot's rule (UrgentAction.text): their language's texts, else the original.
                "gets": code if code in case.texts else case.original_language,
            }
        )
    language = request[SESSION].language
    return render(
        request,
        "languages.html",
        case=case,
        sections=sections,
        original_readers=readers.get(case.original_language, 0),
        labels=services.renderer.labels(language, "console/labels.txt"),
    )
