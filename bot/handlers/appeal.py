"""The appeal, step by step: channel, signature, a personal sentence, then the ready letter.

The steps live in buttons, so an old message keeps working; what the person types (their
signature, their sentence) is held in the database (`bot.handlers.flows`) until the letter is
shown, so any process continues the appeal, and a restart loses none of it. Each appeal in
progress has a key that its later buttons carry
(skip, remember, the letter in another language or by another channel): a button left from an
earlier appeal finds a different key, or none held, and says the message is from an earlier
letter, offering the case's appeal afresh; the appeal in progress, if any, stays as it is.
"""

from __future__ import annotations

import json
import logging
import re
import secrets
from dataclasses import asdict, dataclass, field, replace
from typing import Any

from telegram import Chat, InlineKeyboardButton, InlineKeyboardMarkup, InputFile, Update
from telegram.constants import ChatType as TelegramChatType
from telegram.ext import CallbackQueryHandler, MessageHandler, filters

from bot.appeals import (
    PERSONAL_LIMIT,
    Appeal,
    AppealError,
    Letter,
    PersonalLineError,
    Signer,
    SignerError,
    available_languages,
    compose_appeal,
    email_file,
    email_file_name,
    fax_file,
    fax_file_name,
    officials_read,
    post_file,
    post_file_name,
)
from bot.context import BotContext
from bot.domain.cases import CaseStatus, Channel, UrgentAction
from bot.domain.countries import country_name
from bot.domain.subscribers import Subscriber
from bot.handlers import broadcast, sharing
from bot.handlers.cases import case_of
from bot.handlers.common import edit_text, language_of, send, text
from bot.handlers.flows import flow, keep_flow
from bot.handlers.rights import Right, guard
from bot.views import Screen
from bot.views.callbacks import decode, encode, pattern
from bot.views.cards import MESSAGE_CHARACTERS, deep_link
from bot.views.checklist import checklist

log = logging.getLogger(__name__)

MAX_SIGNATURE = 80
# What separates initials from the city: the comma (or semicolon) of whichever keyboard typed
# it: Latin ",", Arabic "،" and "؛", Chinese "，" and "；", Japanese "、".
SIGNATURE_COMMA = re.compile("[,;\u060c\u061b\uff0c\uff1b\u3001]")
# "I've sent it" under a letter written by someone who had not said where they live.
NO_COUNTRY = "-"
# Room for the letter's heading lines in one message; a longer letter goes as a file only.
MAX_LETTER_IN_MESSAGE = 3300
# Control characters, C1 included (U+0085 is a line break to some clients), are dropped from
# what a person types; a signature is then one line, its breaks and tabs made spaces.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_LINE_BREAKS = re.compile(r"[\t\n\r\x0b\x0c\x85\u2028\u2029]+")


@dataclass(frozen=True)
class Draft:
    """What the person chose so far for one appeal."""

    slug: str
    channel: Channel
    key: str = field(default_factory=lambda: secrets.token_urlsafe(6))  # 8 characters
    signer: Signer | None = None
    personal_line: str | None = None
    awaiting: str | None = None  # "full" / "initials": a signature; "personal": the sentence
    language: str | None = None

    def to_json(self) -> dict[str, Any]:
        """The draft as the flows table holds it."""
        held = asdict(self)
        held["channel"] = str(self.channel)
        return held

    @classmethod
    def from_json(cls, held: Any) -> Draft | None:
        """The draft the flows table holds, or None if it is not one (an older shape)."""
        try:
            signer = held.get("signer")
            return cls(
                slug=str(held["slug"]),
                channel=Channel(held["channel"]),
                key=str(held["key"]),
                signer=Signer(**signer) if signer else None,
                personal_line=held.get("personal_line"),
                awaiting=held.get("awaiting"),
                language=held.get("language"),
            )
        except (AttributeError, KeyError, TypeError, ValueError, AppealError):
            return None


async def _draft(context: BotContext) -> Draft | None:
    return Draft.from_json(await flow(context, "appeal"))


async def _keep(context: BotContext, draft: Draft | None) -> None:
    await keep_flow(context, "appeal", draft.to_json() if draft is not None else None)


