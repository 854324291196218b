"""The network's default reminder plan, an organizer's choice kept in network_settings.

A case without a plan of its own (`[reminders]` in its file, or the organizers' choice for it)
follows this one; changing it plans the pending reminders of every such active case anew.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from bot.db.connection import Database
from bot.db.network_settings import set_network_setting
from bot.db.reminders import NETWORK_REMINDER_PLAN, network_plan, replan
from bot.domain.cases import UrgentAction
from bot.domain.reminders import stored_plan


class ReminderPlanRepository:
    """Reads and sets the network's default reminder plan."""

    def __init__(self, db: Database, default_timezone: str) -> None:
        self._db = db
        self._default_timezone = default_timezone

    async def network_plan(self) -> tuple[timedelta, ...]:
        """The plan of every case without one of its own."""
        async with self._db.read() as conn:
            return await network_plan(conn)

    async def set_network_plan(
        self,
        offsets: tuple[timedelta, ...],
        user_id: int,
        now: datetime,
        following: Iterable[UrgentAction],
    ) -> None:
        """Set the default plan and plan anew the active cases `following` it."""
        async with self._db.transaction() as conn:
            await set_network_setting(
                conn, NETWORK_REMINDER_PLAN, stored_plan(offsets), user_id, now
            )
            for case in following:
                await replan(conn, case, now, self._default_timezone)
