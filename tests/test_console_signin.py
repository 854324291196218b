"""The console's sign-in, on its own: Telegram's launch data (signed here as the emulator signs
it, from Telegram's description), the console's sessions, and sign-in links."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qsl, urlencode

import pytest

from bot.console.signin import (
    LAUNCH_MAX_AGE,
    SESSION_LIFETIME,
    LaunchDataRefusedError,
    Sessions,
    check_launch_data,
    launch_fields,
    sign_launch_data,
)
from bot.db.connection import Database
from bot.db.console import ConsoleLinkRepository
from bot.emulator.webapps import init_data

TOKEN = "123456:TEST-token-ABCDEFGHIJKLMNOPQRSTUV"
OTHER_BOT = "654321:OTHER-token-ABCDEFGHIJKLMNOPQRS"
NOW = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
OLGA = {"id": 42, "first_name": "Olga", "language_code": "fr"}


def signed(token: str = TOKEN, at: datetime = NOW, user: dict[str, object] = OLGA) -> str:
    return init_data(token, user, auth_date=int(at.timestamp()))


def test_launch_data_signed_as_telegram_signs_it_names_its_person() -> None:
    user = check_launch_data(signed(), TOKEN, NOW)
    assert (user.id, user.language_code, user.signed_at) == (42, "fr", NOW)


def test_the_bots_own_signing_agrees_with_the_emulators() -> None:
    fields = launch_fields(42, "Olga", "fr", NOW)
    assert check_launch_data(sign_launch_data(fields, TOKEN), TOKEN, NOW).id == 42


@pytest.mark.parametrize("field", ["auth_date", "query_id", "user", "hash"])
def test_launch_data_with_any_field_altered_is_refused(field: str) -> None:
    fields = dict(parse_qsl(signed()))
    fields[field] = {
        "auth_date": str(int(NOW.timestamp()) - 1),
        "query_id": fields["query_id"] + "x",
        "user": fields["user"].replace('"id":42', '"id":43'),
        "hash": fields["hash"][:-1] + ("0" if fields["hash"][-1] != "0" else "1"),
    }[field]
    with pytest.raises(LaunchDataRefusedError):
        check_launch_data(urlencode(fields), TOKEN, NOW)


def test_launch_data_with_a_field_added_removed_or_given_twice_is_refused() -> None:
    data = signed()
    fields = dict(parse_qsl(data))
    added = urlencode({**fields, "start_param": "x"})
    removed = urlencode({k: v for k, v in fields.items() if k != "query_id"})
    for forged in (added, removed, data + "&user=" + fields["user"], "", "hash", "%zz&="):
        with pytest.raises(LaunchDataRefusedError):
            check_launch_data(forged, TOKEN, NOW)


def test_old_launch_data_is_refused_and_recent_is_not() -> None:
    check_launch_data(signed(at=NOW - LAUNCH_MAX_AGE + timedelta(seconds=5)), TOKEN, NOW)
    with pytest.raises(LaunchDataRefusedError, match="too long ago"):
        check_launch_data(signed(at=NOW - LAUNCH_MAX_AGE - timedelta(seconds=5)), TOKEN, NOW)
    with pytest.raises(LaunchDataRefusedError, match="future"):
        check_launch_data(signed(at=NOW + timedelta(hours=1)), TOKEN, NOW)


def test_launch_data_signed_for_another_bot_is_refused() -> None:
    with pytest.raises(LaunchDataRefusedError, match="hash"):
        check_launch_data(signed(token=OTHER_BOT), TOKEN, NOW)


def test_a_session_reads_back_until_it_expires_and_never_once_altered() -> None:
    sessions = Sessions(TOKEN)
    cookie = sessions.issue(42, "ar", NOW)
    session = sessions.read(cookie, NOW + SESSION_LIFETIME - timedelta(minutes=1))
    assert session is not None
    assert (session.user_id, session.language) == (42, "ar")
    assert sessions.read(cookie, NOW + SESSION_LIFETIME) is None
    assert sessions.read("43" + cookie[2:], NOW) is None
    assert Sessions(OTHER_BOT).read(cookie, NOW) is None
    assert sessions.read("", NOW) is None
    assert sessions.read("garbage", NOW) is None


def test_a_csrf_token_belongs_to_its_session() -> None:
    sessions = Sessions(TOKEN)
    first, second = sessions.issue(42, "en", NOW), sessions.issue(42, "en", NOW)
    assert sessions.csrf(first) == sessions.csrf(first)
    assert sessions.csrf(first) != sessions.csrf(second)


async def test_a_sign_in_link_works_once_and_only_before_it_expires(db: Database) -> None:
    links = ConsoleLinkRepository(db)
    await links.create("used", 42, NOW, NOW + timedelta(minutes=10))
    await links.create("late", 7, NOW, NOW + timedelta(minutes=10))
    assert await links.spend("used", NOW + timedelta(minutes=1)) == 42
    assert await links.spend("used", NOW + timedelta(minutes=2)) is None  # replayed
    assert await links.spend("late", NOW + timedelta(minutes=10)) is None  # expired
    assert await links.spend("never-made", NOW) is None
