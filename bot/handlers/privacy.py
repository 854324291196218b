"""Privacy: /privacy says what is kept and why, /mydata hands it over, /forget deletes it."""

from __future__ import annotations

import json
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, InputFile, Update
from telegram.ext import CallbackQueryHandler, CommandHandler

from bot.context import BotContext
from bot.db.drafts import MAX_AGE, Draft
from bot.db.organizers import OrganizerRepository
from bot.domain.subscribers import Subscriber
from bot.handlers import flows
from bot.handlers.common import decoded_tap, edit_text, language_of, send, subscriber_of, text
from bot.handlers.rights import Right, guard
from bot.views import Screen
from bot.views.callbacks import encode, pattern


@guard(Right.ANYONE)
async def privacy(update: Update, context: BotContext) -> None:
    """Say exactly what the bot keeps, why, and how to get it or delete it."""
    message = update.effective_message
    if message is None:
        return
    language = await language_of(update, context)
    await message.reply_text(text(context, language, "privacy.html", draft_days=MAX_AGE.days))


@guard(Right.PERSON)
async def my_data(update: Update, context: BotContext) -> None:
    """Send everything stored about this person as a JSON file."""
    chat, message, user = update.effective_chat, update.effective_message, update.effective_user
    if chat is None or message is None or user is None:
        return
    language = await language_of(update, context)
    services = context.services
    subscriber = await subscriber_of(update, context)
    # An organizer's unfinished broadcast or sheet is theirs, subscribed or not.
    drafts = await services.drafts.of_person(user.id, services.clock())
    # An organizer's record of what they did, which outlives /forget (the network's audit).
    work = await OrganizerRepository(services.db).of_organizer(user.id)
    # A step the person left unfinished (a signature or a letter's words half typed).
    steps = await flows.steps_of(context)
    if subscriber is None and not drafts and not steps and not any(work.values()):
        await message.reply_text(text(context, language, "no_data.html"))
        return
    data = await _subscriber_data(context, subscriber) if subscriber is not None else {}
    data["drafts"] = [_draft_data(draft) for draft in drafts]
    data["unfinished_steps"] = steps
    if any(work.values()):
        data["organizer"] = work
    body = json.dumps(data, ensure_ascii=False, indent=2).encode()
    await message.reply_document(
        InputFile(body, filename="my-urgent-action-data.json"),
        caption=text(context, language, "mydata_caption.html"),
    )


async def _subscriber_data(context: BotContext, subscriber: Subscriber) -> dict[str, Any]:
    """What is kept about a subscriber, and what other features keep about them."""
    services = context.services
    data: dict[str, Any] = {
        "subscriber": {
            "chat_id": subscriber.chat_id,
            "chat_type": subscriber.chat_type,
            "language": subscriber.language,
            "countries": list(subscriber.countries) if subscriber.countries is not None else None,
            "timezone": subscriber.timezone,
            "home_country": subscriber.home_country,
            "signature": subscriber.signature,
            "status": subscriber.status,
            "subscribed_at": subscriber.subscribed_at.isoformat(),
            "updated_at": subscriber.updated_at.isoformat(),
        },
        "cases_received": [
            {"case": slug, "at": at.isoformat()}
            for slug, at in await services.alerts.of_subscriber(subscriber.id)
        ],
        "appeals_opened": [
            {"case": slug, "at": at.isoformat()}
            for slug, at in await services.actions.opened_by(subscriber.actor)
        ],
        "appeals_sent": [
            {"case": slug, "channel": channel, "target": target, "at": at.isoformat()}
            for slug, channel, target, at in await services.actions.of_actor(subscriber.actor)
        ],
    }
    extra = await _more_data(context, subscriber.id)
    data.update(extra)
    return data


def _draft_data(draft: Draft) -> dict[str, Any]:
    return {"kind": draft.kind.value, "updated_at": draft.updated_at.isoformat(), **draft.body}


async def _more_data(context: BotContext, subscriber_id: int) -> dict[str, Any]:
    """Data other features keep about a subscriber (reminders, for example)."""
    exporters = context.services.personal_data_exporters
    found: dict[str, Any] = {}
    for name, exporter in exporters.items():
        found[name] = await exporter(subscriber_id)
    return found


@guard(Right.PERSON)
async def forget(update: Update, context: BotContext) -> None:
    """Ask to confirm deleting everything about this person."""
    chat, message = update.effective_chat, update.effective_message
    if chat is None or message is None:
        return
    language = await language_of(update, context)
    button = context.services.renderer.button
    markup = InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    button(language, "forget_yes"), callback_data=encode("fg", "yes")
                )
            ],
            [
                InlineKeyboardButton(
                    button(language, "forget_no"), callback_data=encode("fg", "no")
                )
            ],
        ]
    )
    await send(chat, Screen(text(context, language, "forget_confirm.html"), markup))


@guard(Right.PERSON)
async def forget_answer(update: Update, context: BotContext) -> None:
    """Delete the person's data on "yes"; keep everything on "no"."""
    query, chat, user = update.callback_query, update.effective_chat, update.effective_user
    callback = await decoded_tap(update, context)
    if query is None or chat is None or user is None or callback is None:
        return
    language = await language_of(update, context)
    if callback.arg(0) != "yes":
        await query.answer()
        await edit_text(query, text(context, language, "forget_cancelled.html"))
        return
    services = context.services
    deleted = await services.subscribers.forget(chat.id)
    # An organizer's unfinished broadcast or sheet goes too.
    drafts = await services.drafts.forget(user.id)
    # And whatever an unfinished flow held (a typed signature), with the person's entry.
    await flows.forget(context, user.id)
    context.application.drop_user_data(user.id)
    context.application.drop_chat_data(chat.id)
    # The pages as they were before the deletion leave the database's log on disk too.
    await services.db.erase_deleted()
    context.bot_data.languages.forget(chat.id)
    await query.answer()
    await edit_text(
        query, text(context, language, "forgotten.html", deleted=deleted or drafts > 0)
    )


HANDLERS = [
    CommandHandler("privacy", privacy),
    CommandHandler("mydata", my_data),
    CommandHandler("forget", forget),
    CallbackQueryHandler(forget_answer, pattern=pattern("fg")),
]
