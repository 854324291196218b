"""The reply_asks and case_replies tables: "Did anyone reply?" asked and answered, and the
replies from the authorities that people send back.

`ask_due` writes a person's question row and queues the message in one transaction, so the
question goes once: after a crash it is either still to ask or already in the outbox.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from bot.db.connection import Connection, Database, Row
from bot.db.dialect import Dialect
from bot.db.outbox import enqueue, timestamp
from bot.delivery.messages import Kind, OutboundMessage, Recipient
from bot.domain.cases import UrgentAction
from bot.domain.replies import (
    ASK_AFTER,
    HORIZON,
    Answer,
    ReplyCounts,
    ask_again_at,
    may_ask_now,
    morning,
)
from bot.domain.reply_files import ReplyFile

# Rows looked at per transaction, so a sweep never holds the one writer long.
ASK_BATCH = 500
# One sweep at a time across the bot's processes.
SWEEP_LOCK = "urgent-action-bot:reply-asks"

_NEW = (
    "SELECT s.id, s.chat_id, s.language, coalesce(s.timezone, ?) AS timezone,"
    " x.case_slug, min(x.acted_at) AS first_acted"
    # People in the order of their ids (from where the last batch ended), each one's appeals by
    # its index: a batch reads only as far as its LIMIT, never the whole table again (SQLite
    # keeps a CROSS JOIN's order, and groups in that order without sorting).
    " FROM subscribers s CROSS JOIN actions x ON x.actor = s.actor"
    " JOIN cases c ON c.slug = x.case_slug"
    " WHERE s.status = 'active' AND s.chat_type = 'private' AND x.acted_at >= ?"
    " AND s.id >= ? AND (s.id > ? OR x.case_slug > ?)"
    " AND NOT EXISTS (SELECT 1 FROM reply_asks r WHERE r.case_slug = x.case_slug"
    "   AND r.subscriber_id = s.id)"
    " GROUP BY s.id, x.case_slug"
    " HAVING min(x.acted_at) <= ? OR max(c.status) = 'closed'"
    " ORDER BY s.id, x.case_slug LIMIT ?"
)
# PostgreSQL spells an inner join JOIN only, and its planner picks the order itself.
_NEW_POSTGRESQL = _NEW.replace(" CROSS JOIN ", " JOIN ")
_AGAIN = (
    "SELECT r.id, r.case_slug, r.targets, r.times, s.id AS subscriber_id, s.chat_id,"
    " s.language, coalesce(s.timezone, ?) AS timezone"
    " FROM reply_asks r JOIN subscribers s ON s.id = r.subscriber_id"
    " WHERE r.answer = 'later' AND r.ask_again_at <= ? AND s.status = 'active'"
    " ORDER BY r.ask_again_at, r.id LIMIT ?"
)

MessageFor = Callable[[UrgentAction, str, Sequence[int]], OutboundMessage]


@dataclass(frozen=True)
class Question:
    """A question to ask: whom, about which case and which officials."""

    subscriber_id: int
    chat_id: int
    language: str
    timezone: str
    case_slug: str
    targets: tuple[int, ...]


@dataclass(frozen=True)
class StoredReply:
    """A reply kept for organizers: which case and official, what kind, when."""

    id: int
    case_slug: str
    target: int
    kind: str
    mime_type: str
    file_name: str
    size: int
    received_at: datetime


class ReplyRepository:
    """Asks "Did anyone reply?", keeps the answers and the replies, counts them per official."""

    def __init__(self, db: Database, default_timezone: str) -> None:
        self._db = db
        self.default_timezone = default_timezone

    async def ask_due(
        self, now: datetime, cases: Mapping[str, UrgentAction], message_for: MessageFor
    ) -> int:
        """Queue every question due now (in daytime where the person is); return how many."""
        async with self._db.exclusive(SWEEP_LOCK, wait=False) as mine:
            if not mine:
                return 0
            return await self._ask_new(now, cases, message_for) + await self._ask_again(
                now, cases, message_for
            )

    async def _ask_new(
        self, now: datetime, cases: Mapping[str, UrgentAction], message_for: MessageFor
    ) -> int:
        asked = 0
        after: tuple[int, str] = (0, "")
        while True:
            async with self._db.bulk() as conn:
                rows = await conn.fetchall(
                    _NEW_POSTGRESQL if conn.dialect is Dialect.POSTGRESQL else _NEW,
                    (
                        self.default_timezone,
                        timestamp(now - HORIZON),
                        after[0],
                        after[0],
                        after[1],
                        timestamp(now - ASK_AFTER),
                        ASK_BATCH,
                    ),
                )
                if not rows:
                    return asked
                after = (int(rows[-1]["id"]), str(rows[-1]["case_slug"]))
                questions = [
                    Question(
                        int(r["id"]),
                        int(r["chat_id"]),
                        str(r["language"]),
                        str(r["timezone"]),
                        str(r["case_slug"]),
                        (),
                    )
                    for r in rows
                    if str(r["case_slug"]) in cases and may_ask_now(now, str(r["timezone"]))
                ]
                going = []
                for question in await _with_targets(conn, questions):
                    cursor = await conn.execute(
                        "INSERT INTO reply_asks (case_slug, subscriber_id, targets, asked_at)"
                        " VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
                        (
                            question.case_slug,
                            question.subscriber_id,
                            json.dumps(list(question.targets)),
                            timestamp(now),
                        ),
                    )
                    if cursor.rowcount > 0:
                        going.append(question)
                await _queue(conn, going, cases, message_for, now)
                asked += len(going)

    async def _ask_again(
        self, now: datetime, cases: Mapping[str, UrgentAction], message_for: MessageFor
    ) -> int:
        asked = 0
        while True:
            async with self._db.bulk() as conn:
                rows = await conn.fetchall(
                    _AGAIN, (self.default_timezone, timestamp(now), ASK_BATCH)
                )
                if not rows:
                    return asked
                for r in rows:
                    zone = str(r["timezone"])
                    if str(r["case_slug"]) not in cases:
                        # The case is gone: the question does not come back.
                        await conn.execute(
                            "UPDATE reply_asks SET ask_again_at = NULL WHERE id = ?", (r["id"],)
                        )
                        continue
                    if not may_ask_now(now, zone):
                        # Night where the person is: the question waits for their morning.
                        await conn.execute(
                            "UPDATE reply_asks SET ask_again_at = ? WHERE id = ?",
                            (timestamp(morning(now, zone)), r["id"]),
                        )
                        continue
                    await conn.execute(
                        "UPDATE reply_asks SET times = times + 1, answer = NULL, target = NULL,"
                        " answered_at = NULL, ask_again_at = NULL, asked_at = ? WHERE id = ?",
                        (timestamp(now), r["id"]),
                    )
                    question = Question(
                        int(r["subscriber_id"]),
                        int(r["chat_id"]),
                        str(r["language"]),
                        zone,
                        str(r["case_slug"]),
                        tuple(int(t) for t in json.loads(r["targets"])),
                    )
                    await _queue(conn, [question], cases, message_for, now)
                    asked += 1

    async def answer(
        self,
        case_slug: str,
        subscriber_id: int,
        answer: Answer,
        now: datetime,
        timezone: str,
        target: int | None = None,
    ) -> bool:
        """Keep the person's answer (a later one replaces it); False if they were never asked."""
        async with self._db.transaction() as conn:
            row = await conn.fetchone(
                "SELECT id, times, targets FROM reply_asks"
                " WHERE case_slug = ? AND subscriber_id = ?",
                (case_slug, subscriber_id),
            )
            if row is None:
                return False
            if target is not None and target not in json.loads(row["targets"]):
                return False
            again = (
                ask_again_at(now, int(row["times"]), timezone) if answer is Answer.LATER else None
            )
            await conn.execute(
                "UPDATE reply_asks SET answer = ?, target = ?, answered_at = ?, ask_again_at = ?"
                " WHERE id = ?",
                (
                    str(answer),
                    target,
                    timestamp(now),
                    timestamp(again) if again else None,
                    row["id"],
                ),
            )
            return True

    async def asking_again(self, case_slug: str, subscriber_id: int) -> datetime | None:
        """When the question comes back after "Not yet"; None when it does not."""
        async with self._db.read() as conn:
            row = await conn.fetchone(
                "SELECT ask_again_at FROM reply_asks WHERE case_slug = ? AND subscriber_id = ?",
                (case_slug, subscriber_id),
            )
        return datetime.fromisoformat(row["ask_again_at"]) if row and row["ask_again_at"] else None

    async def keep(
        self, case_slug: str, subscriber_id: int, target: int, file: ReplyFile, now: datetime
    ) -> int:
        """Keep a reply the person sent; return its id."""
        async with self._db.transaction() as conn:
            cursor = await conn.execute(
                "INSERT INTO case_replies (case_slug, subscriber_id, target, kind, mime_type,"
                " file_name, data, received_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    case_slug,
                    subscriber_id,
                    target,
                    file.kind,
                    file.mime_type,
                    file.file_name,
                    file.data,
                    timestamp(now),
                ),
            )
            reply_id = cursor.lastrowid
        assert reply_id is not None
        return int(reply_id)

    async def replies(self, case_slug: str) -> list[StoredReply]:
        """The replies kept for a case, oldest first (without their bytes)."""
        async with self._db.read() as conn:
            rows = await conn.fetchall(
                "SELECT id, case_slug, target, kind, mime_type, file_name, length(data) AS size,"
                " received_at FROM case_replies WHERE case_slug = ? ORDER BY received_at, id",
                (case_slug,),
            )
        return [_stored(r) for r in rows]

    async def file(self, reply_id: int) -> tuple[StoredReply, bytes] | None:
        """One reply with its bytes, to show an organizer."""
        async with self._db.read() as conn:
            row = await conn.fetchone(
                "SELECT id, case_slug, target, kind, mime_type, file_name, length(data) AS size,"
                " received_at, data FROM case_replies WHERE id = ?",
                (reply_id,),
            )
        return (_stored(row), bytes(row["data"])) if row else None

    async def counts(self, case_slug: str) -> list[ReplyCounts]:
        """Per official asked about: people asked, their answers, and the replies kept."""
        async with self._db.read() as conn:
            asks = await conn.fetchall(
                "SELECT targets, answer, target FROM reply_asks WHERE case_slug = ?",
                (case_slug,),
            )
            files = await conn.fetchall(
                "SELECT target, count(*) AS n FROM case_replies WHERE case_slug = ?"
                " GROUP BY target",
                (case_slug,),
            )
        tally: dict[int, dict[str, int]] = {}
        for row in asks:
            for target in json.loads(row["targets"]):
                counts = tally.setdefault(int(target), {})
                counts["asked"] = counts.get("asked", 0) + 1
                answer = row["answer"]
                # "Yes" names one official; "No" and "Not yet" speak for all of them.
                if answer == Answer.YES and row["target"] is not None:
                    if int(row["target"]) == int(target):
                        counts["yes"] = counts.get("yes", 0) + 1
                elif answer in (Answer.NO, Answer.LATER):
                    counts[str(answer)] = counts.get(str(answer), 0) + 1
        for row in files:
            tally.setdefault(int(row["target"]), {})["files"] = int(row["n"])
        return [ReplyCounts(target, **tally[target]) for target in sorted(tally)]

    async def of_subscriber(self, subscriber_id: int) -> dict[str, list[dict[str, object]]]:
        """One person's answers and replies, for /mydata (the files' names and sizes)."""
        async with self._db.read() as conn:
            asks = await conn.fetchall(
                "SELECT case_slug, asked_at, times, answer, target, answered_at FROM reply_asks"
                " WHERE subscriber_id = ? ORDER BY asked_at",
                (subscriber_id,),
            )
            files = await conn.fetchall(
                "SELECT id, case_slug, target, kind, mime_type, file_name, length(data) AS size,"
                " received_at FROM case_replies WHERE subscriber_id = ? ORDER BY received_at",
                (subscriber_id,),
            )
        return {
            "asked": [
                {
                    "case": r["case_slug"],
                    "asked_at": r["asked_at"],
                    "times": int(r["times"]),
                    "answer": r["answer"],
                    "official": r["target"],
                    "answered_at": r["answered_at"],
                }
                for r in asks
            ],
            "replies_sent": [
                {
                    "case": reply.case_slug,
                    "official": reply.target,
                    "kind": reply.kind,
                    "file_name": reply.file_name,
                    "bytes": reply.size,
                    "received_at": reply.received_at.isoformat(),
                }
                for reply in map(_stored, files)
            ],
        }


