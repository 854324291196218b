"""The offer sweep: which open case goes to whom now, within each person's allowance.

Publishing a case no longer alerts everyone at once. The sweep reads the open cases and the
subscribers from the database, lets `bot.domain.allowance.allocate` choose for each of them, and
records each offer (the `case_alerts` row), plans its reminders and queues its alert in the same
outbox, in one transaction per batch of subscribers. It runs at publish (people on "every case"
get the case then) and whenever the scheduler wakes it; what is due is decided from the database
with the clock passed in. A message lands in the person's daytime: at night it waits in the
outbox for their morning.

Also here: each subscriber's choice (allowance, themes, channels, digest), the network's
default allowance, the weekly digest, and what organizers see per case.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from bot.db.alerts import Audience
from bot.db.connection import Connection, Database, Row
from bot.db.outbox import add_payload, enqueue, timestamp
from bot.db.reminders import plan_people
from bot.delivery.messages import Kind, OutboundMessage, Recipient
from bot.domain.allowance import (
    Allowance,
    NotOffered,
    OpenCase,
    Reader,
    Round,
    allocate,
    digest,
)
from bot.domain.cases import Channel, UrgentAction
from bot.domain.reminders import daytime, is_night

# Subscribers per transaction. The cost is the offers written (alert, outbox row, reminders):
# 100 people over 20 open cases, a quarter of them on every case, is about 500 offers in a
# tenth of a second, under the quarter of a second a transaction may hold the one writer
# (bench/offer_sweep.py).
OFFER_BATCH = 100
# Nobody's allowance counts over more than this (two a month counts over 30 days).
HISTORY = timedelta(days=31)
DIGEST_EVERY = timedelta(days=7)
NETWORK_ALLOWANCE = "allowance"


@dataclass(frozen=True)
class Choice:
    """What a subscriber chose about the cases they get; None: the default."""

    allowance: Allowance | None = None  # None: the network's default
    themes: tuple[str, ...] | None = None  # None: every theme
    channels: tuple[Channel, ...] | None = None  # None: every channel
    digest: bool = False


@dataclass(frozen=True)
class CaseOffers:
    """What organizers see per case: how many it was offered to, and why others were not."""

    offered: int
    not_offered: dict[str, int]
    swept_at: datetime | None


@dataclass
class OfferReport:
    """What one sweep did."""

    offered: int = 0
    by_case: dict[str, int] = field(default_factory=dict)


MessageFor = Callable[[UrgentAction, Audience], OutboundMessage]


class ChoiceRepository:
    """Reads and writes what each subscriber chose, and the network's default allowance."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def of(self, chat_id: int) -> Choice:
        """The choice of the subscriber `chat_id` (the defaults when there is none)."""
        async with self._db.read() as conn:
            cursor = await conn.execute(
                "SELECT allowance, themes, channels, digest FROM subscribers WHERE chat_id = ?",
                (chat_id,),
            )
            row = await cursor.fetchone()
        if row is None:
            return Choice()
        return _choice(row)

    async def set_allowance(
        self, chat_id: int, allowance: Allowance | None, now: datetime
    ) -> None:
        """Remember how many cases the subscriber wants (None: the network's default)."""
        await self._update(
            chat_id, "allowance", None if allowance is None else str(allowance), now
        )

    async def set_themes(self, chat_id: int, themes: Sequence[str] | None, now: datetime) -> None:
        """Remember the themes the subscriber follows (None: every theme)."""
        value = None if themes is None else json.dumps(sorted(set(themes)))
        await self._update(chat_id, "themes", value, now)

    async def set_channels(
        self, chat_id: int, channels: Sequence[Channel] | None, now: datetime
    ) -> None:
        """Remember the channels the subscriber can use (None: every channel)."""
        value = None if channels is None else json.dumps(sorted(str(c) for c in set(channels)))
        await self._update(chat_id, "channels", value, now)

    async def set_digest(self, chat_id: int, wanted: bool, now: datetime) -> None:
        """Remember whether the subscriber wants one weekly digest instead of single cases."""
        await self._update(chat_id, "digest", int(wanted), now)

    async def network_allowance(self) -> Allowance:
        """The allowance of everyone who has not chosen one: the organizers' setting."""
        async with self._db.read() as conn:
            return await network_allowance(conn)

    async def set_network_allowance(
        self, allowance: Allowance, user_id: int, now: datetime
    ) -> None:
        """Set the network's default allowance (an organizer's decision)."""
        async with self._db.transaction() as conn:
            await conn.execute(
                "INSERT INTO network_settings (key, value, updated_by, updated_at)"
                " VALUES (?, ?, ?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value,"
                " updated_by = excluded.updated_by, updated_at = excluded.updated_at",
                (NETWORK_ALLOWANCE, str(allowance), user_id, timestamp(now)),
            )

    async def of_subscriber(self, subscriber_id: int) -> Choice:
        """The choice of the subscriber with this id (the defaults when there is none)."""
        async with self._db.read() as conn:
            cursor = await conn.execute(
                "SELECT allowance, themes, channels, digest FROM subscribers WHERE id = ?",
                (subscriber_id,),
            )
            row = await cursor.fetchone()
        return _choice(row) if row is not None else Choice()

    async def digests(self, subscriber_id: int) -> list[tuple[datetime, list[str]]]:
        """The digests sent to the subscriber, and the cases each listed (for /mydata)."""
        async with self._db.read() as conn:
            cursor = await conn.execute(
                "SELECT sent_at, cases FROM digests WHERE subscriber_id = ? ORDER BY sent_at",
                (subscriber_id,),
            )
            rows = await cursor.fetchall()
        return [(datetime.fromisoformat(r[0]), list(json.loads(r[1]))) for r in rows]

    async def _update(self, chat_id: int, column: str, value: object, now: datetime) -> None:
        # `column` is one of this class's own literals, never input.
        async with self._db.transaction() as conn:
            await conn.execute(
                f"UPDATE subscribers SET {column} = ?, updated_at = ? WHERE chat_id = ?",  # noqa: S608
                (value, now.isoformat(), chat_id),
            )


