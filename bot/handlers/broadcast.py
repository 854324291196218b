"""Broadcasts: an organizer writes (or forwards) a message, picks an audience, sees its size and
a preview, and sends it now or later. A status message shows the progress until the report.

Every broadcast carries an unsubscribe button. The messages go through the outbox, so a crash
loses none: after a restart the engine resumes and the status message is followed again. What
the organizer has written and chosen before confirming is a draft in the database, so a restart
does not lose that either.
"""

from __future__ import annotations

import functools
import logging
from dataclasses import dataclass, replace
from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from telegram import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.constants import ChatType as TelegramChatType
from telegram.error import BadRequest, TelegramError
from telegram.ext import CallbackQueryHandler, CommandHandler, JobQueue, MessageHandler, filters

from bot.context import BotContext, UrgentActionApp
from bot.db.broadcasts import Broadcast, BroadcastRepository
from bot.db.drafts import Draft, DraftGoneError, DraftKind
from bot.db.leases import LeaseRepository
from bot.db.outbox import OutboxRepository
from bot.delivery.messages import OutboundMessage, Progress
from bot.domain.cases import CaseStatus
from bot.domain.subscribers import SubscriberStatus
from bot.domain.timezones import zone_label
from bot.handlers.common import (
    decoded_tap,
    draft_of,
    edit_markup,
    edit_text,
    language_of,
    send,
    text,
)
from bot.handlers.rights import Right, guard, is_organizer
from bot.operations.broadcasting import broadcast_message, cancel_broadcast, queue_broadcast
from bot.rendering import Renderer
from bot.views import Screen
from bot.views.callbacks import encode, pattern

log = logging.getLogger(__name__)
PROGRESS_EVERY = 3.0  # seconds between edits of the status message
# A broadcast saved this long ago and not queued, or with no status message, was stranded by
# the process that saved it; every STRANDED_CHECK, any process finishes such broadcasts.
STRANDED_AFTER = timedelta(minutes=2)
STRANDED_CHECK = timedelta(seconds=30)
STRANDED_JOB = "broadcast-stranded"
# How long the process editing it keeps the job without renewing (it renews at every edit).
PROGRESS_LEASE = timedelta(seconds=PROGRESS_EVERY * 3)


@dataclass(frozen=True)
class BroadcastDraft:
    """What the organizer has written and chosen so far."""

    html: str | None = None
    audience: str | None = None

    @classmethod
    def of(cls, stored: Draft | None) -> BroadcastDraft | None:
        """The draft as the drafts table keeps it, or None."""
        if stored is None:
            return None
        html, audience = stored.body.get("html"), stored.body.get("audience")
        return cls(
            html=html if isinstance(html, str) else None,
            audience=audience if isinstance(audience, str) else None,
        )

    def body(self) -> dict[str, Any]:
        """The draft as the drafts table keeps it."""
        return {"html": self.html, "audience": self.audience}


async def _save(context: BotContext, user_id: int, draft: BroadcastDraft) -> None:
    services = context.services
    await services.drafts.save(user_id, DraftKind.BROADCAST, draft.body(), services.clock())


@guard(Right.ORGANIZER)
async def start(update: Update, context: BotContext) -> None:
    """/broadcast: ask for the message."""
    message, user = update.effective_message, update.effective_user
    if message is None or user is None:
        return
    await _save(context, user.id, BroadcastDraft())
    language = await language_of(update, context)
    await message.reply_text(text(context, language, "broadcast_prompt.html"))


async def awaits_text(update: Update, context: BotContext) -> bool:
    """Whether the person's broadcast draft waits for its message (a long text that reads
    like a sheet is then the broadcast, not a sheet to import)."""
    draft = BroadcastDraft.of(await draft_of(update, context, DraftKind.BROADCAST))
    return draft is not None and draft.html is None


