"""Reminders in real time against the emulator, across a restart of the bot."""

from __future__ import annotations

import dataclasses
import json
from datetime import UTC, datetime, time, timedelta
from pathlib import Path

from bot.app import build_application, running
from bot.config import Settings
from bot.context import UrgentActionApp
from bot.domain.cases import CaseStatus
from bot.domain.subscribers import Subscriber
from bot.emulator import RecordedMessage, TelegramEmulator
from bot.handlers import reminders as reminders_handlers
from tests.conftest import Chatter, MovableClock, run_job, services_of
from tests.reminders.test_plan import SEED
from tests.waiting import PATIENCE

REMINDER = "last day to help Zhanbolat Mamay"


def bot_messages(person: Chatter) -> list[RecordedMessage]:
    """What the bot has sent the person so far, as it stands now (edits included)."""
    return person.emulator.bot_messages(person.chat_id)


async def edited(person: Chatter, message: RecordedMessage, edits: int = 1) -> RecordedMessage:
    """The message once the bot has edited it `edits` times."""

    def current() -> RecordedMessage:
        (found,) = [m for m in bot_messages(person) if m.message_id == message.message_id]
        return found

    await person.emulator.wait_for(lambda: current().edits >= edits)
    return current()


async def subscriber_of(bot: UrgentActionApp, person: Chatter) -> Subscriber:
    """The person as the bot stores them."""
    subscriber = await services_of(bot).subscribers.get(person.chat_id)
    assert subscriber is not None
    return subscriber


async def due_times(bot: UrgentActionApp, person: Chatter) -> list[datetime]:
    """When the person's pending reminders are due, soonest first."""
    subscriber = await subscriber_of(bot, person)
    return [p.due for p in await services_of(bot).reminders.pending(subscriber.id)]


async def not_now_on_an_older_card(person: Chatter, card: RecordedMessage) -> RecordedMessage:
    """Cards sent before "When will you write?" carry "Not now": it offers to snooze."""
    mark = person.emulator.last_id(person.chat_id)
    answer = await person.emulator.tap(person.id, card, f"nn:{SEED.slug}", forge=True)
    assert answer is not None
    (choice,) = await person.emulator.replies(person.chat_id, after=mark, count=1)
    return choice


async def test_each_reminder_arrives_exactly_once_across_a_restart(
    emulator: TelegramEmulator, settings: Settings, tmp_path: Path
) -> None:
    # The deadline is at 21:00 the same day; reminders 10 and 5 hours before it. Hours, not
    # seconds: the clock runs in real time between its moves, and a loaded machine may take
    # seconds to start the bot.
    clock = MovableClock(start=datetime(2022, 5, 20, 9, 0, 35, tzinfo=UTC))
    deadline = dataclasses.replace(
        next(d for d in SEED.key_dates if d.deadline),
        on=clock().date(),
        time=time(21, 0),
        timezone="UTC",
    )
    case = dataclasses.replace(
        SEED,
        status=CaseStatus.ACTIVE,
        key_dates=(deadline,),
        reminder_offsets=(timedelta(hours=10), timedelta(hours=5)),
    )
    empty = tmp_path / "actions"
    empty.mkdir()
    # The sweep runs at each start, and then when the test says (an hour is never waited).
    settings = dataclasses.replace(settings, actions_dir=empty, reminder_check=timedelta(hours=1))
    anna = emulator.create_person("Anna")
    person = Chatter(emulator, anna, anna.id)

    def reminded() -> list[RecordedMessage]:
        return [m for m in emulator.bot_messages(anna.id) if REMINDER in m.text]

    first_run = build_application(settings, clock=clock)
    async with running(first_run, poll_timeout=timedelta(seconds=1)):
        await services_of(first_run).cases.seed([(case, "test")], clock())
        await person.say("/start", replies=2)  # the welcome and the case's card
        pending = await services_of(first_run).reminders.pending(
            (await services_of(first_run).subscribers.get(anna.id)).id  # type: ignore[union-attr]
        )
        assert [p.due for p in pending] == [
            datetime(2022, 5, 20, 11, 0, tzinfo=UTC),
            datetime(2022, 5, 20, 16, 0, tzinfo=UTC),
        ]
        await run_job(first_run, reminders_handlers.JOB_NAME)
        assert not reminded()  # nothing is due yet
    # The bot is down when the first reminder falls due.
    clock.advance(pending[0].due - clock() + timedelta(seconds=1))

    second_run = build_application(settings, clock=clock)
    async with running(second_run, poll_timeout=timedelta(seconds=1)):
        delivery = services_of(second_run).delivery
        assert delivery is not None
        # What fell due while the bot was down comes at start; the next one on time, not before.
        await emulator.wait_for(lambda: len(reminded()) == 1)
        await run_job(second_run, reminders_handlers.JOB_NAME)
        await delivery.wait_drained(timeout=PATIENCE)
        assert len(reminded()) == 1
        clock.advance(pending[1].due - clock() + timedelta(seconds=1))
        await run_job(second_run, reminders_handlers.JOB_NAME)
        await emulator.wait_for(lambda: len(reminded()) == 2)
        # More sweeps: nothing more comes.
        for _ in range(3):
            await run_job(second_run, reminders_handlers.JOB_NAME)
        await delivery.wait_drained(timeout=PATIENCE)
    reminders = reminded()
    assert len(reminders) == 2
    labels = [button["text"] for button in reminders[0].buttons]
    assert "✍️ Write the appeal" in labels
    assert "✅ I've acted" in labels
    assert "⏰ Tomorrow" in labels