async def network_allowance(conn: Connection) -> Allowance:
    """The network's default allowance on an open connection; every case until organizers say."""
    cursor = await conn.execute(
        "SELECT value FROM network_settings WHERE key = ?", (NETWORK_ALLOWANCE,)
    )
    row = await cursor.fetchone()
    return Allowance(row[0]) if row is not None else Allowance.EVERY


def _choice(row: Row) -> Choice:
    return Choice(
        allowance=Allowance(row["allowance"]) if row["allowance"] else None,
        themes=tuple(json.loads(row["themes"])) if row["themes"] is not None else None,
        channels=(
            tuple(Channel(c) for c in json.loads(row["channels"]))
            if row["channels"] is not None
            else None
        ),
        digest=bool(row["digest"]),
    )


async def open_cases(
    conn: Connection, cases: Sequence[UrgentAction], now: datetime
) -> list[OpenCase]:
    """The active `cases` as the choice sees them, with how far each has reached so far.

    A case not stored yet (an imported sheet in its preview) counts as published `now`.
    """
    found = []
    for case in cases:
        cursor = await conn.execute(
            "SELECT (SELECT coalesce(published_at, created_at) FROM cases WHERE slug = ?),"
            " (SELECT count(*) FROM case_alerts WHERE case_slug = ?),"
            " (SELECT count(DISTINCT actor) FROM actions WHERE case_slug = ?)",
            (case.slug, case.slug, case.slug),
        )
        row = await cursor.fetchone()
        assert row is not None
        found.append(
            OpenCase(
                slug=case.slug,
                country_code=case.country_code,
                published_at=datetime.fromisoformat(row[0]) if row[0] else now,
                channels=frozenset(case.channels()),
                deadline=case.deadline_moment(),
                themes=frozenset(case.themes),
                urgent=case.urgent,
                reached=int(row[1]),
                appeals=int(row[2]),
            )
        )
    return found


