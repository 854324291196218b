"""The organizers' command menu: everyone's commands and theirs, set (setMyCommands with a chat
scope) on each organizer's private chat, so only organizers see it. Everyone's menu is set at
start-up in `bot.app.set_commands`."""

from __future__ import annotations

import logging

from telegram import (
    Bot,
    BotCommand,
    BotCommandScopeChat,
    MenuButtonDefault,
    MenuButtonWebApp,
    WebAppInfo,
)
from telegram.error import BadRequest, Forbidden

from bot.config import Settings
from bot.context import UrgentActionApp
from bot.db.organizers import OrganizerRepository
from bot.logs import pseudonym
from bot.rendering import FALLBACK_LANGUAGE, Renderer

log = logging.getLogger(__name__)


def organizer_menu(renderer: Renderer, language: str) -> list[BotCommand]:
    """An organizer's command menu: everyone's private commands, then the organizers' own."""
    pairs = renderer.commands(language, "private") + renderer.commands(language, "organizer")
    return [BotCommand(command, description) for command, description in pairs]


async def show_organizer_menu(
    bot: Bot,
    renderer: Renderer,
    user_id: int,
    *,
    console_url: str | None = None,
    language: str = "en",
) -> None:
    """Give an organizer's private chat the organizers' command menu, in every language, and
    the menu button that opens the console (bot/console/) when it is on."""
    scope = BotCommandScopeChat(user_id)
    try:
        for each in renderer.languages:
            code = None if each == renderer.languages[0] else each
            await bot.set_my_commands(
                organizer_menu(renderer, each), scope=scope, language_code=code
            )
        if console_url is not None:
            button = MenuButtonWebApp(
                renderer.button(language, "console_menu"), WebAppInfo(f"{console_url}/")
            )
            await bot.set_chat_menu_button(chat_id=user_id, menu_button=button)
    except (BadRequest, Forbidden) as error:
        # Telegram knows no private chat with someone who never wrote to the bot; their /help
        # sets the menu once they do.
        log.info("no organizer menu for user %s yet: %s", pseudonym(user_id), error.message)


async def hide_organizer_menu(bot: Bot, renderer: Renderer, user_id: int) -> None:
    """Take the organizers' menu from a former organizer's chat: the ordinary one applies."""
    scope = BotCommandScopeChat(user_id)
    try:
        for language in renderer.languages:
            code = None if language == renderer.languages[0] else language
            await bot.delete_my_commands(scope=scope, language_code=code)
        # Back to the ordinary menu button (the commands), whether the console is on or not.
        await bot.set_chat_menu_button(chat_id=user_id, menu_button=MenuButtonDefault())
    except (BadRequest, Forbidden) as error:
        log.info("no organizer menu to remove for user %s: %s", pseudonym(user_id), error.message)


async def show_organizer_menus(app: UrgentActionApp) -> None:
    """At start-up: the organizers' menu for every organizer, named in settings or added."""
    services = app.bot_data.services
    if services is None:
        return
    added = await OrganizerRepository(services.db).added()
    for user_id in sorted(services.settings.organizers | set(added)):
        # Telegram knows a private chat only once the person wrote to the bot; the others get
        # the menu with their first /help.
        subscriber = await services.subscribers.get(user_id)
        if subscriber is not None:
            await show_organizer_menu(
                app.bot,
                services.renderer,
                user_id,
                console_url=services.settings.console_url,
                language=subscriber.language,
            )
        elif services.settings.console_url is not None:
            # The console's button is tried all the same: an organizer who wrote to the bot
            # without subscribing (or the demo's Olga) finds it at once.
            await show_console_button(app.bot, services.renderer, user_id, services.settings)


async def show_console_button(
    bot: Bot, renderer: Renderer, user_id: int, settings: Settings
) -> None:
    """The menu button that opens the console, in English: nothing is known of the person."""
    if settings.console_url is None:
        return
    button = MenuButtonWebApp(
        renderer.button(FALLBACK_LANGUAGE, "console_menu"), WebAppInfo(f"{settings.console_url}/")
    )
    try:
        await bot.set_chat_menu_button(chat_id=user_id, menu_button=button)
    except (BadRequest, Forbidden) as error:
        log.info("no console button for user %s yet: %s", user_id, error.message)
