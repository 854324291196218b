"""The outbox repository: queueing inside the caller's transaction, claiming, recording."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from bot.db import outbox
from bot.db.connection import Database
from bot.db.dialect import Dialect
from bot.db.outbox import OutboxRepository
from bot.db.subscribers import SubscriberRepository
from bot.delivery.messages import (
    Kind,
    OutboundMessage,
    Priority,
    Progress,
    Recipient,
    Result,
    Verdict,
)
from bot.domain.subscribers import SubscriberStatus
from tests.delivery.conftest import T0, queue, rows, subscribe, subscriber_status


async def test_a_broadcast_stores_its_text_once_for_all_recipients(db: Database) -> None:
    recipients = [Recipient(chat_id) for chat_id in range(1, 1001)]
    assert await queue(db, recipients, "Hello", kind=Kind.BROADCAST, broadcast_id=7) == 1000
    async with db.read() as conn:
        payloads = await (await conn.execute("SELECT count(*) FROM outbox_payloads")).fetchone()
        queued = await (await conn.execute("SELECT count(*) FROM outbox")).fetchone()
    assert payloads is not None and payloads[0] == 1
    assert queued is not None and queued[0] == 1000
    assert await OutboxRepository(db).progress(7) == Progress(pending=1000)


async def test_rows_land_only_if_the_callers_transaction_commits(db: Database) -> None:
    async def decide_then_fail() -> None:
        async with db.transaction() as conn:
            await outbox.enqueue(
                conn, OutboundMessage.text("x"), [Recipient(1)], kind=Kind.ALERT, now=T0
            )
            raise RuntimeError("the decision to send failed")

    with pytest.raises(RuntimeError):
        await decide_then_fail()
    assert await rows(db) == {}
    assert await OutboxRepository(db).claim(T0, 10) == []


async def test_a_payload_may_not_name_a_chat(db: Database) -> None:
    async with db.transaction() as conn:
        with pytest.raises(ValueError, match="chat_id"):
            await outbox.add_payload(conn, OutboundMessage("sendMessage", {"chat_id": 1}), T0)


async def test_claims_follow_priority_then_due_time_and_mark_rows_sending(db: Database) -> None:
    await queue(db, [Recipient(1), Recipient(2)], kind=Kind.BROADCAST)
    await queue(db, [Recipient(3)], kind=Kind.ALERT, now=T0 + timedelta(seconds=1))
    await queue(db, [Recipient(4)], kind=Kind.REMINDER, not_before=T0 + timedelta(hours=1))
    repository = OutboxRepository(db)
    claimed = await repository.claim(T0 + timedelta(seconds=2), 10)
    # The alert overtakes the broadcast queued before it; the reminder is not due yet.
    assert [d.chat_id for d in claimed] == [3, 1, 2]
    assert [d.priority for d in claimed] == [Priority.HIGH, Priority.BULK, Priority.BULK]
    assert {r["status"] for c, r in (await rows(db)).items() if c != 4} == {"sending"}
    assert await repository.claim(T0 + timedelta(seconds=2), 10) == []
    assert await repository.next_due() == T0 + timedelta(hours=1)
    later = await repository.claim(T0 + timedelta(hours=1), 10)
    assert [d.chat_id for d in later] == [4]
    assert await repository.next_due() is None


async def test_claims_take_at_most_the_batch_asked_for(db: Database) -> None:
    await queue(db, [Recipient(c) for c in range(1, 51)])
    repository = OutboxRepository(db)
    first = await repository.claim(T0, 20)
    second = await repository.claim(T0, 20)
    third = await repository.claim(T0, 20)
    assert [len(first), len(second), len(third)] == [20, 20, 10]
    assert [d.chat_id for d in first + second + third] == list(range(1, 51))


async def test_the_claim_uses_the_partial_index(db: Database) -> None:
    if db.dialect is Dialect.POSTGRESQL:
        async with db.transaction() as conn:
            # An empty table is read whole; the question is whether the index serves the claim.
            await conn.execute("SET LOCAL enable_seqscan = off")
            cursor = await conn.execute(
                "EXPLAIN " + outbox.claimable(conn.dialect),
                outbox.claim_parameters(conn.dialect, T0, 5),
            )
            plan = " ".join(str(row[0]) for row in await cursor.fetchall())
        assert "outbox_due" in plan
        assert "Sort" not in plan  # no sort of every due row
        return
    async with db.read() as conn:
        cursor = await conn.execute(
            "EXPLAIN QUERY PLAN " + outbox.claimable(conn.dialect),
            outbox.claim_parameters(conn.dialect, T0, 5),
        )
        plan = " ".join(str(row[3]) for row in await cursor.fetchall())
    assert "outbox_due" in plan
    assert "TEMP B-TREE" not in plan  # no sort of every due row


async def test_rows_of_subscribers_who_stopped_are_cancelled_not_sent(db: Database) -> None:
    recipients = await subscribe(db, [11, 12, 13])
    await queue(db, [*recipients, Recipient(14)])
    await SubscriberRepository(db).set_status(12, SubscriberStatus.STOPPED, T0)
    claimed = await OutboxRepository(db).claim(T0, 10)
    assert [d.chat_id for d in claimed] == [11, 13, 14]
    stored = await rows(db)
    assert stored[12]["status"] == "cancelled"
    assert stored[12]["last_error"] == "the subscriber is no longer active"


async def test_forgetting_a_subscriber_removes_their_queued_rows(db: Database) -> None:
    recipients = await subscribe(db, [21, 22])
    await queue(db, recipients)
    assert await SubscriberRepository(db).forget(21)
    assert set(await rows(db)) == {22}


async def test_recover_returns_rows_left_in_flight(db: Database) -> None:
    await queue(db, [Recipient(c) for c in (1, 2, 3)])
    wall = [T0]
    repository = OutboxRepository(db, wall=lambda: wall[0])
    claimed = await repository.claim(T0, 2)
    await repository.record([Result(claimed[0], Verdict.SENT, T0, message_id=5)])
    # The restart comes after the lease (on PostgreSQL, a live process's rows stay its own).
    wall[0] += outbox.LEASE + timedelta(seconds=1)
    assert await repository.recover() == 1
    stored = await rows(db)
    assert stored[1]["status"] == "sent" and stored[1]["message_id"] == 5
    assert stored[2]["status"] == "pending" and stored[2]["claimed_at"] is None
    assert [d.chat_id for d in await repository.claim(T0, 10)] == [2, 3]


@pytest.mark.parametrize("with_a_blocked_chat", [False, True])
async def test_each_result_is_recorded_as_an_operator_reads_it(
    db: Database, with_a_blocked_chat: bool
) -> None:
    await subscribe(db, [9])
    await queue(db, [Recipient(c) for c in range(1, 10)])
    repository = OutboxRepository(db)
    (
        sent,
        failed,
        cancelled,
        retry,
        release,
        late_retry,
        late_release,
        _,
        blocked,
    ) = await repository.claim(T0, 9)
    await repository.cancel([late_retry.id, late_release.id], "cancelled by hand")
    later = T0 + timedelta(seconds=30)
    results = [
        Result(sent, Verdict.SENT, T0, message_id=77),
        Result(failed, Verdict.FAILED, T0, error="400 Bad Request: can't parse entities"),
        Result(cancelled, Verdict.CANCELLED, T0, error="the case was closed"),
        Result(retry, Verdict.RETRY, T0, error="502 Bad Gateway", not_before=later),
        Result(release, Verdict.RELEASE, T0, not_before=later),
        Result(late_retry, Verdict.RETRY, T0, error="timed out", not_before=later),
        Result(late_release, Verdict.RELEASE, T0, not_before=later),
    ]
    if with_a_blocked_chat:
        results.append(Result(blocked, Verdict.BLOCKED, T0, error="403 Forbidden"))
    await repository.record(results)

    stored = await rows(db)
    seen = {
        chat: (row["status"], row["attempts"], row["last_error"], row["message_id"])
        for chat, row in stored.items()
    }
    assert seen[1] == ("sent", 1, None, 77)
    assert stored[1]["sent_at"] == outbox.timestamp(T0)
    assert seen[2] == ("failed", 1, "400 Bad Request: can't parse entities", None)
    assert seen[3] == ("cancelled", 0, "the case was closed", None)
    # A retry counts the attempt and waits; a release was no attempt and keeps no error.
    assert seen[4] == ("pending", 1, "502 Bad Gateway", None)
    assert seen[5] == ("pending", 0, None, None)
    for chat in (4, 5):
        assert stored[chat]["claimed_at"] is None
        assert stored[chat]["not_before"] == outbox.timestamp(later)
    # Rows cancelled while in flight stay cancelled, whatever the engine says after.
    assert seen[6] == ("cancelled", 0, "cancelled by hand", None)
    assert seen[7] == ("cancelled", 0, "cancelled by hand", None)
    assert seen[8][0] == "sending"  # no result yet: untouched
    if with_a_blocked_chat:
        assert seen[9] == ("blocked", 1, "403 Forbidden", None)
        assert await subscriber_status(db, 9) == "blocked"
    else:
        assert seen[9][0] == "sending"
        assert await subscriber_status(db, 9) == "active"
    assert await repository.claim(T0, 10) == []
    assert [d.chat_id for d in await repository.claim(later, 10)] == [4, 5]


async def test_a_cancelled_broadcast_sends_nothing_more_even_after_a_crash(db: Database) -> None:
    await queue(db, [Recipient(c) for c in (1, 2, 3, 4)], kind=Kind.BROADCAST, broadcast_id=1)
    repository = OutboxRepository(db)
    posted, waiting, taken = await repository.claim(T0, 3)
    assert await repository.cancel_broadcast(1) == 4
    # The one already posted was answered: it was sent. The one told to wait stays cancelled.
    await repository.record(
        [
            Result(posted, Verdict.SENT, T0, message_id=9),
            Result(waiting, Verdict.RELEASE, T0, not_before=T0),
        ]
    )
    assert await repository.progress(1) == Progress(sent=1, cancelled=3)
    # A crash now: the third was taken but never posted, and nothing comes back to send.
    assert await repository.recover() == 0
    assert await repository.claim(T0, 10) == []
    assert taken.chat_id == 3


async def test_cancel_stops_pending_rows_of_that_broadcast_only(db: Database) -> None:
    await queue(db, [Recipient(c) for c in (1, 2, 3)], kind=Kind.BROADCAST, broadcast_id=1)
    await queue(db, [Recipient(c) for c in (4, 5)], kind=Kind.BROADCAST, broadcast_id=2)
    repository = OutboxRepository(db)
    (first,) = await repository.claim(T0, 1)
    await repository.record([Result(first, Verdict.SENT, T0, message_id=1)])
    assert await repository.cancel_broadcast(1) == 2
    assert await repository.progress(1) == Progress(sent=1, cancelled=2)
    assert await repository.progress(2) == Progress(pending=2)
    assert (await repository.progress(1)).finished
    assert not (await repository.progress(2)).finished


async def test_a_blocked_chat_marks_its_subscriber_and_its_other_rows(db: Database) -> None:
    (anna, boris) = await subscribe(db, [31, 32])
    await queue(db, [anna, boris])
    await queue(db, [anna], "a reminder", kind=Kind.REMINDER)
    repository = OutboxRepository(db)
    claimed = await repository.claim(T0, 1)
    assert claimed[0].chat_id == 31
    error = "403 Forbidden: bot was blocked by the user"
    await repository.record([Result(claimed[0], Verdict.BLOCKED, T0, error=error)])
    assert await subscriber_status(db, 31) == "blocked"
    assert await subscriber_status(db, 32) == "active"
    async with db.read() as conn:
        cursor = await conn.execute("SELECT status, last_error FROM outbox WHERE chat_id = 31")
        assert {tuple(r) for r in await cursor.fetchall()} == {("blocked", error)}
    # The subscriber's history stays.
    assert await SubscriberRepository(db).get(31) is not None


async def test_a_migrated_group_moves_its_subscription_and_rows(db: Database) -> None:
    (group,) = await subscribe(db, [-4000001])
    await queue(db, [group])
    await queue(db, [group], "second")
    repository = OutboxRepository(db)
    first, second = await repository.claim(T0, 2)
    await repository.record(
        [Result(first, Verdict.MIGRATED, T0, error="400 upgraded", migrate_to=-1000000000001)]
    )
    subscriber = await SubscriberRepository(db).get(-1000000000001)
    assert subscriber is not None and subscriber.chat_type == "supergroup"
    assert await SubscriberRepository(db).get(-4000001) is None
    async with db.read() as conn:
        cursor = await conn.execute("SELECT chat_id, status, migrated FROM outbox ORDER BY id")
        stored = [tuple(r) for r in await cursor.fetchall()]
    # The first goes back to pending, marked so it is resent once only; the second, in flight,
    # moved with it.
    assert stored == [(-1000000000001, "pending", 1), (-1000000000001, "sending", 0)]
    if db.dialect is Dialect.POSTGRESQL:
        # Processes share the chat's limits: its next row waits until the one in flight is
        # recorded, and then for the chat's pace.
        assert await repository.claim(T0, 10) == []
        await repository.record([Result(second, Verdict.SENT, T0, message_id=3)])
        assert await repository.claim(T0, 10) == []
        (again,) = await repository.claim(T0 + timedelta(seconds=2), 10)
    else:
        (again,) = await repository.claim(T0, 10)
    assert again.migrated and again.chat_id == -1000000000001


async def test_rows_sent_at_once_to_a_migrated_group_are_all_resent(db: Database) -> None:
    (group,) = await subscribe(db, [-4000001])
    await queue(db, [group])
    await queue(db, [group], "second")
    repository = OutboxRepository(db)
    claimed = await repository.claim(T0, 2)
    # Both went out together and both were answered "upgraded to a supergroup".
    await repository.record(
        [
            Result(d, Verdict.MIGRATED, T0, error="400 upgraded", migrate_to=-1000000000001)
            for d in claimed
        ]
    )
    subscriber = await SubscriberRepository(db).get(-1000000000001)
    assert subscriber is not None and subscriber.status == SubscriberStatus.ACTIVE
    again = await repository.claim(T0, 10)
    assert [(d.chat_id, d.migrated) for d in again] == [(-1000000000001, True)] * 2


async def test_per_recipient_params_override_the_shared_ones(db: Database) -> None:
    markup = {"inline_keyboard": [[{"text": "Act", "callback_data": "act:9"}]]}
    await queue(db, [Recipient(1), Recipient(2, params={"reply_markup": markup})])
    claimed = await OutboxRepository(db).claim(T0, 10)
    assert claimed[0].params_json is None
    assert claimed[1].params_json is not None
    assert json.loads(claimed[1].params_json) == {"reply_markup": markup}


async def test_purge_deletes_finished_rows_and_unused_payloads(db: Database) -> None:
    await queue(db, [Recipient(1), Recipient(2)])
    repository = OutboxRepository(db)
    first, second = await repository.claim(T0, 2)
    await repository.record([Result(first, Verdict.SENT, T0, message_id=1)])
    assert await repository.purge(T0 + timedelta(days=30)) == 1
    assert set(await rows(db)) == {2}
    await repository.record([Result(second, Verdict.FAILED, T0, error="400 bad")])
    assert await repository.purge(T0 + timedelta(days=30)) == 1
    async with db.read() as conn:
        payloads = await (await conn.execute("SELECT count(*) FROM outbox_payloads")).fetchone()
    assert payloads is not None and payloads[0] == 0