@dataclass(frozen=True)
class _Row:
    """A subscriber of the batch: how to reach them, and how the choice sees them."""

    reader: Reader
    chat_id: int
    language: str
    in_group: bool
    timezone: str
    digest: bool


async def _readers(
    conn: Connection,
    after: int,
    batch: int,
    now: datetime,
    default: Allowance,
    default_timezone: str,
    digest_only: bool = False,
) -> list[_Row]:
    """The next `batch` active subscribers after id `after`, with their history."""
    cursor = await conn.execute(
        "SELECT id, chat_id, chat_type, actor, language, countries, timezone, allowance, themes,"
        " channels, digest FROM subscribers WHERE status = 'active' AND id > ?"
        " AND (? = 0 OR digest = 1) ORDER BY id LIMIT ?",
        (after, int(digest_only), batch),
    )
    rows = list(await cursor.fetchall())
    if not rows:
        return []
    ids = json.dumps([int(r["id"]) for r in rows])
    offered: dict[int, list[datetime]] = {}
    done: dict[int, set[str]] = {}
    cursor = await conn.execute(
        "SELECT subscriber_id, case_slug, alerted_at, counted FROM case_alerts"
        " WHERE subscriber_id IN (SELECT value FROM json_each(?))",
        (ids,),
    )
    since = now - HISTORY
    for subscriber_id, slug, at, counted in await cursor.fetchall():
        done.setdefault(subscriber_id, set()).add(slug)
        moment = datetime.fromisoformat(at)
        if counted and moment > since:
            offered.setdefault(subscriber_id, []).append(moment)
    cursor = await conn.execute(
        "SELECT s.id, x.case_slug FROM actions x JOIN subscribers s ON s.actor = x.actor"
        " WHERE s.id IN (SELECT value FROM json_each(?))",
        (ids,),
    )
    for subscriber_id, slug in await cursor.fetchall():
        done.setdefault(subscriber_id, set()).add(slug)
    cursor = await conn.execute(
        "SELECT subscriber_id, sent_at FROM digests"
        " WHERE subscriber_id IN (SELECT value FROM json_each(?)) AND sent_at > ?",
        (ids, timestamp(since)),
    )
    for subscriber_id, at in await cursor.fetchall():
        offered.setdefault(subscriber_id, []).append(datetime.fromisoformat(at))
    found = []
    for row in rows:
        choice = _choice(row)
        countries = json.loads(row["countries"]) if row["countries"] else None
        subscriber_id = int(row["id"])
        reader = Reader(
            id=subscriber_id,
            allowance=choice.allowance or default,
            countries=frozenset(countries) if countries is not None else None,
            themes=frozenset(choice.themes) if choice.themes is not None else None,
            channels=frozenset(choice.channels)
            if choice.channels is not None
            else frozenset(Channel),
            offered_at=tuple(sorted(offered.get(subscriber_id, ()))),
            done=frozenset(done.get(subscriber_id, ())),
        )
        found.append(
            _Row(
                reader,
                int(row["chat_id"]),
                str(row["language"]),
                row["chat_type"] != "private",
                str(row["timezone"] or default_timezone),
                choice.digest,
            )
        )
    return found


def _decide(
    rows: Sequence[_Row], standing: Sequence[OpenCase], now: datetime
) -> tuple[Round, Round, list[OpenCase]]:
    """Choose for a batch: those on the digest are offered only urgent cases here."""
    regular = allocate([r.reader for r in rows if not r.digest], standing, now)
    urgent = [c for c in regular.cases.values() if c.urgent]
    digested = allocate([r.reader for r in rows if r.digest], urgent, now)
    return regular, digested, [digested.cases.get(s, c) for s, c in regular.cases.items()]


