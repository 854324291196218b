"""Preferences through buttons: the language, which countries' cases to receive, the time
zone reminders keep to, and (for a person) the country they live in.

The time zone is whole hours from UTC (a button), or, in a private chat, a place typed by name
("Berlin", "new york") that then follows its daylight saving time. The time-zone screen waits
for that name while it is the last thing the person opened: a command, a tap on any button, or
ZONE_TYPING_FOR without a word ends the wait, so no later message is taken for a zone. The wait
lives in the database (`bot.handlers.flows`), so any process takes the typed name.
Where a person lives is chosen the same way: a country's name typed in their language, or
tapped in a list of every country, a page at a time.
"""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.constants import ChatType as TelegramChatType
from telegram.error import BadRequest
from telegram.ext import ApplicationHandlerStop, CallbackQueryHandler, CommandHandler, TypeHandler

from bot.context import BotContext
from bot.domain.countries import (
    countries_by_name,
    country_name,
    is_country,
    matching_countries,
)
from bot.domain.subscribers import Subscriber
from bot.domain.timezones import matching_zones, typable_zones, zone_label, zone_of
from bot.handlers import allowance
from bot.handlers.common import decoded_tap, edit_text, language_of, send, text
from bot.handlers.flows import end_flow, flow, keep_flow
from bot.handlers.rights import Right, guard
from bot.views import Screen
from bot.views.callbacks import encode, pattern


