"""Mini Apps as Telegram opens them: the page's address with the launch data in its fragment.

Telegram opens a Mini App's URL with `#tgWebAppData=...&tgWebAppVersion=...&tgWebAppPlatform=
...&tgWebAppThemeParams=...`; `tgWebAppData` is the `initData` query string, signed with the
bot's token (core.telegram.org/bots/webapps, "Validating data received via the Mini App").
Written here on its own, from Telegram's description, so that the bot's check (bot/console/
signin.py) is tried against a second reading of it.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import time
from typing import Any
from urllib.parse import quote, urlencode

# The version of the Mini App API the emulator says it speaks.
WEB_APP_VERSION = "8.0"
# Telegram's colours in the web client, light and dark: what themeParams carries.
THEMES: dict[str, dict[str, str]] = {
    "light": {
        "bg_color": "#ffffff",
        "text_color": "#000000",
        "hint_color": "#707579",
        "link_color": "#3390ec",
        "button_color": "#3390ec",
        "button_text_color": "#ffffff",
        "secondary_bg_color": "#f4f4f5",
        "header_bg_color": "#ffffff",
        "accent_text_color": "#3390ec",
        "section_bg_color": "#ffffff",
        "section_header_text_color": "#3390ec",
        "subtitle_text_color": "#707579",
        "destructive_text_color": "#e53935",
    },
    "dark": {
        "bg_color": "#212121",
        "text_color": "#ffffff",
        "hint_color": "#aaaaaa",
        "link_color": "#8774e1",
        "button_color": "#8774e1",
        "button_text_color": "#ffffff",
        "secondary_bg_color": "#181818",
        "header_bg_color": "#212121",
        "accent_text_color": "#8774e1",
        "section_bg_color": "#212121",
        "section_header_text_color": "#aaaaaa",
        "subtitle_text_color": "#aaaaaa",
        "destructive_text_color": "#e53935",
    },
}


def init_data(token: str, user: dict[str, Any], *, auth_date: int | None = None) -> str:
    """The `initData` Telegram gives a Mini App opened by `user` from the bot's private chat."""
    fields = {
        "query_id": "AA" + secrets.token_urlsafe(16),
        "user": json.dumps(user, ensure_ascii=False, separators=(",", ":")),
        "auth_date": str(int(time.time()) if auth_date is None else auth_date),
    }
    check = "\n".join(f"{key}={fields[key]}" for key in sorted(fields))
    secret = hmac.new(b"WebAppData", token.encode(), hashlib.sha256).digest()
    fields["hash"] = hmac.new(secret, check.encode(), hashlib.sha256).hexdigest()
    return urlencode(fields, quote_via=quote)


def launch_url(
    token: str,
    user: dict[str, Any],
    url: str,
    *,
    scheme: str = "light",
    auth_date: int | None = None,
) -> str:
    """The address Telegram opens for a Mini App: `url`, launch data in its fragment, signed at
    `auth_date` (Unix time; now when not given)."""
    fragment = urlencode(
        {
            "tgWebAppData": init_data(token, user, auth_date=auth_date),
            "tgWebAppVersion": WEB_APP_VERSION,
            "tgWebAppPlatform": "weba",
            "tgWebAppThemeParams": json.dumps(THEMES[scheme], separators=(",", ":")),
        },
        quote_via=quote,
    )
    return f"{url.split('#', maxsplit=1)[0]}#{fragment}"
