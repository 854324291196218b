"""The "When will you write?" buttons a case's card carries."""

from __future__ import annotations

from telegram import InlineKeyboardButton

from bot.domain.plans import PlanChoice
from bot.rendering import Renderer
from bot.views.callbacks import encode


def plan_rows(renderer: Renderer, language: str, slug: str) -> list[list[InlineKeyboardButton]]:
    """Tonight, tomorrow, this weekend; and "I can't take this one" on a row of its own."""

    def plan_button(choice: PlanChoice) -> InlineKeyboardButton:
        label = renderer.button(language, f"plan_{choice.value}")
        return InlineKeyboardButton(label, callback_data=encode("wp", slug, choice.value))

    return [
        [plan_button(c) for c in (PlanChoice.TONIGHT, PlanChoice.TOMORROW, PlanChoice.WEEKEND)],
        [plan_button(PlanChoice.CANNOT)],
    ]
