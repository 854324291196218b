"""Who is at the console: Telegram's launch data, the console's sessions and sign-in links.

A Mini App opened in Telegram receives `initData`, a query string signed by Telegram with the
bot's token (https://core.telegram.org/bots/webapps, "Validating data received via the Mini
App"): every field but `hash`, sorted by name, written `name=value` one a line, is the
data-check-string; its HMAC-SHA256 keyed with HMAC-SHA256("WebAppData", token) is the hash.
The console checks it once, when it opens, then keeps a session of its own in a cookie signed
with a key derived from the token. Who the person may be is never read from the page: the
session holds a user id, and the bot's own records say at every request whether that user is
an organizer.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qsl, urlencode

# Launch data older than this is refused: it was signed when the Mini App opened, and the
# console turns it into a session at once.
LAUNCH_MAX_AGE = timedelta(hours=1)
# A clock a little ahead of ours is not an attack; one far ahead is.
CLOCK_SKEW = timedelta(minutes=2)
# How long a console session lasts before the console must be opened again.
SESSION_LIFETIME = timedelta(hours=8)
# A sign-in link for a desktop browser: good for this long, and once.
LINK_LIFETIME = timedelta(minutes=10)


class LaunchDataRefusedError(Exception):
    """The launch data is not Telegram's for this bot, or no longer good; the text says why."""


@dataclass(frozen=True)
class LaunchUser:
    """The person Telegram vouches for, as far as the console needs to know them."""

    id: int
    language_code: str | None
    signed_at: datetime


def _webapp_key(token: str) -> bytes:
    return hmac.new(b"WebAppData", token.encode(), hashlib.sha256).digest()


def data_check_string(fields: Mapping[str, str]) -> str:
    """Every field but `hash`, sorted by name, `name=value` one a line, as Telegram signs it."""
    return "\n".join(f"{name}={fields[name]}" for name in sorted(fields) if name != "hash")


def launch_hash(fields: Mapping[str, str], token: str) -> str:
    """The hash Telegram gives launch data with these fields, for the bot with `token`."""
    digest = hmac.new(_webapp_key(token), data_check_string(fields).encode(), hashlib.sha256)
    return digest.hexdigest()


def sign_launch_data(fields: Mapping[str, str], token: str) -> str:
    """Launch data as Telegram passes it: the fields and their hash, URL-encoded.

    The emulator signs with it, as Telegram does, so the demo and the tests need no token.
    """
    return urlencode({**fields, "hash": launch_hash(fields, token)})


def launch_fields(
    user_id: int, first_name: str, language_code: str, now: datetime
) -> dict[str, str]:
    """The fields Telegram puts in the launch data of a Mini App opened from a private chat."""
    user = {"id": user_id, "first_name": first_name, "language_code": language_code}
    return {
        "auth_date": str(int(now.timestamp())),
        "query_id": secrets.token_urlsafe(12),
        "user": json.dumps(user, ensure_ascii=False, separators=(",", ":")),
    }


def check_launch_data(
    init_data: str, token: str, now: datetime, max_age: timedelta = LAUNCH_MAX_AGE
) -> LaunchUser:
    """The person the launch data names, if Telegram signed it for this bot lately.

    Raises LaunchDataRefusedError if it is malformed, altered, signed for another bot, too old
    or dated in the future.
    """
    try:
        pairs = parse_qsl(init_data, keep_blank_values=True, strict_parsing=True)
    except ValueError:
        raise LaunchDataRefusedError("not a query string") from None
    fields = dict(pairs)
    if len(fields) != len(pairs):
        raise LaunchDataRefusedError("a field is given twice")
    given = fields.get("hash", "")
    # Compared in constant time: how long a refusal takes tells nothing about the right hash.
    if not hmac.compare_digest(launch_hash(fields, token).encode(), given.encode()):
        raise LaunchDataRefusedError("the hash does not match")
    try:
        signed_at = datetime.fromtimestamp(int(fields["auth_date"]), UTC)
        user = json.loads(fields["user"])
        user_id = int(user["id"])
    except (KeyError, ValueError, TypeError, OverflowError):
        raise LaunchDataRefusedError("no auth_date or user") from None
    if signed_at > now + CLOCK_SKEW:
        raise LaunchDataRefusedError("signed in the future")
    if now - signed_at > max_age:
        raise LaunchDataRefusedError("signed too long ago")
    language = user.get("language_code")
    return LaunchUser(user_id, language if isinstance(language, str) else None, signed_at)


@dataclass(frozen=True)
class Session:
    """A console session: whose, in which language, until when."""

    user_id: int
    language: str
    expires: datetime


class Sessions:
    """Console sessions in a signed cookie, and the CSRF token tied to each.

    The key is derived from the bot's token, so every process of the bot reads every session,
    and a new token ends them all. Nothing is stored: the organizer's rights are looked up at
    every request, so removing an organizer closes their console at once.
    """

    def __init__(self, token: str) -> None:
        self._key = hmac.new(b"UrgentActionConsole", token.encode(), hashlib.sha256).digest()

    def _mac(self, purpose: str, text: str) -> str:
        return hmac.new(self._key, f"{purpose}\n{text}".encode(), hashlib.sha256).hexdigest()

    def issue(self, user_id: int, language: str, now: datetime) -> str:
        """A new session's cookie value."""
        expires = int((now + SESSION_LIFETIME).timestamp())
        body = f"{user_id}.{language}.{expires}.{secrets.token_urlsafe(12)}"
        return f"{body}.{self._mac('session', body)}"

    def read(self, value: str | None, now: datetime) -> Session | None:
        """The session a cookie value holds, or None if it is forged, altered or expired."""
        if not value:
            return None
        body, _, mac = value.rpartition(".")
        if not hmac.compare_digest(self._mac("session", body).encode(), mac.encode()):
            return None
        parts = body.split(".")
        if len(parts) != 4:
            return None
        try:
            user_id, expires = int(parts[0]), datetime.fromtimestamp(int(parts[2]), UTC)
        except (ValueError, OverflowError):
            return None
        return Session(user_id, parts[1], expires) if now < expires else None

    def csrf(self, value: str) -> str:
        """The CSRF token of the session whose cookie value is `value`."""
        return self._mac("csrf", value)


def new_link_secret() -> tuple[str, str]:
    """A sign-in link's secret, and the hash under which it is stored."""
    secret = secrets.token_urlsafe(24)
    return secret, link_hash(secret)


def link_hash(secret: str) -> str:
    """The hash a link's secret is stored under."""
    return hashlib.sha256(secret.encode()).hexdigest()
