"""docker-compose.yml: the bot with PostgreSQL. Docker does not run here; the file is read as
Compose reads it, and what the bot is given is checked against what the bot accepts."""

from __future__ import annotations

import re
from typing import Any

import yaml

from bot.config import Settings
from tests.conftest import ROOT, TOKEN


def compose() -> dict[str, Any]:
    loaded = yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))
    assert isinstance(loaded, dict)
    return loaded


def interpolate(value: str, env: dict[str, str]) -> str:
    """Compose's ${NAME} and ${NAME:?message} substitution."""
    return re.sub(r"\$\{(\w+)(?::\?[^}]*)?\}", lambda m: env[m[1]], value)


def test_the_bot_waits_for_a_healthy_postgresql_and_keeps_its_data_on_a_volume() -> None:
    services = compose()["services"]
    assert set(services) == {"postgres", "bot"}
    bot, postgres = services["bot"], services["postgres"]
    assert bot["build"] == "."
    assert (ROOT / "Dockerfile").is_file()
    assert bot["depends_on"] == {"postgres": {"condition": "service_healthy"}}
    assert "pg_isready" in " ".join(postgres["healthcheck"]["test"])
    volume = postgres["volumes"][0].split(":")
    assert volume == ["postgres", "/var/lib/postgresql/data"]
    assert "postgres" in compose()["volumes"]
    assert bot["env_file"] == ".env"
    assert bot["stop_signal"] == "SIGTERM"


def test_the_bot_is_given_a_url_of_the_database_postgresql_creates() -> None:
    services = compose()["services"]
    env = {"POSTGRES_PASSWORD": "s3cret-pass"}
    postgres = {k: interpolate(v, env) for k, v in services["postgres"]["environment"].items()}
    url = interpolate(services["bot"]["environment"]["BOT_DATABASE_URL"], env)
    assert url == (
        f"postgresql://{postgres['POSTGRES_USER']}:{postgres['POSTGRES_PASSWORD']}"
        f"@postgres:5432/{postgres['POSTGRES_DB']}"
    )
    settings = Settings.from_env({"BOT_TOKEN": TOKEN, "BOT_DATABASE_URL": url})
    assert settings.database_url is not None
    assert settings.database_url.reveal() == url
    # The password is among what the log masks, and the settings never show it.
    assert "s3cret-pass" in {secret.reveal() for secret in settings.secrets}
    assert "s3cret-pass" not in repr(settings)


def test_a_missing_password_stops_compose_with_a_message() -> None:
    password = compose()["services"]["postgres"]["environment"]["POSTGRES_PASSWORD"]
    assert re.fullmatch(r"\$\{POSTGRES_PASSWORD:\?.+\}", password)
