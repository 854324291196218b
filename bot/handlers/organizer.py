"""Organizers: roles, the case list, publishing, closing with an outcome, results.

The role is checked at every command and every tap: a forged organizer button from anyone else
gets the ordinary answer and changes nothing.
"""

from __future__ import annotations

import asyncio
import logging
import re

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, InputFile, Update
from telegram.constants import ChatType
from telegram.ext import CallbackQueryHandler, CommandHandler

from bot.catalogue import gaps
from bot.context import BotContext, UrgentActionApp
from bot.db.offers import case_offers
from bot.db.organizers import OrganizerRepository
from bot.db.plans import PlanRepository
from bot.db.reminder_costs import reminder_costs
from bot.db.results import Funnel, funnel, timeline
from bot.db.shares import ShareRepository
from bot.domain.cases import OUTCOMES, CaseStatus, UrgentAction
from bot.domain.publishing import why_it_reaches_nobody
from bot.handlers import allowance, menus
from bot.handlers.common import decoded_tap, edit_text, language_of, send, text
from bot.handlers.replies import reply_buttons, reply_lines
from bot.handlers.rights import Right, guard, is_organizer
from bot.importer.report import gap_notes
from bot.operations.closing import CloseRefusedError, close_case
from bot.operations.publishing import PublishRefusedError, foresee, publish_case
from bot.operations.results import results_csv as case_results_csv
from bot.views import Screen
from bot.views.callbacks import encode, pattern
from bot.views.cards import case_card
from bot.views.charts import ResultsChartLabels, ResultsSeries, draw_results

log = logging.getLogger(__name__)
# The results message lists at most this many days of each kind; the CSV and chart have all.
SHOWN_DAYS = 14


@guard(Right.ANYONE)
async def cases(update: Update, context: BotContext) -> None:
    """The case list: status and counts, with what an organizer can do next."""
    await _case_list(update, context)


@guard(Right.ORGANIZER)
async def results_command(update: Update, context: BotContext) -> None:
    """/results: the organizers' case list, where each case has its 📊 Results button."""
    await _case_list(update, context)


async def _case_list(update: Update, context: BotContext) -> None:
    message = update.effective_message
    if message is None:
        return
    services = context.services
    language = await language_of(update, context)
    # The organizer's view (drafts, and buttons to act on them) only in their private chat.
    chat = update.effective_chat
    organizer = (
        chat is not None and chat.type == ChatType.PRIVATE and await is_organizer(update, context)
    )
    every = await services.cases.all()
    shown = every if organizer else [c for c in every if c.status is CaseStatus.ACTIVE]
    if not shown:
        await message.reply_text(text(context, language, "cases_none.html"))
        return
    rows: list[list[InlineKeyboardButton]] = []
    lines = []
    button = services.renderer.button
    for case in shown:
        names = case.names_in(language)

        def named(label: str, names: str = names) -> str:
            # Each button names its case: rows of identical buttons invite the wrong tap.
            return button(language, "for_case", label=label, case=names)

        # Anyone may ask for the list, and sees only how many acted (as on the card): the
        # whole funnel, a count over every subscriber, is for organizers.
        numbers = (
            await funnel(services.db, case.slug)
            if organizer
            else Funnel(
                alerted=0,
                opened=0,
                acted=await services.actions.count_people(case.slug),
                by_channel={},
            )
        )
        lines.append((case, numbers))
        if not organizer:
            rows.append(
                [
                    InlineKeyboardButton(
                        case.text(language).title, callback_data=encode("c", case.slug)
                    )
                ]
            )
            continue
        actions = []
        if case.status is CaseStatus.DRAFT:
            actions.append(
                InlineKeyboardButton(
                    named(button(language, "org_publish")), callback_data=encode("op", case.slug)
                )
            )
        if case.status is CaseStatus.ACTIVE:
            actions.append(
                InlineKeyboardButton(
                    named(button(language, "org_close")),
                    callback_data=encode("ocl", case.slug, "choose", "ask"),
                )
            )
        if case.status is not CaseStatus.CLOSED:
            actions.append(
                InlineKeyboardButton(
                    named(button(language, "org_edit")), callback_data=encode("oed", case.slug)
                )
            )
        actions.append(
            InlineKeyboardButton(
                named(button(language, "org_results")), callback_data=encode("ors", case.slug)
            )
        )
        rows.append(actions)
    body = text(context, language, "cases.html", lines=lines, organizer=organizer)
    await message.reply_text(body, reply_markup=InlineKeyboardMarkup(rows))


