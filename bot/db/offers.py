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
import time
from collections.abc import AsyncIterator, Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from bot.db.alerts import Audience
from bot.db.connection import Connection, Database, Row
from bot.db.network_settings import network_setting, set_network_setting
from bot.db.outbox import add_payload, enqueue, timestamp
from bot.db.pacing import Pacing
from bot.db.reminders import plan_people
from bot.db.subscribers import LOOK_AGAIN
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
# On a busy machine the sweep's batches shrink while one holds the database over OFFER_HOLD.
OFFER_HOLD = 0.1
OFFER_BATCH_LEAST = 10
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
    # Of those, the alerts that wait for the person's morning: it is night where they live.
    at_morning: dict[str, int] = field(default_factory=dict)
    looked_at: int = 0  # the subscribers it read: everyone after a new case, else few


MessageFor = Callable[[UrgentAction, Audience], OutboundMessage]


class ChoiceRepository:
    """Reads and writes what each subscriber chose, and the network's default allowance."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def of(self, chat_id: int) -> Choice:
        """The choice of the subscriber `chat_id` (the defaults when there is none)."""
        return await self._read("chat_id", chat_id)

    async def set_allowance(
        self, chat_id: int, allowance: Allowance | None, now: datetime
    ) -> None:
        """Remember how many cases the subscriber wants (None: the network's default); a smaller
        allowance than they had is also kept as a cut, which organizers see per reminder."""
        async with self._db.transaction() as conn:
            cursor = await conn.execute(
                "SELECT id, allowance FROM subscribers WHERE chat_id = ?", (chat_id,)
            )
            row = await cursor.fetchone()
            default = await network_allowance(conn)
            before = Allowance(row[1]) if row is not None and row[1] else default
            if row is not None and (allowance or default).fewer_than(before):
                await conn.execute(
                    "INSERT INTO allowance_cuts (subscriber_id, cut_at) VALUES (?, ?)",
                    (row[0], timestamp(now)),
                )
            await conn.execute(
                f"UPDATE subscribers SET allowance = ?, updated_at = ?, {LOOK_AGAIN}"  # noqa: S608
                " WHERE chat_id = ?",
                (None if allowance is None else str(allowance), now.isoformat(), chat_id),
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
            await set_network_setting(conn, NETWORK_ALLOWANCE, str(allowance), user_id, now)

    async def of_subscriber(self, subscriber_id: int) -> Choice:
        """The choice of the subscriber with this id (the defaults when there is none)."""
        return await self._read("id", subscriber_id)

    async def _read(self, column: str, value: int) -> Choice:
        # `column` is one of this class's own literals, never input.
        async with self._db.read() as conn:
            cursor = await conn.execute(
                "SELECT allowance, themes, channels, digest FROM subscribers"  # noqa: S608
                f" WHERE {column} = ?",
                (value,),
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
                f"UPDATE subscribers SET {column} = ?, updated_at = ?,"  # noqa: S608
                f" {LOOK_AGAIN} WHERE chat_id = ?",
                (value, now.isoformat(), chat_id),
            )


async def network_allowance(conn: Connection) -> Allowance:
    """The network's default allowance on an open connection; every case until organizers say."""
    value = await network_setting(conn, NETWORK_ALLOWANCE)
    return Allowance(value) if value is not None else Allowance.EVERY


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


async def open_cases(db: Database, cases: Sequence[UrgentAction], now: datetime) -> list[OpenCase]:
    """The active `cases` as the choice sees them, with how far each has reached so far.

    One short read per case (its reach is kept on its row, its appeals counted from an index),
    so a tap waits at most for one. A case not stored yet (an imported sheet in its preview)
    counts as published `now`.
    """
    found = []
    for case in cases:
        async with db.read() as conn:
            cursor = await conn.execute(
                "SELECT (SELECT coalesce(published_at, created_at) FROM cases WHERE slug = ?),"
                " (SELECT offered FROM cases WHERE slug = ?),"
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
                reached=int(row[1] or 0),
                appeals=int(row[2]),
            )
        )
    return found


