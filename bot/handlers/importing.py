"""Importing a sheet in the chat: an organizer sends an Urgent Action sheet and gets a case.

The sheet comes as a .txt or .pdf document, as a long message, or after /import (then in as
many messages as it takes, until "Read it"). The bot answers with the case as subscribers will
see it and what to check, and buttons to publish it (through the organizers' own preview and
confirmation), keep it as a draft, or discard it. A follow-up updates the case it continues;
one that asks for no further action leads to the organizers' own closing buttons.

Until a button decides, the sheet's text waits in the organizer's drafts, so a restart of the bot
loses none of it; no case is stored before. The text as read (bounded: bot.db.console.bounded)
and the importer's notes wait with the decision, and are kept beside the case for the console's
inbox once it is stored; a discarded or forgotten draft takes them with it.
"""

from __future__ import annotations

import contextlib
import dataclasses
import html
import logging
import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import (
    ApplicationHandlerStop,
    CallbackQueryHandler,
    CommandHandler,
    MessageHandler,
    filters,
)

from bot.catalogue import case_from_mapping, case_to_mapping
from bot.context import BotContext
from bot.db.cases import SlugTakenError
from bot.db.console import bounded
from bot.db.drafts import Draft, DraftGoneError, DraftKind
from bot.domain.cases import CaseStatus, UrgentAction
from bot.domain.contacts import ContactChange, contact_changes
from bot.handlers import broadcast
from bot.handlers.common import decoded_tap, draft_of, language_of, send, text
from bot.handlers.organizer import publish, reach_preview
from bot.handlers.rights import Right, guard, is_organizer
from bot.importer import isolation
from bot.importer.build import Imported
from bot.importer.listing import ListedCase
from bot.importer.report import ImportReport
from bot.logs import pseudonym
from bot.operations.cases import read_sheet, store_imported, stored_note
from bot.views import Screen
from bot.views.callbacks import encode, pattern
from bot.views.cards import case_card

log = logging.getLogger(__name__)
MAX_FILE_BYTES = 5 * 1024 * 1024  # a sheet is a few pages; anything larger is something else
MAX_SHEET_CHARACTERS = 200_000  # a sheet pasted in parts: a long one is 20,000
NOTES_SHOWN = 20  # the review stays one message; the rest is in the command line's report
REVIEW_CHARACTERS = 3500  # and within Telegram's 4096 characters, whatever the notes say
CARD_CHARACTERS = 4096  # Telegram's longest message: the card as subscribers would get it
# A message is taken for a whole sheet when it is long and has a sheet's headings.
SHEET_CHARACTERS = 600
_SHEET_WORDS = re.compile(
    r"\b(?:write to|urgent action|salutation|take action|action urgente|acci[óo]n urgente"
    r"|eilaktion|formule d'appel|tratamiento|anrede|envoyez vos appels|env[íi]en llamamientos"
    r"|courriel|correo-e)\b",
    re.I,
)
_FORMATS = (".txt", ".pdf")
_MIME_TYPES = ("text/plain", "application/pdf")


