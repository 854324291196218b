"""Settings from the environment: defaults, validation that names the variable, hidden secrets."""

from __future__ import annotations

import logging
from datetime import timedelta
from pathlib import Path

import pytest

from bot.config import ConfigError, Settings
from bot.logs import Masker, SecretFilter, startup_failure

TOKEN = "123456:ABCdefGHIjklMNOpqrSTUvwxYZ012345"


def test_defaults_follow_the_documented_interface() -> None:
    settings = Settings.from_env({"BOT_TOKEN": TOKEN})
    assert settings.api_url == "https://api.telegram.org"
    assert settings.bot_base_url == "https://api.telegram.org/bot"
    assert settings.db_path == Path("data/bot.sqlite3")
    assert settings.actions_dir == Path("actions")
    assert settings.organizers == frozenset()
    assert settings.webhook_url is None


def test_every_variable_is_read() -> None:
    settings = Settings.from_env(
        {
            "BOT_TOKEN": TOKEN,
            "BOT_API_URL": "http://127.0.0.1:8081/",
            "BOT_DB_PATH": "/tmp/x.sqlite3",
            "BOT_ORGANIZERS": "11, 22,33",
            "BOT_ACTIONS_DIR": "cases",
            "BOT_WEBHOOK_URL": "https://bot.example.org/telegram",
            "BOT_WEBHOOK_SECRET": "s3cret_token-1_abcdefghijklmnopqrstuvwxyz",
        }
    )
    assert settings.bot_base_url == "http://127.0.0.1:8081/bot"
    assert settings.file_base_url == "http://127.0.0.1:8081/file/bot"
    assert settings.organizers == frozenset({11, 22, 33})
    assert settings.actions_dir == Path("cases")
    assert settings.webhook_secret is not None
    assert settings.webhook_secret.reveal() == "s3cret_token-1_abcdefghijklmnopqrstuvwxyz"


@pytest.mark.parametrize(
    ("env", "named"),
    [
        ({}, "BOT_TOKEN is missing"),
        ({"BOT_TOKEN": "nonsense"}, "BOT_TOKEN is invalid"),
        ({"BOT_TOKEN": TOKEN, "BOT_API_URL": "ftp://x"}, "BOT_API_URL is invalid"),
        ({"BOT_TOKEN": TOKEN, "BOT_ORGANIZERS": "12,abc"}, "BOT_ORGANIZERS is invalid"),
        (
            {
                "BOT_TOKEN": TOKEN,
                "BOT_WEBHOOK_URL": "https://x.org/t",
                "BOT_WEBHOOK_SECRET": "k",
            },
            "BOT_WEBHOOK_SECRET is invalid: use 32-256 random characters",
        ),
        (
            {
                "BOT_TOKEN": TOKEN,
                "BOT_WEBHOOK_URL": "https://x.org/t",
                "BOT_WEBHOOK_SECRET": "a" * 31,
            },
            "BOT_WEBHOOK_SECRET is invalid",
        ),
        (
            {
                "BOT_TOKEN": TOKEN,
                "BOT_WEBHOOK_URL": "https://x.org/t",
                "BOT_WEBHOOK_SECRET": "a b",
            },
            "BOT_WEBHOOK_SECRET is invalid",
        ),
        ({"BOT_TOKEN": TOKEN, "BOT_WEBHOOK_URL": "http://x.org/t"}, "BOT_WEBHOOK_URL is invalid"),
        ({"BOT_TOKEN": TOKEN, "BOT_SEND_RATE": "fast"}, "BOT_SEND_RATE is invalid"),
        (
            {"BOT_TOKEN": TOKEN, "BOT_DEFAULT_TIMEZONE": "Mars/Base"},
            "BOT_DEFAULT_TIMEZONE is invalid",
        ),
    ],
)
def test_a_bad_setting_is_named(env: dict[str, str], named: str) -> None:
    with pytest.raises(ConfigError, match=named):
        Settings.from_env(env)


def test_the_token_never_shows_in_a_repr_or_an_error() -> None:
    settings = Settings.from_env({"BOT_TOKEN": TOKEN})
    assert TOKEN not in repr(settings)
    assert TOKEN not in str(settings)
    with pytest.raises(ConfigError) as caught:
        Settings.from_env({"BOT_TOKEN": TOKEN[:-25]})
    assert TOKEN[:-25] not in str(caught.value)


