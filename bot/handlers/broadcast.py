"""Broadcasts: an organizer writes (or forwards) a message, picks an audience, sees its size and
a preview, and sends it now or later. A status message shows the progress until the report.

Every broadcast carries an unsubscribe button. The messages go through the outbox, so a crash
loses none: after a restart the engine resumes and the status message is followed again.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from datetime import datetime, time, timedelta

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ChatType
from telegram.error import BadRequest
from telegram.ext import CallbackQueryHandler, CommandHandler, JobQueue, MessageHandler, filters

from bot.context import BotContext, UrgentActionApp
from bot.db.broadcasts import Broadcast, BroadcastRepository
from bot.db.organizers import OrganizerRepository
from bot.db.outbox import OutboxRepository
from bot.delivery.messages import OutboundMessage, Progress
from bot.domain.subscribers import SubscriberStatus
from bot.handlers.common import decoded_tap, is_group_admin, language_of, send, text
from bot.handlers.organizer import is_organizer, refuse
from bot.views import Screen
from bot.views.callbacks import encode, pattern

log = logging.getLogger(__name__)
PROGRESS_EVERY = 3.0  # seconds between edits of the status message


@dataclass(frozen=True)
class BroadcastDraft:
    """What the organizer has written and chosen so far."""

    html: str | None = None
    audience: str | None = None


async def start(update: Update, context: BotContext) -> None:
    """/broadcast: ask for the message."""
    message = update.effective_message
    if message is None:
        return
    if not await is_organizer(update, context):
        await refuse(update, context)
        return
    if context.user_data is not None:
        context.user_data["broadcast"] = BroadcastDraft()
    language = await language_of(update, context)
    await message.reply_text(text(context, language, "broadcast_prompt.html"))


async def takes(update: Update, context: BotContext) -> bool:
    """Take the organizer's message as the broadcast text when a draft awaits one."""
    draft = context.user_data.get("broadcast") if context.user_data is not None else None
    message, chat = update.effective_message, update.effective_chat
    if not isinstance(draft, BroadcastDraft) or draft.html is not None or message is None:
        return False
    if chat is None or not await is_organizer(update, context):
        return False
    html = message.text_html or message.caption_html
    if not html:
        return False
    assert context.user_data is not None
    context.user_data["broadcast"] = replace(draft, html=html)
    language = await language_of(update, context)
    await send(chat, await _audience_screen(context, language))
    return True


async def media(update: Update, context: BotContext) -> None:
    """A photo, video or the like while a draft awaits its message: say that only text goes."""
    draft = context.user_data.get("broadcast") if context.user_data is not None else None
    message = update.effective_message
    if not isinstance(draft, BroadcastDraft) or draft.html is not None or message is None:
        return
    if not await is_organizer(update, context):
        return
    language = await language_of(update, context)
    await message.reply_text(text(context, language, "broadcast_text_only.html"))


async def _audience_screen(context: BotContext, language: str) -> Screen:
    services = context.services
    button = services.renderer.button
    rows = [
        [InlineKeyboardButton(button(language, "bc_all"), callback_data=encode("oba", "all", ""))]
    ]
    rows.append(
        [
            InlineKeyboardButton(
                button(language, "bc_lang", language_name=button(code, "language_name")),
                callback_data=encode("oba", "lang", code),
            )
            for code in services.renderer.languages
        ]
    )
    for case in await services.cases.all():
        title = case.text(language).title
        rows.append(
            [
                InlineKeyboardButton(
                    button(language, "bc_case", title=title),
                    callback_data=encode("oba", "case", case.slug),
                )
            ]
        )
        rows.append(
            [
                InlineKeyboardButton(
                    button(language, "bc_acted"), callback_data=encode("oba", "acted", case.slug)
                ),
                InlineKeyboardButton(
                    button(language, "bc_notacted"),
                    callback_data=encode("oba", "notacted", case.slug),
                ),
            ]
        )
    return Screen(text(context, language, "broadcast_audience.html"), InlineKeyboardMarkup(rows))


def _message(context: BotContext, html: str, language: str) -> OutboundMessage:
    """The broadcast as its recipients get it: the organizer's text and an unsubscribe button."""
    label = context.services.renderer.button(language, "unsubscribe")
    markup = InlineKeyboardMarkup([[InlineKeyboardButton(label, callback_data=encode("unsub"))]])
    return OutboundMessage.text(html, reply_markup=markup.to_dict())


