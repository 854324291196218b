"""When the database is out of reach: the person who taps still gets an answer, at once and in
their own language, from what the process already knows; the operator reads what failed."""

from __future__ import annotations

import asyncio
import logging

import pytest

from bot.context import UrgentActionApp
from bot.handlers import reminders
from tests.conftest import Chatter, services_of
from tests.waiting import PATIENCE

SORRY_RU = "Извините, у нас что-то пошло не так. Попробуйте ещё раз чуть позже."
SORRY_EN = "Sorry, something went wrong on our side. Please try again in a moment."

# The database is cut off on purpose: the bot's apologies are the point.
pytestmark = pytest.mark.apology_expected


def cut_off(app: UrgentActionApp, monkeypatch: pytest.MonkeyPatch) -> None:
    """Make every use of the bot's database fail as a server that went away does."""
    db = services_of(app).db

    class Refused:
        async def __aenter__(self) -> None:
            raise ConnectionRefusedError(111, "Connection refused")

        async def __aexit__(self, *_exc: object) -> None:
            return None

    def refused(*_args: object, **_kwargs: object) -> Refused:
        return Refused()

    monkeypatch.setattr(db, "transaction", refused)
    monkeypatch.setattr(db, "read", refused)
    monkeypatch.setattr(db, "bulk", refused)


async def test_a_tap_during_an_outage_is_answered_in_the_persons_language(
    bot: UrgentActionApp,
    person: Chatter,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    await person.say("/start", replies=2)
    (settings,) = await person.say("/settings")
    await person.press(settings, "Русский")
    await person.say("/help")  # the process hears the chat in Russian
    cut_off(bot, monkeypatch)
    with caplog.at_level(logging.ERROR):
        (reply,) = await person.say("/start")
    assert reply.text == SORRY_RU
    assert "handling an update failed" in caplog.text
    assert "uncaught" not in caplog.text


async def test_a_newcomer_during_an_outage_is_answered_in_their_apps_language(
    bot: UrgentActionApp, person: Chatter, monkeypatch: pytest.MonkeyPatch
) -> None:
    cut_off(bot, monkeypatch)
    mark = person.emulator.last_id(person.id)
    (reply,) = await person.say("/start")
    assert reply.text == SORRY_EN
    # One apology for each tap: the failed update goes to no further handler, to fail again.
    await person.say("/help")
    said = [m.text for m in person.emulator.bot_messages(person.id, mark)]
    assert said == [SORRY_EN, SORRY_EN]


async def test_a_failed_background_job_is_named_as_a_job(
    bot: UrgentActionApp, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    cut_off(bot, monkeypatch)
    assert bot.job_queue is not None
    (job,) = bot.job_queue.get_jobs_by_name(reminders.JOB_NAME)
    with caplog.at_level(logging.ERROR):
        await job.run(bot)
        # The error handler names the job in its log line.
        async with asyncio.timeout(PATIENCE):
            while "failed" not in caplog.text:  # noqa: ASYNC110 - a log line, no event
                await asyncio.sleep(0.02)
    assert f"the background job {reminders.JOB_NAME!r} failed" in caplog.text
    assert "handling an update failed" not in caplog.text
    # An outage is one line for the operator, not a traceback: the job runs again.
    assert "the database is out of reach (ConnectionRefusedError" in caplog.text
    assert "Traceback" not in caplog.text