async def takes(update: Update, context: BotContext) -> bool:
    """Take the organizer's message as the broadcast text when a draft awaits one."""
    message, chat, user = update.effective_message, update.effective_chat, update.effective_user
    if message is None or chat is None or user is None:
        return False
    draft = BroadcastDraft.of(await draft_of(update, context, DraftKind.BROADCAST))
    if draft is None or draft.html is not None:
        return False
    if not await is_organizer(update, context):
        return False
    html = message.text_html or message.caption_html
    if not html:
        return False
    await _save(context, user.id, replace(draft, html=html))
    language = await language_of(update, context)
    await send(chat, await _audience_screen(context, language))
    return True


async def media(update: Update, context: BotContext) -> None:
    """A photo, video or the like while a draft awaits its message: say that only text goes."""
    message = update.effective_message
    if message is None:
        return
    draft = BroadcastDraft.of(await draft_of(update, context, DraftKind.BROADCAST))
    if draft is None or draft.html is not None:
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
                button(language, "bc_lang", code=code),
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
        # News of a case still open: to those who acted and those who planned to write.
        if case.status is CaseStatus.ACTIVE:
            rows.append(
                [
                    InlineKeyboardButton(
                        button(language, "bc_news"), callback_data=encode("oba", "news", case.slug)
                    )
                ]
            )
    return Screen(text(context, language, "broadcast_audience.html"), InlineKeyboardMarkup(rows))


def _message(context: BotContext, html: str, language: str) -> OutboundMessage:
    """The broadcast as its recipients get it: the organizer's text and an unsubscribe button."""
    return _rendered(context.services.renderer, html, language)


def _rendered(renderer: Renderer, html: str, language: str) -> OutboundMessage:
    return broadcast_message(renderer, html, language)


