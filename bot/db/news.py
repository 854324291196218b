"""A closed case's outcome told to each person by their own part, through the outbox.

Everyone the case reached gets the news; those who acted get, besides, what they themselves did
(the officials they wrote to and by which channel) beside the network's totals, so that the
news is about the many letters, never one. People with the same part and language share one
stored payload, so a case with a few officials makes a few payloads, not one per person.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from bot.db.connection import Database
from bot.db.outbox import add_payload, enqueue
from bot.delivery.messages import Kind, OutboundMessage, Recipient

# People told per transaction: each gets an outbox row, so a batch is a few tens of
# milliseconds (bench/README.md), well under the 250 ms a tap may wait for the database.
NEWS_BATCH = 250
# One letter: the index of the official in the case's targets, and the channel.
Letter = tuple[int, str]


@dataclass(frozen=True)
class Totals:
    """What the network did on a case: people who wrote, and letters (official x channel)."""

    people: int
    letters: int


async def totals(db: Database, case_slug: str) -> Totals:
    """How many people wrote on the case, and how many letters they sent in all."""
    async with db.read() as conn:
        cursor = await conn.execute(
            "SELECT count(DISTINCT actor), count(*) FROM actions WHERE case_slug = ?",
            (case_slug,),
        )
        row = await cursor.fetchone()
    return Totals(int(row[0]), int(row[1])) if row else Totals(0, 0)


async def queue_outcome(
    db: Database,
    case_slug: str,
    message_for: Callable[[str, tuple[Letter, ...]], OutboundMessage],
    now: datetime,
    *,
    batch: int = NEWS_BATCH,
    wake: Callable[[], None] | None = None,
) -> int:
    """Queue the news for everyone the case reached who is still active; return how many.

    `message_for(language, letters)` renders it once per language and part: `letters` is empty
    for those who did not act. In keyset batches over the case's alerts, each its own
    transaction, as publishing goes.
    """
    payloads: dict[tuple[str, tuple[Letter, ...]], int] = {}
    after = 0
    total = 0
    while True:
        async with db.bulk() as conn:
            cursor = await conn.execute(
                "SELECT s.id, s.chat_id, s.language, x.target, x.channel"
                " FROM case_alerts a JOIN subscribers s ON s.id = a.subscriber_id"
                " LEFT JOIN actions x ON x.case_slug = a.case_slug AND x.actor = s.actor"
                " WHERE a.case_slug = ? AND a.subscriber_id IN (SELECT b.subscriber_id"
                "   FROM case_alerts b JOIN subscribers t ON t.id = b.subscriber_id"
                "   WHERE b.case_slug = ? AND b.subscriber_id > ? AND t.status = 'active'"
                "   ORDER BY b.subscriber_id LIMIT ?)"
                " ORDER BY s.id",
                (case_slug, case_slug, after, batch),
            )
            rows = list(await cursor.fetchall())
            if not rows:
                return total
            people: dict[int, tuple[int, str, list[Letter]]] = {}
            for subscriber_id, chat_id, language, target, channel in rows:
                _, _, letters = people.setdefault(
                    int(subscriber_id), (int(chat_id), str(language), [])
                )
                if channel is not None:
                    letters.append((int(target), str(channel)))
            after = max(people)
            groups: dict[tuple[str, tuple[Letter, ...]], list[Recipient]] = {}
            for subscriber_id, (chat_id, language, letters) in people.items():
                key = (language, tuple(sorted(letters)))
                groups.setdefault(key, []).append(Recipient(chat_id, subscriber_id))
            for key, recipients in groups.items():
                if key not in payloads:
                    payloads[key] = await add_payload(conn, message_for(*key), now)
                await enqueue(conn, payloads[key], recipients, kind=Kind.OUTCOME, now=now)
            total += len(people)
        if wake is not None:
            wake()