@guard(Right.ORGANIZER)
async def preview(update: Update, context: BotContext) -> None:
    """Show the case exactly as subscribers will see it, and how many it will reach."""
    case = await tapped_case(update, context)
    query, chat = update.callback_query, update.effective_chat
    if case is None or query is None or chat is None:
        return
    services = context.services
    language = await language_of(update, context)
    if missing := gaps(case):
        await query.answer(
            text(context, language, "case_incomplete.txt", gaps=gap_notes(missing)),
            show_alert=True,
        )
        return
    await query.answer()
    card = case_card(
        case,
        language=language,
        renderer=services.renderer,
        now=services.clock(),
        acted=0,
        bot_username=context.bot.username,
    )
    await send(chat, card)
    confirm = InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    services.renderer.button(language, "org_confirm_publish"),
                    callback_data=encode("opc", case.slug),
                )
            ]
        ]
    )
    await send(chat, Screen(await reach_preview(context, language, case), confirm))


async def reach_preview(context: BotContext, language: str, case: UrgentAction) -> str:
    """Whom publishing `case` now would reach, within their allowances (the others at their
    next slot), as the organizers' preview says it: the count the offer sweep would make."""
    foreseen = await foresee(context.services, case)
    return text(
        context,
        language,
        "org_preview.html",
        case=case,
        people=foreseen.now.people,
        groups=foreseen.now.groups,
        estimate=not foreseen.now.exact,
        nobody=why_it_reaches_nobody(case, context.services.clock()),
        rest=foreseen.rest,
    )


@guard(Right.ORGANIZER)
async def publish(update: Update, context: BotContext) -> None:
    """Publish: the case becomes active and its alert is queued for every matching subscriber."""
    case = await tapped_case(update, context)
    query, user = update.callback_query, update.effective_user
    if case is None or query is None or user is None:
        return
    language = await language_of(update, context)
    # An old "Publish now" under a preview, tapped once the case is out. (A follow-up sheet
    # published from the importer keeps its case's status and comes here too: it is offered.)
    if case.status is CaseStatus.ACTIVE and (query.data or "").startswith("opc:"):
        await query.answer(text(context, language, "already_published.txt"), show_alert=True)
        return
    try:
        published = await publish_case(context.services, user.id, case, context.bot.username)
    except PublishRefusedError as refused:
        if refused.reason == "closed":
            answer = text(context, language, "case_closed.txt")
        else:
            answer = text(context, language, "case_incomplete.txt", gaps=refused.gap_notes)
        await query.answer(answer, show_alert=True)
        return
    await query.answer()
    await edit_text(
        query,
        text(
            context,
            language,
            "org_published.html",
            case=case,
            count=published.alerts,
            at_morning=published.at_morning,
            nobody=published.nobody,
        ),
    )


async def finish_publishing(app: UrgentActionApp) -> None:
    """At start: queue the offers that fell due while the bot was down, or that a crash
    interrupted while publishing."""
    services = app.bot_data.services
    assert services is not None
    report = await allowance.offer_now(services, app.bot.username)
    for slug, count in report.by_case.items():
        log.warning("case %s: %d offers were due; queued now", slug, count)


