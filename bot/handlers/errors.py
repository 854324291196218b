"""When something fails: a log line with the whole story for operators, a short apology for
the person, never a traceback in a chat. Also the answer to buttons nobody understands."""

from __future__ import annotations

import logging
from collections import OrderedDict
from collections.abc import Callable, Coroutine
from typing import Any

from telegram import Update
from telegram.error import Forbidden
from telegram.ext import ApplicationHandlerStop, BaseRateLimiter, CallbackQueryHandler

from bot.context import BotContext
from bot.delivery.replies import ChatThrottledError
from bot.domain.subscribers import SubscriberStatus
from bot.handlers.common import app_language, language_of, text
from bot.handlers.rights import Right, guard
from bot.logs import pseudonym

log = logging.getLogger(__name__)


class TapAnswers(BaseRateLimiter[None]):
    """Remembers which taps the bot has answered, so the error handler never answers one twice.

    It sits in PTB's rate-limiter hook, which every call to Telegram passes through, in front
    of the limiter that does the pacing (`inner`).
    """

    KEPT = 10_000  # taps remembered; a tap older than the newest 10,000 is long answered

    def __init__(self, inner: BaseRateLimiter[None]) -> None:
        self._inner = inner
        self._answered: OrderedDict[str, None] = OrderedDict()

    @property
    def inner(self) -> BaseRateLimiter[None]:
        """The limiter that does the pacing."""
        return self._inner

    def answered(self, query_id: str) -> bool:
        """Whether the bot has answered this tap."""
        return query_id in self._answered

    async def initialize(self) -> None:
        """Open the limiter inside."""
        await self._inner.initialize()

    async def shutdown(self) -> None:
        """Close the limiter inside."""
        await self._inner.shutdown()

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, bool | dict[str, Any] | list[dict[str, Any]]]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: None,
    ) -> bool | dict[str, Any] | list[dict[str, Any]]:
        """Make the call through the limiter inside; note the tap it answered."""
        result = await self._inner.process_request(
            callback, args, kwargs, endpoint, data, rate_limit_args
        )
        if endpoint == "answerCallbackQuery":
            self._answered[str(data.get("callback_query_id"))] = None
            while len(self._answered) > self.KEPT:
                self._answered.popitem(last=False)
        return result


async def on_error(update: object, context: BotContext) -> None:
    """Log the failure for the operator and apologise to the person.

    Nothing here asks the database: when the failure is the database's (an outage), the
    apology must still go out, in the language the process last heard in the chat.
    """
    if isinstance(context.error, ChatThrottledError):
        # A chat flooding the bot: its extra replies are not sent, and neither is an apology.
        log.debug("a reply was not sent: %s", context.error)
        return
    if not isinstance(update, Update):
        # A job's failure, not a person's: named as what it is.
        job = context.job
        what = f"the background job {job.name!r}" if job is not None else "a background task"
        error = context.error
        if error is not None and context.services.db.unreachable(error):
            # An outage, not a defect: one line, and the job runs again at its next turn.
            log.error(
                "%s failed: the database is out of reach (%s: %s); it runs again at its next turn",
                what,
                type(error).__name__,
                error,
            )
            return
        log.error("%s failed", what, exc_info=error)
        return
    await _answer_failure(update, context)
    # The update goes no further: PTB would hand it to the handlers of the next groups, and a
    # failing database would fail each of them, with an apology each.
    raise ApplicationHandlerStop


async def _answer_failure(update: Update, context: BotContext) -> None:
    chat = update.effective_chat
    if isinstance(context.error, Forbidden) and chat is not None:
        await _unreachable(context, chat.id, context.error)
        return
    log.error("handling an update failed (update %d)", update.update_id, exc_info=context.error)
    if chat is None:
        return
    try:
        language = context.bot_data.languages.of(chat.id) or app_language(update, context)
        query = update.callback_query
        if query is not None and not _answered(context, query.id):
            await query.answer(text(context, language, "error.txt"), show_alert=True)
        else:
            # A tap is answered once: one the handler answered before failing gets a message.
            await chat.send_message(text(context, language, "error.html"))
    except Exception:
        log.warning("could not apologise in chat %s", pseudonym(chat.id), exc_info=True)


def _answered(context: BotContext, query_id: str) -> bool:
    limiter = context.bot.rate_limiter
    return isinstance(limiter, TapAnswers) and limiter.answered(query_id)


async def _unreachable(context: BotContext, chat_id: int, error: Forbidden) -> None:
    """A person who blocked the bot (or a group that removed it) while a reply was on its way:
    an expected event. They are marked inactive, as when Telegram tells of the block."""
    services = context.services
    try:
        await services.subscribers.set_status(chat_id, SubscriberStatus.BLOCKED, services.clock())
    except Exception:
        log.warning(
            "chat %s cannot be reached, and could not be marked inactive", pseudonym(chat_id)
        )
        return
    log.info("chat %s cannot be reached (%s): marked inactive", pseudonym(chat_id), error.message)


@guard(Right.ANYONE)
async def unknown_button(update: Update, context: BotContext) -> None:
    """Answer a tap on a button no handler knows: old, malformed or forged."""
    query = update.callback_query
    if query is None:
        return
    language = await language_of(update, context)
    await query.answer(text(context, language, "button_invalid.txt"), show_alert=True)


# Registered last: catches what every other callback handler let through.
FALLBACK = CallbackQueryHandler(unknown_button)
