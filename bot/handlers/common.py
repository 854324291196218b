"""What every handler needs: the person's language, and sending a screen."""

from __future__ import annotations

from telegram import CallbackQuery, Chat, InlineKeyboardMarkup, Message, Update
from telegram.constants import ChatMemberStatus
from telegram.error import BadRequest

from bot.context import BotContext
from bot.db.drafts import Draft, DraftKind
from bot.domain.subscribers import Subscriber
from bot.views import Screen
from bot.views.callbacks import Callback, decode


async def language_of(update: Update, context: BotContext) -> str:
    """The language to speak: the subscriber's choice, else their Telegram app's language."""
    chat = update.effective_chat
    if chat is not None:
        subscriber = await context.services.subscribers.get(chat.id)
        if subscriber is not None:
            context.bot_data.languages.note(chat.id, subscriber.language)
            return subscriber.language
    return app_language(update, context)


def app_language(update: Update, context: BotContext) -> str:
    """The language of the person's Telegram app, among those the bot speaks."""
    user = update.effective_user
    return context.services.renderer.language_for(user.language_code if user else None)


async def subscriber_of(update: Update, context: BotContext) -> Subscriber | None:
    """The subscriber behind this chat, whatever its status, or None."""
    chat = update.effective_chat
    return await context.services.subscribers.get(chat.id) if chat is not None else None


async def draft_of(update: Update, context: BotContext, kind: DraftKind) -> Draft | None:
    """The person's unfinished draft of this kind (a broadcast, a sheet), or None."""
    user = update.effective_user
    if user is None:
        return None
    services = context.services
    return await services.drafts.get(user.id, kind, services.clock())


async def send(chat: Chat, screen: Screen) -> Message:
    """Send a screen to a chat."""
    return await chat.send_message(screen.text, reply_markup=screen.markup)


def _unchanged(error: BadRequest) -> bool:
    """Whether Telegram refused an edit because the message already shows it (a double tap)."""
    return "message is not modified" in str(error).lower()


async def edit_text(
    query: CallbackQuery, body: str, reply_markup: InlineKeyboardMarkup | None = None
) -> None:
    """Show `body` in place of the tapped message.

    A file under the tap (the .eml draft, a letter to print) has no text to replace: the body
    comes as a new message instead, and the file stays. A second tap that would show the same
    again changes nothing and is no error.
    """
    message = query.message
    try:
        if isinstance(message, Message) and message.text is None:
            await message.chat.send_message(body, reply_markup=reply_markup)
            return
        await query.edit_message_text(body, reply_markup=reply_markup)
    except BadRequest as error:
        if not _unchanged(error):
            raise


async def edit_markup(query: CallbackQuery, reply_markup: InlineKeyboardMarkup | None) -> None:
    """Change the buttons under the tapped message; a second tap that finds them changed
    already is no error."""
    try:
        await query.edit_message_reply_markup(reply_markup)
    except BadRequest as error:
        if not _unchanged(error):
            raise


async def is_group_admin(update: Update, context: BotContext) -> bool:
    """Whether the person writing is an admin of the group they write in (asked of Telegram)."""
    chat, user = update.effective_chat, update.effective_user
    if chat is None or user is None:
        return False
    member = await context.bot.get_chat_member(chat.id, user.id)
    return member.status in (ChatMemberStatus.OWNER, ChatMemberStatus.ADMINISTRATOR)


def text(context: BotContext, language: str, name: str, **values: object) -> str:
    """A message from templates/ in `language`."""
    return context.services.renderer.render(language, name, **values)


async def decoded_tap(update: Update, context: BotContext) -> Callback | None:
    """The tapped button's callback, or None after a polite answer when it is malformed."""
    query = update.callback_query
    if query is None:
        return None
    callback = decode(query.data)
    if callback is None:
        language = await language_of(update, context)
        await query.answer(text(context, language, "button_invalid.txt"), show_alert=True)
    return callback
