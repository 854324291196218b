"""Changes Telegram tells the bot about: blocked or removed, a group become a supergroup."""

from __future__ import annotations

import logging

from telegram import ChatMemberUpdated, Update
from telegram.constants import ChatMemberStatus
from telegram.ext import ChatMemberHandler, MessageHandler, filters

from bot.context import BotContext
from bot.domain.subscribers import SubscriberStatus
from bot.logs import pseudonym

log = logging.getLogger(__name__)

_GONE = (ChatMemberStatus.BANNED, ChatMemberStatus.LEFT)


async def bot_membership(update: Update, context: BotContext) -> None:
    """Mark a subscriber inactive when they block the bot or remove it from their group."""
    change: ChatMemberUpdated | None = update.my_chat_member
    if change is None:
        return
    if change.new_chat_member.status in _GONE:
        services = context.services
        if await services.subscribers.set_status(
            change.chat.id, SubscriberStatus.BLOCKED, services.clock()
        ):
            log.info(
                "chat %s blocked the bot or removed it: marked inactive", pseudonym(change.chat.id)
            )


async def group_migrated(update: Update, context: BotContext) -> None:
    """Keep a group's subscription when Telegram turns it into a supergroup."""
    message = update.effective_message
    if message is None or message.migrate_to_chat_id is None:
        return
    services = context.services
    if await services.subscribers.migrate_chat(
        message.chat.id, message.migrate_to_chat_id, services.clock()
    ):
        log.info(
            "group %s became supergroup %s",
            pseudonym(message.chat.id),
            pseudonym(message.migrate_to_chat_id),
        )


HANDLERS = [
    ChatMemberHandler(bot_membership, ChatMemberHandler.MY_CHAT_MEMBER),
    MessageHandler(filters.StatusUpdate.MIGRATE, group_migrated),
]