def _stored(r: Row) -> StoredReply:
    return StoredReply(
        id=int(r["id"]),
        case_slug=str(r["case_slug"]),
        target=int(r["target"]),
        kind=str(r["kind"]),
        mime_type=str(r["mime_type"]),
        file_name=str(r["file_name"]),
        size=int(r["size"]),
        received_at=datetime.fromisoformat(str(r["received_at"])),
    )


async def _with_targets(conn: Connection, questions: list[Question]) -> list[Question]:
    """The questions with the officials each person wrote to on the case."""
    if not questions:
        return []
    rows = await conn.fetchall(
        "SELECT s.id, x.case_slug, x.target FROM actions x"
        " JOIN subscribers s ON s.actor = x.actor"
        " WHERE s.id IN (SELECT value FROM json_each(?))",
        (json.dumps(sorted({q.subscriber_id for q in questions})),),
    )
    wrote: dict[tuple[int, str], set[int]] = {}
    for r in rows:
        wrote.setdefault((int(r["id"]), str(r["case_slug"])), set()).add(int(r["target"]))
    return [
        Question(
            q.subscriber_id,
            q.chat_id,
            q.language,
            q.timezone,
            q.case_slug,
            tuple(sorted(wrote.get((q.subscriber_id, q.case_slug), ()))),
        )
        for q in questions
    ]


async def _queue(
    conn: Connection,
    questions: Sequence[Question],
    cases: Mapping[str, UrgentAction],
    message_for: MessageFor,
    now: datetime,
) -> None:
    """Queue the questions, one message for all who read the same words: the same case,
    language and officials."""
    alike: dict[tuple[str, str, tuple[int, ...]], list[Recipient]] = {}
    for q in questions:
        key = (q.case_slug, q.language, q.targets)
        alike.setdefault(key, []).append(Recipient(q.chat_id, q.subscriber_id))
    for (slug, language, targets), recipients in alike.items():
        message = message_for(cases[slug], language, targets)
        await enqueue(conn, message, recipients, kind=Kind.NOTICE, now=now)
