"""The subscribers table."""

from __future__ import annotations

import json
import secrets
from collections.abc import Sequence
from datetime import datetime

from bot.db.connection import Connection, Database, Row
from bot.domain.subscribers import ChatType, Subscriber, SubscriberStatus

# Set with every change of a subscriber's own choice (or their return): the offer sweep looks at
# them again at its next run (bot.db.offers), keeping the generation they were last looked at.
LOOK_AGAIN = "offers_seen = -abs(offers_seen)"

# A forgotten person's appeal times keep their day only (the results count by day).
_MIDNIGHT = "T00:00:00+00:00"

_SELECT = (
    "SELECT id, chat_id, chat_type, actor, language, countries, timezone, signature, status,"
    " subscribed_at, updated_at, home_country FROM subscribers"
)


def _subscriber(row: Row) -> Subscriber:
    countries = json.loads(row["countries"]) if row["countries"] is not None else None
    return Subscriber(
        id=row["id"],
        chat_id=row["chat_id"],
        chat_type=ChatType(row["chat_type"]),
        actor=row["actor"],
        language=row["language"],
        countries=tuple(countries) if countries is not None else None,
        timezone=row["timezone"],
        signature=row["signature"],
        status=SubscriberStatus(row["status"]),
        subscribed_at=datetime.fromisoformat(row["subscribed_at"]),
        updated_at=datetime.fromisoformat(row["updated_at"]),
        home_country=row["home_country"],
    )


async def fetch_by_chat(conn: Connection, chat_id: int) -> Subscriber | None:
    """The subscriber for `chat_id` on an open connection, or None."""
    cursor = await conn.execute(_SELECT + " WHERE chat_id = ?", (chat_id,))
    row = await cursor.fetchone()
    return _subscriber(row) if row is not None else None