async def reach_at_publish(
    db: Database,
    cases: Sequence[UrgentAction],
    case_slug: str,
    now: datetime,
    default_timezone: str,
    *,
    batch: int = OFFER_BATCH,
) -> tuple[int, int]:
    """How many people and groups the sweep would offer `case_slug` to now, among the open
    `cases` (the case itself included): what an organizer's preview shows. Nothing is written."""
    async with db.read() as conn:
        standing = await open_cases(conn, cases, now)
        default = await network_allowance(conn)
    people = groups = 0
    after = 0
    while True:
        async with db.read() as conn:
            rows = await _readers(conn, after, batch, now, default, default_timezone)
        if not rows:
            return people, groups
        after = rows[-1].reader.id
        by_id = {r.reader.id: r for r in rows}
        regular, digested, standing = _decide(rows, standing, now)
        for offer in regular.offers + digested.offers:
            if offer.slug == case_slug:
                if by_id[offer.reader_id].in_group:
                    groups += 1
                else:
                    people += 1


async def sweep_offers(
    db: Database,
    cases: Sequence[UrgentAction],
    message_for: MessageFor,
    now: datetime,
    default_timezone: str,
    *,
    batch: int = OFFER_BATCH,
) -> OfferReport:
    """Offer the open `cases` to everyone whose slot is due now; return what was offered.

    Each batch of subscribers is one transaction: the offers recorded, their reminders planned
    and their alerts queued land together or not at all, so a crash never loses an offer nor
    sends one twice; the next sweep picks up where it stopped. Those who want the weekly digest
    are offered only urgent cases here. What the sweep saw about those it did not offer a case
    to is kept per case, for organizers.
    """
    report = OfferReport()
    if not cases:
        return report
    by_slug = {c.slug: c for c in cases}
    async with db.read() as conn:
        standing = await open_cases(conn, cases, now)
        default = await network_allowance(conn)
    reasons: dict[str, dict[NotOffered, int]] = {c.slug: {} for c in cases}
    payloads: dict[tuple[str, Audience], int] = {}
    after = 0
    while True:
        async with db.transaction() as conn:
            rows = await _readers(conn, after, batch, now, default, default_timezone)
            if not rows:
                break
            after = rows[-1].reader.id
            by_id = {r.reader.id: r for r in rows}
            regular, digested, standing = _decide(rows, standing, now)
            for decided in (regular, digested):
                for slug, counts in decided.not_offered.items():
                    for reason, count in counts.items():
                        reasons[slug][reason] = reasons[slug].get(reason, 0) + count
            alerted: list[tuple[str, int, str, int]] = []
            queued: dict[tuple[str, Audience, datetime], list[Recipient]] = {}
            people: dict[str, list[tuple[int, str]]] = {}
            for offer in regular.offers + digested.offers:
                row, case = by_id[offer.reader_id], by_slug[offer.slug]
                alerted.append((case.slug, row.reader.id, now.isoformat(), int(not case.urgent)))
                when = daytime(now, row.timezone, case.deadline_moment()) or now
                audience = Audience(row.language, row.in_group)
                queued.setdefault((case.slug, audience, when), []).append(
                    Recipient(row.chat_id, row.reader.id)
                )
                if not row.in_group:
                    people.setdefault(case.slug, []).append((row.reader.id, row.timezone))
                report.by_case[case.slug] = report.by_case.get(case.slug, 0) + 1
            await conn.executemany(
                "INSERT INTO case_alerts (case_slug, subscriber_id, alerted_at, counted)"
                " VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
                alerted,
            )
            for (slug, audience, when), recipients in queued.items():
                key = (slug, audience)
                if key not in payloads:
                    message = message_for(by_slug[slug], audience)
                    payloads[key] = await add_payload(conn, message, now)
                await enqueue(
                    conn,
                    payloads[key],
                    recipients,
                    kind=Kind.ALERT,
                    now=now,
                    not_before=max(when, now),
                )
            for slug, alerted_people in people.items():
                await plan_people(conn, by_slug[slug], now, alerted_people)
            report.offered += len(alerted)
    async with db.transaction() as conn:
        for slug, counts in reasons.items():
            await conn.execute("DELETE FROM case_not_offered WHERE case_slug = ?", (slug,))
            await conn.executemany(
                "INSERT INTO case_not_offered (case_slug, reason, people, swept_at)"
                " VALUES (?, ?, ?, ?)",
                [(slug, str(r), n, timestamp(now)) for r, n in counts.items() if n],
            )
    return report


