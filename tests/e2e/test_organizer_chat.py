"""What organizers and groups read in the chat: buttons that name their case, a publish that
says why it reaches nobody, an old "Publish now", /results, and /stop in a group."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

from bot.context import UrgentActionApp
from bot.domain.cases import CaseStatus
from bot.emulator import TelegramEmulator
from tests.conftest import ORGANIZER_ID, Chatter, MovableClock, services_of
from tests.waiting import handled

SLUG = "kz-zhanbolat-mamay"
ALREADY = "This case is already published: its alerts have gone out."


def organizer(emulator: TelegramEmulator) -> Chatter:
    olga = emulator.create_person("Olga", user_id=ORGANIZER_ID)
    return Chatter(emulator, olga, olga.id)


async def as_draft(bot: UrgentActionApp) -> None:
    services = services_of(bot)
    case = await services.cases.get(SLUG)
    assert case is not None
    await services.cases.save(dataclasses.replace(case, status=CaseStatus.DRAFT), services.clock())


async def test_case_buttons_name_their_case_and_results_lists_them(
    bot: UrgentActionApp, emulator: TelegramEmulator
) -> None:
    olga = organizer(emulator)
    (listing,) = await olga.say("/cases")
    labels = [b["text"] for b in listing.buttons]
    assert labels == [
        "🔒 Close · Zhanbolat Mamay",
        "✏️ Edit · Zhanbolat Mamay",
        "📊 Results · Zhanbolat Mamay",
    ]
    (results,) = await olga.say("/results")
    assert "📊 Results · Zhanbolat Mamay" in [b["text"] for b in results.buttons]
    _, (shown,) = await olga.press(results, "Results", replies=1)
    assert "Activist’s detention extended — results" in shown.text


async def test_a_case_past_its_deadline_says_it_reaches_nobody_before_and_after_publishing(
    bot: UrgentActionApp, emulator: TelegramEmulator, clock: MovableClock, person: Chatter
) -> None:
    await person.say("/start", replies=2)
    await as_draft(bot)
    clock.advance(timedelta(days=30))  # 19 June 2022: the deadline was 12 June
    olga = organizer(emulator)
    (listing,) = await olga.say("/cases")
    _, (_, confirm) = await olga.press(listing, "Preview", replies=2)
    assert "Its deadline, 12 June 2022, has passed" in confirm.text
    assert "publishing it now alerts nobody. Publish it all the same?" in confirm.text
    # Everyone, with the reason, as the console's publish page counts them (one function): the
    # one subscriber got the case when it was published before.
    assert confirm.text.endswith("Publish it all the same?\n• 1 not: they already have it")
    await olga.press(confirm, "Publish now")
    await emulator.wait_for(lambda: "Published." in confirm.text)
    assert "Its deadline has passed, so it alerts nobody." in confirm.text
    case = await services_of(bot).cases.get(SLUG)
    assert case is not None and case.status is CaseStatus.ACTIVE


async def test_a_case_published_at_night_says_its_alert_waits_for_the_morning(
    bot: UrgentActionApp, emulator: TelegramEmulator, clock: MovableClock, person: Chatter
) -> None:
    await as_draft(bot)
    await person.say("/start")
    clock.advance(timedelta(hours=14))  # 23:00 UTC: night where Anna lives (the default zone)
    mark = emulator.last_id(person.chat_id)
    olga = organizer(emulator)
    (listing,) = await olga.say("/cases")
    _, (_, confirm) = await olga.press(listing, "Preview", replies=2)
    await olga.press(confirm, "Publish now")
    await emulator.wait_for(lambda: "Published." in confirm.text)
    assert (
        "1 alert is on the way, within Telegram's limits. 1 of them waits for the morning:"
        " it is night where it goes, and alerts arrive between 08:00 and 22:00 local time."
    ) in confirm.text
    await handled(bot, emulator)
    assert emulator.last_id(person.chat_id) == mark  # nothing reaches Anna at night


async def test_an_old_publish_now_on_a_published_case_says_it_is_already_published(
    bot: UrgentActionApp, emulator: TelegramEmulator
) -> None:
    await as_draft(bot)
    olga = organizer(emulator)
    (listing,) = await olga.say("/cases")
    _, (_, first) = await olga.press(listing, "Preview", replies=2)
    _, (_, second) = await olga.press(listing, "Preview", replies=2)
    await olga.press(first, "Publish now")
    await emulator.wait_for(lambda: "Published." in first.text)
    answer, _ = await olga.press(second, "Publish now")
    assert answer == ALREADY
    assert "Published." not in second.text


async def test_stop_in_a_group_speaks_of_the_group(
    bot: UrgentActionApp, emulator: TelegramEmulator
) -> None:
    admin = emulator.create_person("Gala")
    group = await emulator.create_group("Readers", members=[], admins=[admin.id])
    in_group = Chatter(emulator, admin, group.id)
    await in_group.say("/start", replies=2)
    (stopped,) = await in_group.say("/stop")
    assert "This group will receive no more alerts." in stopped.text
    assert "You will" not in stopped.text
    assert [b["text"] for b in stopped.buttons] == ["↩️ Undo: keep this group subscribed"]
