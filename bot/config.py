"""Settings from the environment, validated once at start."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

DEFAULT_API_URL = "https://api.telegram.org"
_TOKEN = re.compile(r"^\d+:[A-Za-z0-9_-]{20,}$")
_SECRET = re.compile(r"^[A-Za-z0-9_-]{1,256}$")


class ConfigError(Exception):
    """A setting is missing or invalid; the message names the variable."""


class Secret:
    """A string that never shows itself in a repr, a log line or an f-string."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        """The secret itself, for the one place that must send it."""
        return self._value

    def __repr__(self) -> str:
        return "Secret('********')"

    __str__ = __repr__

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and other._value == self._value

    def __hash__(self) -> int:
        return hash(self._value)


@dataclass(frozen=True)
class Settings:
    """Everything the bot is told by its deployment."""

    token: Secret
    api_url: str = DEFAULT_API_URL
    db_path: Path = Path("data/bot.sqlite3")
    # A PostgreSQL server instead of the SQLite file (BOT_DATABASE_URL); it holds a password.
    database_url: Secret | None = None
    organizers: frozenset[int] = frozenset()
    actions_dir: Path = Path("actions")
    webhook_url: str | None = None
    webhook_secret: Secret | None = field(default=None)
    webhook_listen: str = "0.0.0.0"  # noqa: S104 - a container listens on all interfaces
    webhook_port: int = 8443
    send_rate: float = 25.0  # messages a second, the whole bot
    paid_broadcast: bool = False
    # PostgreSQL with several processes: seconds a process holds a claimed message before
    # another may take it (its process died).
    delivery_lease: float = 120.0
    default_timezone: str = "UTC"
    # A reminder later than this after its time (the bot was down) is dropped, not sent.
    reminder_grace: timedelta = timedelta(hours=12)
    # How often the bot looks for reminders that have come due.
    reminder_check: timedelta = timedelta(seconds=60)
    # How often the offer sweep looks for people whose next case is due (bot.db.offers).
    offer_check: timedelta = timedelta(minutes=10)

    @property
    def database(self) -> Path | Secret:
        """The database to open: the PostgreSQL URL if one is set, else the SQLite file."""
        return self.database_url if self.database_url is not None else self.db_path

    @property
    def secrets(self) -> list[Secret]:
        """What the log must never show: the token, the webhook's secret, the database's
        password."""
        found = [self.token]
        if self.webhook_secret is not None:
            found.append(self.webhook_secret)
        if self.database_url is not None:
            from urllib.parse import unquote, urlsplit  # noqa: PLC0415

            password = urlsplit(self.database_url.reveal()).password
            if password:
                found.extend({Secret(password), Secret(unquote(password))})
        return found

    @property
    def bot_base_url(self) -> str:
        """The root PTB appends the token and method to: `{api}/bot`."""
        return f"{self.api_url}/bot"

    @property
    def file_base_url(self) -> str:
        """The root for downloading files: `{api}/file/bot`."""
        return f"{self.api_url}/file/bot"

    @classmethod
    # Past the complexity limit on purpose: one branch per setting, read and validated in order.
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:  # noqa: C901
        """Read and validate the settings; raise ConfigError naming the first bad variable."""
        env = os.environ if env is None else env
        token = env.get("BOT_TOKEN", "").strip()
        if not token:
            raise ConfigError("BOT_TOKEN is missing: set it to the token @BotFather gave you.")
        if not _TOKEN.match(token):
            raise ConfigError("BOT_TOKEN is invalid: expected the form 123456:ABC-DEF...")
        api_url = env.get("BOT_API_URL", DEFAULT_API_URL).strip().rstrip("/")
        if not re.match(r"^https?://[^\s/]+", api_url):
            raise ConfigError(f"BOT_API_URL is invalid: {api_url!r} is not an http(s) URL.")
        organizers: set[int] = set()
        for part in env.get("BOT_ORGANIZERS", "").split(","):
            if part.strip():
                if not re.fullmatch(r"\d+", part.strip()):
                    raise ConfigError(
                        f"BOT_ORGANIZERS is invalid: {part.strip()!r} is not a Telegram user id."
                    )
                organizers.add(int(part.strip()))
        webhook_url = env.get("BOT_WEBHOOK_URL", "").strip() or None
        webhook_secret: Secret | None = None
        if webhook_url is not None:
            if not webhook_url.startswith("https://"):
                raise ConfigError("BOT_WEBHOOK_URL is invalid: Telegram calls https:// URLs only.")
            raw_secret = env.get("BOT_WEBHOOK_SECRET", "").strip()
            if not raw_secret:
                raise ConfigError("BOT_WEBHOOK_SECRET is missing: webhook mode requires it.")
            if not _SECRET.match(raw_secret):
                raise ConfigError(
                    "BOT_WEBHOOK_SECRET is invalid: use 1-256 characters of A-Z a-z 0-9 _ -."
                )
            webhook_secret = Secret(raw_secret)
        db_path = Path(env.get("BOT_DB_PATH", "data/bot.sqlite3"))
        database_url: Secret | None = None
        raw_url = env.get("BOT_DATABASE_URL", "").strip()
        if re.match(r"^postgres(ql)?://", raw_url):
            if not re.match(r"^postgres(ql)?://[^\s/]*/[^\s/?]+", raw_url):
                raise ConfigError(
                    "BOT_DATABASE_URL is invalid: expected postgresql://user:password@host/database."
                )
            database_url = Secret(raw_url)
        elif re.match(r"^[a-z][a-z0-9+.-]*://", raw_url):
            raise ConfigError(
                "BOT_DATABASE_URL is invalid: give a postgresql:// URL, or a SQLite file's path."
            )
        elif raw_url:
            db_path = Path(raw_url)
        return cls(
            token=Secret(token),
            api_url=api_url,
            db_path=db_path,
            database_url=database_url,
            organizers=frozenset(organizers),
            actions_dir=Path(env.get("BOT_ACTIONS_DIR", "actions")),
            webhook_url=webhook_url,
            webhook_secret=webhook_secret,
            webhook_listen=env.get("BOT_WEBHOOK_LISTEN", "0.0.0.0"),  # noqa: S104
            webhook_port=_int(env, "BOT_WEBHOOK_PORT", 8443, 1, 65535),
            send_rate=_float(env, "BOT_SEND_RATE", 25.0, 0.1, 1000.0),
            paid_broadcast=_flag(env, "BOT_PAID_BROADCAST"),
            delivery_lease=_float(env, "BOT_DELIVERY_LEASE", 120.0, 5.0, 3600.0),
            default_timezone=_timezone(env, "BOT_DEFAULT_TIMEZONE", "UTC"),
            reminder_grace=timedelta(hours=_float(env, "BOT_REMINDER_GRACE_HOURS", 12, 0, 720)),
            reminder_check=timedelta(seconds=_float(env, "BOT_REMINDER_CHECK", 60, 0.1, 3600)),
            offer_check=timedelta(seconds=_float(env, "BOT_OFFER_CHECK", 600, 0.1, 86400)),
        )


def _int(env: Mapping[str, str], name: str, default: int, low: int, high: int) -> int:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    if not re.fullmatch(r"\d+", raw) or not low <= int(raw) <= high:
        raise ConfigError(f"{name} is invalid: expected a whole number from {low} to {high}.")
    return int(raw)


def _float(env: Mapping[str, str], name: str, default: float, low: float, high: float) -> float:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        value = float("nan")
    if not low <= value <= high:
        raise ConfigError(f"{name} is invalid: expected a number from {low:g} to {high:g}.")
    return value


def _flag(env: Mapping[str, str], name: str) -> bool:
    raw = env.get(name, "").strip().lower()
    if raw in ("", "0", "false", "no", "off"):
        return False
    if raw in ("1", "true", "yes", "on"):
        return True
    raise ConfigError(f"{name} is invalid: expected true or false.")


def _timezone(env: Mapping[str, str], name: str, default: str) -> str:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError  # noqa: PLC0415

    raw = env.get(name, "").strip() or default
    try:
        ZoneInfo(raw)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(f"{name} is invalid: {raw!r} is not an IANA timezone.") from None
    return raw