async def choose_audience(update: Update, context: BotContext) -> None:
    """Audience chosen: preview the message and say how many it reaches."""
    if not await is_organizer(update, context):
        await refuse(update, context)
        return
    callback = await decoded_tap(update, context)
    query, chat = update.callback_query, update.effective_chat
    draft = context.user_data.get("broadcast") if context.user_data is not None else None
    if callback is None or query is None or chat is None:
        return
    language = await language_of(update, context)
    if not isinstance(draft, BroadcastDraft) or draft.html is None:
        await query.answer(text(context, language, "broadcast_no_draft.txt"), show_alert=True)
        return
    kind, value = callback.args
    audience = kind if kind == "all" else f"{kind}:{value}"
    size = await BroadcastRepository(context.services.db).audience_size(audience)
    assert context.user_data is not None
    context.user_data["broadcast"] = replace(draft, audience=audience)
    await query.answer()
    preview = _message(context, draft.html, language)
    await chat.send_message(
        str(preview.params["text"]),
        reply_markup=InlineKeyboardMarkup.de_json(
            dict(preview.params["reply_markup"]), context.bot
        ),
    )
    button = context.services.renderer.button
    rows = [
        [InlineKeyboardButton(button(language, "bc_now"), callback_data=encode("obs", "now"))],
        [
            InlineKeyboardButton(button(language, "bc_hour"), callback_data=encode("obs", "1h")),
            InlineKeyboardButton(
                button(language, "bc_tomorrow"), callback_data=encode("obs", "tomorrow")
            ),
        ],
        [InlineKeyboardButton(button(language, "bc_drop"), callback_data=encode("obs", "drop"))],
    ]
    await send(
        chat,
        Screen(
            text(context, language, "broadcast_confirm.html", size=size),
            InlineKeyboardMarkup(rows),
        ),
    )


async def confirm(update: Update, context: BotContext) -> None:
    """Queue the broadcast (now or later), then follow it in a status message."""
    if not await is_organizer(update, context):
        await refuse(update, context)
        return
    callback = await decoded_tap(update, context)
    query, chat, user = update.callback_query, update.effective_chat, update.effective_user
    if callback is None or query is None or chat is None or user is None:
        return
    # Taken at once, before any await: a second tap on "Send now" (taps are handled
    # concurrently) finds no draft instead of queueing the broadcast twice.
    draft = context.user_data.pop("broadcast", None) if context.user_data is not None else None
    language = await language_of(update, context)
    if not isinstance(draft, BroadcastDraft) or draft.html is None or draft.audience is None:
        if isinstance(draft, BroadcastDraft) and context.user_data is not None:
            context.user_data.setdefault("broadcast", draft)
        await query.answer(text(context, language, "broadcast_no_draft.txt"), show_alert=True)
        return
    await query.answer()
    when = callback.arg(0)
    if when == "drop":
        await query.edit_message_text(text(context, language, "broadcast_dropped.html"))
        return
    services = context.services
    now = services.clock()
    send_at = now
    if when == "1h":
        send_at = now + timedelta(hours=1)
    elif when == "tomorrow":
        send_at = datetime.combine(now.date() + timedelta(days=1), time(9, 0), tzinfo=now.tzinfo)
    html = draft.html
    repository = BroadcastRepository(services.db)
    broadcast = await repository.queue(
        created_by=user.id,
        text=html,
        audience=draft.audience,
        send_at=send_at,
        message_for=lambda lang: _message(context, html, lang),
        now=now,
    )
    await OrganizerRepository(services.db).record(
        user.id,
        "broadcast_queued",
        {
            "broadcast": broadcast.id,
            "audience": broadcast.audience,
            "recipients": broadcast.recipients,
        },
        now,
    )
    services.wake_delivery()
    status = await chat.send_message(
        text(
            context,
            language,
            "broadcast_status.html",
            broadcast=broadcast,
            progress=None,
            done=False,
            scheduled=send_at > now,
        ),
        reply_markup=_cancel_markup(context, language, broadcast.id),
    )
    await repository.set_status_message(broadcast.id, chat.id, status.message_id)
    # PTB types the context's job queue with its own type variable, not BotContext.
    follow(context.application.job_queue, broadcast.id)  # type: ignore[arg-type]


def _cancel_markup(context: BotContext, language: str, broadcast_id: int) -> InlineKeyboardMarkup:
    label = context.services.renderer.button(language, "bc_cancel")
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(label, callback_data=encode("obx", str(broadcast_id)))]]
    )


def follow(jobs: JobQueue[BotContext] | None, broadcast_id: int) -> None:
    """Edit the broadcast's status message every few seconds until it is finished."""
    assert jobs is not None
    name = f"broadcast-progress-{broadcast_id}"
    if not jobs.get_jobs_by_name(name):
        jobs.run_repeating(
            _progress, interval=PROGRESS_EVERY, first=PROGRESS_EVERY, name=name, data=broadcast_id
        )


async def follow_unfinished(app: UrgentActionApp) -> None:
    """After a restart, follow every broadcast still under way."""
    services = app.bot_data.services
    assert services is not None
    for broadcast in await BroadcastRepository(services.db).unfinished():
        follow(app.job_queue, broadcast.id)