async def preferences_screen(context: BotContext, subscriber: Subscriber) -> Screen:
    """The settings message: current choices and a button for each other one."""
    services = context.services
    renderer = services.renderer
    language = subscriber.language
    countries = sorted({(c.country_code, c.country) for c in await services.cases.all()})
    # Each language by its own name, as its speakers look for it; three to a row, so that
    # "Español" and "العربية" stay whole on a phone.
    choices = [
        InlineKeyboardButton(
            ("✓ " if code == language else "") + renderer.language_name(code),
            callback_data=encode("lang", code),
        )
        for code in renderer.languages
    ]
    rows = [
        *(choices[i : i + 3] for i in range(0, len(choices), 3)),
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
    zone = zone_label(subscriber.timezone or services.settings.default_timezone, services.clock())
    rows.append(
        [
            InlineKeyboardButton(
                renderer.button(language, "timezone", zone=zone),
                callback_data=encode("tz", "pick"),
            )
        ]
    )
    # How many cases, and what about: a screen of its own (bot.handlers.allowance).
    rows.append(await allowance.settings_row(context, subscriber))
    private = not subscriber.is_group
    home = country_name(subscriber.home_country, language) if subscriber.home_country else None
    if private:
        # Letters are written in private chats: a group has no country of its own to write from.
        rows.append(
            [
                InlineKeyboardButton(
                    renderer.button(language, "home_country", country=home),
                    callback_data=encode("hc", "pick"),
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
        private=private,
        home_country=home,
    )
    return Screen(body, InlineKeyboardMarkup(rows))


# Countries on one page of the list: 10 rows of 3, with room for the page and "not say" rows
# under Telegram's 100 buttons.
COUNTRIES_PER_PAGE = 30
_COUNTRY_ROW = 3


def country_picker(context: BotContext, language: str, page: int) -> Screen:
    """Every country, a page at a time in the order of their names in `language`, with
    buttons to the pages before and after and to "I'd rather not say"."""
    button = context.services.renderer.button
    countries = countries_by_name(language)
    pages = -(-len(countries) // COUNTRIES_PER_PAGE)
    page = min(max(page, 0), pages - 1)
    shown = countries[page * COUNTRIES_PER_PAGE : (page + 1) * COUNTRIES_PER_PAGE]
    buttons = [
        InlineKeyboardButton(name, callback_data=encode("hc", code)) for code, name in shown
    ]
    rows = [buttons[i : i + _COUNTRY_ROW] for i in range(0, len(buttons), _COUNTRY_ROW)]
    turn = []
    if page > 0:
        turn.append(
            InlineKeyboardButton(
                button(language, "page_previous"), callback_data=encode("hc", f"p{page - 1}")
            )
        )
    if page < pages - 1:
        turn.append(
            InlineKeyboardButton(
                button(language, "page_next"), callback_data=encode("hc", f"p{page + 1}")
            )
        )
    rows.append(turn)
    rows.append(
        [
            InlineKeyboardButton(
                button(language, "home_country_none"), callback_data=encode("hc", "none")
            )
        ]
    )
    body = text(context, language, "home_country_pick.html", page=page + 1, pages=pages)
    return Screen(body, InlineKeyboardMarkup(rows))


async def _set_home_country(
    context: BotContext, subscriber: Subscriber, country: str | None, now: datetime
) -> str:
    """Save where the person lives; the confirmation to show them."""
    await context.services.subscribers.set_home_country(subscriber.chat_id, country, now)
    language = subscriber.language
    name = country_name(country, language) if country else None
    return text(context, language, "home_country_set.html", country=name)


def zone_picker(context: BotContext, language: str, *, typing: bool) -> Screen:
    """Hours from UTC, west to east, and "the bot's default"; `typing`: the screen also asks
    for a place's name."""
    now = context.services.clock()
    buttons = [
        InlineKeyboardButton(
            zone_label(zone_of(hours), now), callback_data=encode("tz", str(hours))
        )
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
    body = text(context, language, "timezone_pick.html", typing=typing)
    return Screen(body, InlineKeyboardMarkup(rows))


ZONE_HOURS = range(-11, 15)
# How long the time-zone screen waits for a typed name.
ZONE_TYPING_FOR = timedelta(minutes=5)
_ZONE_TYPING = "zone_typing"  # user_data: when the person opened the time-zone screen


_COUNTRY_TYPING = "country_typing"  # user_data: when the person opened the country screen


async def _typing_since(context: BotContext, key: str = _ZONE_TYPING) -> datetime | None:
    since = await flow(context, key)
    try:
        return datetime.fromisoformat(since) if isinstance(since, str) else None
    except ValueError:
        return None


async def _await_typed(context: BotContext, now: datetime, key: str = _ZONE_TYPING) -> None:
    """Wait for a typed zone (or, with `key` _COUNTRY_TYPING, a country) from `now` on; one
    screen waits at a time: the last one opened."""
    await end_flow(context, _COUNTRY_TYPING if key == _ZONE_TYPING else _ZONE_TYPING)
    await keep_flow(context, key, now.isoformat())


async def _stop_awaiting(context: BotContext) -> None:
    await end_flow(context, _ZONE_TYPING, _COUNTRY_TYPING)


async def _set_zone(
    context: BotContext, subscriber: Subscriber, zone: str | None, now: datetime
) -> None:
    services = context.services
    await services.subscribers.set_timezone(subscriber.chat_id, zone, now)
    # Reminders already planned move to the person's new daytime.
    await services.reminders.replan_person(subscriber.id, await services.cases.active(), now)


def _zone_set(context: BotContext, language: str, zone: str, now: datetime) -> str:
    """The confirmation: the zone as the person reads it, and the time there now."""
    local = now.astimezone(ZoneInfo(zone))
    return text(
        context,
        language,
        "timezone_set.html",
        zone=zone_label(zone, now),
        local_time=f"{local:%H:%M}",
    )


@guard(Right.CHAT_ADMIN)
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
    await send(chat, await preferences_screen(context, subscriber))


@guard(Right.CHAT_ADMIN)
# Past the complexity limit on purpose: one branch per preference a tap sets; its owner splits it.
async def choose(update: Update, context: BotContext) -> None:  # noqa: C901
    """Apply a tapped preference and redraw the settings message; a place picked among those a
    typed name matched is confirmed with the time there instead."""
    query, chat = update.callback_query, update.effective_chat
    callback = await decoded_tap(update, context)
    if query is None or chat is None or callback is None:
        return
    services = context.services
    language = await language_of(update, context)
    subscriber = await services.subscribers.get(chat.id)
    if subscriber is None:
        await query.answer(text(context, language, "button_invalid.txt"), show_alert=True)
        return
    now = services.clock()
    value = callback.arg(0)
    if callback.verb == "hc":
        await _choose_country(context, update, subscriber, value, now)
        return
    if callback.verb == "tz" and value == "pick":
        # Reminders are private: only a person's own chat is asked for a place's name. Waiting
        # before answering, as for the country: the name may follow the tap at once.
        private = chat.type == TelegramChatType.PRIVATE
        if private:
            await _await_typed(context, now)
        await query.answer()
        picker = zone_picker(context, language, typing=private)
        await edit_text(query, picker.text, reply_markup=picker.markup)
        return
    if callback.verb == "tzn":
        # One of the places a typed name matched: saved, and the time there said.
        if value not in typable_zones():
            await query.answer(text(context, language, "button_invalid.txt"), show_alert=True)
            return
        await _set_zone(context, subscriber, value, now)
        await query.answer(text(context, language, "preferences_saved.txt"))
        await edit_text(query, _zone_set(context, language, value, now))
        return
    if callback.verb == "tz":
        if value != "default" and int(value) not in ZONE_HOURS:
            await query.answer(text(context, language, "button_invalid.txt"), show_alert=True)
            return
        await _set_zone(
            context, subscriber, None if value == "default" else zone_of(int(value)), now
        )
    elif callback.verb == "lang":
        if value not in services.renderer.languages:
            await query.answer(text(context, language, "button_invalid.txt"), show_alert=True)
            return
        await services.subscribers.set_language(chat.id, value, now)
    elif value == "all":
        await services.subscribers.set_countries(chat.id, None, now)
    else:
        chosen = set(subscriber.countries or ())
        if value not in chosen and not is_country(value):
            await query.answer(text(context, language, "button_invalid.txt"), show_alert=True)
            return
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


async def _choose_country(
    context: BotContext, update: Update, subscriber: Subscriber, value: str, now: datetime
) -> None:
    """A tap on the country screen: open it, turn a page, pick a country or none."""
    query, chat = update.callback_query, update.effective_chat
    assert query is not None
    assert chat is not None
    language = subscriber.language
    if chat.type != TelegramChatType.PRIVATE or (value.isupper() and not is_country(value)):
        await query.answer(text(context, language, "button_invalid.txt"), show_alert=True)
        return
    if value == "pick" or value.startswith("p"):
        # Waiting before answering: updates are handled concurrently, and the name may follow
        # the tap at once.
        await _await_typed(context, now, _COUNTRY_TYPING)
        await query.answer()
        page = 0 if value == "pick" else int(value[1:])
        picker = country_picker(context, language, page)
        await edit_text(query, picker.text, reply_markup=picker.markup)
        return
    confirmation = await _set_home_country(
        context, subscriber, None if value == "none" else value, now
    )
    await query.answer(text(context, language, "preferences_saved.txt"))
    await edit_text(query, confirmation)


async def watch_zone_typing(update: Update, context: BotContext) -> None:
    """While the time-zone (or country) screen waits: the person's next text is the zone (or
    country), taken from every other handler; a command or a tap ends the wait and goes on to
    its own handler."""
    country_since = await _typing_since(context, _COUNTRY_TYPING)
    since = await _typing_since(context) or country_since
    if since is None:
        return
    message, chat = update.message, update.effective_chat
    if update.callback_query is not None:
        await _stop_awaiting(context)
        return
    if message is None or message.text is None or chat is None:
        return
    if chat.type != TelegramChatType.PRIVATE:
        return
    now = context.services.clock()
    if message.text.startswith("/") or now - since > ZONE_TYPING_FOR:
        await _stop_awaiting(context)
        return
    subscriber = await context.services.subscribers.get(chat.id)
    if subscriber is None:  # gone since (/forget): nothing to set a zone on
        await _stop_awaiting(context)
        return
    if country_since is not None:
        await _take_country(context, message, subscriber, now)
    else:
        await _take_zone(context, message, subscriber, now)
    raise ApplicationHandlerStop


async def _take_country(
    context: BotContext, message: Message, subscriber: Subscriber, now: datetime
) -> None:
    """A typed country: one is saved and confirmed; several are offered as buttons; none
    leaves everything as it was and shows the list again."""
    language = subscriber.language
    typed = message.text or ""
    # In a thread: the first look builds CLDR's names in every language, a fifth of a second
    # the other chats need not wait for.
    found = await asyncio.to_thread(matching_countries, typed, context.services.renderer.languages)
    if len(found) == 1:
        await _stop_awaiting(context)
        await message.reply_text(await _set_home_country(context, subscriber, found[0], now))
        return
    await _await_typed(context, now, _COUNTRY_TYPING)
    if found:
        rows = [
            [InlineKeyboardButton(country_name(code, language), callback_data=encode("hc", code))]
            for code in sorted(found, key=lambda c: country_name(c, language))[:COUNTRIES_PER_PAGE]
        ]
        await message.reply_text(
            text(context, language, "home_country_choose.html", typed=typed.strip()),
            reply_markup=InlineKeyboardMarkup(rows),
        )
        return
    picker = country_picker(context, language, 0)
    await message.reply_text(
        text(context, language, "home_country_unknown.html", typed=typed.strip()),
        reply_markup=picker.markup,
    )


async def _take_zone(
    context: BotContext, message: Message, subscriber: Subscriber, now: datetime
) -> None:
    """A typed place: one zone is saved and confirmed; several are offered as buttons; none
    leaves everything as it was and shows the hours again."""
    language = subscriber.language
    typed = message.text or ""
    languages = context.services.renderer.languages
    zones = await asyncio.to_thread(matching_zones, typed, None, languages)
    if len(zones) == 1:
        (zone,) = zones
        await _stop_awaiting(context)
        await _set_zone(context, subscriber, zone, now)
        await message.reply_text(_zone_set(context, language, zone, now))
        return
    # The screen stays open for another try, from now.
    await _await_typed(context, now)
    if zones:
        rows = [
            [InlineKeyboardButton(zone_label(zone, now), callback_data=encode("tzn", zone))]
            for zone in zones
        ]
        await message.reply_text(
            text(context, language, "timezone_choose.html", typed=typed.strip()),
            reply_markup=InlineKeyboardMarkup(rows),
        )
        return
    picker = zone_picker(context, language, typing=True)
    await message.reply_text(
        text(context, language, "timezone_unknown.html", typed=typed.strip()),
        reply_markup=picker.markup,
    )


HANDLERS = [
    CommandHandler("settings", preferences),
    CallbackQueryHandler(choose, pattern=pattern("lang")),
    CallbackQueryHandler(choose, pattern=pattern("ctry")),
    CallbackQueryHandler(choose, pattern=pattern("tz")),
    CallbackQueryHandler(choose, pattern=pattern("tzn")),
    CallbackQueryHandler(choose, pattern=pattern("hc")),
]
# Sees every update before the other handlers (see bot/handlers/__init__.py).
ZONE_TYPING = TypeHandler(Update, watch_zone_typing)
