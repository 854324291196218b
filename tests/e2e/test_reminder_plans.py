"""Organizers choose the reminder plans in the chat: the network's default and a case's own,
beside the case's reminder costs; the reminders still to come follow at once."""

from __future__ import annotations

from bot.context import UrgentActionApp
from bot.emulator import RecordedMessage, TelegramEmulator
from tests.conftest import ORGANIZER_ID, Chatter, services_of
from tests.e2e.test_reminders import edited

SLUG = "kz-zhanbolat-mamay"


async def steps_of(bot: UrgentActionApp, someone: Chatter) -> list[str]:
    """The steps of the person's reminders still to come: seconds before the deadline."""
    services = services_of(bot)
    subscriber = await services.subscribers.get(someone.chat_id)
    assert subscriber is not None
    return [p.step.split("s@")[0] for p in await services.reminders.pending(subscriber.id)]


async def plan_screen(organizer: Chatter, results_label: str, plan_label: str) -> RecordedMessage:
    (listing,) = await organizer.say("/cases")
    _, (results,) = await organizer.press(listing, results_label, replies=1)
    _, (shown,) = await organizer.press(results, plan_label, replies=1)
    return shown


async def test_the_network_default_and_the_cases_own_plan_replan_the_reminders_to_come(
    bot: UrgentActionApp, emulator: TelegramEmulator, person: Chatter
) -> None:
    await person.say("/start", replies=2)
    assert await steps_of(bot, person) == ["604800", "172800", "54000"]
    organizer = emulator.create_person("Olga", user_id=ORGANIZER_ID)
    olga = Chatter(emulator, organizer, organizer.id)
    shown = await plan_screen(olga, "Results", "Reminder plan")
    assert "This case follows the network's default." in shown.text
    assert (
        "The network's default, for every case without a plan of its own: 7 days, 2 days and"
        " 15 hours before the deadline." in shown.text
    )
    labels = [b["text"] for b in shown.buttons]
    assert "✓ 📌 The network's default" in labels
    assert "✓ 🌐 7 days, 2 days and 15 hours before the deadline" in labels
    assert "📌 no reminders" in labels

    # The network's default becomes lighter: the case follows it, and so do Anna's reminders.
    answer, _ = await olga.press(shown, "🌐 2 days and 15 hours before the deadline")
    assert answer == "Saved."
    shown = await edited(olga, shown)
    assert "✓ 🌐 2 days and 15 hours before the deadline" in [b["text"] for b in shown.buttons]
    assert await steps_of(bot, person) == ["172800", "54000"]
    # Someone the case reaches from now on is planned by it too.
    someone = emulator.create_person("Boris")
    boris = Chatter(emulator, someone, someone.id)
    await boris.say("/start", replies=2)
    assert await steps_of(bot, boris) == ["172800", "54000"]

    # The case takes a plan of its own: the network's default no longer moves it.
    await olga.press(shown, "📌 15 hours before the deadline")
    shown = await edited(olga, shown, edits=2)
    assert "This case: 15 hours before the deadline." in shown.text
    assert await steps_of(bot, person) == ["54000"]
    await olga.press(shown, "🌐 no reminders")
    shown = await edited(olga, shown, edits=3)
    assert await steps_of(bot, person) == ["54000"]
    case = await services_of(bot).cases.get(SLUG)
    assert case is not None and case.reminder_offsets is not None

    # Back to the network's default, which is now no reminders at all.
    await olga.press(shown, "📌 The network's default")
    await edited(olga, shown, edits=4)
    assert await steps_of(bot, person) == []


async def test_the_plan_screen_speaks_the_organizers_language(
    bot: UrgentActionApp, emulator: TelegramEmulator
) -> None:
    organizer = emulator.create_person("Ольга", user_id=ORGANIZER_ID, language_code="ru")
    olga = Chatter(emulator, organizer, organizer.id)
    shown = await plan_screen(olga, "Итоги", "План напоминаний")
    assert "Это дело следует плану сети по умолчанию." in shown.text
    labels = [b["text"] for b in shown.buttons]
    assert "✓ 🌐 за 7 дней, 2 дня и 15 часов до срока" in labels
    assert "📌 без напоминаний" in labels
