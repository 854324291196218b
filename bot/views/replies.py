""" "Did anyone reply?": the question with its buttons, and how officials are named in it."""

from __future__ import annotations

from collections.abc import Sequence

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.domain.cases import Target, UrgentAction
from bot.domain.replies import Answer
from bot.rendering import Renderer
from bot.views import Screen
from bot.views.callbacks import encode
from bot.views.checklist import target_label


def official_line(target: Target, language: str) -> str:
    """An official as the question names them: title, name and organisation, as the person's
    letters name them."""
    title = target.title_in(language)
    name = target.name_in(language)
    line = f"{title} — {name}" if title and title != name else name
    organisation = target.organisation_in(language)
    return f"{line} ({organisation})" if organisation else line


def official_name(case: UrgentAction, index: int, language: str, renderer: Renderer) -> str:
    """An official of the case by index, as buttons and organizers' lines name them."""
    if 0 <= index < len(case.targets):
        return target_label(case.targets[index], language, renderer)
    return f"#{index + 1}"


def question_screen(
    case: UrgentAction, language: str, targets: Sequence[int], renderer: Renderer
) -> Screen:
    """The question, naming the officials the person wrote to; Yes (per official), No, Not yet."""
    known = [i for i in targets if 0 <= i < len(case.targets)]
    officials = [official_line(case.targets[i], language) for i in known]
    body = renderer.render(
        language,
        "reply_ask.html",
        texts=case.text(language),
        person=case.names_in(language),
        officials=officials,
    )
    button = renderer.button
    if len(known) == 1:
        yes = [
            [
                InlineKeyboardButton(
                    button(language, "reply_yes"),
                    callback_data=encode("rpy", case.slug, str(known[0])),
                )
            ]
        ]
    else:
        yes = [
            [
                InlineKeyboardButton(
                    button(
                        language,
                        "reply_yes_from",
                        name=official_name(case, i, language, renderer),
                    ),
                    callback_data=encode("rpy", case.slug, str(i)),
                )
            ]
            for i in known
        ]
    rest = [
        InlineKeyboardButton(
            button(language, "reply_no"), callback_data=encode("rpa", case.slug, Answer.NO)
        ),
        InlineKeyboardButton(
            button(language, "reply_later"), callback_data=encode("rpa", case.slug, Answer.LATER)
        ),
    ]
    return Screen(body, InlineKeyboardMarkup([*yes, rest]))
