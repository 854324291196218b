"""The network's settings: one value a key (the default allowance, the default reminder plan,
the offer sweep's state), with who set it last and when."""

from __future__ import annotations

from datetime import datetime

from bot.db.connection import Connection
from bot.db.outbox import timestamp


async def network_setting(conn: Connection, key: str) -> str | None:
    """The value kept under `key`, or None when nobody has set it."""
    cursor = await conn.execute("SELECT value FROM network_settings WHERE key = ?", (key,))
    row = await cursor.fetchone()
    return str(row[0]) if row is not None else None


async def set_network_setting(
    conn: Connection, key: str, value: str, user_id: int, now: datetime
) -> None:
    """Keep `value` under `key`, set by `user_id` (0: the bot itself) at `now`."""
    await conn.execute(
        "INSERT INTO network_settings (key, value, updated_by, updated_at)"
        " VALUES (?, ?, ?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value,"
        " updated_by = excluded.updated_by, updated_at = excluded.updated_at",
        (key, value, user_id, timestamp(now)),
    )
