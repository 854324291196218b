"""Reporting queries: the funnel of a case, across alerts, opens and actions, and its days."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from bot.db.connection import Connection, Database


@dataclass(frozen=True)
class Funnel:
    """How a case is doing: reached, opened the appeal, acted; and by channel."""

    alerted: int
    opened: int
    acted: int
    by_channel: dict[str, int]  # channel -> people who used it


@dataclass(frozen=True)
class Day:
    """One day (UTC) of a case: what happened that day, and the subscribers at its end."""

    day: date
    alerted: int  # people and groups the case's alert was queued for
    opened: int  # people who opened the appeal
    acted: int  # people who acted for the first time
    joined: int  # subscribers who first subscribed
    left: int  # subscribers who stopped or blocked the bot (see `timeline`)
    active: int  # subscribers receiving alerts at the end of the day


async def funnel(db: Database, case_slug: str) -> Funnel:
    """The funnel of one case; forgotten people still count, anonymously."""
    async with db.read() as conn:
        alerted = await _one(
            conn, "SELECT count(*) FROM case_alerts WHERE case_slug = ?", case_slug
        )
        opened = await _one(
            conn, "SELECT count(*) FROM appeal_opens WHERE case_slug = ?", case_slug
        )
        acted = await _one(
            conn, "SELECT count(DISTINCT actor) FROM actions WHERE case_slug = ?", case_slug
        )
        cursor = await conn.execute(
            "SELECT channel, count(DISTINCT actor) FROM actions WHERE case_slug = ?"
            " GROUP BY channel ORDER BY channel",
            (case_slug,),
        )
        by_channel = {str(r[0]): int(r[1]) for r in await cursor.fetchall()}
    return Funnel(alerted, opened, acted, by_channel)


async def timeline(db: Database, case_slug: str, now: datetime) -> tuple[Day, ...]:
    """Every day of the case, from its publication to its closing (or today), oldest first.

    Subscribers are the bot's, not the case's: the case's days are the window they are seen in.
    What the table keeps limits what can be told, so the counts are honest about it:
    - no stop date is stored, so a stopped or blocked subscriber is taken to have left on the
      day of their row's last change (`updated_at`): that day or, if they changed a setting
      afterwards, earlier;
    - someone who stopped and came back counts as subscribed from their first subscription;
    - /forget deletes the row, so a forgotten subscriber is in none of these numbers.
    """
    async with db.read() as conn:
        cursor = await conn.execute(
            "SELECT substr(published_at, 1, 10), substr(closed_at, 1, 10) FROM cases"
            " WHERE slug = ?",
            (case_slug,),
        )
        row = await cursor.fetchone()
        if row is None:
            return ()
        published, closed = row[0], row[1]
        alerted = await _per_day(
            conn,
            "SELECT substr(alerted_at, 1, 10) AS day, count(*) FROM case_alerts"
            " WHERE case_slug = ? GROUP BY day",
            case_slug,
        )
        opened = await _per_day(
            conn,
            "SELECT substr(opened_at, 1, 10) AS day, count(*) FROM appeal_opens"
            " WHERE case_slug = ? GROUP BY day",
            case_slug,
        )
        acted = await _per_day(
            conn,
            "SELECT substr(first, 1, 10) AS day, count(*) FROM"
            " (SELECT min(acted_at) AS first FROM actions WHERE case_slug = ? GROUP BY actor)"
            " AS firsts GROUP BY day",
            case_slug,
        )
        joined = await _per_day(
            conn,
            "SELECT substr(subscribed_at, 1, 10) AS day, count(*) FROM subscribers GROUP BY day",
        )
        left = await _per_day(
            conn,
            "SELECT substr(updated_at, 1, 10) AS day, count(*) FROM subscribers"
            " WHERE status != 'active' GROUP BY day",
        )
    events = [*alerted, *opened, *acted]
    starts = [date.fromisoformat(published)] if published else []
    if not starts and not events:
        return ()  # never published: the case has no days yet
    first = min([*starts, *events])
    last = max([date.fromisoformat(closed) if closed else now.date(), *events])
    days = []
    # Subscribers active at the end of a day: all who joined by then, less all who left by then.
    active = sum(n for d, n in joined.items() if d < first) - sum(
        n for d, n in left.items() if d < first
    )
    day = first
    while day <= last:
        active += joined.get(day, 0) - left.get(day, 0)
        days.append(
            Day(
                day=day,
                alerted=alerted.get(day, 0),
                opened=opened.get(day, 0),
                acted=acted.get(day, 0),
                joined=joined.get(day, 0),
                left=left.get(day, 0),
                active=active,
            )
        )
        day += timedelta(days=1)
    return tuple(days)


async def _per_day(conn: Connection, sql: str, *params: object) -> dict[date, int]:
    cursor = await conn.execute(sql, params)
    return {date.fromisoformat(r[0]): int(r[1]) for r in await cursor.fetchall()}


async def _one(conn: Connection, sql: str, *params: object) -> int:
    cursor = await conn.execute(sql, params)
    row = await cursor.fetchone()
    return int(row[0]) if row else 0