@guard(Right.ORGANIZER)
async def close(update: Update, context: BotContext) -> None:
    """Close a case: choose the outcome, then whether to tell everyone it reached."""
    case = await tapped_case(update, context)
    query, user = update.callback_query, update.effective_user
    callback = await decoded_tap(update, context) if case is not None else None
    if case is None or query is None or user is None or callback is None:
        return
    services = context.services
    language = await language_of(update, context)
    button = services.renderer.button
    outcome, mode = callback.arg(1), callback.arg(2)
    if case.status is CaseStatus.CLOSED:
        await query.answer(text(context, language, "case_closed.txt"), show_alert=True)
        return
    await query.answer()
    chat = update.effective_chat
    if outcome == "choose" and chat is not None:
        rows = [
            [
                InlineKeyboardButton(
                    button(language, f"outcome_{o}", agreement=case.agreement),
                    callback_data=encode("ocl", case.slug, o, "ask"),
                )
            ]
            for o in OUTCOMES
        ]
        await send(
            chat,
            Screen(
                text(context, language, "org_close_choose.html", case=case),
                InlineKeyboardMarkup(rows),
            ),
        )
        return
    if mode == "ask":
        rows = [
            [
                InlineKeyboardButton(
                    button(language, "org_close_notify"),
                    callback_data=encode("ocl", case.slug, outcome, "notify"),
                )
            ],
            [
                InlineKeyboardButton(
                    button(language, "org_close_quiet"),
                    callback_data=encode("ocl", case.slug, outcome, "quiet"),
                )
            ],
        ]
        await edit_text(
            query,
            text(
                context,
                language,
                "org_close_ask.html",
                case=case,
                outcome=button(language, f"outcome_{outcome}", agreement=case.agreement),
            ),
            reply_markup=InlineKeyboardMarkup(rows),
        )
        return
    try:
        done = await close_case(services, user.id, case, outcome, notify=mode == "notify")
    except CloseRefusedError:
        log.info("close of %s refused: outcome %r", case.slug, outcome)
        return
    await edit_text(
        query,
        text(
            context,
            language,
            "org_closed.html",
            case=case,
            outcome=button(language, f"outcome_{outcome}", agreement=case.agreement),
            told=done.told,
        ),
    )


@guard(Right.ORGANIZER)
async def results(update: Update, context: BotContext) -> None:
    """The case's funnel (reached, opened, acted; by channel and by day) and its subscribers."""
    case = await tapped_case(update, context)
    query, chat = update.callback_query, update.effective_chat
    if case is None or query is None or chat is None:
        return
    services = context.services
    language = await language_of(update, context)
    if missing := gaps(case):
        await query.answer(
            text(context, language, "case_incomplete.txt", gaps=gap_notes(missing)),
            show_alert=True,
        )
        return
    await query.answer()
    numbers = await funnel(services.db, case.slug)
    days = await timeline(services.db, case.slug, services.clock())
    funnel_days = [d for d in days if d.alerted or d.opened or d.acted]
    subscriber_days = [d for d in days if d.joined or d.left]
    button = services.renderer.button
    row = [
        InlineKeyboardButton(button(language, "org_csv"), callback_data=encode("ocsv", case.slug))
    ]
    if days:
        row.append(
            InlineKeyboardButton(
                button(language, "org_chart"), callback_data=encode("ochart", case.slug)
            )
        )
    row.append(
        InlineKeyboardButton(
            button(language, "org_reminder_plan"), callback_data=encode("orp", case.slug)
        )
    )
    await send(
        chat,
        Screen(
            text(
                context,
                language,
                "org_results.html",
                case=case,
                texts=case.text(language),
                funnel=numbers,
                offers=await case_offers(services.db, case.slug),
                plans=await PlanRepository(services.db).counts(case.slug),
                shares=await ShareRepository(services.db).counts(case.slug),
                costs=await reminder_costs(services.db, case.slug),
                replies=await reply_lines(services, case, language),
                urgent=case.urgent,
                funnel_days=funnel_days[-SHOWN_DAYS:],
                subscriber_days=subscriber_days[-SHOWN_DAYS:],
                last_day=days[-1] if days else None,
                earlier=max(len(funnel_days), len(subscriber_days)) > SHOWN_DAYS,
            ),
            InlineKeyboardMarkup([row, *await reply_buttons(services, case, language)]),
        ),
    )


@guard(Right.ORGANIZER)
async def results_csv(update: Update, context: BotContext) -> None:
    """The case's funnel and its subscribers day by day, as one CSV file for a spreadsheet."""
    case = await tapped_case(update, context)
    query, chat = update.callback_query, update.effective_chat
    if case is None or query is None or chat is None:
        return
    await query.answer()
    data = await case_results_csv(context.services, case)
    await chat.send_document(InputFile(data, filename=f"results-{case.slug}.csv"))


