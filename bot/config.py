"""Settings from the environment, validated once at start."""

from __future__ import annotations

import os
import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

DEFAULT_API_URL = "https://api.telegram.org"
_TOKEN = re.compile(r"^\d+:[A-Za-z0-9_-]{20,}$")
# Telegram allows 1-256 of these characters; the bot asks for 32 or more, since anyone who
# guesses it can send updates "from" an organizer.
_SECRET = re.compile(r"^[A-Za-z0-9_-]{1,256}$")
_LANGUAGE_CODE = re.compile(r"^[a-z]{2,3}(?:_[A-Z]{2})?$")
SHORTEST_SECRET = 32


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
    # True when BOT_WEBHOOK_SECRET was unset and the bot made one for this run.
    webhook_secret_generated: bool = False
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
    # The languages offered (BOT_LANGUAGES), complete or not; None: those whose catalogue is.
    languages: tuple[str, ...] | None = None
    # How long a message sent (or given up) stays in the outbox before the daily purge.
    outbox_keep: timedelta = timedelta(days=30)
    # The organizers' console (bot/console/): its public https address, or None when it is off.
    console_url: str | None = None
    # Where the bot's own web server listens for it when no other server carries it.
    console_listen: str = "127.0.0.1"
    console_port: int = 8090

    @property
    def database(self) -> Path | Secret:
        """The database to open: the PostgreSQL URL if one is set, else the SQLite file."""
        return self.database_url if self.database_url is not None else self.db_path

    @property
    def secrets(self) -> list[Secret]:
        """What the log must never show: the token, the webhook's secret, the database's
        password."""
        from urllib.parse import unquote  # noqa: PLC0415

        found = [self.token]
        if self.webhook_secret is not None:
            found.append(self.webhook_secret)
        # The database's password, and a proxy's in BOT_API_URL (http://user:pass@proxy).
        urls = [self.api_url]
        if self.database_url is not None:
            urls.append(self.database_url.reveal())
        for url in urls:
            password = urlsplit_password(url)
            if password:
                found.extend({Secret(password), Secret(unquote(password))})
        return found

    @property
    def shown_api_url(self) -> str:
        """BOT_API_URL as a log line may show it: without user name and password."""
        return without_userinfo(self.api_url)

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
            raise ConfigError(
                f"BOT_API_URL is invalid: {without_userinfo(api_url)!r} is not an http(s) URL."
            )
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
        webhook_secret_generated = False
        if webhook_url is not None:
            if not webhook_url.startswith("https://"):
                raise ConfigError("BOT_WEBHOOK_URL is invalid: Telegram calls https:// URLs only.")
            raw_secret = env.get("BOT_WEBHOOK_SECRET", "").strip()
            if not raw_secret:
                # 43 random characters of A-Z a-z 0-9 _ -; the bot tells Telegram at start.
                raw_secret = secrets.token_urlsafe(32)
                webhook_secret_generated = True
            if not _SECRET.match(raw_secret) or len(raw_secret) < SHORTEST_SECRET:
                raise ConfigError(
                    f"BOT_WEBHOOK_SECRET is invalid: use {SHORTEST_SECRET}-256 random characters"
                    " of A-Z a-z 0-9 _ - (for example: python3 -c 'import secrets;"
                    " print(secrets.token_urlsafe(32))'), or leave it unset and the bot makes"
                    " one at each start."
                )
            webhook_secret = Secret(raw_secret)
        console_url = env.get("BOT_CONSOLE_URL", "").strip().rstrip("/") or None
        if console_url is not None and not re.match(r"^https://[^\s/]+", console_url):
            raise ConfigError("BOT_CONSOLE_URL is invalid: Telegram opens https:// Mini Apps.")
        # With a webhook, the console shares its server: it needs a path beside /telegram.
        if (
            console_url is not None
            and webhook_url is not None
            and (
                not re.match(r"^https://[^\s/]+/[^\s]*[^/\s]", console_url)
                or re.match(r"^https://[^\s/]+/telegram(/|$)", console_url)
            )
        ):
            raise ConfigError(
                "BOT_CONSOLE_URL is invalid: with a webhook it needs a path of its own, "
                "such as https://bot.example.org/console."
            )
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
            webhook_secret_generated=webhook_secret_generated,
            webhook_listen=env.get("BOT_WEBHOOK_LISTEN", "0.0.0.0"),  # noqa: S104
            webhook_port=_int(env, "BOT_WEBHOOK_PORT", 8443, 1, 65535),
            send_rate=_float(env, "BOT_SEND_RATE", 25.0, 0.1, 1000.0),
            paid_broadcast=_flag(env, "BOT_PAID_BROADCAST"),
            delivery_lease=_float(env, "BOT_DELIVERY_LEASE", 120.0, 5.0, 3600.0),
            default_timezone=_timezone(env, "BOT_DEFAULT_TIMEZONE", "UTC"),
            reminder_grace=timedelta(hours=_float(env, "BOT_REMINDER_GRACE_HOURS", 12, 0, 720)),
            reminder_check=timedelta(seconds=_float(env, "BOT_REMINDER_CHECK", 60, 0.1, 3600)),
            offer_check=timedelta(seconds=_float(env, "BOT_OFFER_CHECK", 600, 0.1, 86400)),
            languages=_languages(env, "BOT_LANGUAGES"),
            outbox_keep=timedelta(days=_float(env, "BOT_OUTBOX_KEEP_DAYS", 30, 1, 3650)),
            console_url=console_url,
            console_listen=env.get("BOT_CONSOLE_LISTEN", "127.0.0.1").strip() or "127.0.0.1",
            console_port=_int(env, "BOT_CONSOLE_PORT", 8090, 1, 65535),
        )


def urlsplit_password(url: str) -> str | None:
    """The password in a URL's userinfo, if it has one."""
    from urllib.parse import urlsplit  # noqa: PLC0415

    try:
        return urlsplit(url).password
    except ValueError:
        return None


def without_userinfo(url: str) -> str:
    """The URL with any `user:password@` removed."""
    return re.sub(r"^([a-z][a-z0-9+.-]*://)[^/@\s]*@", r"\1", url, flags=re.IGNORECASE)


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


def _languages(env: Mapping[str, str], name: str) -> tuple[str, ...] | None:
    raw = env.get(name, "").strip()
    if not raw:
        return None
    codes = tuple(part.strip() for part in raw.split(",") if part.strip())
    for code in codes:
        if not _LANGUAGE_CODE.match(code):
            raise ConfigError(
                f"{name} is invalid: {code!r} is not a catalogue's name like fr or pt_BR."
            )
    return codes