@dataclass(frozen=True)
class PendingImport:
    """A sheet being received (`chunks`), or read on `read_on` and awaiting a decision.

    Once read, the parts go: what the importer made of them is kept instead (the case's
    stored form, its slug, and the slug of the case it updates), so a decision stores the case
    that was reviewed without reading the sheet again; with the sheet's text as read (`read`,
    bounded) and the importer's `notes`, which the console's inbox shows beside the case.
    """

    chunks: tuple[str, ...] = ()
    read_on: date | None = None
    slug: str = ""
    case: dict[str, Any] | None = None
    update_of: str | None = None
    read: str = ""
    notes: tuple[dict[str, Any], ...] = ()

    @property
    def sheet(self) -> str:
        """The sheet's text, its parts joined."""
        return "\n".join(self.chunks)

    @classmethod
    def of(cls, stored: Draft | None) -> PendingImport | None:
        """The pending import as the drafts table keeps it, or None."""
        if stored is None:
            return None
        body = stored.body
        chunks, read_on, case = body.get("chunks"), body.get("read_on"), body.get("case")
        update_of, read, notes = body.get("update_of"), body.get("read"), body.get("notes")
        return cls(
            chunks=tuple(str(c) for c in chunks) if isinstance(chunks, list) else (),
            read_on=date.fromisoformat(read_on) if isinstance(read_on, str) else None,
            slug=str(body.get("slug") or ""),
            case=case if isinstance(case, dict) else None,
            update_of=update_of if isinstance(update_of, str) else None,
            read=read if isinstance(read, str) else "",
            notes=tuple(n for n in notes if isinstance(n, dict))
            if isinstance(notes, list)
            else (),
        )

    def body(self) -> dict[str, Any]:
        """The pending import as the drafts table keeps it."""
        return {
            "chunks": list(self.chunks),
            "read_on": self.read_on.isoformat() if self.read_on else None,
            "slug": self.slug,
            "case": self.case,
            "update_of": self.update_of,
            "read": self.read,
            "notes": list(self.notes),
        }


async def _keep(context: BotContext, user_id: int, pending: PendingImport) -> None:
    services = context.services
    await services.drafts.save(user_id, DraftKind.IMPORT, pending.body(), services.clock())


async def _import(
    context: BotContext, *, text: str | None = None, data: bytes | None = None, name: str = ""
) -> isolation.Outcome:
    """What the importer makes of a sheet (its file or its text), read once, in a process of
    its own with limits on time and memory (bot/importer/isolation.py)."""
    return await read_sheet(context.services, text=text, data=data, filename=name, source="chat")


async def _decided(context: BotContext, pending: PendingImport) -> Imported:
    """The import as it was reviewed, from what the draft keeps."""
    mapping = pending.case or {"slug": pending.slug}
    case = case_from_mapping(mapping, source="import") if pending.case is not None else None
    update_of = await context.services.cases.get(pending.update_of) if pending.update_of else None
    notes = [stored_note(n) for n in pending.notes]
    return Imported(dict(mapping), case, ImportReport(notes=notes), update_of)


def looks_like_a_sheet(typed: str) -> bool:
    """Whether a message is a whole sheet pasted at once, rather than something typed."""
    return len(typed) >= SHEET_CHARACTERS and bool(_SHEET_WORDS.search(typed))


@guard(Right.ORGANIZER)
async def start(update: Update, context: BotContext) -> None:
    """/import: read the sheet that follows the command, or wait for it."""
    message, user = update.effective_message, update.effective_user
    if message is None or message.text is None or user is None:
        return
    parts = re.split(r"\s", message.text, maxsplit=1)
    sheet = parts[1].strip() if len(parts) > 1 else ""
    if sheet:
        await _read(update, context, (sheet,))
        return
    await _keep(context, user.id, PendingImport())
    language = await language_of(update, context)
    await message.reply_text(text(context, language, "import_usage.html"))


@guard(Right.ORGANIZER)
async def document(update: Update, context: BotContext) -> None:
    """A document sent in a private chat: an organizer's sheet; anyone else gets the help."""
    message = update.effective_message
    if message is None or message.document is None:
        return
    language = await language_of(update, context)
    sent = message.document
    name = (sent.file_name or "").lower()
    if not name.endswith(_FORMATS) and sent.mime_type not in _MIME_TYPES:
        await message.reply_text(text(context, language, "import_failed.txt", reason="format"))
        return
    if sent.file_size and sent.file_size > MAX_FILE_BYTES:
        await message.reply_text(text(context, language, "import_failed.txt", reason="size"))
        return
    file = await sent.get_file()
    data = bytes(await file.download_as_bytearray())
    if len(data) > MAX_FILE_BYTES:  # Telegram does not always say a file's size first
        await message.reply_text(text(context, language, "import_failed.txt", reason="size"))
        return
    await _read(update, context, data=data, name=name)


