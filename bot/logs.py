"""Logging for operators, with secrets scrubbed from every line."""

from __future__ import annotations

import logging
from collections.abc import Iterable

from bot.config import Secret


class SecretFilter(logging.Filter):
    """Replaces secrets (the token appears in Bot API URLs) with asterisks in log records."""

    def __init__(self, secrets: Iterable[Secret]) -> None:
        super().__init__()
        self._secrets = [s.reveal() for s in secrets if s.reveal()]

    def filter(self, record: logging.LogRecord) -> bool:
        """Render the message once, scrub it, and let the record through."""
        message = record.getMessage()
        scrubbed = message
        for secret in self._secrets:
            scrubbed = scrubbed.replace(secret, "********")
        if scrubbed != message:
            record.msg, record.args = scrubbed, None
        if record.exc_info and record.exc_text is None:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            for secret in self._secrets:
                record.exc_text = record.exc_text.replace(secret, "********")
        return True


def configure_logging(secrets: Iterable[Secret], level: int = logging.INFO) -> None:
    """Log to stderr with timestamps; scrub secrets; keep HTTP clients' chatter out."""
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(SecretFilter(secrets))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    # httpx logs every request URL at INFO, and the URL carries the token.
    for noisy in ("httpx", "httpcore", "aiohttp.access"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
