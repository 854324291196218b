"""/start races the other updates of the same moment: taps are handled concurrently, and a
person's /forget, or an organizer's import of the case being shown, may land in between its
steps. The /start neither fails nor leaves a record pointing at nothing."""

from __future__ import annotations

import pytest

from bot.catalogue import load_case
from bot.context import UrgentActionApp
from bot.db.alerts import AlertRepository
from bot.db.cases import CaseRepository
from bot.db.connection import Database
from bot.db.subscribers import SubscriberRepository
from bot.domain.cases import UrgentAction
from bot.domain.subscribers import ChatType
from tests.conftest import ROOT, Chatter, MovableClock, services_of

SEED = ROOT / "actions" / "kz-zhanbolat-mamay.toml"


async def test_an_alert_for_a_subscriber_forgotten_meanwhile_is_not_recorded(
    db: Database, clock: MovableClock
) -> None:
    case = load_case(SEED)
    await CaseRepository(db).seed([(case, "test")], clock())
    subscribers = SubscriberRepository(db)
    subscriber, _ = await subscribers.subscribe(7001, ChatType.PRIVATE, "en", clock())
    await subscribers.forget(7001)
    assert await AlertRepository(db, "UTC").record(case, subscriber.id, clock()) is False
    async with db.read() as conn:
        assert await conn.fetchall("SELECT * FROM case_alerts") == []
        assert await conn.fetchall("SELECT * FROM reminders") == []


async def test_a_start_whose_person_is_forgotten_meanwhile_fails_nothing(
    bot: UrgentActionApp,
    person: Chatter,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    services = services_of(bot)
    record = services.alerts.record

    async def forgotten_first(case: UrgentAction, subscriber_id: int, now: object) -> bool:
        # The person's "Yes, delete everything", handled between the /start's two steps.
        await services.subscribers.forget(person.id)
        return await record(case, subscriber_id, now)  # type: ignore[arg-type]

    monkeypatch.setattr(services.alerts, "record", forgotten_first)
    mark = person.emulator.last_id(person.id)
    (welcome,) = await person.say("/start")
    await person.say("/help")  # whatever the /start would still say has come by now
    said = [m.text for m in person.emulator.bot_messages(person.id, mark)]
    assert "Welcome" in welcome.text
    assert not any("Sorry" in text for text in said), said
    assert "handling an update failed" not in caplog.text