async def test_not_now_on_an_older_card_offers_to_snooze_and_acting_ends_the_reminders(
    bot: UrgentActionApp, person: Chatter
) -> None:
    _, card = await person.say("/start", replies=2)
    services = services_of(bot)
    subscriber = await subscriber_of(bot, person)
    planned = await services.reminders.pending(subscriber.id)
    assert len(planned) == 3

    choice = await not_now_on_an_older_card(person, card)
    assert "I'll remind you on 5 June 2022, 17:59" in choice.text
    answer, _ = await person.press(choice, "In 3 days")
    assert answer == "⏰ I'll remind you on 23 May 2022, 09:00."
    snoozed = await services.reminders.pending(subscriber.id)
    assert snoozed[0].step == "snooze"
    assert len(snoozed) == 4
    # The snooze buttons leave the message once used.
    without = await edited(person, choice)
    assert not [b for b in without.buttons if b.get("callback_data", "").startswith("sz:")]

    _, (checklist,) = await person.press(card, "I've acted", replies=1)
    await person.press(checklist, "President of Kazakhstan · email", replies=1)
    assert await services.reminders.pending(subscriber.id) == []


async def test_an_arabic_reader_reads_the_reminder_time_joined_as_arabic_joins_it(
    bot: UrgentActionApp, emulator: TelegramEmulator
) -> None:
    someone = emulator.create_person("Layla", language_code="ar")
    person = Chatter(emulator, someone, someone.id)
    _, card = await person.say("/start", replies=2)
    choice = await not_now_on_an_older_card(person, card)
    # CLDR's Arabic date and time: the Arabic comma "،", never the Latin one.
    assert "5 يونيو 2022، 17:59" in choice.text
    assert "," not in choice.text


async def test_stop_reminding_me_about_this_case(bot: UrgentActionApp, person: Chatter) -> None:
    _, card = await person.say("/start", replies=2)
    choice = await not_now_on_an_older_card(person, card)
    answer, _ = await person.press(choice, "Stop reminding me")
    assert answer is not None
    assert answer.startswith("🔕 No more reminders about this case")
    services = services_of(bot)
    subscriber = await subscriber_of(bot, person)
    assert await services.reminders.pending(subscriber.id) == []
    assert await services.reminders.stopped(subscriber.id) == [SEED.slug]


async def test_choosing_a_time_zone_moves_reminders_into_the_persons_daytime(
    bot: UrgentActionApp, person: Chatter
) -> None:
    await person.say("/start", replies=2)
    before = await due_times(bot, person)
    assert before[0] == datetime(2022, 6, 5, 17, 59, tzinfo=UTC)  # daytime in UTC

    (settings,) = await person.say("/settings")
    assert "Time zone: UTC (the bot's default)" in settings.text
    await person.press(settings, "Time zone")
    picker = await edited(person, settings)
    assert "between 08:00 and 22:00" in picker.text
    answer, _ = await person.press(picker, "UTC+6")
    assert answer
    updated = await edited(person, settings, edits=2)
    assert "Time zone: UTC+6," in updated.text
    after = await due_times(bot, person)
    # 17:59 UTC is 23:59 at UTC+6: the reminder comes at 08:00 there the next morning.
    assert after[0] == datetime(2022, 6, 6, 2, 0, tzinfo=UTC)
    assert len(after) == len(before)


NOT_TAKEN = "I only understand buttons and commands here."


async def zone_screen(person: Chatter) -> RecordedMessage:
    """/settings, then "Time zone": the screen that waits for a typed place."""
    (settings,) = await person.say("/settings")
    await person.press(settings, "Time zone")
    return await edited(person, settings)