async def _progress(context: BotContext) -> None:
    job = context.job
    assert job is not None
    broadcast_id = int(str(job.data))
    services = context.services
    repository = BroadcastRepository(services.db)
    broadcast = await repository.get(broadcast_id)
    if broadcast is None:
        job.schedule_removal()
        return
    outbox = OutboxRepository(services.db)
    progress = await outbox.progress(broadcast_id)
    if broadcast.status == "cancelled" and progress.pending:
        # Rows the engine held when the broadcast was cancelled come back as pending when it
        # lets them go (a chat's pace, a 429): they must not go out later either.
        await outbox.cancel_broadcast(broadcast_id)
        progress = await outbox.progress(broadcast_id)
    # The report waits for the rows still in flight, so its numbers are final.
    done = progress.finished
    if done:
        job.schedule_removal()
        await repository.finish(broadcast_id, services.clock())
    await _show(context, broadcast, progress, done)


async def _show(context: BotContext, broadcast: Broadcast, progress: Progress, done: bool) -> None:
    if broadcast.status_chat_id is None or broadcast.status_message_id is None:
        return
    services = context.services
    subscriber = await services.subscribers.get(broadcast.status_chat_id)
    language = subscriber.language if subscriber else services.renderer.languages[0]
    body = text(
        context,
        language,
        "broadcast_status.html",
        broadcast=broadcast,
        progress=progress,
        done=done,
        scheduled=not done and broadcast.send_at > services.clock(),
    )
    try:
        await context.bot.edit_message_text(
            body,
            chat_id=broadcast.status_chat_id,
            message_id=broadcast.status_message_id,
            reply_markup=None if done else _cancel_markup(context, language, broadcast.id),
        )
    except BadRequest as error:
        if "not modified" not in str(error):
            log.warning("broadcast %s: status message not updated: %s", broadcast.id, error)


async def cancel(update: Update, context: BotContext) -> None:
    """Cancel a scheduled or running broadcast: what is not yet sent stays unsent."""
    if not await is_organizer(update, context):
        await refuse(update, context)
        return
    callback = await decoded_tap(update, context)
    query, user = update.callback_query, update.effective_user
    if callback is None or query is None or user is None:
        return
    services = context.services
    language = await language_of(update, context)
    broadcast_id = int(callback.arg(0))
    cancelled = await BroadcastRepository(services.db).cancel(broadcast_id, services.clock())
    if services.delivery is not None:
        # Rows the engine already took from the outbox are dropped before they are sent.
        services.delivery.drop_broadcast(broadcast_id)
    await OrganizerRepository(services.db).record(
        user.id,
        "broadcast_cancelled",
        {"broadcast": broadcast_id, "unsent": cancelled},
        services.clock(),
    )
    await query.answer(text(context, language, "broadcast_cancelled.txt", count=cancelled))


async def unsubscribe(update: Update, context: BotContext) -> None:
    """The unsubscribe button under a broadcast: like /stop, with an undo."""
    query, chat = update.callback_query, update.effective_chat
    if query is None or chat is None:
        return
    services = context.services
    language = await language_of(update, context)
    # In a group, as with /stop, only an admin may unsubscribe it for everyone.
    if chat.type != ChatType.PRIVATE and not await is_group_admin(update, context):
        await query.answer(text(context, language, "group_admins_only.txt"), show_alert=True)
        return
    known = await services.subscribers.set_status(
        chat.id, SubscriberStatus.STOPPED, services.clock()
    )
    await query.answer()
    if not known:
        await chat.send_message(text(context, language, "not_subscribed.html"))
        return
    undo = InlineKeyboardButton(
        services.renderer.button(language, "undo_stop"), callback_data=encode("sub")
    )
    await send(
        chat, Screen(text(context, language, "stopped.html"), InlineKeyboardMarkup([[undo]]))
    )


HANDLERS = [
    CommandHandler("broadcast", start),
    CallbackQueryHandler(choose_audience, pattern=pattern("oba")),
    CallbackQueryHandler(confirm, pattern=pattern("obs")),
    CallbackQueryHandler(cancel, pattern=pattern("obx")),
    CallbackQueryHandler(unsubscribe, pattern=pattern("unsub")),
    # Broadcasts are text: a forwarded photo or video gets a word instead of silence. (Text,
    # forwarded or typed, reaches `takes` through the private-chat text handler.)
    MessageHandler(
        filters.ChatType.PRIVATE
        & (
            filters.PHOTO
            | filters.VIDEO
            | filters.ANIMATION
            | filters.AUDIO
            | filters.VOICE
            | filters.VIDEO_NOTE
            | filters.Sticker.ALL
        ),
        media,
    ),
]
