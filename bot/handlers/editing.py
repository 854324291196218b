"""Organizers edit a case as its file: the bot sends the case file, the organizer sends it back
changed (a new key date, a corrected address), and the bot checks it, saves it and says what
changed. A moved deadline replans the case's reminders as it is saved (bot.db.cases).
"""

from __future__ import annotations

import dataclasses
import io
import logging
import tomllib

from telegram import InputFile, Update
from telegram.ext import CallbackQueryHandler, MessageHandler, filters

from bot.casefile import case_file
from bot.catalogue import CatalogueError, case_from_mapping, case_to_mapping
from bot.context import BotContext
from bot.db.organizers import OrganizerRepository
from bot.domain.cases import UrgentAction
from bot.handlers.common import language_of, text
from bot.handlers.organizer import tapped_case
from bot.handlers.rights import Right, guard
from bot.views.callbacks import pattern
from bot.views.cards import card_problems

log = logging.getLogger(__name__)

# A case file is a few kilobytes; anything much larger is not one.
LARGEST_FILE = 256 * 1024


@guard(Right.ORGANIZER)
async def send_file(update: Update, context: BotContext) -> None:
    """Send the case as its file, to be edited and sent back."""
    case = await tapped_case(update, context)
    query, chat = update.callback_query, update.effective_chat
    if case is None or query is None or chat is None:
        return
    await query.answer()
    language = await language_of(update, context)
    header = text(context, language, "org_edit_file_header.txt", case=case)
    written = case_file(case_to_mapping(case), [header])
    await chat.send_document(
        InputFile(io.BytesIO(written.encode()), filename=f"{case.slug}.toml"),
        caption=text(context, language, "org_edit_file.html", case=case),
    )


@guard(Right.ORGANIZER)
async def receive_file(update: Update, context: BotContext) -> None:
    """An organizer sent a case file back: check it, save it, say what changed."""
    message = update.effective_message
    if message is None or message.document is None:
        return
    services = context.services
    language = await language_of(update, context)
    document = message.document
    if document.file_size is not None and document.file_size > LARGEST_FILE:
        await message.reply_text(
            text(context, language, "org_edit_refused.html", problems=[], reason="large")
        )
        return
    raw = await (await document.get_file()).download_as_bytearray()
    # Whatever the file holds, the organizer hears why it was not taken.
    reason = "large" if len(raw) > LARGEST_FILE else None
    try:
        if reason is None:
            data = tomllib.loads(bytes(raw).decode("utf-8"))
            edited = case_from_mapping(data, source=document.file_name or "case file")
    except UnicodeDecodeError:
        reason = "binary"
    except RecursionError:
        # tomllib reads nested arrays and tables recursively: a deep one exhausts the stack.
        reason = "nested"
    except tomllib.TOMLDecodeError as error:
        problems = [str(error)]
        await message.reply_text(
            text(context, language, "org_edit_refused.html", problems=problems)
        )
        return
    except CatalogueError as error:
        problems = [str(problem) for problem in error.problems]
        await message.reply_text(
            text(context, language, "org_edit_refused.html", problems=problems)
        )
        return
    if reason is not None:
        log.info("case file %r refused: %s", document.file_name, reason)
        await message.reply_text(
            text(context, language, "org_edit_refused.html", problems=[], reason=reason)
        )
        return
    if problems := card_problems(edited, services.renderer, services.clock()):
        # Saved, such a case would break every /start and alert that shows it.
        await message.reply_text(
            text(context, language, "org_edit_refused.html", problems=problems)
        )
        return
    stored = await services.cases.get(edited.slug)
    if stored is None:
        await message.reply_text(
            text(context, language, "org_edit_unknown.html", slug=edited.slug)
        )
        return
    # Publishing and closing go through their own buttons, which tell people.
    edited = dataclasses.replace(edited, status=stored.status, outcome=stored.outcome)
    changed = changes(stored, edited)
    if not changed:
        await message.reply_text(text(context, language, "org_edit_unchanged.html", case=stored))
        return
    now = services.clock()
    await services.cases.save(edited, now)
    user = update.effective_user
    await OrganizerRepository(services.db).record(
        user.id if user else 0, "case_edited", {"case": edited.slug, "changed": changed}, now
    )
    log.info("case %s edited: %s", edited.slug, ", ".join(changed))
    await message.reply_text(
        text(
            context,
            language,
            "org_edited.html",
            case=edited,
            changed=changed,
            deadline_moved=stored.deadline_moment() != edited.deadline_moment(),
            deadline=edited.deadline,
        )
    )


def changes(before: UrgentAction, after: UrgentAction) -> list[str]:
    """The fields of the case file that differ, in the file's order."""
    old, new = case_to_mapping(before), case_to_mapping(after)
    return [key for key in dict.fromkeys([*old, *new]) if old.get(key) != new.get(key)]


HANDLERS = [
    CallbackQueryHandler(send_file, pattern=pattern("oed")),
    MessageHandler(
        filters.ChatType.PRIVATE & filters.Document.FileExtension("toml"), receive_file
    ),
]