# The lock every sweep takes, so that two processes on one PostgreSQL never choose for the same
# people at once: the second waits, then finds them looked at and offers nobody twice.
SWEEP_LOCK = "urgent-action-bot:offer-sweep"
DIGEST_LOCK = "urgent-action-bot:digests"
# The network setting that keeps the generation of open cases (`_State`).
OFFER_STATE = "offers"
# When a digest was due but had nothing to list, or fell in the person's night.
DIGEST_RETRY_EMPTY = timedelta(days=1)
DIGEST_RETRY_NIGHT = timedelta(hours=1)
# Subscriber ids per read when the preview counts, so a tap waits at most for one such read.
COUNT_CHUNK = 20_000
# Above this many active subscribers, the preview simulates the choice for a sample of those
# on a limited allowance and says "about"; below it, for everyone, exactly.
PREVIEW_SAMPLE = 2_000

_COLUMNS = (
    "id, chat_id, chat_type, actor, language, countries, timezone, allowance, themes, channels,"
    " digest, offers_seen"
)


@dataclass(frozen=True)
class _State:
    """The generation of the open cases, kept in the database.

    It moves on when a case is published or reopened, when an open case changes what it is
    about (country, themes, channels, deadline, urgency), or when the network's default
    allowance changes; a case closing does not move it, since nobody gains from it. Every
    active subscriber is looked at once under each generation, and between generations only
    those whose slot has opened (`next_slot_at`) or whose own choice changed.
    """

    generation: int = 0
    default: str | None = None
    # slug: (what the case is, as the choice sees it; the generation it came in under)
    cases: Mapping[str, tuple[str, int]] = field(default_factory=dict)


def _fingerprint(case: OpenCase) -> str:
    return json.dumps(
        [
            case.country_code,
            sorted(case.themes),
            sorted(str(c) for c in case.channels),
            case.deadline.isoformat() if case.deadline else None,
            case.urgent,
        ]
    )


def _advance(state: _State, standing: Sequence[OpenCase], default: Allowance) -> _State:
    """The state for the open cases `standing`: a new generation if something new is open."""
    changed = state.default != str(default)
    kept: dict[str, tuple[str, int | None]] = {}
    for case in standing:
        fingerprint = _fingerprint(case)
        known = state.cases.get(case.slug)
        if known is not None and known[0] == fingerprint:
            kept[case.slug] = known
        else:
            changed = True
            kept[case.slug] = (fingerprint, None)
    if not changed:
        return _State(state.generation, str(default), dict(state.cases))
    generation = state.generation + 1
    # A new default allowance changes what everyone may get: every case counts afresh.
    afresh = state.default != str(default)
    return _State(
        generation,
        str(default),
        {slug: (f, generation if g is None or afresh else g) for slug, (f, g) in kept.items()},
    )


async def _load_state(conn: Connection) -> _State:
    stored = await network_setting(conn, OFFER_STATE)
    if stored is None:
        return _State()
    value = json.loads(stored)
    return _State(
        int(value["generation"]),
        value["default"],
        {slug: (str(f), int(g)) for slug, (f, g) in value["cases"].items()},
    )


async def _save_state(conn: Connection, state: _State, now: datetime) -> None:
    value = json.dumps(
        {"generation": state.generation, "default": state.default, "cases": state.cases}
    )
    await set_network_setting(conn, OFFER_STATE, value, 0, now)


@dataclass(frozen=True)
class _Row:
    """A subscriber of the batch: how to reach them, and how the choice sees them."""

    reader: Reader
    chat_id: int
    language: str
    in_group: bool
    timezone: str
    digest: bool
    seen: int  # the generation they were last looked at under, as read
    looked: int  # the same, whether or not their choice changed since


async def _due(conn: Connection, generation: int, now: datetime, batch: int) -> list[Row]:
    """Up to `batch` active subscribers who need a look: first those not looked at under the
    current generation (or whose choice changed since), then those whose slot has opened.

    Both come by an index range (migrations/0012_offer_slots.sql), and a look moves each out
    of it, so a sweep with nothing new reads nobody, and one cut short resumes where it
    stopped."""
    cursor = await conn.execute(
        f"SELECT {_COLUMNS} FROM subscribers WHERE status = 'active' AND offers_seen < ?"  # noqa: S608
        " ORDER BY offers_seen, id LIMIT ?",
        (generation, batch),
    )
    rows = list(await cursor.fetchall())
    if len(rows) < batch:
        cursor = await conn.execute(
            f"SELECT {_COLUMNS} FROM subscribers WHERE status = 'active'"  # noqa: S608
            " AND next_slot_at <= ? ORDER BY next_slot_at, id LIMIT ?",
            (timestamp(now), batch - len(rows)),
        )
        taken = {int(r["id"]) for r in rows}
        rows += [r for r in await cursor.fetchall() if int(r["id"]) not in taken]
    return rows