class SubscriberRepository:
    """Reads and writes subscribers."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def get(self, chat_id: int) -> Subscriber | None:
        """The subscriber for `chat_id`, whatever its status, or None."""
        async with self._db.read() as conn:
            return await fetch_by_chat(conn, chat_id)

    async def subscribe(
        self, chat_id: int, chat_type: ChatType, language: str, now: datetime
    ) -> tuple[Subscriber, bool]:
        """Subscribe `chat_id`, keeping any history; return it and whether it was not active."""
        async with self._db.transaction() as conn:
            existing = await fetch_by_chat(conn, chat_id)
            if existing is None:
                # Another process may subscribe the chat at the same moment (the same /start
                # posted to two): its row wins, and this one is the same subscription.
                await conn.execute(
                    "INSERT INTO subscribers (chat_id, chat_type, actor, language, status,"
                    " subscribed_at, updated_at) VALUES (?, ?, ?, ?, 'active', ?, ?)"
                    " ON CONFLICT (chat_id) DO NOTHING",
                    (
                        chat_id,
                        chat_type,
                        secrets.token_hex(16),
                        language,
                        now.isoformat(),
                        now.isoformat(),
                    ),
                )
            elif existing.status is not SubscriberStatus.ACTIVE:
                await conn.execute(
                    f"UPDATE subscribers SET status = 'active', updated_at = ?, {LOOK_AGAIN}"  # noqa: S608
                    " WHERE chat_id = ?",
                    (now.isoformat(), chat_id),
                )
            subscriber = await fetch_by_chat(conn, chat_id)
        assert subscriber is not None
        return subscriber, existing is None or not existing.is_active

    async def set_status(self, chat_id: int, status: SubscriberStatus, now: datetime) -> bool:
        """Set the status of `chat_id`; return whether such a subscriber exists."""
        async with self._db.transaction() as conn:
            cursor = await conn.execute(
                f"UPDATE subscribers SET status = ?, updated_at = ?, {LOOK_AGAIN}"  # noqa: S608
                " WHERE chat_id = ?",
                (status, now.isoformat(), chat_id),
            )
            return cursor.rowcount > 0

    async def set_language(self, chat_id: int, language: str, now: datetime) -> None:
        """Remember the language the subscriber chose."""
        await self._update(chat_id, "language", language, now)

    async def set_countries(
        self, chat_id: int, countries: Sequence[str] | None, now: datetime
    ) -> None:
        """Remember which countries' cases the subscriber wants (None: every case)."""
        value = json.dumps(sorted(set(countries))) if countries is not None else None
        await self._update(chat_id, "countries", value, now)

    async def set_timezone(self, chat_id: int, timezone: str | None, now: datetime) -> None:
        """Remember the subscriber's timezone (None: the bot's default)."""
        await self._update(chat_id, "timezone", timezone, now)

    async def set_home_country(self, chat_id: int, country: str | None, now: datetime) -> None:
        """Remember where the person lives (ISO 3166 alpha-2), or forget it (None)."""
        await self._update(chat_id, "home_country", country, now)

    async def set_signature(self, chat_id: int, signature: str | None, now: datetime) -> None:
        """Remember the signature the person asked to keep, or forget it (None)."""
        await self._update(chat_id, "signature", signature, now)

    async def migrate_chat(self, old_chat_id: int, new_chat_id: int, now: datetime) -> bool:
        """Move a group's subscription to its new supergroup id; return whether one moved."""
        async with self._db.transaction() as conn:
            cursor = await conn.execute(
                "UPDATE subscribers SET chat_id = ?, chat_type = 'supergroup', updated_at = ?"
                " WHERE chat_id = ? AND NOT EXISTS (SELECT 1 FROM subscribers WHERE chat_id = ?)",
                (new_chat_id, now.isoformat(), old_chat_id, new_chat_id),
            )
            return cursor.rowcount > 0

    async def forget(self, chat_id: int) -> bool:
        """Delete the subscriber and what is linked to it; anonymous action counts remain.

        The person's appeals (opened, sent) stay as counts, but nothing links two of them to
        one person any more: each case's rows get a fresh random key of their own, and their
        times are cut to the day. Counts per case are unchanged (one key per case stands for
        the one person there)."""
        async with self._db.transaction() as conn:
            row = await conn.fetchone(
                "SELECT actor FROM subscribers WHERE chat_id = ?", (chat_id,)
            )
            if row is None:
                return False
            actor = str(row["actor"])
            cases = {
                str(r[0])
                for table in ("actions", "appeal_opens")
                for r in await conn.fetchall(
                    f"SELECT DISTINCT case_slug FROM {table} WHERE actor = ?",  # noqa: S608
                    (actor,),
                )
            }
            for case_slug in sorted(cases):
                key = secrets.token_hex(16)
                await conn.execute(
                    "UPDATE actions SET actor = ?, acted_at = substr(acted_at, 1, 10) || ?"
                    " WHERE actor = ? AND case_slug = ?",
                    (key, _MIDNIGHT, actor, case_slug),
                )
                await conn.execute(
                    "UPDATE appeal_opens SET actor = ?, opened_at = substr(opened_at, 1, 10) || ?"
                    " WHERE actor = ? AND case_slug = ?",
                    (key, _MIDNIGHT, actor, case_slug),
                )
            cursor = await conn.execute("DELETE FROM subscribers WHERE chat_id = ?", (chat_id,))
            return cursor.rowcount > 0

    async def count_active(self) -> int:
        """How many subscribers receive alerts."""
        async with self._db.read() as conn:
            cursor = await conn.execute("SELECT count(*) FROM subscribers WHERE status = 'active'")
            row = await cursor.fetchone()
        return int(row[0]) if row else 0

    async def _update(self, chat_id: int, column: str, value: object, now: datetime) -> None:
        # `column` is one of this class's own literals, never input.
        async with self._db.transaction() as conn:
            await conn.execute(
                f"UPDATE subscribers SET {column} = ?, updated_at = ?,"  # noqa: S608
                f" {LOOK_AGAIN} WHERE chat_id = ?",
                (value, now.isoformat(), chat_id),
            )
