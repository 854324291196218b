"""The case card (the alert) and the background, paged within Telegram's limits."""

from __future__ import annotations

from datetime import datetime

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.domain.cases import OUTCOMES, CaseStatus, UrgentAction
from bot.domain.deadlines import countdown
from bot.rendering import Renderer
from bot.views import Screen
from bot.views.callbacks import encode
from bot.views.plans import plan_rows

# Room left in a 4096-character message for the page's heading and counter.
PAGE_CHARACTERS = 3500


def deep_link(bot_username: str, slug: str) -> str:
    """The t.me link that opens the bot on this case (and subscribes whoever follows it)."""
    return f"https://t.me/{bot_username}?start={slug}"


def case_card(
    case: UrgentAction,
    *,
    language: str,
    renderer: Renderer,
    now: datetime,
    acted: int,
    bot_username: str,
    in_group: bool = False,
) -> Screen:
    """The alert for a case: who, what happened, what we ask, the deadline, and the buttons."""
    text = renderer.render(
        language,
        "card.html",
        case=case,
        texts=case.text(language),
        countdown=countdown(case, now),
        acted=acted,
        in_group=in_group,
        closed=case.status is CaseStatus.CLOSED,
        # What became of the people, in the reader's words ("Libérée"), not the file's key.
        outcome=(
            renderer.button(language, f"outcome_{case.outcome}", agreement=case.agreement)
            if case.outcome in OUTCOMES
            else None
        ),
    )
    button = renderer.button
    rows: list[list[InlineKeyboardButton]]
    if case.status is CaseStatus.CLOSED:
        rows = [
            [
                InlineKeyboardButton(
                    button(language, "background"), callback_data=encode("bg", case.slug, "0")
                )
            ]
        ]
    elif in_group:
        # Letters are personal: the group card opens the appeal in a private chat.
        rows = [
            [
                InlineKeyboardButton(
                    button(language, "write_private"), url=deep_link(bot_username, case.slug)
                )
            ],
        ]
    else:
        rows = [
            [
                InlineKeyboardButton(
                    button(language, "write"), callback_data=encode("ap", case.slug)
                )
            ],
            [
                InlineKeyboardButton(
                    button(language, "background"), callback_data=encode("bg", case.slug, "0")
                ),
                InlineKeyboardButton(
                    button(language, "acted"), callback_data=encode("ac", case.slug)
                ),
            ],
            *plan_rows(renderer, language, case.slug),
        ]
    return Screen(text, InlineKeyboardMarkup(rows))


# Telegram's longest message.
MESSAGE_CHARACTERS = 4096


def card_problems(case: UrgentAction, renderer: Renderer, now: datetime) -> list[str]:
    """What keeps the case's card from going out: in each language the bot speaks, the card
    as subscribers would get it (in a private chat and in a group, with a six-figure count of
    people who acted) must fit one Telegram message. Empty when it fits."""
    problems = []
    for language in renderer.languages:
        longest = max(
            len(
                case_card(
                    case,
                    language=language,
                    renderer=renderer,
                    now=now,
                    acted=999_999,
                    bot_username="a" * 32,
                    in_group=in_group,
                ).text
            )
            for in_group in (False, True)
        )
        if longest > MESSAGE_CHARACTERS:
            problems.append(
                f"the card in {language} has {longest} characters; Telegram carries at most"
                f" {MESSAGE_CHARACTERS}: shorten the summary, the people or the asks"
            )
    return problems


def background_pages(text: str, size: int = PAGE_CHARACTERS) -> list[str]:
    """Split a long text into pages at paragraph (else sentence, else word) boundaries."""
    pages: list[str] = []
    current = ""
    for paragraph in _pieces(text, size):
        candidate = f"{current}\n\n{paragraph}" if current else paragraph
        if len(candidate) <= size:
            current = candidate
        else:
            pages.append(current)
            current = paragraph
    if current:
        pages.append(current)
    return pages or [""]


def _pieces(text: str, size: int) -> list[str]:
    pieces: list[str] = []
    for paragraph in (p.strip() for p in text.split("\n\n")):
        rest = paragraph
        while len(rest) > size:
            # Prefer the end of a sentence, then a space; cut mid-word only in a wordless run.
            cut = rest.rfind(". ", 0, size)
            cut = cut + 1 if cut > 0 else rest.rfind(" ", 0, size)
            cut = cut if cut > 0 else size
            pieces.append(rest[:cut].strip())
            rest = rest[cut:].strip()
        if rest:
            pieces.append(rest)
    return pieces


def background_page(
    case: UrgentAction, *, page: int, language: str, renderer: Renderer
) -> Screen | None:
    """Page `page` of the case's background with its navigation, or None past the end."""
    pages = background_pages(case.text(language).background)
    if not 0 <= page < len(pages):
        return None
    text = renderer.render(
        language,
        "background.html",
        case=case,
        texts=case.text(language),
        page=pages[page],
        number=page + 1,
        total=len(pages),
    )
    button = renderer.button
    navigation: list[InlineKeyboardButton] = []
    if page > 0:
        navigation.append(
            InlineKeyboardButton(
                button(language, "previous"), callback_data=encode("bg", case.slug, str(page - 1))
            )
        )
    if page + 1 < len(pages):
        navigation.append(
            InlineKeyboardButton(
                button(language, "next"), callback_data=encode("bg", case.slug, str(page + 1))
            )
        )
    rows = [navigation] if navigation else []
    if case.status is CaseStatus.ACTIVE:
        rows.append(
            [
                InlineKeyboardButton(
                    button(language, "write"), callback_data=encode("ap", case.slug)
                )
            ]
        )
    return Screen(text, InlineKeyboardMarkup(rows) if rows else None)
