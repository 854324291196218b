"""One-time sign-in links to the console, for a desktop browser outside Telegram."""

from __future__ import annotations

from bot.console.signin import LINK_LIFETIME, new_link_secret
from bot.context import Services
from bot.db.console import ConsoleLinkRepository


async def issue_link(services: Services, site_url: str, user_id: int) -> str:
    """A new one-time sign-in link for an organizer (what /console gives for a desktop)."""
    secret, hashed = new_link_secret()
    now = services.clock()
    await ConsoleLinkRepository(services.db).create(hashed, user_id, now, now + LINK_LIFETIME)
    return f"{site_url.rstrip('/')}/link/{secret}"
