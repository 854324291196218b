"""The "I've acted" checklist: one button per official and channel, ticked once recorded."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.casing import line_start
from bot.domain.cases import Channel, Target, TargetRole, UrgentAction
from bot.rendering import Renderer
from bot.views import Screen
from bot.views.callbacks import encode


def target_label(target: Target, language: str, renderer: Renderer) -> str:
    """How a target is named on a button: its title (or name), marked when it is a copy."""
    key = "target_copy" if target.role is TargetRole.COPY else "target_to"
    name = line_start(target.title_in(language) or target.name_in(language))
    return renderer.button(language, key, name=name)


def checklist(
    case: UrgentAction,
    done: set[tuple[Channel, int]],
    *,
    language: str,
    renderer: Renderer,
    writer_country: str | None = None,
) -> Screen:
    """The checklist of a case for one person: what is recorded, what is still pending.

    It lists the officials the person's letters go to: of the embassies bound to writers'
    countries only the one for `writer_country`, and any they have already recorded."""
    rows: list[list[InlineKeyboardButton]] = []
    lines: list[tuple[str, list[str], bool]] = []
    for index, target in enumerate(case.targets):
        if not target.copied_by(writer_country) and not any(i == index for _, i in done):
            continue
        channels = [c for c in Channel if target.reaches_by(c)]
        sent = [renderer.button(language, f"channel_{c}") for c in channels if (c, index) in done]
        lines.append(
            (target_label(target, language, renderer), sent, target.role is TargetRole.COPY)
        )
        rows.append(
            [
                InlineKeyboardButton(
                    renderer.button(
                        language,
                        "record",
                        done=(channel, index) in done,
                        channel=renderer.button(language, f"channel_{channel}"),
                        target=target_label(target, language, renderer),
                    ),
                    callback_data=encode("rec", case.slug, channel, str(index)),
                )
                for channel in channels
            ]
        )
    body = renderer.render(
        language, "checklist.html", case=case, texts=case.text(language), lines=lines
    )
    return Screen(body, InlineKeyboardMarkup(rows))
