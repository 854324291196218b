"""Reporting queries: the funnel of a case, across alerts, opens and actions, and its days."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from bot.db.connection import Database

# Subscriber ids counted per read: a few tens of milliseconds each, however many there are.
COUNT_CHUNK = 10_000


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


async def funnel(db: Database, case_slug: str, *, chunk: int = COUNT_CHUNK) -> Funnel:
    """The funnel of one case; forgotten people still count, anonymously.

    Each count is its own read over a range of subscriber ids or of actors (`chunk` of them),
    so a tap waits for one short read at most, however many people the case reached.
    """
    highest = await _one(db, "SELECT coalesce(max(id), 0) FROM subscribers")
    alerted = 0
    for low in range(0, highest, chunk):
        alerted += await _one(
            db,
            "SELECT count(*) FROM case_alerts WHERE case_slug = ?"
            " AND subscriber_id > ? AND subscriber_id <= ?",
            case_slug,
            low,
            low + chunk,
        )
    opened = 0
    for after, upto in await _actor_ranges(db, "appeal_opens", case_slug, chunk):
        opened += await _one(
            db,
            "SELECT count(*) FROM appeal_opens WHERE case_slug = ? AND actor > ? AND actor <= ?",
            case_slug,
            after,
            upto,
        )
    acted = 0
    by_channel: dict[str, int] = {}
    # An actor's rows all fall in one range, so distinct counts add up across ranges.
    for after, upto in await _actor_ranges(db, "actions", case_slug, chunk):
        async with db.read() as conn:
            cursor = await conn.execute(
                "SELECT channel, count(DISTINCT actor) FROM actions WHERE case_slug = ?"
                " AND actor > ? AND actor <= ? GROUP BY channel",
                (case_slug, after, upto),
            )
            for row in await cursor.fetchall():
                by_channel[str(row[0])] = by_channel.get(str(row[0]), 0) + int(row[1])
        acted += await _one(
            db,
            "SELECT count(DISTINCT actor) FROM actions WHERE case_slug = ?"
            " AND actor > ? AND actor <= ?",
            case_slug,
            after,
            upto,
        )
    return Funnel(alerted, opened, acted, dict(sorted(by_channel.items())))


async def timeline(
    db: Database, case_slug: str, now: datetime, *, chunk: int = COUNT_CHUNK
) -> tuple[Day, ...]:
    """Every day of the case, from its publication to its closing (or today), oldest first.

    Subscribers are the bot's, not the case's: the case's days are the window they are seen in.
    What the table keeps limits what can be told, so the counts are honest about it:
    - no stop date is stored, so a stopped or blocked subscriber is taken to have left on the
      day of their row's last change (`updated_at`): that day or, if they changed a setting
      afterwards, earlier;
    - someone who stopped and came back counts as subscribed from their first subscription;
    - /forget deletes the row, so a forgotten subscriber is in none of these numbers.
    """
    # Each query is its own read, so a tap waits for one at most, not for all of them.
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
    # The tables as large as the subscribers are counted a range of subscriber ids per read.
    highest = await _one(db, "SELECT coalesce(max(id), 0) FROM subscribers")
    alerted = await _per_day_in_ranges(
        db,
        highest,
        "SELECT substr(alerted_at, 1, 10) AS day, count(*) FROM case_alerts"
        " WHERE case_slug = ? AND subscriber_id > ? AND subscriber_id <= ? GROUP BY day",
        case_slug,
        chunk=chunk,
    )
    # The tables as large as a case's actors are counted a range of actors per read.
    opened = await _per_day_by_actor(
        db,
        await _actor_ranges(db, "appeal_opens", case_slug, chunk),
        "SELECT substr(opened_at, 1, 10) AS day, count(*) FROM appeal_opens"
        " WHERE case_slug = ? AND actor > ? AND actor <= ? GROUP BY day",
        case_slug,
    )
    acted = await _per_day_by_actor(
        db,
        await _actor_ranges(db, "actions", case_slug, chunk),
        "SELECT substr(first, 1, 10) AS day, count(*) FROM"
        " (SELECT min(acted_at) AS first FROM actions WHERE case_slug = ?"
        " AND actor > ? AND actor <= ? GROUP BY actor) AS firsts GROUP BY day",
        case_slug,
    )
    joined = await _per_day_in_ranges(
        db,
        highest,
        "SELECT substr(subscribed_at, 1, 10) AS day, count(*) FROM subscribers"
        " WHERE id > ? AND id <= ? GROUP BY day",
        chunk=chunk,
    )
    left = await _per_day_in_ranges(
        db,
        highest,
        "SELECT substr(updated_at, 1, 10) AS day, count(*) FROM subscribers"
        " WHERE status != 'active' AND id > ? AND id <= ? GROUP BY day",
        chunk=chunk,
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


async def _per_day(db: Database, sql: str, *params: object) -> dict[date, int]:
    async with db.read() as conn:
        cursor = await conn.execute(sql, params)
        return {date.fromisoformat(r[0]): int(r[1]) for r in await cursor.fetchall()}


async def _per_day_in_ranges(
    db: Database, highest: int, sql: str, *params: object, chunk: int = COUNT_CHUNK
) -> dict[date, int]:
    """`sql`'s per-day counts summed over ranges of subscriber ids (its last two parameters)."""
    days: dict[date, int] = {}
    for low in range(0, highest, chunk):
        for day, count in (await _per_day(db, sql, *params, low, low + chunk)).items():
            days[day] = days.get(day, 0) + count
    return days


# The tables counted by actor, each keyed by (case_slug, actor, ...): a literal list, never input.
_BY_ACTOR = {
    "actions": (
        "SELECT actor FROM actions WHERE case_slug = ? AND actor > ? ORDER BY actor"
        " LIMIT 1 OFFSET ?",
        "SELECT max(actor) FROM actions WHERE case_slug = ? AND actor > ?",
    ),
    "appeal_opens": (
        "SELECT actor FROM appeal_opens WHERE case_slug = ? AND actor > ? ORDER BY actor"
        " LIMIT 1 OFFSET ?",
        "SELECT max(actor) FROM appeal_opens WHERE case_slug = ? AND actor > ?",
    ),
}


async def _actor_ranges(
    db: Database, table: str, case_slug: str, chunk: int
) -> list[tuple[str, str]]:
    """The case's actors in `table` cut into ranges (low, high] of about `chunk` rows each,
    walked along its (case_slug, actor) index, one short read per range."""
    boundary, last = _BY_ACTOR[table]
    ranges: list[tuple[str, str]] = []
    low = ""
    while True:
        async with db.read() as conn:
            row = await conn.fetchone(boundary, (case_slug, low, chunk - 1))
            if row is None:
                row = await conn.fetchone(last, (case_slug, low))
                if row is not None and row[0] is not None:
                    ranges.append((low, str(row[0])))
                return ranges
        ranges.append((low, str(row[0])))
        low = str(row[0])


async def _per_day_by_actor(
    db: Database, ranges: list[tuple[str, str]], sql: str, case_slug: str
) -> dict[date, int]:
    """`sql`'s per-day counts summed over ranges of actors (its last two parameters)."""
    days: dict[date, int] = {}
    for low, high in ranges:
        for day, count in (await _per_day(db, sql, case_slug, low, high)).items():
            days[day] = days.get(day, 0) + count
    return days


async def _one(db: Database, sql: str, *params: object) -> int:
    async with db.read() as conn:
        cursor = await conn.execute(sql, params)
        row = await cursor.fetchone()
    return int(row[0]) if row else 0
