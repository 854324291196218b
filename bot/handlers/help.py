"""Finding the commands: /help (organizers see theirs too) and a short answer to a command the
bot does not know."""

from __future__ import annotations

from telegram import Update
from telegram.constants import ChatType as TelegramChatType
from telegram.ext import CommandHandler, MessageHandler, filters

from bot.context import BotContext
from bot.handlers.common import language_of, text
from bot.handlers.menus import show_organizer_menu
from bot.handlers.rights import Right, guard, is_organizer


@guard(Right.ANYONE)
async def help_command(update: Update, context: BotContext) -> None:
    """List the commands, with what each does; an organizer's private chat lists theirs too."""
    chat, message = update.effective_chat, update.effective_message
    if chat is None or message is None:
        return
    language = await language_of(update, context)
    renderer = context.services.renderer
    private = chat.type == TelegramChatType.PRIVATE
    commands = renderer.commands(language, "private" if private else "group")
    organizer_commands: list[tuple[str, str]] = []
    if private and await is_organizer(update, context):
        organizer_commands = renderer.commands(language, "organizer")
        # The menu too, in case the organizer was added before the bot last started.
        await show_organizer_menu(
            context.bot,
            renderer,
            chat.id,
            console_url=context.services.settings.console_url,
            language=language,
        )
    await message.reply_text(
        text(
            context,
            language,
            "help.html",
            commands=commands,
            organizer_commands=organizer_commands,
        )
    )


@guard(Right.ANYONE)
async def unknown_command(update: Update, context: BotContext) -> None:
    """A /command no handler took: say so in one line and point to /help."""
    message = update.effective_message
    if message is None or message.text is None:
        return
    command = message.text.split(maxsplit=1)[0].split("@", 1)[0]
    language = await language_of(update, context)
    await message.reply_text(text(context, language, "unknown_command.html", command=command))


HANDLERS = [CommandHandler("help", help_command)]
# After every command handler: a private chat's /command that none of them took.
UNKNOWN = MessageHandler(
    filters.ChatType.PRIVATE & filters.COMMAND & ~filters.FORWARDED, unknown_command
)
