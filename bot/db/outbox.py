"""The outbox: messages to many chats, one row per recipient, and their payloads.

Callers queue rows with `enqueue` on the connection of their own transaction, so the decision to
send and the rows commit together. The delivery engine is the only reader: it claims due rows,
and records what became of each through `OutboxRepository`.
"""

from __future__ import annotations

import json
import logging
import secrets
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from bot.db.connection import Connection, Database
from bot.db.dialect import Dialect
from bot.delivery.limits import ChatLimits
from bot.delivery.messages import (
    DEFAULT_PRIORITY,
    Delivery,
    Kind,
    OutboundMessage,
    Payload,
    Progress,
    Recipient,
    Result,
    Status,
    Verdict,
)

log = logging.getLogger(__name__)
CHAT_LIMITS = ChatLimits()

_CLAIMABLE = (
    "SELECT o.id, o.payload_id, o.chat_id, o.subscriber_id, o.kind, o.broadcast_id, o.priority,"
    " o.attempts, o.migrated, o.params, s.status AS subscriber_status"
    " FROM outbox AS o LEFT JOIN subscribers AS s ON s.id = o.subscriber_id"
    " WHERE o.status = 'pending' AND o.not_before <= ?"
    " ORDER BY o.priority, o.not_before, o.id LIMIT ?"
)


# On PostgreSQL several processes may claim at once. Each locks the rows it takes and passes
# over those another has locked, so no row goes to two of them. A chat that a process is sending
# to (a row in flight), or that was sent to within the last second, waits for a later claim, as
# does a group sent 20 messages in the last minute: a chat's limits hold across processes.
_CLAIMABLE_SHARED = (
    "SELECT o.id, o.payload_id, o.chat_id, o.subscriber_id, o.kind, o.broadcast_id, o.priority,"
    " o.attempts, o.migrated, o.params, s.status AS subscriber_status"
    " FROM outbox AS o LEFT JOIN subscribers AS s ON s.id = o.subscriber_id"
    " WHERE o.status = 'pending' AND o.not_before <= ?"
    " AND NOT EXISTS (SELECT 1 FROM outbox AS x WHERE x.chat_id = o.chat_id"
    "   AND (x.status = 'sending' OR (x.status = 'sent' AND x.sent_at > ?)))"
    " AND (o.chat_id > 0 OR (SELECT count(*) FROM outbox AS g WHERE g.chat_id = o.chat_id"
    "   AND g.status = 'sent' AND g.sent_at > ?) < ?)"
    " ORDER BY o.priority, o.not_before, o.id LIMIT ? FOR UPDATE OF o SKIP LOCKED"
)


def claimable(dialect: Dialect) -> str:
    """The claim's query for this database (see `claim_parameters`)."""
    return _CLAIMABLE_SHARED if dialect is Dialect.POSTGRESQL else _CLAIMABLE


def claim_parameters(
    dialect: Dialect, now: datetime, limit: int, chats: ChatLimits = CHAT_LIMITS
) -> tuple[object, ...]:
    """The parameters of `claimable(dialect)` for a claim of `limit` rows at `now`."""
    if dialect is Dialect.POSTGRESQL:
        return (
            timestamp(now),
            timestamp(now - timedelta(seconds=chats.private_interval)),
            timestamp(now - timedelta(seconds=chats.group_window)),
            chats.group_messages,
            limit,
        )
    return (timestamp(now), limit)


def timestamp(moment: datetime) -> str:
    """A moment as the outbox stores it: UTC, always with microseconds, so text order is time."""
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def dump_params(params: Mapping[str, Any]) -> str:
    """Parameters as compact JSON; Telegram objects (a keyboard, say) become their dicts."""
    return json.dumps(params, ensure_ascii=False, separators=(",", ":"), default=_jsonable)


def _jsonable(value: object) -> Any:
    to_dict = getattr(value, "to_dict", None)
    if callable(to_dict):
        return to_dict()
    raise TypeError(f"{type(value).__name__} cannot be sent as a Bot API parameter")


async def add_payload(conn: Connection, message: OutboundMessage, now: datetime) -> int:
    """Store a message once, for any number of recipients; return its id."""
    if "chat_id" in message.params:
        raise ValueError("a payload is shared by its recipients: give chat_id per recipient")
    cursor = await conn.execute(
        "INSERT INTO outbox_payloads (method, params, created_at) VALUES (?, ?, ?)",
        (message.method, dump_params(message.params), timestamp(now)),
    )
    assert cursor.lastrowid is not None
    return cursor.lastrowid