async def _person(update: Update, context: BotContext) -> Subscriber | None:
    """The subscriber writing in a private chat, or None (after answering the tap)."""
    chat, query = update.effective_chat, update.callback_query
    subscriber = await context.services.subscribers.get(chat.id) if chat else None
    if subscriber is None or chat is None or chat.type != TelegramChatType.PRIVATE:
        if query is not None:
            language = await language_of(update, context)
            await query.answer(text(context, language, "start_first.txt"), show_alert=True)
        return None
    return subscriber


async def _open_case(update: Update, context: BotContext) -> tuple[Any, UrgentAction] | None:
    found = await case_of(update, context)
    if found is None:
        return None
    callback, case = found
    if case.status is CaseStatus.CLOSED:
        query = update.callback_query
        assert query is not None
        language = await language_of(update, context)
        await query.answer(text(context, language, "case_closed.txt"), show_alert=True)
        return None
    return callback, case


@guard(Right.PERSON)
async def start_appeal(update: Update, context: BotContext) -> None:
    """Step 1: choose the channel (email, fax, post) among those the officials can receive."""
    found = await _open_case(update, context)
    query, chat = update.callback_query, update.effective_chat
    if found is None or query is None or chat is None:
        return
    subscriber = await _person(update, context)
    if subscriber is None:
        return
    _, case = found
    services = context.services
    await query.answer()
    await services.actions.record_open(case.slug, subscriber.actor, services.clock())
    await send(chat, _channel_screen(context, subscriber.language, case))


def _channel_screen(
    context: BotContext, language: str, case: UrgentAction, *, stale: bool = False
) -> Screen:
    """Step 1's screen: the channels the officials can receive (`stale`: offered afresh, after
    a tap on a message from an earlier letter)."""
    buttons = [
        InlineKeyboardButton(
            context.services.renderer.button(language, f"via_{channel}"),
            callback_data=encode("ch", case.slug, channel),
        )
        for channel in case.channels()
    ]
    body = text(
        context,
        language,
        "appeal_channel.html",
        case=case,
        channels=case.channels(),
        stale=stale,
    )
    return Screen(body, InlineKeyboardMarkup([buttons]))


async def _stale(
    update: Update, context: BotContext, subscriber: Subscriber, case: UrgentAction
) -> None:
    """A tap on a message from an earlier letter, whose signature and sentence the bot no
    longer holds (a restart, a day gone by, or another letter begun since). It says so and
    offers the case's appeal afresh; the letter in progress, if any, is left as it is."""
    query, chat = update.callback_query, update.effective_chat
    assert query is not None
    assert chat is not None
    await query.answer(text(context, subscriber.language, "appeal_stale.txt"))
    await send(chat, _channel_screen(context, subscriber.language, case, stale=True))


@guard(Right.PERSON)
async def choose_channel(update: Update, context: BotContext) -> None:
    """Step 2: how to sign (the remembered signature, a full name, or initials and city)."""
    found = await _open_case(update, context)
    query, chat = update.callback_query, update.effective_chat
    if found is None or query is None or chat is None:
        return
    subscriber = await _person(update, context)
    if subscriber is None:
        return
    callback, case = found
    channel = Channel(callback.arg(1))
    if channel not in case.channels():
        await query.answer(
            text(context, subscriber.language, "button_invalid.txt"), show_alert=True
        )
        return
    await query.answer()
    await _keep(context, Draft(case.slug, channel))
    await send(chat, _signature_screen(context, subscriber, case, channel))


def _signature_screen(
    context: BotContext, subscriber: Subscriber, case: UrgentAction, channel: Channel
) -> Screen:
    button = context.services.renderer.button
    language = subscriber.language
    saved = _saved_signer(subscriber)
    rows = []
    if saved is not None:
        rows.append(
            [
                InlineKeyboardButton(
                    button(language, "sign_saved", signature=saved.signature),
                    callback_data=encode("sg", case.slug, channel, "saved"),
                )
            ]
        )
    rows.append(
        [
            InlineKeyboardButton(
                button(language, "sign_full"),
                callback_data=encode("sg", case.slug, channel, "full"),
            ),
            InlineKeyboardButton(
                button(language, "sign_initials"),
                callback_data=encode("sg", case.slug, channel, "initials"),
            ),
        ]
    )
    body = text(context, language, "appeal_sign.html", case=case, channel=channel)
    return Screen(body, InlineKeyboardMarkup(rows))


def _saved_signer(subscriber: Subscriber) -> Signer | None:
    if not subscriber.signature:
        return None
    try:
        data = json.loads(subscriber.signature)
        return Signer(**data)
    except (ValueError, TypeError):
        return None


