"""A case passed on to a friend: the start link's payload and its anonymous referral code.

The payload is `s_<case slug>_<code>`: at most 45 characters of A-Z a-z 0-9 _ -, as a t.me
start link requires. The code is drawn at random for each card shared and derived from nothing,
so it tells neither the reader nor the organizers who shared; it marks the link as a share.
"""

from __future__ import annotations

import re
import secrets
import string
from dataclasses import dataclass

from bot.views.callbacks import SLUG

CODE_LENGTH = 10
_ALPHABET = string.ascii_letters + string.digits
_PAYLOAD = re.compile(rf"s_(?P<slug>{SLUG})_(?P<code>[A-Za-z0-9]{{{CODE_LENGTH}}})")


@dataclass(frozen=True)
class SharedCase:
    """What a shared card's start link carries: the case, and a referral code."""

    slug: str
    code: str

    @property
    def payload(self) -> str:
        """The /start payload."""
        return f"s_{self.slug}_{self.code}"


def new_share(slug: str) -> SharedCase:
    """A share of the case with a fresh random code."""
    return SharedCase(slug, "".join(secrets.choice(_ALPHABET) for _ in range(CODE_LENGTH)))


def read_share(payload: str) -> SharedCase | None:
    """The share a /start payload carries, or None when it is not a share's."""
    match = _PAYLOAD.fullmatch(payload)
    return SharedCase(match["slug"], match["code"]) if match else None
