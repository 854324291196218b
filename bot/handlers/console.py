"""/console: the organizers' console (bot/console/), opened from the chat.

It answers an organizer with a button that opens the console as a Mini App, and a one-time
sign-in link for a desktop browser outside Telegram. Without BOT_CONSOLE_URL it says the
console is off, and the chat works as before.
"""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update, WebAppInfo
from telegram.ext import CommandHandler

from bot.console.links import issue_link
from bot.console.signin import LINK_LIFETIME
from bot.context import BotContext
from bot.handlers.common import language_of, text
from bot.handlers.rights import Right, guard


@guard(Right.ORGANIZER)
async def console_command(update: Update, context: BotContext) -> None:
    """/console for organizers: open it here, or sign in once from a desktop browser."""
    message, user = update.effective_message, update.effective_user
    if message is None or user is None:
        return
    services = context.services
    language = await language_of(update, context)
    url = services.settings.console_url
    if url is None:
        await message.reply_text(text(context, language, "console_off.html"))
        return
    link = await issue_link(services, url, user.id)
    renderer = services.renderer
    markup = InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    renderer.button(language, "console_open"), web_app=WebAppInfo(f"{url}/")
                )
            ],
            [InlineKeyboardButton(renderer.button(language, "console_link"), url=link)],
        ]
    )
    minutes = int(LINK_LIFETIME.total_seconds() // 60)
    await message.reply_text(
        text(context, language, "console.html", minutes=minutes), reply_markup=markup
    )


HANDLERS = [CommandHandler("console", console_command)]