async def enqueue(
    conn: Connection,
    message: OutboundMessage | int,
    recipients: Iterable[Recipient],
    *,
    kind: Kind,
    now: datetime,
    broadcast_id: int | None = None,
    priority: int | None = None,
    not_before: datetime | None = None,
) -> int:
    """Queue `message` (or a stored payload's id) for each recipient; return how many rows.

    Run it inside the caller's transaction: the rows land with the caller's decision or not at
    all. Call the engine's `wake()` after the commit.
    """
    payload_id = message if isinstance(message, int) else await add_payload(conn, message, now)
    rank = int(priority if priority is not None else DEFAULT_PRIORITY[Kind(kind)])
    created = timestamp(now)
    due = timestamp(not_before) if not_before is not None else created
    rows = [
        (
            payload_id,
            recipient.chat_id,
            recipient.subscriber_id,
            dump_params(recipient.params) if recipient.params else None,
            str(kind),
            broadcast_id,
            rank,
            due,
            created,
        )
        for recipient in recipients
    ]
    await conn.executemany(
        "INSERT INTO outbox (payload_id, chat_id, subscriber_id, params, kind, broadcast_id,"
        " priority, not_before, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        rows,
    )
    return len(rows)


async def cancel_broadcast(conn: Connection, broadcast_id: int) -> int:
    """Cancel the broadcast's rows not yet sent; return how many.

    Rows the engine has taken are cancelled too, so that a crash cannot send them after a
    restart. One that was already posted is recorded as sent when its answer comes; a later
    "try again" never revives a cancelled row (`record`).
    """
    cursor = await conn.execute(
        "UPDATE outbox SET status = 'cancelled', last_error = 'cancelled'"
        " WHERE broadcast_id = ? AND status IN ('pending', 'sending')",
        (broadcast_id,),
    )
    return cursor.rowcount


# How long a claimed row stays its engine's: far longer than a send and its recording take
# (seconds at most), short enough that a dead process's rows go out again soon.
LEASE = timedelta(minutes=2)


# PostgreSQL: the shortest wait before claiming again after a claim that found nothing.
IDLE_RECLAIM = 0.1


def wall_clock() -> datetime:
    """The real time, for leases between processes (the bot's own clock may be moved)."""
    return datetime.now(UTC)


