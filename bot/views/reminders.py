"""The reminder message, and the snooze buttons it shares with "not now"."""

from __future__ import annotations

from datetime import datetime

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.domain.cases import UrgentAction
from bot.domain.deadlines import countdown
from bot.domain.reminders import Snooze
from bot.rendering import Renderer
from bot.views import Screen
from bot.views.callbacks import encode


def snooze_rows(renderer: Renderer, language: str, slug: str) -> list[list[InlineKeyboardButton]]:
    """Remind me tomorrow, in 3 days; stop reminding me about this case."""
    button = renderer.button
    return [
        [
            InlineKeyboardButton(
                button(language, "snooze_1d"), callback_data=encode("sz", slug, Snooze.TOMORROW)
            ),
            InlineKeyboardButton(
                button(language, "snooze_3d"), callback_data=encode("sz", slug, Snooze.THREE_DAYS)
            ),
        ],
        [
            InlineKeyboardButton(
                button(language, "snooze_off"), callback_data=encode("sz", slug, Snooze.OFF)
            )
        ],
    ]


def reminder_screen(
    case: UrgentAction, language: str, renderer: Renderer, now: datetime
) -> Screen:
    """The countdown, what we ask, and one tap to the appeal or to "I've acted"."""
    body = renderer.render(
        language,
        "reminder.html",
        case=case,
        texts=case.text(language),
        names=case.names_in(language),
        countdown=countdown(case, now),
    )
    rows = [
        [
            InlineKeyboardButton(
                renderer.button(language, "write"), callback_data=encode("ap", case.slug)
            ),
            InlineKeyboardButton(
                renderer.button(language, "acted"), callback_data=encode("ac", case.slug)
            ),
        ],
        *snooze_rows(renderer, language, case.slug),
    ]
    return Screen(body, InlineKeyboardMarkup(rows))