async def typed(update: Update, context: BotContext) -> None:
    """Text from an organizer that is a sheet, or part of the one /import waits for.

    Runs before the other text handlers: when the text is taken, they do not see it; otherwise
    they answer as usual.
    """
    message, user = update.effective_message, update.effective_user
    if message is None or message.text is None or user is None:
        return
    pending = PendingImport.of(await draft_of(update, context, DraftKind.IMPORT))
    receiving = pending is not None and pending.read_on is None
    if not receiving and not looks_like_a_sheet(message.text):
        return
    if not receiving and await broadcast.awaits_text(update, context):
        # After /broadcast, the organizer's long news about an urgent action is the broadcast.
        return
    if not await is_organizer(update, context):
        return
    if pending is not None and receiving:
        chunks = (*pending.chunks, message.text)
        if sum(len(c) for c in chunks) > MAX_SHEET_CHARACTERS:
            # What waits in the drafts table is bounded, as a file's size is.
            language = await language_of(update, context)
            await message.reply_text(text(context, language, "import_failed.txt", reason="size"))
            raise ApplicationHandlerStop
        await _keep(context, user.id, PendingImport(chunks=chunks))
        language = await language_of(update, context)
        read = InlineKeyboardButton(
            context.services.renderer.button(language, "import_read"),
            callback_data=encode("oir"),
        )
        await message.reply_text(
            text(
                context,
                language,
                "import_received.html",
                parts=len(chunks),
                characters=sum(len(c) for c in chunks),
            ),
            reply_markup=InlineKeyboardMarkup([[read]]),
        )
    else:
        await _read(update, context, (message.text,))
    raise ApplicationHandlerStop


@guard(Right.ORGANIZER)
async def read_received(update: Update, context: BotContext) -> None:
    """ "Read it": the parts received since /import, read as one sheet."""
    query = update.callback_query
    if query is None:
        return
    pending = PendingImport.of(await draft_of(update, context, DraftKind.IMPORT))
    language = await language_of(update, context)
    if pending is None or pending.read_on is not None or not pending.chunks:
        await query.answer(text(context, language, "import_expired.txt"), show_alert=True)
        return
    await query.answer()
    await query.edit_message_reply_markup(None)
    await _read(update, context, pending.chunks)


async def _read(
    update: Update,
    context: BotContext,
    chunks: tuple[str, ...] = (),
    *,
    data: bytes | None = None,
    name: str = "",
) -> None:
    """Import the sheet (its text's parts, or its file); show the case as subscribers will see
    it, what to check, and choices."""
    chat, user = update.effective_chat, update.effective_user
    if chat is None or user is None:
        return
    services = context.services
    language = await language_of(update, context)
    now = services.clock()
    try:
        outcome = await _import(
            context, text="\n".join(chunks) if data is None else None, data=data, name=name
        )
    except isolation.ImportOverrunError as error:
        log.warning("a sheet was not imported: %s", error)
        await send(chat, Screen(text(context, language, "import_failed.txt", reason="overrun")))
        return
    if outcome.failed is not None:
        log.info("sheet %r not read: %s", name, outcome.failed)
        await send(
            chat, Screen(text(context, language, "import_failed.txt", reason=outcome.failed))
        )
        return
    if listed := outcome.listed:
        # A page listing several cases makes no case: each needs its own sheet. Parts received
        # after /import are let go, so that "Read it" does not read the page again; a sheet
        # read earlier and awaiting its decision is kept.
        stored = await draft_of(update, context, DraftKind.IMPORT)
        receiving = PendingImport.of(stored)
        if stored is not None and receiving is not None and receiving.read_on is None:
            with contextlib.suppress(DraftGoneError):
                await services.drafts.take(stored)
        log.info("page of %d cases sent by %s: not imported", len(listed), pseudonym(user.id))
        escaped = [ListedCase(html.escape(c.reference), html.escape(c.title)) for c in listed]
        await send(chat, Screen(text(context, language, "import_listing.txt", listed=escaped)))
        return
    imported = outcome.imported
    assert imported is not None
    await _keep(
        context,
        user.id,
        PendingImport(
            read_on=now.date(),
            slug=imported.slug,
            case=case_to_mapping(imported.case) if imported.case is not None else None,
            update_of=imported.update_of.slug if imported.update_of is not None else None,
            read=bounded(outcome.text or "\n".join(chunks))[0],
            notes=tuple(dataclasses.asdict(note) for note in imported.report.notes),
        ),
    )
    log.info(
        "sheet imported by %s: %s%s, %d notes",
        pseudonym(user.id),
        imported.slug,
        f" (update to {imported.update_of.slug})" if imported.update_of else "",
        len(imported.report.notes),
    )
    too_long = False
    if imported.case is not None:
        card = case_card(
            imported.case,
            language=language,
            renderer=services.renderer,
            now=now,
            acted=0,
            bot_username=context.bot.username,
        )
        # A card that outgrows a message could alert nobody: the review says so instead.
        too_long = len(card.text) > CARD_CHARACTERS
        if not too_long:
            # Without the card's buttons: they act on stored cases, and this one is not yet.
            await send(chat, Screen(card.text))
    await send(chat, _review(context, language, imported, card_too_long=too_long))