class OutboxRepository:
    """The engine's side of the outbox: claim, record, recover, and the operator's views.

    On SQLite one process owns the database, so at start every row left in flight is its own
    and goes back to pending. On PostgreSQL several processes may drain one outbox: each claim
    locks its rows (`claimable`) and leases them for `lease`; rows whose lease ran out (their
    process died) go back to pending when any process next claims, in a transaction that
    locks them, so one process resends them and no other.
    """

    def __init__(
        self,
        db: Database,
        *,
        rate: float | None = None,
        chats: ChatLimits = CHAT_LIMITS,
        lease: timedelta = LEASE,
        wall: Callable[[], datetime] = wall_clock,
    ) -> None:
        self._db = db
        # The bot's messages a second, shared by its processes on PostgreSQL (None: no limit
        # here; SQLite's one process keeps it in memory, bot.delivery.limits).
        self._rate = rate
        self._chats = chats
        self._lease = lease
        self._wall = wall
        # After a claim the shared rate held back: seconds until it allows a batch.
        self.capacity_wait = 0.0
        # This process's name on the rows it holds (PostgreSQL's other processes see it).
        self.process = secrets.token_hex(8)

    async def recover(self) -> int:
        """Return rows a stopped or crashed engine left in flight to pending; return how many."""
        async with self._db.transaction() as conn:
            if conn.dialect is Dialect.POSTGRESQL:
                return await self._release_expired(conn)
            cursor = await conn.execute(
                "UPDATE outbox SET status = 'pending', claimed_at = NULL WHERE status = 'sending'"
            )
            return cursor.rowcount

    async def _release_expired(self, conn: Connection) -> int:
        """Return the rows whose lease ran out to pending (their process is gone)."""
        cursor = await conn.execute(
            "UPDATE outbox SET status = 'pending', claimed_at = NULL"
            " WHERE status = 'sending' AND (lease_expires IS NULL OR lease_expires < ?)",
            (timestamp(self._wall()),),
        )
        return max(cursor.rowcount, 0)

    async def claim(self, now: datetime, limit: int) -> list[Delivery]:
        """Take up to `limit` due rows in order, marked as sending.

        Rows of subscribers who stopped or blocked the bot since they were queued are cancelled
        instead.
        """
        at = timestamp(now)
        self.capacity_wait = 0.0
        async with self._db.transaction() as conn:
            shared = conn.dialect is Dialect.POSTGRESQL
            if shared and await self._release_expired(conn):
                log.warning("outbox: rows of a process that stopped were in flight; resending")
            tokens = await self._tokens(conn, limit) if shared and self._rate else None
            if tokens is not None:
                limit = min(limit, int(tokens))
                if limit <= 0:
                    return []
            cursor = await conn.execute(
                claimable(conn.dialect), claim_parameters(conn.dialect, now, limit, self._chats)
            )
            rows = list(await cursor.fetchall())
            if shared and not rows:
                # Due rows may be waiting for their chat (busy in another process, or sent to
                # a moment ago): look again shortly, not at once.
                self.capacity_wait = max(self.capacity_wait, IDLE_RECLAIM)
            claimed: list[Delivery] = []
            inactive: list[int] = []
            for row in rows:
                if row["subscriber_id"] is not None and row["subscriber_status"] != "active":
                    inactive.append(row["id"])
                    continue
                claimed.append(
                    Delivery(
                        id=row["id"],
                        payload_id=row["payload_id"],
                        chat_id=row["chat_id"],
                        subscriber_id=row["subscriber_id"],
                        kind=row["kind"],
                        broadcast_id=row["broadcast_id"],
                        priority=row["priority"],
                        attempts=row["attempts"],
                        migrated=bool(row["migrated"]),
                        params_json=row["params"],
                    )
                )
            if claimed:
                await conn.execute(
                    "UPDATE outbox SET status = 'sending', claimed_at = ?, lease_expires = ?,"
                    " claimed_by = ? WHERE id IN (SELECT value FROM json_each(?))",
                    (
                        at,
                        timestamp(self._wall() + self._lease),
                        self.process,
                        json.dumps([d.id for d in claimed]),
                    ),
                )
            if inactive:
                await conn.execute(
                    "UPDATE outbox SET status = 'cancelled',"
                    " last_error = 'the subscriber is no longer active'"
                    " WHERE id IN (SELECT value FROM json_each(?))",
                    (json.dumps(inactive),),
                )
            if tokens is not None:
                await conn.execute(
                    "UPDATE send_capacity SET tokens = ?, stamp = ? WHERE name = 'bot'",
                    (tokens - len(claimed), timestamp(self._wall())),
                )
        return claimed

    async def _tokens(self, conn: Connection, wanted: int) -> float:
        """PostgreSQL: the tokens in the bot's shared send bucket now, the bucket locked until
        the claim commits; fewer than a useful batch counts as none (`capacity_wait` says how
        long until there are)."""
        rate = float(self._rate or 0)
        tokens = await self._bucket(conn)
        # Claim in batches of a fifth of a second or more, not a row at a time.
        needed = min(float(wanted), max(1.0, rate / 5))
        self.capacity_wait = 0.0 if tokens >= needed else (needed - tokens) / rate
        return tokens if tokens >= needed else 0.0

    async def _bucket(self, conn: Connection) -> float:
        """PostgreSQL: the tokens in the bot's shared send bucket now (below zero while direct
        replies are being paid for), the bucket locked until the transaction commits."""
        rate = float(self._rate or 0)
        # A fifth of a second's worth, as each process's own limiter allows: a second's worth
        # here came on top of the rate, and two processes then sent up to twice the rate in one
        # second. With BOT_SEND_RATE at 25, any second holds at most 30 claims.
        burst = max(1.0, rate / 5)
        await conn.execute(
            "INSERT INTO send_capacity (name, tokens, stamp) VALUES ('bot', ?, ?)"
            " ON CONFLICT (name) DO NOTHING",
            (burst, timestamp(self._wall())),
        )
        row = await conn.fetchone(
            "SELECT tokens, stamp FROM send_capacity WHERE name = 'bot' FOR UPDATE"
        )
        assert row is not None
        elapsed = max(0.0, (self._wall() - datetime.fromisoformat(row["stamp"])).total_seconds())
        return min(burst, float(row["tokens"]) + elapsed * rate)

    async def take_for_reply(self) -> float:
        """Take a direct reply's message from the bot's send rate, shared by its processes on
        PostgreSQL; return the seconds to wait before sending it (0 when the rate has room).

        A reply is never refused: the bucket may go below zero, the replies after it wait
        their turn, and every process's claims wait until the replies are paid for, so all
        the processes' replies and sends together keep to the rate. On SQLite (one process)
        the limiter in memory already counts each reply (`SendLimiter.note`): nothing to do.
        """
        if not self._rate:
            return 0.0
        async with self._db.transaction() as conn:
            if conn.dialect is not Dialect.POSTGRESQL:
                return 0.0
            tokens = await self._bucket(conn) - 1.0
            await conn.execute(
                "UPDATE send_capacity SET tokens = ?, stamp = ? WHERE name = 'bot'",
                (tokens, timestamp(self._wall())),
            )
        return max(0.0, -tokens / float(self._rate))

    async def pause_all(self, seconds: float) -> None:
        """PostgreSQL: Telegram asked the whole bot to wait `seconds`; every process waits.

        The shared bucket goes that many seconds of the rate below zero, so no process claims
        and no reply goes until it has refilled. SQLite's one process pauses in memory.
        """
        if not self._rate or seconds <= 0:
            return
        async with self._db.transaction() as conn:
            if conn.dialect is not Dialect.POSTGRESQL:
                return
            tokens = min(await self._bucket(conn), -seconds * float(self._rate))
            now = self._wall()
            row = await conn.fetchone("SELECT paused_until FROM send_capacity WHERE name = 'bot'")
            until = now + timedelta(seconds=seconds)
            if row is not None and row["paused_until"] is not None:
                until = max(until, datetime.fromisoformat(row["paused_until"]))
            await conn.execute(
                "UPDATE send_capacity SET tokens = ?, stamp = ?, paused_until = ?"
                " WHERE name = 'bot'",
                (tokens, timestamp(now), timestamp(until)),
            )

    async def paused_for(self) -> float:
        """PostgreSQL: seconds left of a pause another process (or this one) set for the whole
        bot (`pause_all`); 0 when none, and always on SQLite."""
        if self._db.dialect is not Dialect.POSTGRESQL:
            return 0.0
        async with self._db.read() as conn:
            row = await conn.fetchone("SELECT paused_until FROM send_capacity WHERE name = 'bot'")
        if row is None or row["paused_until"] is None:
            return 0.0
        left = datetime.fromisoformat(row["paused_until"]) - self._wall()
        return max(0.0, left.total_seconds())

    async def payloads(self, ids: Iterable[int]) -> dict[int, Payload]:
        """The stored payloads with these ids."""
        async with self._db.read() as conn:
            cursor = await conn.execute(
                "SELECT id, method, params FROM outbox_payloads"
                " WHERE id IN (SELECT value FROM json_each(?))",
                (json.dumps(sorted(set(ids))),),
            )
            rows = await cursor.fetchall()
        return {row["id"]: Payload(row["id"], row["method"], row["params"]) for row in rows}

    async def next_due(self, now: datetime | None = None) -> datetime | None:
        """When the earliest pending row becomes due, or None when none is pending.

        On PostgreSQL, given `now`, rows other processes hold count as due when their lease
        runs out: should their process die, this one sends them then.
        """
        async with self._db.read() as conn:
            row = await conn.fetchone(
                "SELECT min(not_before) FROM outbox WHERE status = 'pending'"
            )
            lease = None
            if now is not None and conn.dialect is Dialect.POSTGRESQL:
                lease = await conn.fetchone(
                    "SELECT min(lease_expires) FROM outbox WHERE status = 'sending'"
                    " AND (claimed_by IS NULL OR claimed_by != ?)",
                    (self.process,),
                )
        due = [datetime.fromisoformat(row[0])] if row is not None and row[0] is not None else []
        if now is not None and lease is not None and lease[0] is not None:
            # A lease is in real time; the engine's clock may run elsewhere (tests move it).
            due.append(now + (datetime.fromisoformat(lease[0]) - self._wall()))
        return min(due, default=None)

    async def record(self, results: Sequence[Result]) -> None:
        """Record what became of each delivery, all in one transaction."""
        if not results:
            return
        by_verdict: dict[Verdict, list[Result]] = {}
        for result in results:
            by_verdict.setdefault(result.verdict, []).append(result)
        updates: list[tuple[str, list[tuple[Any, ...]]]] = [
            (
                "UPDATE outbox SET status = 'sent', sent_at = ?, message_id = ?,"
                " attempts = attempts + 1, last_error = NULL WHERE id = ?",
                [
                    (timestamp(r.at), r.message_id, r.delivery.id)
                    for r in by_verdict.get(Verdict.SENT, [])
                ],
            ),
            (
                "UPDATE outbox SET status = ?, attempts = attempts + 1, last_error = ?"
                " WHERE id = ?",
                [
                    (Status.FAILED, r.error, r.delivery.id)
                    for r in by_verdict.get(Verdict.FAILED, [])
                ],
            ),
            (
                "UPDATE outbox SET status = 'cancelled', last_error = ? WHERE id = ?",
                [(r.error, r.delivery.id) for r in by_verdict.get(Verdict.CANCELLED, [])],
            ),
            (
                "UPDATE outbox SET status = 'pending', claimed_at = NULL, not_before = ?,"
                " attempts = attempts + 1, last_error = ? WHERE id = ? AND status = 'sending'",
                [
                    (timestamp(r.not_before or r.at), r.error, r.delivery.id)
                    for r in by_verdict.get(Verdict.RETRY, [])
                ],
            ),
            (
                "UPDATE outbox SET status = 'pending', claimed_at = NULL, not_before = ?,"
                " last_error = coalesce(?, last_error) WHERE id = ? AND status = 'sending'",
                [
                    (timestamp(r.not_before or r.at), r.error, r.delivery.id)
                    for r in by_verdict.get(Verdict.RELEASE, [])
                ],
            ),
        ]
        async with self._db.transaction() as conn:
            # Each statement is a trip to the database's thread: skip those with nothing to do.
            for statement, parameters in updates:
                if parameters:
                    await conn.executemany(statement, parameters)
            for result in by_verdict.get(Verdict.BLOCKED, []):
                await _record_blocked(conn, result)
            for result in by_verdict.get(Verdict.MIGRATED, []):
                await _record_migrated(conn, result)

    async def progress(self, broadcast_id: int) -> Progress:
        """How many of the broadcast's rows are in each status."""
        async with self._db.read() as conn:
            cursor = await conn.execute(
                "SELECT status, count(*) FROM outbox WHERE broadcast_id = ? GROUP BY status",
                (broadcast_id,),
            )
            rows = await cursor.fetchall()
        return Progress(**{row[0]: row[1] for row in rows})

    async def cancel_broadcast(self, broadcast_id: int) -> int:
        """Cancel the broadcast's pending rows in a transaction of their own; return how many."""
        async with self._db.transaction() as conn:
            return await cancel_broadcast(conn, broadcast_id)

    async def cancelled_broadcasts(self, broadcast_ids: Iterable[int]) -> set[int]:
        """Which of these broadcasts were cancelled, by this process or any other."""
        async with self._db.read() as conn:
            cursor = await conn.execute(
                "SELECT id FROM broadcasts WHERE status = 'cancelled'"
                " AND id IN (SELECT value FROM json_each(?))",
                (json.dumps(sorted(broadcast_ids)),),
            )
            return {int(row[0]) for row in await cursor.fetchall()}

    async def cancel(self, ids: Iterable[int], reason: str) -> None:
        """Cancel these rows, whatever their status short of a final one."""
        async with self._db.transaction() as conn:
            await conn.execute(
                "UPDATE outbox SET status = 'cancelled', last_error = ?"
                " WHERE id IN (SELECT value FROM json_each(?))"
                " AND status IN ('pending', 'sending')",
                (reason, json.dumps(list(ids))),
            )

    async def counts(self) -> dict[Status, int]:
        """Rows by status, over the whole outbox."""
        async with self._db.read() as conn:
            cursor = await conn.execute("SELECT status, count(*) FROM outbox GROUP BY status")
            rows = await cursor.fetchall()
        return {Status(row[0]): row[1] for row in rows}

    async def purge(self, finished_before: datetime, *, batch: int = 5_000) -> int:
        """Delete finished rows created before `finished_before`, and payloads nobody uses;
        return how many rows went.

        The rows of a broadcast still under way stay whatever their age: its status message
        counts them. Rows go `batch` at a time, each batch a transaction of its own, so the
        bot's other writes take turns with a purge of a million rows.
        """
        purged = 0
        while True:
            async with self._db.transaction() as conn:
                cursor = await conn.execute(
                    "DELETE FROM outbox WHERE id IN (SELECT id FROM outbox WHERE created_at < ?"
                    " AND status IN ('sent', 'failed', 'blocked', 'cancelled')"
                    " AND (broadcast_id IS NULL OR broadcast_id NOT IN"
                    " (SELECT id FROM broadcasts WHERE status = 'queued')) LIMIT ?)",
                    (timestamp(finished_before), batch),
                )
                deleted = cursor.rowcount
            purged += deleted
            if deleted < batch:
                break
        async with self._db.transaction() as conn:
            await conn.execute(
                "DELETE FROM outbox_payloads WHERE created_at < ? AND NOT EXISTS"
                " (SELECT 1 FROM outbox WHERE outbox.payload_id = outbox_payloads.id)",
                (timestamp(finished_before),),
            )
        return purged


