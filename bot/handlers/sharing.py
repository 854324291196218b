""" "Ask a friend": after an appeal, the person shares the case into a chat they pick.

The button switches the person to inline mode in a chat they choose; the bot answers the inline
query with the case as a short card whose button starts the bot on that case. The link carries
a random referral code (bot.domain.shares), never who shared; /start with it subscribes the
friend, shows them the case and notes that they came through a share (bot.db.shares). Inline
mode must be on for the bot (BotFather /setinline): without it getMe says so, and the button is
not offered.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InlineQueryResultArticle,
    InputTextMessageContent,
    SwitchInlineQueryChosenChat,
    Update,
)
from telegram.constants import ParseMode
from telegram.ext import InlineQueryHandler

from bot.context import BotContext, Services
from bot.db.shares import ShareRepository
from bot.domain.cases import CaseStatus, UrgentAction
from bot.domain.deadlines import countdown
from bot.domain.shares import new_share
from bot.domain.subscribers import Subscriber
from bot.handlers.common import app_language
from bot.views.cards import deep_link

# Telegram lists up to 50 results; an empty query lists the newest active cases, a few.
LISTED = 10
DESCRIPTION_LENGTH = 120
# The answer holds a fresh referral code and speaks the person's language: for them alone.
CACHE_SECONDS = 30


def ask_friend(
    context: BotContext, language: str, case: UrgentAction
) -> InlineKeyboardMarkup | None:
    """The "Ask a friend" button under the thanks, when the bot has inline mode."""
    if not context.bot.supports_inline_queries or case.status is not CaseStatus.ACTIVE:
        return None
    label = context.services.renderer.button(language, "ask_friend")
    chooser = SwitchInlineQueryChosenChat(
        query=case.slug, allow_user_chats=True, allow_group_chats=True, allow_channel_chats=True
    )
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(label, switch_inline_query_chosen_chat=chooser)]]
    )


async def answer(update: Update, context: BotContext) -> None:
    """Answer "@bot <case>" with the case's card, ready to send; "@bot" alone lists them."""
    query = update.inline_query
    if query is None:
        return
    services = context.services
    subscriber = await services.subscribers.get(query.from_user.id)
    language = subscriber.language if subscriber else app_language(update, context)
    wanted = query.query.strip().lower()
    active = await services.cases.active()
    if wanted:
        found = [c for c in active if c.slug == wanted]
        cases = found or [c for c in active if wanted in _searchable(c, language)]
    else:
        cases = active[::-1]  # the newest first
    results = [
        _result(
            case,
            language,
            services,
            context.bot.username,
            await services.actions.count_people(case.slug),
        )
        for case in cases[:LISTED]
    ]
    await query.answer(results, cache_time=CACHE_SECONDS, is_personal=True)


def _result(
    case: UrgentAction, language: str, services: Services, bot_username: str, acted: int
) -> InlineQueryResultArticle:
    share = new_share(case.slug)
    texts = case.text(language)
    renderer = services.renderer
    card = renderer.render(
        language,
        "share_card.html",
        case=case,
        texts=texts,
        countdown=countdown(case, services.clock()),
        acted=acted,
    )
    start = InlineKeyboardButton(
        renderer.button(language, "write_private"),
        url=deep_link(bot_username, share.payload),
    )
    summary = " ".join(texts.summary.split())
    if len(summary) > DESCRIPTION_LENGTH:
        summary = summary[: DESCRIPTION_LENGTH - 1].rsplit(" ", 1)[0] + "…"
    return InlineQueryResultArticle(
        id=share.payload,
        title=texts.title,
        description=summary,
        input_message_content=InputTextMessageContent(card, parse_mode=ParseMode.HTML),
        reply_markup=InlineKeyboardMarkup([[start]]),
    )


async def arrived(
    services: Services, case: UrgentAction, subscriber: Subscriber, *, newly: bool
) -> None:
    """Note that the person came to the case through a friend's card, unless they had acted
    on it already (then the share brought nothing)."""
    if await services.actions.done(case.slug, subscriber.actor):
        return
    await ShareRepository(services.db).arrive(
        case.slug, subscriber.id, joined=newly, now=services.clock()
    )


def _searchable(case: UrgentAction, language: str) -> str:
    return f"{case.text(language).title} {case.names_in(language)}".lower()


def exporter(services: Services) -> Callable[[int], Awaitable[object]]:
    """What /mydata shows: the cases the person came to through a friend's card."""

    async def export(subscriber_id: int) -> object:
        return await ShareRepository(services.db).of_subscriber(subscriber_id)

    return export


HANDLERS = [InlineQueryHandler(answer)]
