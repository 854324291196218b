"""One module per feature, each exporting its handlers; wired here in one commented order."""

from __future__ import annotations

from telegram.ext import CommandHandler, filters

from bot.context import UrgentActionApp
from bot.handlers import (
    acted,
    allowance,
    appeal,
    broadcast,
    cases,
    console,
    editing,
    errors,
    help,
    importing,
    membership,
    network,
    organizer,
    plans,
    preferences,
    privacy,
    reminder_plans,
    reminders,
    repeats,
    replies,
    sharing,
    subscription,
)


def register_handlers(app: UrgentActionApp) -> None:
    """Register every handler, in the order that decides who answers an update."""
    # Telegram's own notices first: a block or a migration must never be taken for input.
    app.add_handlers(membership.HANDLERS)
    # Commands and the buttons of each feature; each callback verb has exactly one owner.
    app.add_handlers(subscription.HANDLERS)
    app.add_handlers(help.HANDLERS)
    app.add_handlers(cases.HANDLERS)
    app.add_handlers(acted.HANDLERS)
    app.add_handlers(appeal.HANDLERS)
    app.add_handlers(preferences.HANDLERS)
    app.add_handlers(allowance.HANDLERS)
    app.add_handlers(privacy.HANDLERS)
    app.add_handlers(reminders.HANDLERS)
    app.add_handlers(plans.HANDLERS)
    # Inline queries: "Ask a friend" and anyone typing @bot in a chat.
    app.add_handlers(sharing.HANDLERS)
    app.add_handlers(replies.HANDLERS)
    # Organizers' commands and buttons check the role themselves, at every use.
    app.add_handlers(organizer.HANDLERS)
    app.add_handlers(reminder_plans.HANDLERS)
    app.add_handlers(network.HANDLERS)
    app.add_handlers(editing.HANDLERS)
    app.add_handlers(broadcast.HANDLERS)
    app.add_handlers(importing.HANDLERS)
    app.add_handlers(console.HANDLERS)
    # An organizer's pasted sheet, in a group of its own ahead of all: taken, it goes no
    # further (no other handler sees it); anything else it lets through to the handlers below.
    app.add_handler(importing.TEXT, group=-1)
    # Ahead even of that: while the time-zone screen waits for a typed place, the person's text
    # is the zone; a command or a tap ends the wait and goes on to its own handler.
    app.add_handler(preferences.ZONE_TYPING, group=-2)
    # Ahead of that: while a "Yes, they replied" waits for the reply, the person's next photo
    # or file is it (an organizer's PDF too, not a sheet to import); a command ends the wait.
    app.add_handler(replies.UPLOAD, group=-3)
    # First of all: an update that arrives again (a webhook's retry, two processes) goes no
    # further than this.
    app.add_handler(repeats.REPEATS, group=-4)
    # Text typed in a private chat: what an appeal in progress waits for (a signature, a
    # sentence); after the commands, so a command is never taken for a signature.
    app.add_handler(appeal.TEXT)
    # A command in a private chat that no handler above took gets a pointer to /help.
    app.add_handler(help.UNKNOWN)
    # Last: buttons nobody claimed (old, malformed or forged), then the error handler.
    app.add_handler(errors.FALLBACK)
    app.add_error_handler(errors.on_error)
    typed_commands_only(app)


# A command counts only when the person typed it: a forwarded message (or a channel's post
# forwarded into its group) keeps its entities, and its command would otherwise run with the
# rights of whoever forwarded it. Forwarded, it is text (a broadcast's, say).
TYPED = ~filters.FORWARDED & ~filters.IS_AUTOMATIC_FORWARD


def typed_commands_only(app: UrgentActionApp) -> None:
    """Make every command handler take typed commands only."""
    for handlers in app.handlers.values():
        for handler in handlers:
            if isinstance(handler, CommandHandler):
                handler.filters = handler.filters & TYPED