async def _record_blocked(conn: Connection, result: Result) -> None:
    """The chat is out of reach: so is everything still queued for it, and its subscriber."""
    delivery = result.delivery
    await conn.execute(
        "UPDATE outbox SET status = 'blocked', attempts = attempts + 1, last_error = ?"
        " WHERE id = ?",
        (result.error, delivery.id),
    )
    await conn.execute(
        "UPDATE outbox SET status = 'blocked', last_error = ?"
        " WHERE chat_id = ? AND status = 'pending'",
        (result.error, delivery.chat_id),
    )
    # The subscriber is kept (their history stays); only their status changes.
    await conn.execute(
        "UPDATE subscribers SET status = 'blocked', updated_at = ?"
        " WHERE chat_id = ? AND status != 'blocked'",
        (timestamp(result.at), delivery.chat_id),
    )


async def _record_migrated(conn: Connection, result: Result) -> None:
    """The group is now a supergroup: move its subscription and queued rows, send once more."""
    delivery, new_chat = result.delivery, result.migrate_to
    assert new_chat is not None
    at = timestamp(result.at)
    cursor = await conn.execute(
        "SELECT count(*) FROM subscribers WHERE chat_id IN (?, ?)", (delivery.chat_id, new_chat)
    )
    subscribed = await cursor.fetchone()
    # Both ids subscribed: the supergroup subscribed on its own and gets its own rows; the old
    # id is dead. (The new id alone is subscribed when another row to the group, sent at the
    # same time, was answered the same way and moved the subscription already.)
    if subscribed is not None and subscribed[0] == 2:
        await conn.execute(
            "UPDATE subscribers SET status = 'blocked', updated_at = ? WHERE chat_id = ?",
            (at, delivery.chat_id),
        )
        await conn.execute(
            "UPDATE outbox SET status = 'cancelled', last_error = ?"
            " WHERE chat_id = ? AND status IN ('pending', 'sending')",
            (f"the group moved to {new_chat}, which is subscribed itself", delivery.chat_id),
        )
        return
    await conn.execute(
        "UPDATE subscribers SET chat_id = ?, chat_type = 'supergroup', updated_at = ?"
        " WHERE chat_id = ?",
        (new_chat, at, delivery.chat_id),
    )
    # Rows in flight move too: their results are recorded by id, whatever the chat.
    await conn.execute(
        "UPDATE outbox SET chat_id = ? WHERE chat_id = ? AND status IN ('pending', 'sending')",
        (new_chat, delivery.chat_id),
    )
    await conn.execute(
        "UPDATE outbox SET status = 'pending', chat_id = ?, claimed_at = NULL, not_before = ?,"
        " migrated = 1, attempts = attempts + 1, last_error = ?"
        " WHERE id = ? AND status = 'sending'",
        (new_chat, at, result.error, delivery.id),
    )
