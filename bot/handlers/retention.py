"""What the bot keeps no longer than it needs: messages sent or given up leave the outbox
`outbox_keep` after they were queued, once a day (and a little after each start).

Results are counted from their own tables (alerts, actions, reminders), never from the
outbox, and a broadcast still under way keeps its rows until it ends (its status counts them).
"""

from __future__ import annotations

import logging
from datetime import timedelta

from bot.context import BotContext, UrgentActionApp
from bot.db.outbox import OutboxRepository

log = logging.getLogger(__name__)

JOB_NAME = "outbox-purge"
PURGE_EVERY = timedelta(days=1)
# After a start, the purge waits for the bot's own start-up work (seeding, resumed sweeps).
FIRST_PURGE = timedelta(minutes=5)


async def purge(context: BotContext) -> None:
    """The job: delete the outbox's finished rows older than `outbox_keep`."""
    services = context.services
    before = services.clock() - services.settings.outbox_keep
    purged = await OutboxRepository(services.db).purge(before)
    if purged:
        log.info("purged %d finished outbox rows queued before %s", purged, before.date())


def schedule_purges(app: UrgentActionApp) -> None:
    """Purge a few minutes after the start, then every day."""
    assert app.job_queue is not None
    app.job_queue.run_repeating(
        purge,
        interval=PURGE_EVERY.total_seconds(),
        first=FIRST_PURGE.total_seconds(),
        name=JOB_NAME,
    )
