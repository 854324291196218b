"""Logging for operators, with secrets scrubbed from every line and personal data kept out."""

from __future__ import annotations

import dataclasses
import hashlib
import hmac
import logging
import secrets
from collections.abc import Iterable

from telegram.error import InvalidToken, NetworkError

from bot.config import Secret, Settings

MASK = "********"
# Shorter pieces of a secret are not masked on their own: they would hide ordinary words.
_SHORTEST_PIECE = 8
# PTB's words when updates from Telegram cannot be turned into Updates (by webhook, by polling);
# the records that carry them carry the updates too (ids, names, text) and a traceback. By
# polling the bot's ExtBot says it first, then the Updater says it again: the first goes.
_UNREAD_UPDATE = "Received data was *not* processed!"
_UNREAD_BATCH = "Error while parsing updates!"


# A key for this process only, never written anywhere: a log line can say that two events
# concern the same chat, but no one can tell which chat from the log once the process is gone.
_PSEUDONYM_KEY = secrets.token_bytes(32)


def pseudonym(telegram_id: object) -> str:
    """A person's or chat's Telegram id as a log line may show it: a keyed hash, "#3f9a1c2e".

    Telegram ids are stable identifiers of people, and logs outlive /forget (and are often
    shipped elsewhere); the operator needs "the same chat again", not who.
    """
    digest = hmac.new(_PSEUDONYM_KEY, str(telegram_id).encode(), hashlib.sha256).hexdigest()
    return f"#{digest[:8]}"


def secrets_of(settings: Settings) -> list[Secret]:
    """Every secret among the settings (the token, the webhook secret, any added later), and
    of the database URL its password only: the host, port and database name are what an
    operator needs to read in an error, and a URL without a password hides nothing."""
    found = (
        getattr(settings, f.name) for f in dataclasses.fields(settings) if f.name != "database_url"
    )
    return list(dict.fromkeys([*settings.secrets, *(v for v in found if isinstance(v, Secret))]))


class Masker:
    """Replaces secrets in text: each whole, and a token's secret part after its colon."""

    def __init__(self, secrets: Iterable[Secret]) -> None:
        values: set[str] = set()
        for secret in secrets:
            value = secret.reveal()
            if not value:
                continue
            values.add(value)
            _, colon, rest = value.partition(":")
            if colon and len(rest) >= _SHORTEST_PIECE:
                values.add(rest)
        # Longest first, so a whole token is masked before its part.
        self._values = sorted(values, key=len, reverse=True)

    def __call__(self, text: str) -> str:
        """The text with every secret masked."""
        for value in self._values:
            text = text.replace(value, MASK)
        return text


class SecretFilter(logging.Filter):
    """Replaces secrets (the token appears in Bot API URLs) with asterisks in log records."""

    def __init__(self, secrets: Iterable[Secret]) -> None:
        super().__init__()
        self._mask = Masker(secrets)

    def filter(self, record: logging.LogRecord) -> bool:
        """Render the message once, scrub it, and let the record through."""
        message = record.getMessage()
        scrubbed = self._mask(message)
        if scrubbed != message:
            record.msg, record.args = scrubbed, None
        if record.exc_info and record.exc_text is None:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self._mask(record.exc_text)
        return True


class UnreadUpdateFilter(logging.Filter):
    """Turns PTB's record of an update it could not read into one line without the update.

    The record holds the whole update (people's ids, names and what they wrote) in its message
    and its traceback; the operator needs to know that one was dropped, and why in a word.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        """Rewrite the record when it is one of those (or drop PTB's first of two)."""
        if not isinstance(record.msg, str):
            return True
        if _UNREAD_BATCH in record.msg:
            return False
        if _UNREAD_UPDATE not in record.msg:
            return True
        error = record.exc_info[1] if record.exc_info else None
        why = type(error).__name__ if error is not None else "unknown error"
        record.msg = "an update from Telegram could not be read and was dropped (%s)"
        record.args = (why,)
        record.exc_info, record.exc_text, record.stack_info = None, None, None
        return True


class RaisedErrorFilter(logging.Filter):
    """Drops PTB's records of errors it raises right after: the error itself is handled (by the
    error handler, the polling loop's log line, or `startup_failure` at start-up), so the
    record would only add a traceback.

    Two of them: the bootstrap retry loop giving up (a failed start), and a Bot API answer that
    is not JSON (an HTML error page from a proxy, whose text the raised error carries).
    """

    def filter(self, record: logging.LogRecord) -> bool:
        """False for those records; True for every other."""
        if record.levelno < logging.ERROR or not record.name.startswith("telegram"):
            return True
        message = record.msg if isinstance(record.msg, str) else ""
        if message.startswith("Can not load invalid JSON data"):
            return False
        first = record.args[0] if isinstance(record.args, tuple) and record.args else ""
        return not str(first).startswith("Network Retry Loop (Bootstrap")


def startup_failure(error: BaseException, settings: Settings) -> str:
    """One line for the operator when the bot cannot start, with every secret masked."""
    mask = Masker(secrets_of(settings))
    # The API URL's user name goes with its password (both only in a proxy's URL).
    text = str(error).replace(settings.api_url, settings.shown_api_url)
    detail = " ".join(mask(text).split())
    if len(detail) > 300:
        detail = detail[:300] + "…"
    if isinstance(error, InvalidToken):
        why = "Telegram refused the bot token: check BOT_TOKEN (from @BotFather)"
    elif isinstance(error, NetworkError):
        why = f"Telegram could not be reached at {mask(settings.shown_api_url)}: {detail}"
    else:
        why = f"{type(error).__name__}: {detail}"
    return f"start-up failed: {why}"


def configure_logging(secrets: Iterable[Secret], level: int = logging.INFO) -> None:
    """Log to stderr with timestamps; scrub secrets; keep HTTP clients' chatter out."""
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    # First the update's payload goes, then what is left is scrubbed of secrets.
    handler.addFilter(UnreadUpdateFilter())
    handler.addFilter(RaisedErrorFilter())
    handler.addFilter(SecretFilter(secrets))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    # Warnings go through the log too, so they are scrubbed like everything else.
    logging.captureWarnings(True)
    # httpx logs every request URL at INFO, and the URL carries the token.
    for noisy in ("httpx", "httpcore", "aiohttp.access"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