@guard(Right.PERSON)
async def choose_signature(update: Update, context: BotContext) -> None:
    """Step 3: use the remembered signature, or ask the person to type one."""
    found = await _open_case(update, context)
    query, chat = update.callback_query, update.effective_chat
    if found is None or query is None or chat is None:
        return
    subscriber = await _person(update, context)
    if subscriber is None:
        return
    callback, case = found
    channel, how = Channel(callback.arg(1)), callback.arg(2)
    await query.answer()
    language = subscriber.language
    if how == "saved":
        signer = _saved_signer(subscriber)
        if signer is not None:
            draft = Draft(case.slug, channel, signer=signer, awaiting="personal")
            await _keep(context, draft)
            await send(chat, _personal_screen(context, language, draft, remembered=True))
            return
        how = "full"
    await _keep(context, Draft(case.slug, channel, awaiting=how))
    await chat.send_message(text(context, language, f"appeal_type_{how}.html", case=case))


def _personal_screen(
    context: BotContext, language: str, draft: Draft, *, remembered: bool, just: bool = False
) -> Screen:
    """Step 4: the signature, and the offer of a sentence of one's own; "Remember" until the
    signature is the remembered one (`just`: it has been remembered this moment)."""
    assert draft.signer is not None
    button = context.services.renderer.button
    slug, channel = draft.slug, draft.channel
    rows = [
        [
            InlineKeyboardButton(
                button(language, "skip_personal"),
                callback_data=encode("pk", slug, channel, draft.key),
            )
        ]
    ]
    if not remembered:
        rows.append(
            [
                InlineKeyboardButton(
                    button(language, "remember_signature"),
                    callback_data=encode("rk", slug, channel, draft.key),
                )
            ]
        )
    body = text(
        context,
        language,
        "appeal_personal.html",
        signer=draft.signer,
        limit=PERSONAL_LIMIT,
        remembered=just,
    )
    return Screen(body, InlineKeyboardMarkup(rows))


def _key_of(update: Update) -> str | None:
    """The appeal key a tapped button carries (None on a button from before keys)."""
    callback = decode(update.callback_query.data if update.callback_query else None)
    if callback is None or callback.verb not in ("rk", "pk", "lk", "ck"):
        return None
    return callback.args[-1]


async def typed(update: Update, context: BotContext) -> None:
    """Text typed in a private chat: the signature or the personal sentence the draft awaits."""
    message, chat = update.effective_message, update.effective_chat
    if message is None or chat is None:
        return
    # An organizer writing a broadcast: the text is the broadcast, not an appeal's signature.
    if await broadcast.takes(update, context) or message.text is None:
        return
    language = await language_of(update, context)
    draft = await _draft(context)
    if draft is None or draft.awaiting is None:
        await message.reply_text(text(context, language, "typed_unexpected.html"))
        return
    typed_text = _CONTROL.sub("", message.text).strip()
    if draft.awaiting in ("full", "initials"):
        signer = _parse_signer(draft.awaiting, one_line(message.text))
        if signer is None:
            await message.reply_text(
                text(context, language, f"appeal_bad_{draft.awaiting}.html", limit=MAX_SIGNATURE)
            )
            return
        draft = replace(draft, signer=signer, awaiting="personal")
        await _keep(context, draft)
        subscriber = await context.services.subscribers.get(chat.id)
        remembered = subscriber is not None and _saved_signer(subscriber) == signer
        await send(chat, _personal_screen(context, language, draft, remembered=remembered))
        return
    if len(typed_text) > PERSONAL_LIMIT or not typed_text:
        await message.reply_text(
            text(
                context,
                language,
                "appeal_personal_too_long.html",
                limit=PERSONAL_LIMIT,
                length=len(typed_text),
            )
        )
        return
    draft = replace(draft, personal_line=typed_text, awaiting=None)
    await _keep(context, draft)
    await _show_letter(update, context, draft, language)


def one_line(typed_text: str) -> str:
    """What a person typed, as one line: breaks and tabs made single spaces, control
    characters dropped (a name and a city on two lines is a natural way to type them)."""
    return " ".join(_CONTROL.sub("", _LINE_BREAKS.sub(" ", typed_text)).split())