async def _readers(
    conn: Connection,
    rows: Sequence[Row],
    now: datetime,
    default: Allowance,
    default_timezone: str,
) -> list[_Row]:
    """The subscribers `rows` as the choice sees them, with their history."""
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
        seen = int(row["offers_seen"])
        found.append(
            _Row(
                reader,
                int(row["chat_id"]),
                str(row["language"]),
                row["chat_type"] != "private",
                str(row["timezone"] or default_timezone),
                choice.digest,
                seen,
                abs(seen),
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


def _reasons(
    rows: Sequence[_Row],
    standing: Sequence[OpenCase],
    came_in: Mapping[str, int],
    offered: set[tuple[int, str]],
    now: datetime,
) -> dict[tuple[str, NotOffered], int]:
    """How the batch moves each case's count of people not offered it, by reason.

    A person counts once per case: at the first look after the case came in. A case offered
    later, when their slot opened, leaves the count of those whose allowance was spent."""
    counts: dict[tuple[str, NotOffered], int] = {}
    for row in rows:
        for case in standing:
            if row.digest and not case.urgent:
                continue
            pair = (row.reader.id, case.slug)
            if came_in.get(case.slug, 0) > row.looked:
                if pair in offered:
                    continue
                reason = row.reader.refusal(case, now) or NotOffered.ALLOWANCE
                if reason is NotOffered.DONE:
                    continue
                delta = 1
            elif pair in offered:
                reason, delta = NotOffered.ALLOWANCE, -1
            else:
                continue
            counts[(case.slug, reason)] = counts.get((case.slug, reason), 0) + delta
    return counts


def _next_slot(row: _Row, counted: int, now: datetime) -> str | None:
    """When the person's allowance next lets a case through, after `counted` offers now;
    None when it is open (they wait for a new case) or they take every case."""
    if row.digest or row.reader.allowance is Allowance.EVERY:
        return None
    reader = replace(row.reader, offered_at=(*row.reader.offered_at, *([now] * counted)))
    slot = reader.next_slot(now)
    return timestamp(slot) if slot > now else None


@dataclass(frozen=True)
class Reach:
    """Whom publishing a case would reach now: what an organizer's preview shows."""

    people: int
    groups: int
    exact: bool  # False: estimated from a sample of those on a limited allowance


def _fits(case: OpenCase) -> tuple[str, list[object]]:
    """SQL over `subscribers s`: whose countries, themes and channels accept `case` (the
    stored JSON lists hold quoted keys: ["KZ", "RU"])."""
    where = ["(s.countries IS NULL OR s.countries LIKE ?)"]
    params: list[object] = [f'%"{case.country_code}"%']
    if case.themes:
        where.append(
            "(s.themes IS NULL OR " + " OR ".join(["s.themes LIKE ?"] * len(case.themes)) + ")"
        )
        params += [f'%"{t}"%' for t in sorted(case.themes)]
    where.append(
        "(s.channels IS NULL OR " + " OR ".join(["s.channels LIKE ?"] * len(case.channels)) + ")"
    )
    params += [f'%"{c}"%' for c in sorted(str(c) for c in case.channels)]
    return " AND ".join(where), params


async def preview_reach(
    db: Database,
    cases: Sequence[UrgentAction],
    case_slug: str,
    now: datetime,
    default_timezone: str,
    *,
    sample: int = PREVIEW_SAMPLE,
    chunk: int = COUNT_CHUNK,
) -> Reach:
    """How many people and groups the sweep would offer `case_slug` to now, among the open
    `cases` (the case itself included). Nothing is written.

    Counted in SQL where the choice is plain: an urgent case goes to everyone whose filters
    accept it, a case to everyone on "every case" whose filters accept it. Those on a limited
    allowance get it only if the choice picks it for them over the other open cases: with up
    to `sample` active subscribers the choice runs for each of them, so the count is exact;
    above, it runs for an even sample of them and is scaled up (`exact` False)."""
    standing = await open_cases(db, cases, now)
    async with db.read() as conn:
        default = await network_allowance(conn)
        cursor = await conn.execute(
            "SELECT count(*), coalesce(max(id), 0) FROM subscribers WHERE status = 'active'"
        )
        row = await cursor.fetchone()
    assert row is not None
    active, highest = int(row[0]), int(row[1])
    target = next((c for c in standing if c.slug == case_slug), None)
    if target is None or not target.channels or not target.is_open_at(now):
        return Reach(0, 0, True)
    if active <= sample:
        people, groups = await _simulate(db, standing, case_slug, now, default, default_timezone)
        return Reach(people, groups, True)
    fits, params = _fits(target)
    # (private, on a limited allowance, outside the digest) -> how many accept the case
    counts: dict[tuple[bool, bool, bool], int] = {}
    for low in range(0, highest, chunk):
        async with db.read() as conn:
            cursor = await conn.execute(
                "SELECT s.chat_type = 'private', coalesce(s.allowance, ?) <> 'every',"  # noqa: S608
                " s.digest = 0, count(*) FROM subscribers s"
                f" WHERE s.status = 'active' AND s.id > ? AND s.id <= ? AND {fits}"
                " AND NOT EXISTS (SELECT 1 FROM case_alerts a"
                "   WHERE a.case_slug = ? AND a.subscriber_id = s.id)"
                " GROUP BY 1, 2, 3",
                (str(default), low, low + chunk, *params, case_slug),
            )
            for private, limited, regular, count in await cursor.fetchall():
                key = (bool(private), bool(limited), bool(regular))
                counts[key] = counts.get(key, 0) + int(count)
    reach = {True: 0, False: 0}
    waiting = {True: 0, False: 0}
    for (private, limited, regular), count in counts.items():
        if target.urgent or (regular and not limited):
            reach[private] += count
        elif regular:
            waiting[private] += count
    if target.urgent or not any(waiting.values()):
        return Reach(reach[True], reach[False], True)
    # The choice for an even sample of those on a limited allowance, against the open cases
    # with their reach scaled to the sample.
    every = max(1, -(-sum(waiting.values()) // sample))
    scaled = [replace(c, reached=c.reached // every, appeals=c.appeals // every) for c in standing]
    picked = {True: 0, False: 0}
    looked = {True: 0, False: 0}
    for low in range(0, highest, chunk):
        async with db.read() as conn:
            cursor = await conn.execute(
                f"SELECT {_COLUMNS} FROM subscribers s WHERE s.status = 'active'"  # noqa: S608
                " AND s.id > ? AND s.id <= ? AND s.digest = 0"
                f" AND coalesce(s.allowance, ?) <> 'every' AND s.id % ? = 0 AND {fits}"
                " AND NOT EXISTS (SELECT 1 FROM case_alerts a"
                "   WHERE a.case_slug = ? AND a.subscriber_id = s.id) ORDER BY s.id",
                (low, low + chunk, str(default), every, *params, case_slug),
            )
            readers = await _readers(
                conn, list(await cursor.fetchall()), now, default, default_timezone
            )
        decided = allocate([r.reader for r in readers], scaled, now)
        scaled = list(decided.cases.values())
        chosen = {o.reader_id for o in decided.offers if o.slug == case_slug}
        for r in readers:
            looked[not r.in_group] += 1
            picked[not r.in_group] += r.reader.id in chosen
    # Per kind (people, groups) where the sample holds some of that kind, else over both.
    share = sum(picked.values()) / max(1, sum(looked.values()))
    for private in (True, False):
        ratio = picked[private] / looked[private] if looked[private] else share
        reach[private] += round(ratio * waiting[private])
    return Reach(reach[True], reach[False], False)


async def _simulate(
    db: Database,
    standing: Sequence[OpenCase],
    case_slug: str,
    now: datetime,
    default: Allowance,
    default_timezone: str,
) -> tuple[int, int]:
    """The sweep's choice for every active subscriber, as if all were looked at now."""
    people = groups = 0
    async for rows in _active_readers(db, now, default, default_timezone):
        by_id = {r.reader.id: r for r in rows}
        regular, digested, standing = _decide(rows, standing, now)
        for offer in regular.offers + digested.offers:
            if offer.slug == case_slug:
                if by_id[offer.reader_id].in_group:
                    groups += 1
                else:
                    people += 1
    return people, groups


async def _active_readers(
    db: Database, now: datetime, default: Allowance, default_timezone: str, every: int = 1
) -> AsyncIterator[list[_Row]]:
    """Every active subscriber (or every `every`-th by id: an even sample), a batch at a time,
    as the choice sees them; one short read per batch."""
    after = 0
    while True:
        async with db.read() as conn:
            cursor = await conn.execute(
                f"SELECT {_COLUMNS} FROM subscribers WHERE status = 'active' AND id > ?"  # noqa: S608
                " AND id % ? = 0 ORDER BY id LIMIT ?",
                (after, every, OFFER_BATCH),
            )
            rows = await _readers(
                conn, list(await cursor.fetchall()), now, default, default_timezone
            )
        if not rows:
            return
        after = rows[-1].reader.id
        yield rows


@dataclass(frozen=True)
class ReachBreakdown:
    """Everyone publishing a case concerns, by what happens to them: it reaches them now, later
    (at their allowance's next slot, or in their weekly digest), or not, and why. Counts of
    chats (people and groups together); `exact` False when counted on an even sample."""

    later_allowance: int  # the case fits them; their allowance lets it through at their next slot
    later_digest: int  # the case fits them; it is listed in their weekly digest
    refused: Mapping[NotOffered, int]  # country, theme, channel, closed (deadline), done
    paused: int  # subscribed, but they stopped the alerts
    # Of those it reaches now or later, how many get it in another language than theirs (the
    # case has no texts in their language: they get the original).
    other_language: int
    exact: bool = True
    considered: int = 0  # the active chats looked at (scaled to the network when sampled)


async def reach_breakdown(
    db: Database,
    cases: Sequence[UrgentAction],
    case_slug: str,
    now: datetime,
    default_timezone: str,
    *,
    sample: int = PREVIEW_SAMPLE,
) -> ReachBreakdown:
    """Why publishing `case_slug` among the open `cases` (itself included) reaches whom it
    reaches and not the others, by the sweep's own rules (`Reader.refusal`, the choice of
    `_decide`). Nothing is written. Above `sample` active subscribers, the choice runs for an
    even sample of them, as `preview_reach` does, and the counts are scaled up."""
    standing = await open_cases(db, cases, now)
    case = next((c for c in cases if c.slug == case_slug), None)
    target = next((c for c in standing if c.slug == case_slug), None)
    assert case is not None, case_slug
    assert target is not None, case_slug
    async with db.read() as conn:
        default = await network_allowance(conn)
        cursor = await conn.execute(
            "SELECT count(CASE WHEN status = 'active' THEN 1 END),"
            " count(CASE WHEN status = 'stopped' THEN 1 END) FROM subscribers"
        )
        row = await cursor.fetchone()
    assert row is not None
    active, paused = int(row[0]), int(row[1])
    every = max(1, -(-active // sample)) if sample > 0 else 1
    if every > 1:
        standing = [
            replace(c, reached=c.reached // every, appeals=c.appeals // every) for c in standing
        ]
    counts = {"allowance": 0, "digest": 0, "language": 0}
    refused: dict[NotOffered, int] = {}
    async for rows in _active_readers(db, now, default, default_timezone, every):
        regular, digested, standing = _decide(rows, standing, now)
        offered = {o.reader_id for o in regular.offers + digested.offers if o.slug == case_slug}
        for r in rows:
            reason = None if r.reader.id in offered else r.reader.refusal(target, now)
            if reason is not None:
                refused[reason] = refused.get(reason, 0) + 1
                continue
            if r.reader.id not in offered:
                counts["digest" if r.digest and not target.urgent else "allowance"] += 1
            counts["language"] += r.language not in case.texts
    return ReachBreakdown(
        later_allowance=counts["allowance"] * every,
        later_digest=counts["digest"] * every,
        refused={reason: refused[reason] * every for reason in NotOffered if reason in refused},
        paused=paused,
        other_language=counts["language"] * every,
        exact=every == 1,
        considered=active,
    )


async def reach_at_publish(
    db: Database,
    cases: Sequence[UrgentAction],
    case_slug: str,
    now: datetime,
    default_timezone: str,
) -> tuple[int, int]:
    """How many people and groups the sweep would offer `case_slug` to now (`preview_reach`)."""
    reach = await preview_reach(db, cases, case_slug, now, default_timezone)
    return reach.people, reach.groups


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

    Only those who need a look are read (`_due`): after a case is published or changes,
    every active subscriber once; otherwise those whose slot has opened or whose choice
    changed. Each batch is one transaction: the offers recorded, their reminders planned,
    their alerts queued, the counts organizers see and each person marked as looked at land
    together or not at all, so a crash never loses an offer nor sends one twice; the next
    sweep picks up where it stopped. One sweep runs at a time across processes (`SWEEP_LOCK`).
    Those who want the weekly digest are offered only urgent cases here.
    """
    report = OfferReport()
    if not cases:
        return report
    async with db.exclusive(SWEEP_LOCK, wait=True):
        return await _sweep(db, cases, message_for, now, default_timezone, batch, report)


# Past the complexity limit on purpose: one transaction and its retries; the branches
# share its state.
async def _sweep(  # noqa: C901
    db: Database,
    cases: Sequence[UrgentAction],
    message_for: MessageFor,
    now: datetime,
    default_timezone: str,
    batch: int,
    report: OfferReport,
) -> OfferReport:
    by_slug = {c.slug: c for c in cases}
    standing = await open_cases(db, cases, now)
    async with db.transaction() as conn:
        default = await network_allowance(conn)
        known = await _load_state(conn)
        state = _advance(known, standing, default)
        if state != known:
            await _save_state(conn, state, now)
        # The cases that came in (or changed) under a new generation are counted afresh for
        # organizers, as everyone is looked at once under it.
        if state.generation != known.generation:
            afresh = [s for s, (_, g) in state.cases.items() if g == state.generation]
            await conn.execute(
                "DELETE FROM case_not_offered WHERE case_slug IN (SELECT value FROM json_each(?))",
                (json.dumps(afresh),),
            )
    came_in = {slug: generation for slug, (_, generation) in state.cases.items()}
    payloads: dict[tuple[str, Audience], int] = {}
    pacing = Pacing(batch, OFFER_BATCH_LEAST, OFFER_HOLD)
    while True:
        async with db.bulk() as conn:
            started = time.perf_counter()
            rows = await _readers(
                conn,
                await _due(conn, state.generation, now, pacing.size),
                now,
                default,
                default_timezone,
            )
            if not rows:
                break
            by_id = {r.reader.id: r for r in rows}
            before = standing
            regular, digested, standing = _decide(rows, standing, now)
            offers = regular.offers + digested.offers
            reasons = _reasons(rows, before, came_in, {(o.reader_id, o.slug) for o in offers}, now)
            alerted: list[tuple[str, int, str, int]] = []
            queued: dict[tuple[str, Audience, datetime], list[Recipient]] = {}
            people: dict[str, list[tuple[int, str]]] = {}
            counted: dict[int, int] = {}
            for offer in offers:
                row, case = by_id[offer.reader_id], by_slug[offer.slug]
                alerted.append((case.slug, row.reader.id, now.isoformat(), int(not case.urgent)))
                if not case.urgent:
                    counted[row.reader.id] = counted.get(row.reader.id, 0) + 1
                when = daytime(now, row.timezone, case.deadline_moment()) or now
                audience = Audience(row.language, row.in_group)
                queued.setdefault((case.slug, audience, when), []).append(
                    Recipient(row.chat_id, row.reader.id)
                )
                if not row.in_group:
                    people.setdefault(case.slug, []).append((row.reader.id, row.timezone))
                report.by_case[case.slug] = report.by_case.get(case.slug, 0) + 1
                if when > now:
                    report.at_morning[case.slug] = report.at_morning.get(case.slug, 0) + 1
            await conn.executemany(
                "INSERT INTO case_alerts (case_slug, subscriber_id, alerted_at, counted)"
                " VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
                alerted,
            )
            batch_reach: dict[str, int] = {}
            for offer in offers:
                batch_reach[offer.slug] = batch_reach.get(offer.slug, 0) + 1
            await conn.executemany(
                "UPDATE cases SET offered = offered + ? WHERE slug = ?",
                [(n, slug) for slug, n in batch_reach.items()],
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
            if reasons:
                await conn.executemany(
                    "INSERT INTO case_not_offered (case_slug, reason, people, swept_at)"
                    " VALUES (?, ?, ?, ?) ON CONFLICT (case_slug, reason) DO UPDATE"
                    " SET people = case_not_offered.people + excluded.people,"
                    " swept_at = excluded.swept_at",
                    [(s, str(r), n, timestamp(now)) for (s, r), n in reasons.items() if n],
                )
                await conn.execute("DELETE FROM case_not_offered WHERE people <= 0")
            # Marked only if their choice did not change meanwhile: then they stay due.
            await conn.executemany(
                "UPDATE subscribers SET offers_seen = ?, next_slot_at = ?"
                " WHERE id = ? AND offers_seen = ?",
                [
                    (
                        state.generation,
                        _next_slot(r, counted.get(r.reader.id, 0), now),
                        r.reader.id,
                        r.seen,
                    )
                    for r in rows
                ],
            )
            report.offered += len(alerted)
            report.looked_at += len(rows)
            pacing.took(time.perf_counter() - started)
    return report


DigestFor = Callable[[str, Sequence[UrgentAction]], OutboundMessage]


async def _digest_due(conn: Connection, now: datetime, batch: int) -> list[Row]:
    """Up to `batch` active subscribers on the digest whose digest is due: first those never
    looked at, then those whose week is up, both by an index range."""
    cursor = await conn.execute(
        f"SELECT {_COLUMNS} FROM subscribers WHERE status = 'active' AND digest = 1"  # noqa: S608
        " AND digest_due_at IS NULL LIMIT ?",
        (batch,),
    )
    rows = list(await cursor.fetchall())
    if len(rows) < batch:
        cursor = await conn.execute(
            f"SELECT {_COLUMNS} FROM subscribers WHERE status = 'active' AND digest = 1"  # noqa: S608
            " AND digest_due_at <= ? ORDER BY digest_due_at LIMIT ?",
            (timestamp(now), batch - len(rows)),
        )
        rows += list(await cursor.fetchall())
    return rows


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
    deadline first), and counts as one alert; nobody gets one with nothing in it. Only those
    whose digest is due are read (`digest_due_at`, by an index), and each is marked with when
    it is next due in the batch's transaction.
    """
    if not cases:
        return 0
    async with db.exclusive(DIGEST_LOCK, wait=True):
        return await _digests(db, cases, message_for, now, default_timezone, batch)


async def _digests(
    db: Database,
    cases: Sequence[UrgentAction],
    message_for: DigestFor,
    now: datetime,
    default_timezone: str,
    batch: int,
) -> int:
    by_slug = {c.slug: c for c in cases}
    standing = await open_cases(db, cases, now)
    async with db.read() as conn:
        default = await network_allowance(conn)
    sent = 0
    while True:
        async with db.bulk() as conn:
            rows = await _readers(
                conn, await _digest_due(conn, now, batch), now, default, default_timezone
            )
            if not rows:
                return sent
            ids = json.dumps([r.reader.id for r in rows])
            cursor = await conn.execute(
                "SELECT subscriber_id, max(sent_at) FROM digests"
                " WHERE subscriber_id IN (SELECT value FROM json_each(?)) GROUP BY subscriber_id",
                (ids,),
            )
            last = {int(r[0]): datetime.fromisoformat(r[1]) for r in await cursor.fetchall()}
            queued: dict[tuple[str, tuple[str, ...]], list[Recipient]] = {}
            recorded: list[tuple[int, str, str]] = []
            due: list[tuple[str, int]] = []
            for row in rows:
                previous = last.get(row.reader.id)
                if previous is not None and now - previous < DIGEST_EVERY:
                    due.append((timestamp(previous + DIGEST_EVERY), row.reader.id))
                    continue
                if is_night(now, row.timezone):
                    due.append((timestamp(now + DIGEST_RETRY_NIGHT), row.reader.id))
                    continue
                listed = tuple(c.slug for c in digest(row.reader, standing, now))
                if not listed:
                    due.append((timestamp(now + DIGEST_RETRY_EMPTY), row.reader.id))
                    continue
                queued.setdefault((row.language, listed), []).append(
                    Recipient(row.chat_id, row.reader.id)
                )
                recorded.append((row.reader.id, timestamp(now), json.dumps(list(listed))))
                due.append((timestamp(now + DIGEST_EVERY), row.reader.id))
            for (language, listed), recipients in queued.items():
                message = message_for(language, [by_slug[s] for s in listed])
                await enqueue(conn, message, recipients, kind=Kind.ALERT, now=now)
            await conn.executemany(
                "INSERT INTO digests (subscriber_id, sent_at, cases) VALUES (?, ?, ?)", recorded
            )
            await conn.executemany("UPDATE subscribers SET digest_due_at = ? WHERE id = ?", due)
            sent += len(recorded)


async def case_offers(db: Database, case_slug: str) -> CaseOffers:
    """How many the case was offered to, and why the others were not when first considered."""
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
