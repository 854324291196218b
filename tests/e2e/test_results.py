"""Results end to end: the funnel day by day, subscribers over time, the CSV and the chart."""

from __future__ import annotations

import csv
import dataclasses
from datetime import timedelta

from bot.context import UrgentActionApp
from bot.domain.cases import CaseStatus
from bot.emulator import TelegramEmulator
from tests.conftest import ORGANIZER_ID, Chatter, MovableClock, services_of
from tests.waiting import handled

SLUG = "kz-zhanbolat-mamay"
PNG = b"\x89PNG\r\n\x1a\n"


async def test_results_show_each_day_and_subscribers_over_time_in_text_csv_and_chart(
    bot: UrgentActionApp, emulator: TelegramEmulator, person: Chatter, clock: MovableClock
) -> None:
    # 20 May: Anna subscribes, opens the appeal and faxes it.
    _, card = await person.say("/start", replies=2)
    await person.press(card, "Write", replies=1)
    _, (checklist,) = await person.press(card, "I've acted", replies=1)
    await person.press(checklist, "President of Kazakhstan · fax", replies=1)
    # 21 May: Boris subscribes (the case reaches him) and stops again.
    clock.advance(timedelta(days=1))
    someone = emulator.create_person("Boris")
    boris = Chatter(emulator, someone, someone.id)
    await boris.say("/start", replies=2)
    await boris.say("/stop")
    # 22 May: the organizer looks.
    clock.advance(timedelta(days=1))
    olga_person = emulator.create_person("Olga", user_id=ORGANIZER_ID)
    olga = Chatter(emulator, olga_person, olga_person.id)
    (listing,) = await olga.say("/cases")
    _, (results,) = await olga.press(listing, "Results", replies=1)
    lines = results.text.splitlines()
    assert "Offered to: 2" in lines
    assert "Acted: 1" in lines
    assert "20 May: 1 · 1 · 1" in lines  # offered · opened · acted for the first time
    assert "21 May: 1 · 0 · 0" in lines
    assert "20 May: +1 −0 → 1" in lines  # joined · left → active at the end of the day
    assert "21 May: +1 −1 → 1" in lines
    assert "Active on 22 May: 1" in lines
    assert "/forget" in results.text  # says what the numbers cannot tell

    _, (export,) = await olga.press(results, "CSV", replies=1)
    assert export.document is not None
    rows = list(csv.reader(export.document.data.decode().splitlines()))
    assert rows[0] == ["case", "measure", "key", "count"]
    assert [SLUG, "acted_by_channel", "fax", "1"] in rows
    assert [SLUG, "first_acted_on_day", "2022-05-20", "1"] in rows
    assert [SLUG, "subscribed_on_day", "2022-05-21", "1"] in rows
    assert [SLUG, "left_on_day", "2022-05-21", "1"] in rows
    active = [row[2:] for row in rows if row[1] == "active_at_end_of_day"]
    assert active == [["2022-05-20", "1"], ["2022-05-21", "1"], ["2022-05-22", "1"]]

    _, (chart,) = await olga.press(results, "Chart", replies=1, timeout=20)
    assert chart.photo is not None
    assert chart.photo.data.startswith(PNG)
    (size,) = chart.photo.as_photo()
    assert (size["width"], size["height"]) == (1200, 800)
    assert chart.caption.startswith("📈 Activist’s detention extended: results by day")


async def test_the_chart_speaks_the_organizers_language(
    bot: UrgentActionApp, emulator: TelegramEmulator
) -> None:
    olga_person = emulator.create_person("Ольга", user_id=ORGANIZER_ID, language_code="ru")
    olga = Chatter(emulator, olga_person, olga_person.id)
    (listing,) = await olga.say("/cases")
    _, (results,) = await olga.press(listing, "Итоги", replies=1)
    _, (chart,) = await olga.press(results, "График", replies=1, timeout=20)
    assert chart.photo is not None
    assert "итоги по дням" in chart.caption


async def test_a_forged_chart_tap_from_anyone_else_gets_no_picture(
    bot: UrgentActionApp, emulator: TelegramEmulator, person: Chatter
) -> None:
    (welcome, _) = await person.say("/start", replies=2)
    mark = emulator.last_id(person.chat_id)
    answer = await emulator.tap(person.id, welcome, f"ochart:{SLUG}", forge=True)
    assert answer is not None
    assert answer.text == "This button no longer works. Send /start to see the open cases."
    # An organizer's chart is sent by the tap's handler, after the answer: none came here.
    await handled(bot, emulator)
    assert emulator.bot_messages(person.chat_id, after=mark) == []


async def test_a_case_never_published_has_no_chart_to_draw(
    bot: UrgentActionApp, emulator: TelegramEmulator
) -> None:
    services = services_of(bot)
    seeded = await services.cases.get(SLUG)
    assert seeded is not None
    draft = dataclasses.replace(seeded, slug="never-published", status=CaseStatus.DRAFT)
    await services.cases.seed([(draft, "never-published.toml")], services.clock())
    someone = emulator.create_person("Olga", user_id=ORGANIZER_ID)
    olga = Chatter(emulator, someone, someone.id)
    (listing,) = await olga.say("/cases")
    mark = emulator.last_id(olga.chat_id)
    await emulator.tap(olga.id, listing, "ors:never-published")
    (results,) = await emulator.replies(olga.chat_id, after=mark, count=1)
    assert "Subscribers" not in results.text
    assert [b["text"] for b in results.buttons] == ["⬇️ CSV", "⏰ Reminder plan"]
    mark = emulator.last_id(olga.chat_id)
    answer = await emulator.tap(olga.id, results, "ochart:never-published", forge=True)
    assert answer is not None
    assert answer.text == "Nothing to draw yet: the case has not been published."
    await handled(bot, emulator)
    assert emulator.bot_messages(olga.chat_id, after=mark) == []