def _parse_signer(how: str, typed_text: str) -> Signer | None:
    if not typed_text or len(typed_text) > MAX_SIGNATURE:
        return None
    try:
        if how == "full":
            return Signer(full_name=typed_text)
        commas = list(SIGNATURE_COMMA.finditer(typed_text))
        if not commas:
            return None
        last = commas[-1]
        initials, city = typed_text[: last.start()].strip(), typed_text[last.end() :].strip()
        if not initials or not city:
            return None
        return Signer(initials=initials, city=city)
    except SignerError:
        # Whatever the rules refuse gets the same answer as a malformed signature.
        return None


@guard(Right.PERSON)
async def remember_signature(update: Update, context: BotContext) -> None:
    """Keep the signature just typed for the next appeal (the person asked)."""
    query, chat = update.callback_query, update.effective_chat
    draft = await _draft(context)
    if query is None or chat is None:
        return
    language = await language_of(update, context)
    if draft is None or draft.signer is None or draft.key != _key_of(update):
        # Another appeal since (or a restart): this button's signature is not the one held.
        await query.answer(text(context, language, "appeal_stale.txt"), show_alert=True)
        return
    services = context.services
    await services.subscribers.set_signature(
        chat.id, json.dumps(draft.signer.to_mapping(), ensure_ascii=False), services.clock()
    )
    await query.answer(text(context, language, "signature_remembered.txt"))
    # The message itself says so, and offers only what is left: a sentence, or skipping it.
    screen = _personal_screen(context, language, draft, remembered=True, just=True)
    await edit_text(query, screen.text, screen.markup)


@guard(Right.PERSON)
async def skip_personal(update: Update, context: BotContext) -> None:
    """No personal sentence: show the letter."""
    await _letter_from_tap(update, context, language=None)


@guard(Right.PERSON)
async def letter_channel(update: Update, context: BotContext) -> None:
    """The same letter, signed and worded as it is, to send by another channel."""
    await _letter_from_tap(update, context, language=None)


@guard(Right.PERSON)
async def letter_language(update: Update, context: BotContext) -> None:
    """Show the same letter in another language (the target's, or the person's)."""
    callback = decode(update.callback_query.data if update.callback_query else None)
    assert callback is not None
    await _letter_from_tap(update, context, language=callback.arg(2))


async def _letter_from_tap(update: Update, context: BotContext, language: str | None) -> None:
    found = await _open_case(update, context)
    query, chat = update.callback_query, update.effective_chat
    if found is None or query is None or chat is None:
        return
    subscriber = await _person(update, context)
    if subscriber is None:
        return
    callback, case = found
    channel = Channel(callback.arg(1))
    draft = await _draft(context)
    if (
        draft is None
        or draft.slug != case.slug
        or draft.signer is None
        or draft.key != _key_of(update)
    ):
        await _stale(update, context, subscriber, case)
        return
    if channel not in case.channels():
        await query.answer(
            text(context, subscriber.language, "button_invalid.txt"), show_alert=True
        )
        return
    await query.answer()
    draft = replace(draft, channel=channel, awaiting=None, language=language or draft.language)
    await _keep(context, draft)
    await _show_letter(update, context, draft, subscriber.language)


async def _show_letter(update: Update, context: BotContext, draft: Draft, language: str) -> None:
    """Compose the letter and send it the way its channel needs: text to copy, and a file."""
    chat = update.effective_chat
    assert chat is not None
    assert draft.signer is not None
    services = context.services
    case = await services.cases.get(draft.slug)
    subscriber = await services.subscribers.get(chat.id)
    if case is None or subscriber is None:
        await chat.send_message(text(context, language, "appeal_expired.html"))
        return
    letter_languages = available_languages(case, services.renderer, language)
    letter_language = draft.language if draft.language in letter_languages else letter_languages[0]
    seed = f"{subscriber.actor}:{case.slug}"
    try:
        appeal = compose_appeal(
            case,
            channel=draft.channel,
            language=letter_language,
            signer=draft.signer,
            personal_line=draft.personal_line,
            today=services.clock().date(),
            variant_seed=seed,
            renderer=services.renderer,
            writer_country=subscriber.home_country,
        )
    except PersonalLineError:
        await chat.send_message(
            text(
                context,
                language,
                "appeal_personal_too_long.html",
                limit=PERSONAL_LIMIT,
                length=len(draft.personal_line or ""),
            )
        )
        return
    except AppealError:
        log.warning("no letter for %s by %s in %s", case.slug, draft.channel, letter_language)
        await chat.send_message(text(context, language, "appeal_expired.html"))
        return
    markup = _letter_buttons(
        context,
        case,
        draft.channel,
        language,
        letter_language,
        letter_languages,
        draft.key,
        subscriber.home_country,
    )
    reading = _for_reading(context, case, appeal, language, letter_languages, seed)
    if reading is not None:
        await chat.send_message(text(context, language, "letter_reading.html", letter=reading))
    await _deliver(chat, context, case, appeal, language, markup)