DigestFor = Callable[[str, Sequence[UrgentAction]], OutboundMessage]


async def send_digests(
    db: Database,
    cases: Sequence[UrgentAction],
    message_for: DigestFor,
    now: datetime,
    default_timezone: str,
    *,
    batch: int = OFFER_BATCH,
) -> int:
    """Queue the weekly digest for those who want it and whose week is up; return how many.

    A digest goes in the person's daytime, lists the open cases that fit them (soonest
    deadline first), and counts as one alert; nobody gets one with nothing in it.
    """
    if not cases:
        return 0
    by_slug = {c.slug: c for c in cases}
    async with db.read() as conn:
        standing = await open_cases(conn, cases, now)
        default = await network_allowance(conn)
    sent = 0
    after = 0
    while True:
        async with db.transaction() as conn:
            rows = await _readers(
                conn, after, batch, now, default, default_timezone, digest_only=True
            )
            if not rows:
                return sent
            after = rows[-1].reader.id
            ids = json.dumps([r.reader.id for r in rows])
            cursor = await conn.execute(
                "SELECT subscriber_id, max(sent_at) FROM digests"
                " WHERE subscriber_id IN (SELECT value FROM json_each(?)) GROUP BY subscriber_id",
                (ids,),
            )
            last = {int(r[0]): datetime.fromisoformat(r[1]) for r in await cursor.fetchall()}
            queued: dict[tuple[str, tuple[str, ...]], list[Recipient]] = {}
            recorded: list[tuple[int, str, str]] = []
            for row in rows:
                previous = last.get(row.reader.id)
                if previous is not None and now - previous < DIGEST_EVERY:
                    continue
                if is_night(now, row.timezone):
                    continue
                listed = tuple(c.slug for c in digest(row.reader, standing, now))
                if not listed:
                    continue
                queued.setdefault((row.language, listed), []).append(
                    Recipient(row.chat_id, row.reader.id)
                )
                recorded.append((row.reader.id, timestamp(now), json.dumps(list(listed))))
            for (language, listed), recipients in queued.items():
                message = message_for(language, [by_slug[s] for s in listed])
                await enqueue(conn, message, recipients, kind=Kind.ALERT, now=now)
            await conn.executemany(
                "INSERT INTO digests (subscriber_id, sent_at, cases) VALUES (?, ?, ?)", recorded
            )
            sent += len(recorded)


async def case_offers(db: Database, case_slug: str) -> CaseOffers:
    """How many the case was offered to, and why the latest sweep offered it to no others."""
    async with db.read() as conn:
        cursor = await conn.execute(
            "SELECT count(*) FROM case_alerts WHERE case_slug = ?", (case_slug,)
        )
        row = await cursor.fetchone()
        cursor = await conn.execute(
            "SELECT reason, people, swept_at FROM case_not_offered WHERE case_slug = ?"
            " ORDER BY people DESC, reason",
            (case_slug,),
        )
        reasons = list(await cursor.fetchall())
    return CaseOffers(
        offered=int(row[0]) if row else 0,
        not_offered={str(r[0]): int(r[1]) for r in reasons},
        swept_at=datetime.fromisoformat(reasons[0][2]) if reasons else None,
    )