@guard(Right.ORGANIZER)
async def results_chart(update: Update, context: BotContext) -> None:
    """The case's days as a picture: running totals of the funnel, and active subscribers."""
    case = await tapped_case(update, context)
    query, chat = update.callback_query, update.effective_chat
    if case is None or query is None or chat is None:
        return
    services = context.services
    language = await language_of(update, context)
    days = await timeline(services.db, case.slug, services.clock())
    if not days:
        await query.answer(text(context, language, "org_results_no_days.txt"), show_alert=True)
        return
    await query.answer()
    renderer = services.renderer
    series = ResultsSeries(
        days=[renderer.short_date(d.day, language) for d in days],
        alerted=[d.alerted for d in days],
        opened=[d.opened for d in days],
        acted=[d.acted for d in days],
        active=[d.active for d in days],
    )
    labels = ResultsChartLabels(**renderer.labels(language, "charts.txt"))
    # Drawing takes a noticeable fraction of a second: in a thread, the bot keeps answering.
    png = await asyncio.to_thread(draw_results, series, labels)
    await chat.send_photo(
        InputFile(png, filename=f"results-{case.slug}.png"),
        caption=text(context, language, "org_results_chart.html", texts=case.text(language)),
    )


# A Telegram user id: ASCII digits only (str.isdigit() takes "²", which int() refuses).
_USER_ID = re.compile(r"[0-9]{1,15}")


@guard(Right.ORGANIZER)
async def organizers(update: Update, context: BotContext) -> None:
    """List organizers; /organizers add ID or /organizers remove ID changes the list (audited)."""
    message, user = update.effective_message, update.effective_user
    if message is None or user is None:
        return
    services = context.services
    language = await language_of(update, context)
    repository = OrganizerRepository(services.db)
    args = context.args or []
    if len(args) == 2 and args[0] in ("add", "remove") and _USER_ID.fullmatch(args[1]):
        target = int(args[1])
        now = services.clock()
        if args[0] == "add":
            changed = await repository.add(target, user.id, now)
            added = await services.subscribers.get(target)
            if changed and added is not None:
                await menus.show_organizer_menu(
                    context.bot,
                    services.renderer,
                    target,
                    console_url=services.settings.console_url,
                    language=added.language,
                )
        elif target in services.settings.organizers:
            await message.reply_text(text(context, language, "org_fixed.html", user_id=target))
            return
        else:
            changed = await repository.remove(target, user.id, now)
            if changed:
                await menus.hide_organizer_menu(context.bot, services.renderer, target)
        await message.reply_text(
            text(
                context,
                language,
                "org_changed.html",
                action=args[0],
                user_id=target,
                changed=changed,
            )
        )
        return
    if args:
        await message.reply_text(text(context, language, "org_usage.html"))
        return
    await message.reply_text(
        text(
            context,
            language,
            "org_list.html",
            fixed=sorted(services.settings.organizers),
            added=await repository.added(),
        )
    )


async def tapped_case(update: Update, context: BotContext) -> UrgentAction | None:
    """The case a tapped organizer button names; a polite answer when there is none."""
    callback = await decoded_tap(update, context)
    if callback is None:
        return None
    case = await context.services.cases.get(callback.arg(0))
    if case is None and update.callback_query is not None:
        language = await language_of(update, context)
        await update.callback_query.answer(
            text(context, language, "button_invalid.txt"), show_alert=True
        )
    return case


HANDLERS = [
    CommandHandler("cases", cases),
    CommandHandler("results", results_command),
    CommandHandler("organizers", organizers),
    CallbackQueryHandler(preview, pattern=pattern("op")),
    CallbackQueryHandler(publish, pattern=pattern("opc")),
    CallbackQueryHandler(close, pattern=pattern("ocl")),
    CallbackQueryHandler(results, pattern=pattern("ors")),
    CallbackQueryHandler(results_csv, pattern=pattern("ocsv")),
    CallbackQueryHandler(results_chart, pattern=pattern("ochart")),
]
