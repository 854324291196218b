"""Preferences through buttons: the language, which countries' cases to receive, and the time
zone reminders keep to."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ChatType as TelegramChatType
from telegram.error import BadRequest
from telegram.ext import CallbackQueryHandler, CommandHandler

from bot.context import BotContext
from bot.domain.subscribers import Subscriber
from bot.handlers.common import decoded_tap, is_group_admin, language_of, send, text
from bot.views import Screen
from bot.views.callbacks import encode, pattern


async def preferences_screen(context: BotContext, subscriber: Subscriber) -> Screen:
    """The settings message: current choices and a button for each other one."""
    services = context.services
    renderer = services.renderer
    language = subscriber.language
    countries = sorted({(c.country_code, c.country) for c in await services.cases.all()})
    rows = [
        [
            InlineKeyboardButton(
                ("✓ " if code == language else "") + renderer.button(code, "language_name"),
                callback_data=encode("lang", code),
            )
            for code in renderer.languages
        ],
        [
            InlineKeyboardButton(
                ("✓ " if subscriber.countries is None else "")
                + renderer.button(language, "all_countries"),
                callback_data=encode("ctry", "all"),
            )
        ],
    ]
    chosen = subscriber.countries or ()
    buttons = [
        InlineKeyboardButton(
            ("✓ " if code in chosen else "") + renderer.country_name(code, language, name),
            callback_data=encode("ctry", code),
        )
        for code, name in countries
    ]
    rows.extend(buttons[i : i + 2] for i in range(0, len(buttons), 2))
    zone = zone_label(subscriber.timezone or services.settings.default_timezone)
    rows.append(
        [
            InlineKeyboardButton(
                renderer.button(language, "timezone", zone=zone),
                callback_data=encode("tz", "pick"),
            )
        ]
    )
    names = [
        renderer.country_name(code, language, name) for code, name in countries if code in chosen
    ]
    body = text(
        context,
        language,
        "preferences.html",
        countries=names,
        zone=zone,
        chosen_zone=subscriber.timezone is not None,
    )
    return Screen(body, InlineKeyboardMarkup(rows))


def zone_of(hours: int) -> str:
    """The IANA name of a fixed offset from UTC (the Etc/GMT names count the other way)."""
    return "Etc/UTC" if hours == 0 else f"Etc/GMT{-hours:+d}"


def zone_label(zone: str) -> str:
    """A time zone as a person reads it: "UTC+6" for Etc/GMT-6, else its IANA name."""
    if zone in ("UTC", "Etc/UTC"):
        return "UTC"
    if zone.startswith("Etc/GMT") and zone[7:]:
        return f"UTC{-int(zone[7:]):+d}"
    return zone


def zone_picker(context: BotContext, language: str) -> Screen:
    """Hours from UTC, west to east, and "the bot's default"."""
    buttons = [
        InlineKeyboardButton(zone_label(zone_of(hours)), callback_data=encode("tz", str(hours)))
        for hours in ZONE_HOURS
    ]
    rows = [buttons[i : i + 6] for i in range(0, len(buttons), 6)]
    rows.append(
        [
            InlineKeyboardButton(
                context.services.renderer.button(language, "timezone_default"),
                callback_data=encode("tz", "default"),
            )
        ]
    )
    return Screen(text(context, language, "timezone_pick.html"), InlineKeyboardMarkup(rows))


ZONE_HOURS = range(-11, 15)


async def preferences(update: Update, context: BotContext) -> None:
    """Show the preferences with their buttons."""
    chat, message = update.effective_chat, update.effective_message
    if chat is None or message is None:
        return
    language = await language_of(update, context)
    subscriber = await context.services.subscribers.get(chat.id)
    if subscriber is None:
        await message.reply_text(text(context, language, "not_subscribed.html"))
        return
    if chat.type != TelegramChatType.PRIVATE and not await is_group_admin(update, context):
        await message.reply_text(text(context, language, "group_admins_only.html"))
        return
    await send(chat, await preferences_screen(context, subscriber))


async def choose(update: Update, context: BotContext) -> None:
    """Apply a tapped preference and redraw the settings message."""
    query, chat = update.callback_query, update.effective_chat
    callback = await decoded_tap(update, context)
    if query is None or chat is None or callback is None:
        return
    services = context.services
    language = await language_of(update, context)
    if chat.type != TelegramChatType.PRIVATE and not await is_group_admin(update, context):
        await query.answer(text(context, language, "group_admins_only.txt"), show_alert=True)
        return
    subscriber = await services.subscribers.get(chat.id)
    if subscriber is None:
        await query.answer(text(context, language, "button_invalid.txt"), show_alert=True)
        return
    now = services.clock()
    value = callback.arg(0)
    if callback.verb == "tz" and value == "pick":
        await query.answer()
        picker = zone_picker(context, language)
        await query.edit_message_text(picker.text, reply_markup=picker.markup)
        return
    if callback.verb == "tz":
        if value != "default" and int(value) not in ZONE_HOURS:
            await query.answer(text(context, language, "button_invalid.txt"), show_alert=True)
            return
        zone = None if value == "default" else zone_of(int(value))
        await services.subscribers.set_timezone(chat.id, zone, now)
        # Reminders already planned move to the person's new daytime.
        await services.reminders.replan_person(subscriber.id, await services.cases.active(), now)
    elif callback.verb == "lang":
        if value not in services.renderer.languages:
            await query.answer(text(context, language, "button_invalid.txt"), show_alert=True)
            return
        await services.subscribers.set_language(chat.id, value, now)
    elif value == "all":
        await services.subscribers.set_countries(chat.id, None, now)
    else:
        chosen = set(subscriber.countries or ())
        chosen ^= {value}
        await services.subscribers.set_countries(chat.id, sorted(chosen) or None, now)
    updated = await services.subscribers.get(chat.id)
    assert updated is not None
    await query.answer(text(context, updated.language, "preferences_saved.txt"))
    screen = await preferences_screen(context, updated)
    try:
        await query.edit_message_text(screen.text, reply_markup=screen.markup)
    except BadRequest as error:
        if "not modified" not in str(error):
            raise


HANDLERS = [
    CommandHandler("settings", preferences),
    CallbackQueryHandler(choose, pattern=pattern("lang")),
    CallbackQueryHandler(choose, pattern=pattern("ctry")),
    CallbackQueryHandler(choose, pattern=pattern("tz")),
]