def _contact_changes(imported: Imported) -> list[ContactChange]:
    """What a follow-up would change in where letters go (nothing for a new case)."""
    if imported.update_of is None or imported.case is None:
        return []
    return contact_changes(imported.update_of, imported.case)


def _review(
    context: BotContext, language: str, imported: Imported, *, card_too_long: bool = False
) -> Screen:
    button = context.services.renderer.button
    slug = imported.slug

    def row(label: str, action: str) -> list[InlineKeyboardButton]:
        return [InlineKeyboardButton(button(language, label), callback_data=_data(slug, action))]

    rows = []
    if imported.case is not None and imported.case.status is CaseStatus.CLOSED:
        rows.append(row("import_close", "close"))
    elif imported.case is not None and not imported.gaps and not card_too_long:
        rows += [row("import_publish", "publish"), row("import_draft", "draft")]
    elif imported.case is not None:  # a draft that lacks what publishing needs
        rows.append(row("import_draft", "draft"))
    rows.append(row("import_discard", "drop"))
    notes = imported.report.notes
    shown = min(NOTES_SHOWN, len(notes))
    while True:
        body = text(
            context,
            language,
            "import_review.html",
            imported=imported,
            notes=notes[:shown],
            more=len(notes) - shown,
            card_too_long=card_too_long,
            contact_changes=_contact_changes(imported),
        )
        # Long notes (a letter's facts, a sentence for a label) must not outgrow one message.
        if len(body) <= REVIEW_CHARACTERS or shown == 0:
            break
        shown -= 1
    return Screen(body, InlineKeyboardMarkup(rows))


def _data(slug: str, action: str) -> str:
    # A slug the sheet could not give (no country, no name) still fits the callback's shape.
    return encode("oim", slug if re.fullmatch(r"[a-z0-9][a-z0-9-]{0,31}", slug) else "x", action)


