"""Reading the Bot API's answers, and building request bodies."""

from __future__ import annotations

import json

import pytest

from bot.delivery.engine import request_body
from bot.delivery.messages import Delivery, Payload
from bot.delivery.outcomes import Outcome, judge
from bot.delivery.transport import ApiResponse, redact
from tests.delivery.conftest import error, ok


@pytest.mark.parametrize(
    ("answer", "outcome"),
    [
        (ok(5), Outcome.SENT),
        (error(403, "Forbidden: bot was blocked by the user"), Outcome.UNREACHABLE),
        (error(403, "Forbidden: bot was kicked from the group chat"), Outcome.UNREACHABLE),
        (error(403, "Forbidden: user is deactivated"), Outcome.UNREACHABLE),
        (error(400, "Bad Request: chat not found"), Outcome.UNREACHABLE),
        (
            error(400, "Bad Request: group chat was upgraded", migrate_to_chat_id=-100123),
            Outcome.MIGRATED,
        ),
        (error(400, "Bad Request: message is not modified: same"), Outcome.SENT),
        (error(400, "Bad Request: can't parse entities: Unsupported start tag"), Outcome.REFUSED),
        (error(400, "Bad Request: message is too long"), Outcome.REFUSED),
        (error(429, "Too Many Requests: retry after 3", retry_after=3), Outcome.FLOOD),
        (error(500, "Internal Server Error"), Outcome.TRANSIENT),
        (error(502, "Bad Gateway"), Outcome.TRANSIENT),
        (error(401, "Unauthorized"), Outcome.MISCONFIGURED),
        (error(404, "Not Found"), Outcome.MISCONFIGURED),
        (error(413, "Request Entity Too Large"), Outcome.REFUSED),
    ],
)
def test_each_answer_is_classified_as_the_limits_say(
    answer: ApiResponse, outcome: Outcome
) -> None:
    assert judge(answer).outcome is outcome


def test_a_flood_answer_carries_its_wait_and_a_migration_its_new_chat() -> None:
    assert judge(error(429, "Too Many Requests", retry_after=7)).retry_after == 7
    assert judge(error(429, "Too Many Requests")).retry_after > 0
    moved = judge(error(400, "Bad Request: upgraded", migrate_to_chat_id=-100999))
    assert moved.migrate_to == -100999
    assert judge(ok(42)).message_id == 42


def test_an_answer_that_is_not_the_bot_apis_json_is_a_failure() -> None:
    answer = ApiResponse.parse(502, b"<html>Bad Gateway</html>")
    assert not answer.ok
    assert judge(answer).outcome is Outcome.TRANSIENT
    parsed = ApiResponse.parse(
        400,
        b'{"ok":false,"error_code":400,"description":"Bad Request: upgraded",'
        b'"parameters":{"migrate_to_chat_id":-1001}}',
    )
    assert parsed.migrate_to_chat_id == -1001 and parsed.description == "Bad Request: upgraded"


@pytest.mark.parametrize(
    "body",
    [
        b'{"ok":true,"result":{"message_id":4711,"from":{"id":1,"message_id":9},"text":"x"}}',
        b'{ "ok" : true, "result" : { "message_id" : 4711 } }',
        # Not in the order the Bot API writes: read whole.
        b'{"result":{"text":"x","message_id":4711},"ok":true}',
        b'{"ok":true,"result":{"chat":{"id":5,"message_id":1},"message_id":4711}}',
    ],
)
def test_a_sent_message_is_read_from_its_answer_in_any_layout(body: bytes) -> None:
    answer = ApiResponse.parse(200, body)
    assert answer.ok
    assert answer.message_id == 4711


def test_an_answer_without_a_message_still_counts_as_done() -> None:
    answer = ApiResponse.parse(200, b'{"ok":true,"result":true}')
    assert answer.ok and answer.message_id is None
    refused = ApiResponse.parse(200, b'{"ok":false,"result":{"message_id":1}}')
    assert not refused.ok


def delivery(chat_id: int, params_json: str | None = None) -> Delivery:
    return Delivery(1, 1, chat_id, None, "alert", None, 2, 0, False, params_json)


@pytest.mark.parametrize("paid", [False, True])
def test_bodies_splice_the_chat_into_the_shared_json(paid: bool) -> None:
    shared = {"text": "Привет <b>&amp;</b>", "parse_mode": "HTML"}
    payload = Payload(1, "sendMessage", json.dumps(shared, ensure_ascii=False))
    body = json.loads(request_body(payload, delivery(-100123), paid=paid))
    expected = {"chat_id": -100123, **shared}
    if paid:
        expected["allow_paid_broadcast"] = True
    assert body == expected
    empty = Payload(2, "sendDice", "{}")
    assert json.loads(request_body(empty, delivery(5), paid=False)) == {"chat_id": 5}


def test_bodies_apply_per_recipient_overrides() -> None:
    payload = Payload(1, "sendMessage", '{"text":"hi","reply_markup":{"inline_keyboard":[]}}')
    override = '{"reply_markup":{"inline_keyboard":[[{"text":"A","callback_data":"a"}]]}}'
    body = json.loads(request_body(payload, delivery(9, override), paid=False))
    assert body == {"chat_id": 9, "text": "hi", **json.loads(override)}


def test_tokens_are_redacted_from_text() -> None:
    text = "Cannot connect to http://127.0.0.1:1/bot123456:ABC-def_ghi/sendMessage"
    assert redact(text) == "Cannot connect to http://127.0.0.1:1/bot<token>/sendMessage"