def _for_reading(
    context: BotContext,
    case: UrgentAction,
    appeal: Appeal,
    language: str,
    letter_languages: tuple[str, ...],
    seed: str,
) -> Letter | None:
    """The letter in the reader's language, to read beside the one in the officials' language
    they send; None when they read the letter itself, or theirs is not written or too long."""
    read = officials_read(case)
    if appeal.language == language or language in read or appeal.language not in read:
        return None
    if language not in letter_languages:
        return None
    mirror = compose_appeal(
        case,
        channel=appeal.channel,
        language=language,
        signer=appeal.signer,
        personal_line=appeal.personal_line,
        today=appeal.letters[0].dated,
        variant_seed=seed,
        renderer=context.services.renderer,
        writer_country=appeal.writer_country,
    )
    letter = mirror.letters[0]
    return letter if len(letter.body) <= MAX_LETTER_IN_MESSAGE else None


def _letter_buttons(
    context: BotContext,
    case: UrgentAction,
    channel: Channel,
    language: str,
    shown: str,
    languages: tuple[str, ...],
    key: str,
    writer_country: str | None,
) -> InlineKeyboardMarkup:
    button = context.services.renderer.button
    # The button names the country the letter was written from: the embassy it copied, if
    # any, is the one recorded, whatever the person says about where they live later.
    sent_it = encode("snt", case.slug, channel, writer_country or NO_COUNTRY)
    rows = [[InlineKeyboardButton(button(language, "sent_it"), callback_data=sent_it)]]
    others = [
        InlineKeyboardButton(
            button(language, "letter_in", code=code),
            callback_data=encode("lk", case.slug, channel, code, key),
        )
        for code in languages
        if code != shown
    ]
    # Two to a row: "Письмо на английском" and its like stay readable on a phone.
    rows.extend(others[i : i + 2] for i in range(0, len(others), 2))
    # By another channel: the same letter, its signature and sentence kept.
    rows.append(
        [
            InlineKeyboardButton(
                button(language, f"via_{other}"),
                callback_data=encode("ck", case.slug, other, key),
            )
            for other in case.channels()
            if other is not channel
        ]
    )
    return InlineKeyboardMarkup(rows)


async def _deliver(
    chat: Chat,
    context: BotContext,
    case: UrgentAction,
    appeal: Appeal,
    language: str,
    markup: InlineKeyboardMarkup,
) -> None:
    """Send the appeal in as few messages as its channel needs; the last carries the buttons.

    Email: the fields to copy (and the body, when it fits a message), then the .eml draft.
    Fax: a printable fax per official, each captioned with its number. Post: one printable file
    with every letter and its envelope label. Nothing is ever cut: a long letter is a file.
    """
    renderer = context.services.renderer
    hint = _embassy_hint(context, case, appeal, language)
    if appeal.channel is Channel.EMAIL:
        for number, letter in enumerate(appeal.letters, start=1):
            last = number == len(appeal.letters)
            shown = text(context, language, "letter_email.html", letter=letter, fits=True)
            # The letter in the message only when the whole message fits Telegram's limit (its
            # HTML is never shorter than what Telegram counts); else it is in the file only.
            if len(letter.body) > MAX_LETTER_IN_MESSAGE or len(shown) > MESSAGE_CHARACTERS:
                shown = text(context, language, "letter_email.html", letter=letter, fits=False)
            await chat.send_message(shown)
            await chat.send_document(
                InputFile(email_file(letter), filename=email_file_name(letter)),
                caption=text(context, language, "letter_email_file.html", appeal=appeal)
                + (hint if last else ""),
                reply_markup=markup if last else None,
            )
    elif appeal.channel is Channel.FAX:
        for number, letter in enumerate(appeal.letters, start=1):
            last = number == len(appeal.letters)
            await chat.send_document(
                InputFile(
                    fax_file(letter, renderer, reader=language),
                    filename=fax_file_name(letter),
                ),
                caption=text(
                    context,
                    language,
                    "letter_fax_file.html",
                    letter=letter,
                    last=last,
                    dialled_from=_country(letter.writer_country, language),
                )
                + (hint if last else ""),
                reply_markup=markup if last else None,
            )
    else:
        await chat.send_document(
            InputFile(
                post_file(appeal, renderer, reader=language), filename=post_file_name(appeal)
            ),
            caption=text(context, language, "letter_post_file.html", appeal=appeal) + hint,
            reply_markup=markup,
        )


