"""How many cases each person gets, and what about; the offer sweep that lives by it.

A person (or a group's admins, for the group) chooses in /settings: how many cases (every case,
up to 3 a week, 1 a week, 2 a month, or the network's default that organizers set with
/allowance), whether to get one weekly digest instead, the themes they follow and the channels
they can use. The sweep (`bot.db.offers`) runs at publish and whenever the scheduler wakes it.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime
from typing import Protocol

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import CallbackQueryHandler

from bot.casing import mid_sentence
from bot.context import BotContext, Services, UrgentActionApp
from bot.db.alerts import Audience
from bot.db.offers import (
    Choice,
    ChoiceRepository,
    DigestFor,
    MessageFor,
    OfferReport,
    send_digests,
    sweep_offers,
)
from bot.delivery.messages import OutboundMessage
from bot.domain.allowance import Allowance
from bot.domain.cases import Channel, UrgentAction
from bot.domain.subscribers import Subscriber
from bot.domain.themes import THEMES
from bot.handlers.common import decoded_tap, edit_text, language_of, send, text
from bot.handlers.rights import Right, guard
from bot.rendering import Renderer
from bot.views import Screen
from bot.views.callbacks import encode, pattern
from bot.views.cards import case_card

log = logging.getLogger(__name__)
JOB_NAME = "offer-sweep"
LABELS = "offers.txt"


class Words(dict[str, str]):
    """The labels of `templates/offers.txt`, looked up by the code's keys: a macro's name is
    the key with "_" for "-", and an "n" before a leading digit ("3-week" is `n3_week`)."""

    def __missing__(self, key: str) -> str:
        name = key.replace("-", "_")
        name = "n" + name if name[:1].isdigit() else name
        if name == key:
            raise KeyError(key)
        return self[name]


def labels(renderer: Renderer | Services, language: str) -> Words:
    """The plain-text words of this feature in `language`."""
    if not isinstance(renderer, Renderer):
        renderer = renderer.renderer
    return Words(renderer.labels(language, LABELS))


async def settings_row(context: BotContext, subscriber: Subscriber) -> list[InlineKeyboardButton]:
    """The row /settings shows: how many cases the chat gets, opening this feature's screen."""
    services = context.services
    choice = await ChoiceRepository(services.db).of(subscriber.chat_id)
    words = labels(services, subscriber.language)
    allowance = choice.allowance or await ChoiceRepository(services.db).network_allowance()
    label = words["settings_button"].format(
        allowance=mid_sentence(words[str(allowance)], subscriber.language)
    )
    return [InlineKeyboardButton(label, callback_data=encode("alw", "show"))]


def ask_markup(services: Services, language: str) -> InlineKeyboardMarkup:
    """The four allowances, as the question at /start and the settings screen offer them."""
    words = labels(services, language)
    return InlineKeyboardMarkup(
        [
            [InlineKeyboardButton(words[str(a)], callback_data=encode("alw", str(a)))]
            for a in Allowance
        ]
    )


class ShowCard(Protocol):
    """How /start shows a case's card (bot.handlers.subscription.show_card)."""

    async def __call__(
        self,
        update: Update,
        context: BotContext,
        subscriber: Subscriber,
        case: UrgentAction,
        *,
        unless_had: bool = False,
    ) -> None: ...


async def show_first_cases(
    update: Update,
    context: BotContext,
    subscriber: Subscriber,
    active: Sequence[UrgentAction],
    newly: bool,
    show_card: ShowCard,
) -> None:
    """At /start: every open case that fits the chat's choices (the sweep's rule, through
    `Subscriber.wants`) for those on "every case"; for the others the first, the rest following
    at their slots. A newcomer facing several open cases sees the first and is asked, once, how
    many they want; the rest follow their answer."""
    services = context.services
    repository = ChoiceRepository(services.db)
    choice = await repository.of(subscriber.chat_id)
    chosen = choice.allowance or await repository.network_allowance()
    fitting = [
        case
        for case in active
        if subscriber.wants(case, themes=choice.themes, channels=choice.channels)
    ]
    ask = newly and len(fitting) > 1 and choice.allowance is None
    every = chosen is Allowance.EVERY and not choice.digest and not ask
    for case in fitting if every else fitting[:1]:
        # A newcomer's first sweep may have queued the case already; a returning person asked
        # to see the open cases again.
        await show_card(update, context, subscriber, case, unless_had=newly)
    chat = update.effective_chat
    if ask and chat is not None:
        # The answer decides what follows: the other cases at once, or at the person's slots.
        body = text(context, subscriber.language, "offers_ask.html")
        await send(chat, Screen(body, ask_markup(services, subscriber.language)))


