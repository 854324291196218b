"""Reporting queries: the funnel of a case, across alerts, opens and actions."""

from __future__ import annotations

from dataclasses import dataclass

import aiosqlite

from bot.db.connection import Database


@dataclass(frozen=True)
class Funnel:
    """How a case is doing: reached, opened the appeal, acted; by channel and by day."""

    alerted: int
    opened: int
    acted: int
    by_channel: dict[str, int]  # channel -> people who used it
    by_day: dict[str, int]  # ISO date -> people who acted for the first time that day


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
        cursor = await conn.execute(
            "SELECT substr(first, 1, 10) AS day, count(*) FROM"
            " (SELECT min(acted_at) AS first FROM actions WHERE case_slug = ? GROUP BY actor)"
            " GROUP BY day ORDER BY day",
            (case_slug,),
        )
        by_day = {str(r[0]): int(r[1]) for r in await cursor.fetchall()}
    return Funnel(alerted, opened, acted, by_channel, by_day)


async def _one(conn: aiosqlite.Connection, sql: str, *params: object) -> int:
    cursor = await conn.execute(sql, params)
    row = await cursor.fetchone()
    return int(row[0]) if row else 0