def test_log_lines_are_scrubbed_of_the_token(caplog: pytest.LogCaptureFixture) -> None:
    settings = Settings.from_env({"BOT_TOKEN": TOKEN})
    logger = logging.getLogger("test.scrub")
    logger.addFilter(SecretFilter([settings.token]))
    with caplog.at_level(logging.INFO, logger="test.scrub"):
        logger.info("POST %s failed", f"https://api.telegram.org/bot{TOKEN}/sendMessage")
    assert TOKEN not in caplog.text
    assert "bot********/sendMessage" in caplog.text


def test_the_offer_sweep_wakes_every_ten_minutes_unless_told() -> None:
    assert Settings.from_env({"BOT_TOKEN": TOKEN}).offer_check == timedelta(minutes=10)
    told = Settings.from_env({"BOT_TOKEN": TOKEN, "BOT_OFFER_CHECK": "30"})
    assert told.offer_check == timedelta(seconds=30)
    with pytest.raises(ConfigError, match="BOT_OFFER_CHECK is invalid"):
        Settings.from_env({"BOT_TOKEN": TOKEN, "BOT_OFFER_CHECK": "soon"})


def test_a_postgresql_url_chooses_postgresql_and_its_password_stays_hidden(
    caplog: pytest.LogCaptureFixture,
) -> None:
    url = "postgresql://bot:pa%40ss-word@db.example.org:5432/urgent"
    settings = Settings.from_env({"BOT_TOKEN": TOKEN, "BOT_DATABASE_URL": url})
    assert settings.database_url is not None and settings.database_url.reveal() == url
    assert settings.database == settings.database_url
    assert "pa%40ss" not in repr(settings) and "pa@ss" not in repr(settings)
    logger = logging.getLogger("test.config.database")
    logger.addFilter(SecretFilter(settings.secrets))
    with caplog.at_level(logging.INFO):
        logger.info("could not reach %s (password %s)", url, "pa@ss-word")
    assert "pa%40ss-word" not in caplog.text
    assert "pa@ss-word" not in caplog.text


def test_a_database_url_that_is_a_path_stays_sqlite() -> None:
    settings = Settings.from_env({"BOT_TOKEN": TOKEN, "BOT_DATABASE_URL": "/srv/bot/b.sqlite3"})
    assert settings.database_url is None
    assert settings.database == Path("/srv/bot/b.sqlite3")
    assert Settings.from_env({"BOT_TOKEN": TOKEN}).database == Path("data/bot.sqlite3")


@pytest.mark.parametrize(
    "url", ["mysql://bot:hunter2@db/urgent", "postgresql://bot:hunter2@db", "sqlite://x"]
)
def test_a_database_url_of_another_kind_is_refused_without_showing_it(url: str) -> None:
    with pytest.raises(ConfigError, match="BOT_DATABASE_URL is invalid") as raised:
        Settings.from_env({"BOT_TOKEN": TOKEN, "BOT_DATABASE_URL": url})
    assert "hunter2" not in str(raised.value)


def test_a_failed_start_shows_no_part_of_the_database_password() -> None:
    url = "postgresql://bot:pa%40ss-word@db.example.org:5432/urgent"
    settings = Settings.from_env({"BOT_TOKEN": TOKEN, "BOT_DATABASE_URL": url})
    # What a driver may say: the URL as given, or the password decoded.
    error = ConnectionError(f"could not connect to {url} with password pa@ss-word")
    line = startup_failure(error, settings)
    assert line.startswith("start-up failed: ConnectionError: could not connect to ")
    assert "pa%40ss-word" not in line
    assert "pa@ss-word" not in line