async def choice_screen(context: BotContext, subscriber: Subscriber) -> Screen:
    """What the chat chose about its cases, with a button for each other choice."""
    services = context.services
    repository = ChoiceRepository(services.db)
    choice = await repository.of(subscriber.chat_id)
    network = await repository.network_allowance()
    language = subscriber.language
    words = labels(services, language)

    def ticked(on: bool, label: str) -> str:
        return ("✓ " if on else "") + label

    rows = [
        [
            InlineKeyboardButton(
                ticked(choice.allowance is a, words[str(a)]), callback_data=encode("alw", str(a))
            )
        ]
        for a in Allowance
    ]
    rows.append(
        [
            InlineKeyboardButton(
                ticked(
                    choice.allowance is None,
                    words["default"].format(allowance=mid_sentence(words[str(network)], language)),
                ),
                callback_data=encode("alw", "default"),
            )
        ]
    )
    rows.append(
        [
            InlineKeyboardButton(
                words["digest_on" if choice.digest else "digest_off"],
                callback_data=encode("alw", "digest"),
            )
        ]
    )
    rows.append(
        [
            InlineKeyboardButton(
                ticked(choice.themes is None, words["all_themes"]),
                callback_data=encode("alt", "all"),
            )
        ]
    )
    themes = [
        InlineKeyboardButton(
            ticked(choice.themes is not None and t in choice.themes, words[t]),
            callback_data=encode("alt", t),
        )
        for t in THEMES
    ]
    rows.extend(themes[i : i + 2] for i in range(0, len(themes), 2))
    usable = set(choice.channels) if choice.channels is not None else set(Channel)
    if not subscriber.is_group:
        rows.append(
            [
                InlineKeyboardButton(
                    ticked(c in usable, words[str(c)]), callback_data=encode("alc", str(c))
                )
                for c in Channel
            ]
        )
    body = text(
        context,
        language,
        "offers_settings.html",
        in_group=subscriber.is_group,
        allowance=words[str(choice.allowance or network)],
        digest=choice.digest,
        themes=[words[t] for t in THEMES if choice.themes is not None and t in choice.themes],
        channels=[words[str(c)] for c in Channel if c in usable],
    )
    return Screen(body, InlineKeyboardMarkup(rows))


@guard(Right.CHAT_ADMIN)
async def change(update: Update, context: BotContext) -> None:
    """Apply a tapped choice and redraw the screen (groups: admins only)."""
    query, chat = update.callback_query, update.effective_chat
    callback = await decoded_tap(update, context)
    if query is None or chat is None or callback is None:
        return
    services = context.services
    language = await language_of(update, context)
    subscriber = await services.subscribers.get(chat.id)
    value = callback.arg(0)
    if subscriber is None or (callback.verb == "alt" and value != "all" and value not in THEMES):
        await query.answer(text(context, language, "button_invalid.txt"), show_alert=True)
        return
    repository = ChoiceRepository(services.db)
    choice = await repository.of(chat.id)
    now = services.clock()
    if callback.verb == "alw" and value == "show":
        await query.answer()
        await send(chat, await choice_screen(context, subscriber))
        return
    await _apply(repository, choice, chat.id, callback.verb, value, now)
    await query.answer(text(context, language, "preferences_saved.txt"))
    screen = await choice_screen(context, subscriber)
    await edit_text(query, screen.text, screen.markup)
    if callback.verb == "alw":
        # A larger allowance may make a case due now: offered at once, not at the next sweep.
        await offer_now(services, context.bot.username)


async def _apply(
    repository: ChoiceRepository,
    choice: Choice,
    chat_id: int,
    verb: str,
    value: str,
    now: datetime,
) -> None:
    if verb == "alw" and value == "digest":
        await repository.set_digest(chat_id, not choice.digest, now)
    elif verb == "alw":
        await repository.set_allowance(
            chat_id, None if value == "default" else Allowance(value), now
        )
    elif verb == "alt":
        await repository.set_themes(chat_id, _toggled(choice.themes, value), now)
    else:
        usable = set(choice.channels) if choice.channels is not None else set(Channel)
        usable ^= {Channel(value)}
        # Nobody can use no channel at all: taking away the last one keeps it.
        if usable:
            everything = usable == set(Channel)
            await repository.set_channels(chat_id, None if everything else sorted(usable), now)