@guard(Right.ORGANIZER)
async def choose_audience(update: Update, context: BotContext) -> None:
    """Audience chosen: preview the message and say how many it reaches."""
    callback = await decoded_tap(update, context)
    query, chat, user = update.callback_query, update.effective_chat, update.effective_user
    if callback is None or query is None or chat is None or user is None:
        return
    draft = BroadcastDraft.of(await draft_of(update, context, DraftKind.BROADCAST))
    language = await language_of(update, context)
    if draft is None or draft.html is None:
        await query.answer(text(context, language, "broadcast_no_draft.txt"), show_alert=True)
        return
    kind, value = callback.args
    audience = kind if kind == "all" else f"{kind}:{value}"
    size = await BroadcastRepository(context.services.db).audience_size(audience)
    await _save(context, user.id, replace(draft, audience=audience))
    await query.answer()
    preview = _message(context, draft.html, language)
    await chat.send_message(
        str(preview.params["text"]),
        reply_markup=InlineKeyboardMarkup.de_json(
            dict(preview.params["reply_markup"]), context.bot
        ),
    )
    button = context.services.renderer.button
    zone = await _organizer_zone(context, chat.id)
    rows = [
        [InlineKeyboardButton(button(language, "bc_now"), callback_data=encode("obs", "now"))],
        [
            InlineKeyboardButton(button(language, "bc_hour"), callback_data=encode("obs", "1h")),
            InlineKeyboardButton(
                button(language, "bc_tomorrow", zone=zone_label(zone, context.services.clock())),
                callback_data=encode("obs", "tomorrow"),
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


@guard(Right.ORGANIZER)
async def confirm(update: Update, context: BotContext) -> None:
    """Queue the broadcast (now or later), then follow it in a status message."""
    callback = await decoded_tap(update, context)
    query, chat, user = update.callback_query, update.effective_chat, update.effective_user
    if callback is None or query is None or chat is None or user is None:
        return
    services = context.services
    stored = await draft_of(update, context, DraftKind.BROADCAST)
    draft = BroadcastDraft.of(stored) or BroadcastDraft()
    html, audience = draft.html, draft.audience
    language = await language_of(update, context)
    gone = text(context, language, "broadcast_no_draft.txt")
    if stored is None or html is None or audience is None:
        await query.answer(gone, show_alert=True)
        await _drop_buttons(query)
        return
    when = callback.arg(0)
    if when == "drop":
        try:
            await services.drafts.take(stored)
        except DraftGoneError:
            await query.answer(gone, show_alert=True)
            return
        await query.answer()
        await edit_text(query, text(context, language, "broadcast_dropped.html"))
        return
    now = services.clock()
    send_at = now
    if when == "1h":
        send_at = now + timedelta(hours=1)
    elif when == "tomorrow":
        # 09:00 where the organizer is (their /settings zone, else the bot's default), as the
        # button says.
        zone = ZoneInfo(await _organizer_zone(context, chat.id))
        local = now.astimezone(zone)
        send_at = datetime.combine(
            local.date() + timedelta(days=1), time(9, 0), tzinfo=zone
        ).astimezone(now.tzinfo)

    async def recorded() -> None:
        try:
            await query.answer()
            # Sent: the confirmation keeps its words and loses its buttons; the status message
            # below carries the only button left (cancel).
            await _drop_buttons(query)
        except TelegramError as error:
            # The tap came too late to answer (a repeat, a stall): the broadcast is saved, so
            # it goes all the same, and the status message below tells the organizer.
            log.info("a broadcast's tap could not be answered (%s)", error)

    try:
        # The draft goes in the transaction that queues the broadcast: a second tap on "Send
        # now" (taps are handled concurrently) finds it gone instead of queueing it twice.
        broadcast = await queue_broadcast(
            services, user.id, html, audience, send_at, draft=stored, recorded=recorded
        )
    except DraftGoneError:
        await query.answer(gone, show_alert=True)
        await _drop_buttons(query)
        return
    await _show_status(context, broadcast, chat.id, language, scheduled=send_at > now)


async def _show_status(
    context: BotContext, broadcast: Broadcast, chat_id: int, language: str, *, scheduled: bool
) -> None:
    """Send the organizer the broadcast's status message (with its cancel button), and follow
    the broadcast from now on."""
    status = await context.bot.send_message(
        chat_id,
        text(
            context,
            language,
            "broadcast_status.html",
            broadcast=broadcast,
            progress=None,
            done=False,
            scheduled=scheduled,
        ),
        reply_markup=_cancel_markup(context, language, broadcast.id),
    )
    await BroadcastRepository(context.services.db).set_status_message(
        broadcast.id, chat_id, status.message_id
    )
    # PTB types the context's job queue with its own type variable, not BotContext.
    follow(context.application.job_queue, broadcast.id)  # type: ignore[arg-type]


async def _organizer_zone(context: BotContext, chat_id: int) -> str:
    """The time zone the organizer chose in /settings, else the bot's default."""
    services = context.services
    subscriber = await services.subscribers.get(chat_id)
    zone = subscriber.timezone if subscriber is not None else None
    return zone or services.settings.default_timezone


async def _drop_buttons(query: CallbackQuery) -> None:
    """Take the buttons off the message tapped, when they are still there."""
    message = query.message
    if not isinstance(message, Message) or message.reply_markup is None:
        return
    await edit_markup(query, None)


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
    repository = BroadcastRepository(services.db)
    for broadcast in await repository.unqueued():
        log.warning(
            "broadcast %d: a stop interrupted its queueing; queueing the rest", broadcast.id
        )
        await repository.fill(
            broadcast.id,
            functools.partial(_rendered, services.renderer, broadcast.text),
            services.clock(),
            wake=services.wake_delivery,
        )
    for broadcast in await repository.unfinished():
        follow(app.job_queue, broadcast.id)


async def finish_stranded(context: BotContext) -> None:
    """The job: finish the broadcasts a process saved and then stopped short of queueing, or
    of telling the organizer (a failed answer to the tap, a crash, the database gone). Any
    process does it; queueing takes turns per broadcast and resumes where it stopped."""
    services = context.services
    now = services.clock()
    repository = BroadcastRepository(services.db)
    for found in await repository.stranded(now - STRANDED_AFTER):
        broadcast = found
        if not found.queued:
            log.warning("broadcast %d: its queueing stopped short; queueing the rest", found.id)
            broadcast = await repository.fill(
                found.id,
                functools.partial(_rendered, services.renderer, found.text),
                now,
                wake=services.wake_delivery,
            )
        if broadcast.status_message_id is not None:
            follow(context.application.job_queue, broadcast.id)  # type: ignore[arg-type]
            continue
        # One process tells the organizer: the first to take the broadcast's turn.
        lock = f"urgent-action-bot:broadcast-status:{broadcast.id}"
        async with services.db.exclusive(lock, wait=False) as taken:
            current = await repository.get(broadcast.id) if taken else None
            if current is None or current.status_message_id is not None:
                continue
            subscriber = await services.subscribers.get(current.created_by)
            language = subscriber.language if subscriber else services.renderer.languages[0]
            await _show_status(
                context, current, current.created_by, language, scheduled=current.send_at > now
            )


def schedule_sweeps(app: UrgentActionApp) -> None:
    """Look for stranded broadcasts every STRANDED_CHECK."""
    assert app.job_queue is not None
    every = STRANDED_CHECK.total_seconds()
    app.job_queue.run_repeating(finish_stranded, interval=every, first=every, name=STRANDED_JOB)


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
    # Every process that follows the broadcast runs this job; one edits the status message
    # (two would double the edits against the flood limits), and another takes over if it dies.
    leases = LeaseRepository(services.db)
    lease = f"broadcast-progress:{broadcast_id}"
    if not await leases.take(lease, PROGRESS_LEASE):
        if await leases.done(lease):
            job.schedule_removal()  # another process told the organizer it is over
        return
    outbox = OutboxRepository(services.db)
    progress = await outbox.progress(broadcast_id)
    if broadcast.status == "cancelled" and progress.pending:
        # Rows the engine held when the broadcast was cancelled come back as pending when it
        # lets them go (a chat's pace, a 429): they must not go out later either.
        await outbox.cancel_broadcast(broadcast_id)
        progress = await outbox.progress(broadcast_id)
    # The report waits for the rows still in flight, so its numbers are final, and for every
    # recipient to be queued.
    done = progress.finished and broadcast.queued
    if done:
        job.schedule_removal()
        await repository.finish(broadcast_id, services.clock())
        # Read again: a cancel that landed after the first read has the last word, or the
        # report would say "finished" above its cancelled rows.
        broadcast = await repository.get(broadcast_id) or broadcast
    await _show(context, broadcast, progress, done)
    if done:
        await leases.end(lease)


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


@guard(Right.ORGANIZER)
async def cancel(update: Update, context: BotContext) -> None:
    """Cancel a scheduled or running broadcast: what is not yet sent stays unsent."""
    callback = await decoded_tap(update, context)
    query, user = update.callback_query, update.effective_user
    if callback is None or query is None or user is None:
        return
    services = context.services
    language = await language_of(update, context)
    cancelled = await cancel_broadcast(services, user.id, int(callback.arg(0)))
    await query.answer(text(context, language, "broadcast_cancelled.txt", count=cancelled))


@guard(Right.CHAT_ADMIN)
async def unsubscribe(update: Update, context: BotContext) -> None:
    """The unsubscribe button under a broadcast: like /stop, with an undo."""
    query, chat = update.callback_query, update.effective_chat
    if query is None or chat is None:
        return
    services = context.services
    language = await language_of(update, context)
    known = await services.subscribers.set_status(
        chat.id, SubscriberStatus.STOPPED, services.clock()
    )
    await query.answer()
    if not known:
        await chat.send_message(text(context, language, "not_subscribed.html"))
        return
    group = chat.type != TelegramChatType.PRIVATE
    undo = InlineKeyboardButton(
        services.renderer.button(language, "undo_stop_group" if group else "undo_stop"),
        callback_data=encode("sub"),
    )
    body = text(context, language, "stopped.html", group=group)
    await send(chat, Screen(body, InlineKeyboardMarkup([[undo]])))


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