async def test_typing_a_city_chooses_its_zone_and_moves_reminders_into_daytime_there(
    bot: UrgentActionApp, person: Chatter
) -> None:
    _, card = await person.say("/start", replies=2)
    before = await due_times(bot, person)
    # 15 hours before the deadline is 02:59 UTC, night in UTC and in Berlin alike.
    assert before[-1] == datetime(2022, 6, 12, 8, 0, tzinfo=UTC)

    picker = await zone_screen(person)
    assert "Type your city or its time zone" in picker.text
    assert "UTC+6" in [b["text"] for b in picker.buttons]  # the quick path is still there
    (confirmation,) = await person.say("Berlin")
    # 09:00 UTC on 20 May is 11:00 in Berlin, on summer time.
    assert "Your time zone is now Europe/Berlin (UTC+2): it is 11:00 there" in confirmation.text

    after = await due_times(bot, person)
    assert len(after) == len(before)
    assert after[-1] == datetime(2022, 6, 12, 6, 0, tzinfo=UTC)  # 08:00 in Berlin
    (settings,) = await person.say("/settings")
    assert "Time zone: Europe/Berlin (UTC+2), for reminders" in settings.text
    assert "🕗 Time zone: Europe/Berlin (UTC+2)" in [b["text"] for b in settings.buttons]
    # Times the bot names are Berlin's now: the week-before reminder, 17:59 UTC, is 19:59.
    choice = await not_now_on_an_older_card(person, card)
    assert "I'll remind you on 5 June 2022, 19:59" in choice.text
    # The zone is saved, so the next text is no longer taken for one.
    (unexpected,) = await person.say("new york")
    assert unexpected.text.startswith(NOT_TAKEN)
    (file,) = await person.say("/mydata")
    assert file.document is not None
    assert json.loads(file.document.data)["subscriber"]["timezone"] == "Europe/Berlin"


async def test_an_unknown_place_changes_nothing_and_a_shared_name_offers_each_place(
    bot: UrgentActionApp, person: Chatter
) -> None:
    await person.say("/start", replies=2)
    await zone_screen(person)

    (unknown,) = await person.say("Atlantis")
    assert "I know no time zone called “Atlantis”; nothing has changed" in unknown.text
    assert "UTC+6" in [b["text"] for b in unknown.buttons]
    subscriber = await subscriber_of(bot, person)
    assert subscriber.timezone is None

    # The screen still waits: "Eastern" is a zone in the US and one in Canada.
    (several,) = await person.say("eastern")
    assert "Several time zones are called “eastern”" in several.text
    assert [b["text"] for b in several.buttons] == [
        "Canada/Eastern (UTC-4)",
        "US/Eastern (UTC-4)",
    ]
    answer, _ = await person.press(several, "US/Eastern")
    assert answer == "Saved."
    chosen = await edited(person, several)
    assert "Your time zone is now US/Eastern (UTC-4): it is 05:00 there" in chosen.text
    assert chosen.buttons == []
    subscriber = await subscriber_of(bot, person)
    assert subscriber.timezone == "US/Eastern"


async def test_the_zone_screen_stops_waiting_at_a_tap_a_command_or_after_a_while(
    bot: UrgentActionApp, person: Chatter, clock: MovableClock
) -> None:
    _, card = await person.say("/start", replies=2)

    picker = await zone_screen(person)
    answer, _ = await person.press(picker, "UTC+6")
    assert answer == "Saved."
    (after_tap,) = await person.say("Berlin")
    assert after_tap.text.startswith(NOT_TAKEN)

    await zone_screen(person)
    await person.press(card, "Background", replies=1)  # a tap elsewhere
    (after_other_tap,) = await person.say("Berlin")
    assert after_other_tap.text.startswith(NOT_TAKEN)

    await zone_screen(person)
    (help_text,) = await person.say("/help")
    assert "/settings" in help_text.text
    (after_command,) = await person.say("Berlin")
    assert after_command.text.startswith(NOT_TAKEN)

    await zone_screen(person)
    clock.advance(timedelta(minutes=6))
    (after_a_while,) = await person.say("Berlin")
    assert after_a_while.text.startswith(NOT_TAKEN)

    subscriber = await subscriber_of(bot, person)
    assert subscriber.timezone == "Etc/GMT-6"  # the tapped hours, untouched since


async def test_a_group_chooses_its_zone_by_hours_only(
    bot: UrgentActionApp, emulator: TelegramEmulator
) -> None:
    admin = emulator.create_person("Dana")
    group = await emulator.create_group("Amnesty Almaty", members=[admin.id], admins=[admin.id])
    in_group = Chatter(emulator, admin, group.id)
    await in_group.say("/start@UrgentActionBot", replies=2)
    in_private = Chatter(emulator, admin, admin.id)
    await in_private.say("/start", replies=2)
    picker = await zone_screen(in_group)
    assert "Choose your hours from UTC" in picker.text
    assert "Type your city" not in picker.text
    # Nothing waits for a typed place, in the group or in the admin's own chat.
    (private,) = await in_private.say("Berlin")
    assert private.text.startswith(NOT_TAKEN)
    subscriber = await services_of(bot).subscribers.get(admin.id)
    assert subscriber is not None
    assert subscriber.timezone is None