def _toggled(themes: Sequence[str] | None, value: str) -> list[str] | None:
    """The themes after tapping `value` ("all": every theme again)."""
    if value == "all":
        return None
    chosen = set(themes or ())
    chosen ^= {value}
    return sorted(chosen) if chosen else None


def alert_message(renderer: Renderer, now: datetime, bot_username: str) -> MessageFor:
    """The case's card as each audience (a language; a person or a group) receives it."""

    def alert(case: UrgentAction, audience: Audience) -> OutboundMessage:
        card = case_card(
            case,
            language=audience.language,
            renderer=renderer,
            now=now,
            acted=0,
            bot_username=bot_username,
            in_group=audience.in_group,
        )
        markup = card.markup.to_dict() if card.markup else None
        return OutboundMessage.text(card.text, reply_markup=markup)

    return alert


def digest_message(renderer: Renderer) -> DigestFor:
    """The weekly digest in a language: the cases listed, each with a button to its appeal."""

    def message(language: str, cases: Sequence[UrgentAction]) -> OutboundMessage:
        words = labels(renderer, language)
        listed = [
            {
                "title": c.text(language).title,
                "country": renderer.country_name(c.country_code, language, c.country),
                "deadline": renderer.long_date(d.on, language) if (d := c.deadline) else None,
            }
            for c in cases
        ]
        body = renderer.render(language, "digest.html", cases=listed)
        rows = [
            [
                InlineKeyboardButton(
                    words["digest_open"].format(title=c.text(language).title)[:64],
                    callback_data=encode("ap", c.slug),
                )
            ]
            for c in cases
        ]
        return OutboundMessage.text(body, reply_markup=InlineKeyboardMarkup(rows).to_dict())

    return message


async def offer_now(services: Services, bot_username: str) -> OfferReport:
    """Offer the active cases to everyone whose slot is due now, and wake delivery."""
    now = services.clock()
    active = await services.cases.active()
    report = await sweep_offers(
        services.db,
        active,
        alert_message(services.renderer, now, bot_username),
        now,
        services.settings.default_timezone,
    )
    if report.offered:
        services.wake_delivery()
    return report


async def sweep(context: BotContext) -> None:
    """The scheduler's wake-up: offer what is due, and send the digests whose week is up."""
    services = context.services
    report = await offer_now(services, context.bot.username)
    now = services.clock()
    digests = await send_digests(
        services.db,
        await services.cases.active(),
        digest_message(services.renderer),
        now,
        services.settings.default_timezone,
    )
    if digests:
        services.wake_delivery()
    if report.offered or digests:
        log.info("offer sweep: %d cases offered, %d digests", report.offered, digests)


def exporter(services: Services) -> Callable[[int], Awaitable[dict[str, object]]]:
    """What /mydata shows of a person's choice about their cases, and the digests sent."""

    async def export(subscriber_id: int) -> dict[str, object]:
        repository = ChoiceRepository(services.db)
        choice = await repository.of_subscriber(subscriber_id)
        return {
            "allowance": str(choice.allowance) if choice.allowance else "network default",
            "themes": list(choice.themes) if choice.themes is not None else None,
            "channels": [str(c) for c in choice.channels] if choice.channels is not None else None,
            "weekly_digest": choice.digest,
            "digests_sent": [
                {"at": at.isoformat(), "cases": cases}
                for at, cases in await repository.digests(subscriber_id)
            ],
        }

    return export


def schedule_sweeps(app: UrgentActionApp) -> None:
    """Wake the offer sweep now and then every `offer_check`."""
    assert app.job_queue is not None
    services = app.bot_data.services
    assert services is not None
    interval = services.settings.offer_check.total_seconds()
    app.job_queue.run_repeating(sweep, interval=interval, first=0.0, name=JOB_NAME)


HANDLERS = [
    CallbackQueryHandler(change, pattern=pattern("alw")),
    CallbackQueryHandler(change, pattern=pattern("alt")),
    CallbackQueryHandler(change, pattern=pattern("alc")),
]