def test_a_database_that_cannot_be_used_is_one_line_without_the_password(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from bot.__main__ import _failed  # noqa: PLC0415
    from bot.db.startup import UnusableDatabaseError  # noqa: PLC0415

    url = "postgresql://bot:pa%40ss-word@db.example.org:5432/urgent"
    settings = Settings.from_env({"BOT_TOKEN": TOKEN, "BOT_DATABASE_URL": url})
    error = UnusableDatabaseError(f"cannot connect to {url}:\npassword pa@ss-word refused")
    assert _failed(error, settings) == 2
    err = capsys.readouterr().err
    assert err.startswith("database error: cannot connect to ")
    assert err.count("\n") == 1
    assert "pa%40ss-word" not in err
    assert "pa@ss-word" not in err


def test_a_missing_webhook_secret_is_generated_long_and_random() -> None:
    env = {"BOT_TOKEN": TOKEN, "BOT_WEBHOOK_URL": "https://x.org/t"}
    first, second = Settings.from_env(env), Settings.from_env(env)
    assert first.webhook_secret is not None and second.webhook_secret is not None
    assert first.webhook_secret_generated
    assert len(first.webhook_secret.reveal()) >= 32
    assert first.webhook_secret != second.webhook_secret
    assert first.webhook_secret in first.secrets
    given = Settings.from_env({**env, "BOT_WEBHOOK_SECRET": "x" * 32})
    assert not given.webhook_secret_generated


def test_a_proxy_password_in_the_api_url_is_never_shown(caplog: pytest.LogCaptureFixture) -> None:
    url = "http://proxyuser:ProxyPass123@127.0.0.1:1"
    settings = Settings.from_env({"BOT_TOKEN": TOKEN, "BOT_API_URL": url})
    assert settings.shown_api_url == "http://127.0.0.1:1"
    logger = logging.getLogger("test.config.proxy")
    logger.addFilter(SecretFilter(settings.secrets))
    with caplog.at_level(logging.INFO):
        logger.info("reaching %s", url)
    assert "ProxyPass123" not in caplog.text
    with pytest.raises(ConfigError) as caught:
        Settings.from_env({"BOT_TOKEN": TOKEN, "BOT_API_URL": "ftp://u:ProxyPass123@host"})
    assert "ProxyPass123" not in str(caught.value)


def test_a_failed_start_shows_no_proxy_password() -> None:
    from telegram.error import NetworkError  # noqa: PLC0415

    url = "http://proxyuser:ProxyPass123@127.0.0.1:1"
    settings = Settings.from_env({"BOT_TOKEN": TOKEN, "BOT_API_URL": url})
    line = startup_failure(NetworkError(f"cannot connect to {url}"), settings)
    assert "Telegram could not be reached at http://127.0.0.1:1" in line
    assert "ProxyPass123" not in line and "proxyuser" not in line


def test_the_console_is_off_without_its_url_and_needs_https() -> None:
    assert Settings.from_env({"BOT_TOKEN": TOKEN}).console_url is None
    on = Settings.from_env(
        {"BOT_TOKEN": TOKEN, "BOT_CONSOLE_URL": "https://bot.example.org/console/"}
    )
    assert on.console_url == "https://bot.example.org/console"
    assert (on.console_listen, on.console_port) == ("127.0.0.1", 8090)
    with pytest.raises(ConfigError, match="BOT_CONSOLE_URL is invalid"):
        Settings.from_env({"BOT_TOKEN": TOKEN, "BOT_CONSOLE_URL": "http://bot.example.org/c"})
    webhook = {
        "BOT_TOKEN": TOKEN,
        "BOT_WEBHOOK_URL": "https://bot.example.org/telegram",
        "BOT_WEBHOOK_SECRET": "s3cret-" + "x" * 32,
    }
    for shared in ("https://bot.example.org", "https://bot.example.org/telegram"):
        with pytest.raises(ConfigError, match="needs a path of its own"):
            Settings.from_env({**webhook, "BOT_CONSOLE_URL": shared})
    assert Settings.from_env({**webhook, "BOT_CONSOLE_URL": "https://bot.example.org/console"})


def test_a_database_url_without_a_password_is_shown_whole_and_a_password_alone_is_masked() -> None:
    from bot.logs import secrets_of  # noqa: PLC0415

    bare = "postgresql://postgres@db.example.org:5432/urgent"
    settings = Settings.from_env({"BOT_TOKEN": TOKEN, "BOT_DATABASE_URL": bare})
    line = startup_failure(ConnectionError(f"cannot connect to {bare}: refused"), settings)
    assert bare in line, line
    assert "********" not in line
    with_password = "postgresql://bot:hunter2-pass@db.example.org:5432/urgent"
    settings = Settings.from_env({"BOT_TOKEN": TOKEN, "BOT_DATABASE_URL": with_password})
    mask = Masker(secrets_of(settings))
    assert mask(f"cannot connect to {with_password}") == (
        "cannot connect to postgresql://bot:********@db.example.org:5432/urgent"
    )