def _country(code: str | None, language: str) -> str | None:
    return country_name(code, language) if code else None


def _embassy_hint(context: BotContext, case: UrgentAction, appeal: Appeal, language: str) -> str:
    """How to find the embassy to copy, where the case names none for the writer's country:
    a paragraph for the last caption, or nothing."""
    if not appeal.embassy_missing:
        return ""
    hint = text(
        context,
        language,
        "embassy_hint.html",
        case_country=country_name(case.country_code, language),
        writer_country=_country(appeal.writer_country, language),
    )
    return "\n\n" + hint


@guard(Right.PERSON)
async def sent(update: Update, context: BotContext) -> None:
    """ "I've sent it": record the appeal to every official it went to, then the checklist."""
    found = await case_of(update, context)
    query, chat = update.callback_query, update.effective_chat
    if found is None or query is None or chat is None:
        return
    subscriber = await _person(update, context)
    if subscriber is None:
        return
    callback, case = found
    if case.status is CaseStatus.CLOSED:
        await query.answer(text(context, subscriber.language, "case_closed.txt"), show_alert=True)
        return
    services = context.services
    channel = Channel(callback.arg(1))
    before = await services.actions.done(case.slug, subscriber.actor)
    now = services.clock()
    recorded = False
    # The officials the letter under the button went to: the embassy of the country it was
    # written from. A button from before letters named it says no country: no embassy copy
    # is counted that the letter may not have had.
    written_from = callback.arg(2) if callback.verb == "snt" else NO_COUNTRY
    for index, target in case.targets_for(None if written_from == NO_COUNTRY else written_from):
        if target.reaches_by(channel):
            recorded |= await services.actions.record(
                case.slug, subscriber.actor, channel, index, now
            )
    language = subscriber.language
    # The appeal is sent: what was typed for it is no longer needed. A letter begun since for
    # another case stays.
    draft = await _draft(context)
    if draft is not None and draft.slug == case.slug:
        await _keep(context, None)
    await query.answer(text(context, language, "recorded.txt", recorded=recorded))
    done = await services.actions.done(case.slug, subscriber.actor)
    await send(
        chat,
        checklist(
            case,
            done,
            language=language,
            renderer=services.renderer,
            writer_country=subscriber.home_country,
        ),
    )
    if recorded and not before:
        await chat.send_message(
            text(
                context,
                language,
                "thanks.html",
                case=case,
                acted=await services.actions.count_people(case.slug),
                link=deep_link(context.bot.username, case.slug),
            ),
            reply_markup=sharing.ask_friend(context, language, case),
        )


HANDLERS = [
    CallbackQueryHandler(start_appeal, pattern=pattern("ap")),
    CallbackQueryHandler(choose_channel, pattern=pattern("ch")),
    CallbackQueryHandler(choose_signature, pattern=pattern("sg")),
    CallbackQueryHandler(remember_signature, pattern=pattern("rk")),
    CallbackQueryHandler(skip_personal, pattern=pattern("pk")),
    CallbackQueryHandler(letter_language, pattern=pattern("lk")),
    CallbackQueryHandler(letter_channel, pattern=pattern("ck")),
    # Buttons sent before appeals had keys: each says the message is old, offers it afresh.
    CallbackQueryHandler(remember_signature, pattern=pattern("rem")),
    CallbackQueryHandler(skip_personal, pattern=pattern("pl")),
    CallbackQueryHandler(letter_language, pattern=pattern("lt")),
    CallbackQueryHandler(sent, pattern=pattern("snt")),
    CallbackQueryHandler(sent, pattern=pattern("sent")),
]
# Registered after every command handler, so commands are never taken for a signature.
# A forwarded command is text: commands count only when typed (bot/handlers/__init__.py).
TEXT = MessageHandler(
    filters.ChatType.PRIVATE & filters.TEXT & ~(filters.COMMAND & ~filters.FORWARDED), typed
)
