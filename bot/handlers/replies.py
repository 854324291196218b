""" "Did anyone reply?": the question fourteen days after a person's appeal, their answer, and
the reply from the authorities they send back for the organizers.

The sweep (every REPLY_CHECK) decides from the database who is due (bot.db.replies) and queues
each question through the outbox. A "Yes" opens a step (the `flows` table) that takes the next
photo or file the person sends; images are re-encoded without their metadata
(bot.domain.reply_files) and kept in the database until /forget. Organizers are told, and open
each reply from the case's results.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any

from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InputFile,
    Message,
    Update,
)
from telegram.constants import ChatType
from telegram.ext import ApplicationHandlerStop, CallbackQueryHandler, TypeHandler

from bot import sweeps
from bot.context import BotContext, Services, UrgentActionApp
from bot.db.organizers import OrganizerRepository
from bot.db.outbox import enqueue
from bot.db.replies import ReplyRepository
from bot.delivery.messages import Kind, OutboundMessage, Recipient
from bot.domain.cases import UrgentAction
from bot.domain.replies import Answer, ReplyCounts
from bot.domain.reply_files import (
    MAX_BYTES,
    Refusal,
    ReplyFile,
    ReplyFileError,
    accepted_type,
    checked_pdf,
    clean_image,
)
from bot.handlers.cases import case_of
from bot.handlers.common import decoded_tap, edit_markup, language_of, subscriber_of, text
from bot.handlers.flows import end_flow, flow, keep_flow
from bot.handlers.reminders import local_moment
from bot.handlers.rights import Right, guard
from bot.views.callbacks import encode, pattern
from bot.views.replies import official_name, question_screen

log = logging.getLogger(__name__)

JOB_NAME = "replies"
# The question is due at a day's precision: an hourly look is soon enough.
REPLY_CHECK = timedelta(hours=1)
# The flows step that waits for the reply's photo or file: {"case": slug, "target": n}.
WAITING = "reply_upload"
MEGABYTE = 1024 * 1024


def repository(services: Services) -> ReplyRepository:
    """The replies' repository over the bot's database."""
    return ReplyRepository(services.db, services.settings.default_timezone)


def schedule_sweeps(app: UrgentActionApp) -> None:
    """Look for questions due now (what fell due while the bot was down), then every hour, or
    sixty times less often than reminders where they are checked more often than a minute (the
    demo, whose clock may run a day in 24 seconds)."""
    services = app.bot_data.services
    assert services is not None
    every = min(REPLY_CHECK, services.settings.reminder_check * 60)
    sweeps.every(app, sweep, every, JOB_NAME)


async def sweep(context: BotContext) -> None:
    """Queue the "Did anyone reply?" questions that are due."""
    services = context.services
    renderer = services.renderer
    cases = {case.slug: case for case in await services.cases.all()}

    def message_for(case: UrgentAction, language: str, targets: Any) -> OutboundMessage:
        screen = question_screen(case, language, targets, renderer)
        markup = screen.markup.to_dict() if screen.markup else None
        return OutboundMessage.text(screen.text, reply_markup=markup)

    asked = await repository(services).ask_due(services.clock(), cases, message_for)
    if asked:
        services.wake_delivery()
        log.info("replies: %d questions queued", asked)


@guard(Right.PERSON)
async def answer(update: Update, context: BotContext) -> None:
    """Yes (official n replied), No, or Not yet."""
    found = await case_of(update, context)
    query = update.callback_query
    if found is None or query is None:
        return
    callback, case = found
    language = await language_of(update, context)
    subscriber = await subscriber_of(update, context)
    if subscriber is None or subscriber.is_group:
        await query.answer(text(context, language, "button_invalid.txt"), show_alert=True)
        return
    services = context.services
    now = services.clock()
    timezone = subscriber.timezone or services.settings.default_timezone
    replies = repository(services)
    if callback.verb == "rpy":
        target = int(callback.arg(1))
        if not await replies.answer(case.slug, subscriber.id, Answer.YES, now, timezone, target):
            await query.answer(text(context, language, "button_invalid.txt"), show_alert=True)
            return
        await keep_flow(context, WAITING, {"case": case.slug, "target": target})
        await query.answer()
        message = query.message
        if isinstance(message, Message):
            await message.reply_text(
                text(
                    context,
                    language,
                    "reply_invite.html",
                    official=official_name(case, target, language, services.renderer),
                    megabytes=MAX_BYTES // MEGABYTE,
                )
            )
    else:
        choice = Answer(callback.arg(1))
        if not await replies.answer(case.slug, subscriber.id, choice, now, timezone):
            await query.answer(text(context, language, "button_invalid.txt"), show_alert=True)
            return
        await end_flow(context, WAITING)
        again = await replies.asking_again(case.slug, subscriber.id)
        when = local_moment(again, timezone, services.renderer, language) if again else None
        await query.answer(
            text(context, language, "reply_answered.txt", answer=str(choice), when=when),
            show_alert=True,
        )
    # The question is answered: its buttons leave the message.
    await edit_markup(query, None)


async def watch_upload(update: Update, context: BotContext) -> None:
    """While a "Yes" waits for the reply: the person's next photo or file is it, taken from
    every other handler; anything else but a command or a tap gets a clear answer."""
    message, chat = update.message, update.effective_chat
    if message is None or chat is None or chat.type != ChatType.PRIVATE:
        return
    waiting = await flow(context, WAITING)
    if not isinstance(waiting, dict):
        return
    if message.text is not None and message.text.startswith("/"):
        # A command ends the wait and goes on to its own handler.
        await end_flow(context, WAITING)
        return
    services = context.services
    subscriber = await services.subscribers.get(chat.id)
    case = await services.cases.get(str(waiting.get("case")))
    if subscriber is None or case is None:
        await end_flow(context, WAITING)
        return
    if message.text is not None and await flow(context, "appeal") is not None:
        # A letter being written waits for typed words too: they are the letter's.
        return
    language = subscriber.language
    try:
        reply = await _reply_file(message)
    except ReplyFileError as refused:
        await message.reply_text(
            text(
                context,
                language,
                "reply_refused.txt",
                reason=str(refused.refusal),
                megabytes=MAX_BYTES // MEGABYTE,
            )
        )
        raise ApplicationHandlerStop from None
    target = int(waiting.get("target", 0))
    now = services.clock()
    reply_id = await repository(services).keep(case.slug, subscriber.id, target, reply, now)
    await end_flow(context, WAITING)
    official = official_name(case, target, language, services.renderer)
    await message.reply_text(text(context, language, "reply_received.html", official=official))
    await tell_organizers(services, case, target, reply_id)
    raise ApplicationHandlerStop


async def _reply_file(message: Message) -> ReplyFile:
    """The photo or file in the message, checked and cleaned; ReplyFileError for the rest."""
    if message.photo:
        largest = message.photo[-1]
        if (largest.file_size or 0) > MAX_BYTES:
            raise ReplyFileError(Refusal.TOO_BIG)
        data = bytes(await (await largest.get_file()).download_as_bytearray())
        # Decoding and encoding a photo takes a noticeable fraction of a second: in a thread,
        # the bot keeps answering everyone else.
        return await asyncio.to_thread(clean_image, data, "reply.jpg")
    document = message.document
    if document is None:
        raise ReplyFileError(Refusal.WRONG_TYPE)
    kind = accepted_type(document.mime_type, document.file_name)
    if kind is None:
        raise ReplyFileError(Refusal.WRONG_TYPE)
    if (document.file_size or 0) > MAX_BYTES:
        raise ReplyFileError(Refusal.TOO_BIG)
    data = bytes(await (await document.get_file()).download_as_bytearray())
    name = document.file_name or "reply"
    if kind == "image":
        return await asyncio.to_thread(clean_image, data, name)
    return checked_pdf(data, name)


async def organizer_ids(services: Services) -> list[int]:
    """Everyone who organizes now: named in BOT_ORGANIZERS or added in the chat."""
    added = await OrganizerRepository(services.db).added()
    return sorted(set(services.settings.organizers) | set(added))


async def tell_organizers(
    services: Services, case: UrgentAction, target: int, reply_id: int
) -> None:
    """Tell each organizer, in their language, that a reply came, with a button to open it."""
    renderer = services.renderer
    now = services.clock()
    messages: list[tuple[OutboundMessage, Recipient]] = []
    for user_id in await organizer_ids(services):
        known = await services.subscribers.get(user_id)
        language = known.language if known is not None else renderer.languages[0]
        body = renderer.render(
            language,
            "reply_notice.html",
            texts=case.text(language),
            official=official_name(case, target, language, renderer),
        )
        markup = InlineKeyboardMarkup(
            [
                [
                    InlineKeyboardButton(
                        renderer.button(language, "reply_open"),
                        callback_data=encode("ory", str(reply_id)),
                    )
                ]
            ]
        )
        messages.append(
            (OutboundMessage.text(body, reply_markup=markup.to_dict()), Recipient(user_id))
        )
    async with services.db.transaction() as conn:
        for message, recipient in messages:
            await enqueue(conn, message, [recipient], kind=Kind.NOTICE, now=now)
    services.wake_delivery()


@guard(Right.ORGANIZER)
async def open_reply(update: Update, context: BotContext) -> None:
    """Send an organizer one reply, as a photo (a cleaned image) or a file, with its case."""
    query, chat = update.callback_query, update.effective_chat
    callback = await decoded_tap(update, context)
    if query is None or chat is None or callback is None:
        return
    services = context.services
    language = await language_of(update, context)
    found = await repository(services).file(int(callback.arg(0)))
    case = await services.cases.get(found[0].case_slug) if found else None
    if found is None or case is None:
        # Deleted since (/forget): nothing to show.
        await query.answer(text(context, language, "reply_gone.txt"), show_alert=True)
        return
    await query.answer()
    reply, data = found
    caption = services.renderer.render(
        language,
        "reply_caption.html",
        texts=case.text(language),
        official=official_name(case, reply.target, language, services.renderer),
        received=services.renderer.moment(reply.received_at, language),
    )
    upload = InputFile(data, filename=reply.file_name)
    if reply.kind == "image":
        await chat.send_photo(upload, caption=caption)
    else:
        await chat.send_document(upload, caption=caption)


# Replies a results screen offers to open, newest first (the console lists them all).
SHOWN_REPLIES = 10


async def reply_lines(
    services: Services, case: UrgentAction, language: str
) -> list[tuple[str, ReplyCounts]]:
    """Per official people were asked about: their name, and the answers and replies."""
    return [
        (official_name(case, counts.target, language, services.renderer), counts)
        for counts in await repository(services).counts(case.slug)
    ]


async def reply_buttons(
    services: Services, case: UrgentAction, language: str
) -> list[list[InlineKeyboardButton]]:
    """A button per reply kept for the case (the newest SHOWN_REPLIES), to open it."""
    kept = await repository(services).replies(case.slug)
    renderer = services.renderer
    return [
        [
            InlineKeyboardButton(
                renderer.button(
                    language,
                    "reply_open_one",
                    official=official_name(case, reply.target, language, renderer),
                    on=renderer.short_date(reply.received_at.date(), language),
                ),
                callback_data=encode("ory", str(reply.id)),
            )
        ]
        for reply in reversed(kept[-SHOWN_REPLIES:])
    ]


def exporter(services: Services) -> Callable[[int], Awaitable[dict[str, list[dict[str, object]]]]]:
    """What /mydata shows of a person's answers and the replies they sent."""

    async def export(subscriber_id: int) -> dict[str, list[dict[str, object]]]:
        return await repository(services).of_subscriber(subscriber_id)

    return export


HANDLERS = [
    CallbackQueryHandler(answer, pattern=pattern("rpy")),
    CallbackQueryHandler(answer, pattern=pattern("rpa")),
    CallbackQueryHandler(open_reply, pattern=pattern("ory")),
]
# Ahead of the other handlers (bot.handlers.register_handlers): the photo or file a "Yes"
# waits for.
UPLOAD = TypeHandler(Update, watch_upload)