@guard(Right.ORGANIZER)
async def decide(update: Update, context: BotContext) -> None:
    """Publish, keep as a draft, close, or discard the sheet just read."""
    callback = await decoded_tap(update, context)
    query, user = update.callback_query, update.effective_user
    if callback is None or query is None or user is None:
        return
    language = await language_of(update, context)
    slug, action = callback.args
    expired = text(context, language, "import_expired.txt")
    stored = await draft_of(update, context, DraftKind.IMPORT)
    pending = PendingImport.of(stored)
    if stored is None or pending is None or pending.read_on is None:
        await query.answer(expired, show_alert=True)
        return
    imported = await _decided(context, pending)
    if _data(imported.slug, action) != query.data:
        await query.answer(expired, show_alert=True)
        return
    # One tap decides: a second one (taps are handled concurrently) finds the sheet gone. The
    # sheet's draft is finished in the same transaction that stores its case.
    case = imported.case
    if action == "drop" or case is None:
        try:
            await context.services.drafts.take(stored)
        except DraftGoneError:
            await query.answer(expired, show_alert=True)
            return
        await query.answer()
        await query.edit_message_text(text(context, language, "import_discarded.html"))
        return
    if action in ("publish", "now") and imported.gaps:
        await query.answer(expired, show_alert=True)
        return
    if action == "publish":
        # Only a preview: nothing is stored until "Publish now".
        await query.answer()
        await _preview(update, context, language, case)
        await query.edit_message_reply_markup(None)
        return
    update_of = imported.update_of
    if action == "draft":
        to_store = dataclasses.replace(case, status=CaseStatus.DRAFT)
    else:
        # Closing goes through the organizers' own steps, from the stored case, and publishing
        # through their own publish: a follow-up keeps its case's status until then.
        kept = (update_of.status, update_of.outcome) if update_of else (CaseStatus.DRAFT, None)
        to_store = dataclasses.replace(case, status=kept[0], outcome=kept[1])
    try:
        await _store(context, user.id, imported, to_store, stored)
    except (DraftGoneError, SlugTakenError):
        await query.answer(expired, show_alert=True)
        return
    if action == "draft":
        await query.answer()
        await query.edit_message_text(
            text(context, language, "import_saved.html", case=case, imported=imported)
        )
        return
    if action == "now":
        await publish(update, context)
        return
    await query.answer()
    outcome = case.outcome or "nfa"
    button = context.services.renderer.button
    rows = [
        [
            InlineKeyboardButton(
                button(language, f"org_close_{mode}"),
                callback_data=encode("ocl", slug, outcome, mode),
            )
        ]
        for mode in ("notify", "quiet")
    ]
    await query.edit_message_text(
        text(
            context,
            language,
            "import_close.html",
            case=case,
            outcome=button(language, f"outcome_{outcome}", agreement=case.agreement),
        ),
        reply_markup=InlineKeyboardMarkup(rows),
    )


async def _preview(update: Update, context: BotContext, language: str, case: UrgentAction) -> None:
    """The case as subscribers will see it and whom it reaches, as the organizers' preview
    shows a stored case; "Publish now" stores and publishes it."""
    chat = update.effective_chat
    if chat is None:
        return
    services = context.services
    card = case_card(
        case,
        language=language,
        renderer=services.renderer,
        now=services.clock(),
        acted=0,
        bot_username=context.bot.username,
    )
    await send(chat, Screen(card.text))
    now = InlineKeyboardButton(
        services.renderer.button(language, "org_confirm_publish"),
        callback_data=_data(case.slug, "now"),
    )
    # The same count as the organizers' own preview: whom the offer sweep would reach now.
    body = await reach_preview(context, language, case)
    await send(chat, Screen(body, InlineKeyboardMarkup([[now]])))


async def _store(
    context: BotContext, organizer_id: int, imported: Imported, case: UrgentAction, draft: Draft
) -> None:
    """Store the imported case and finish its draft (bot.operations.cases.store_imported)."""
    pending = PendingImport.of(draft)
    await store_imported(
        context.services,
        organizer_id,
        imported,
        case,
        draft=draft,
        sheet=(pending.read or pending.sheet or None) if pending is not None else None,
        source="chat",
    )


HANDLERS = [
    CommandHandler("import", start, filters=filters.ChatType.PRIVATE),
    MessageHandler(filters.ChatType.PRIVATE & filters.Document.ALL, document),
    CallbackQueryHandler(read_received, pattern=pattern("oir")),
    CallbackQueryHandler(decide, pattern=pattern("oim")),
]
# Registered ahead of the other text handlers (in a group of its own), so that a sheet is never
# taken for a signature or a personal line; what it does not take goes on to them.
# A forwarded command is text: commands count only when typed (bot/handlers/__init__.py).
TEXT = MessageHandler(
    filters.ChatType.PRIVATE & filters.TEXT & ~(filters.COMMAND & ~filters.FORWARDED), typed
)
