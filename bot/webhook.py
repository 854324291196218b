"""The webhook's door: the secret header checked in constant time before the body is read.

PTB's webhook handler (tornado) reads and parses the whole body (up to 100 MB, multipart
included) and only then compares the secret header with `!=`. The handler here streams the
body instead, so `prepare` runs as soon as the headers are in: a request without the right
secret is refused there, in constant time, and logged (at most once a minute, without the
sender's address or what they sent); an accepted one may then send at most `MAX_BODY` bytes.
"""

from __future__ import annotations

import hmac
import logging
import time
from http import HTTPStatus
from typing import Any

import tornado.web
from telegram.ext import _updater
from telegram.ext._utils import webhookhandler

log = logging.getLogger(__name__)

# Telegram's updates are a few kilobytes; a document's content is never in one.
MAX_BODY = 1024 * 1024
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"  # noqa: S105 - a header name
# Refusals are counted, and said at most this often (a guesser would otherwise fill the log).
_REPORT_EVERY = 60.0


class Refusals:
    """Counts refused requests and says so in the log, at most once a minute."""

    def __init__(self, clock: Any = time.monotonic) -> None:
        self._clock = clock
        self._count = 0
        self._said_at: float | None = None

    def note(self, why: str) -> None:
        """Count one refusal, and log the count when a minute has passed since the last line."""
        self._count += 1
        now = self._clock()
        if self._said_at is None or now - self._said_at >= _REPORT_EVERY:
            log.warning(
                "webhook: refused %d request(s) since the last report (latest: %s)",
                self._count,
                why,
            )
            self._count = 0
            self._said_at = now


REFUSALS = Refusals()


def secret_matches(given: str | None, expected: str) -> bool:
    """Whether the header holds the secret, compared in constant time."""
    if given is None:
        return False
    return hmac.compare_digest(given.encode("utf-8", "replace"), expected.encode())


@tornado.web.stream_request_body
class GuardedTelegramHandler(webhookhandler.TelegramHandler):
    """PTB's handler, with the secret checked on the headers and the body's size capped."""

    __slots__ = ("_chunks", "_size")

    def prepare(self) -> None:
        """Refuse before the body is read: wrong content type, missing or wrong secret."""
        if self.request.headers.get("Content-Type") != "application/json":
            REFUSALS.note("not JSON")
            raise tornado.web.HTTPError(HTTPStatus.FORBIDDEN)
        if self.secret_token is None or not secret_matches(
            self.request.headers.get(SECRET_HEADER), self.secret_token
        ):
            REFUSALS.note("missing or wrong secret")
            raise tornado.web.HTTPError(HTTPStatus.FORBIDDEN)
        connection = self.request.connection
        if connection is not None and hasattr(connection, "set_max_body_size"):
            connection.set_max_body_size(MAX_BODY)
        self._chunks: list[bytes] = []
        self._size = 0

    def data_received(self, chunk: bytes) -> None:
        """Keep the body's pieces, up to MAX_BODY."""
        self._size += len(chunk)
        if self._size > MAX_BODY:
            raise tornado.web.HTTPError(HTTPStatus.REQUEST_ENTITY_TOO_LARGE)
        self._chunks.append(chunk)

    async def post(self) -> None:
        """PTB's handling of the update, on the body streamed in."""
        self.request.body = b"".join(self._chunks)
        await super().post()

    def _validate_post(self) -> None:
        """Done in `prepare`, before the body."""


class GuardedWebhookApp(webhookhandler.WebhookAppClass):
    """PTB's webhook application, routing to the guarded handler."""

    def __init__(
        self, webhook_path: str, bot: Any, update_queue: Any, secret_token: str | None = None
    ) -> None:
        if not secret_token:
            raise ValueError("the webhook needs a secret")
        tornado.web.Application.__init__(
            self,
            [
                (
                    rf"{webhook_path}/?",
                    GuardedTelegramHandler,
                    {"bot": bot, "update_queue": update_queue, "secret_token": secret_token},
                )
            ],
        )
        self.shared_objects = {
            "bot": bot,
            "update_queue": update_queue,
            "secret_token": secret_token,
        }


def install() -> None:
    """Make PTB's Updater build the guarded application for `run_webhook`.

    PTB (22.x, pinned below 23) offers no hook for its handler class; the Updater looks the
    application class up in its module when the webhook starts, so that is where it goes.
    """
    _updater.WebhookAppClass = GuardedWebhookApp  # type: ignore[attr-defined]
