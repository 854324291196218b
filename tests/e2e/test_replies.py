""" "Did anyone reply?": the question two weeks after an appeal (or when the case closes), the
answers, the reply's photo on its way to the organizers without its metadata, and /forget.

The bot's clock is moved instead of waiting; the sweep runs on the test's word (run_job).
"""

from __future__ import annotations

import csv
import dataclasses
import io
import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PIL import Image

from bot.config import Settings
from bot.context import UrgentActionApp
from bot.db.flows import FlowRepository
from bot.db.replies import ReplyRepository
from bot.domain.cases import CaseStatus
from bot.domain.replies import ReplyCounts
from bot.emulator import TelegramEmulator
from bot.emulator.state import RecordedMessage
from bot.operations.closing import close_case
from tests.conftest import ORGANIZER_ID, Chatter, MovableClock, run_job, running_bot, services_of
from tests.e2e.test_offers import settle
from tests.e2e.test_reminders import edited
from tests.reminders.test_plan import SEED
from tests.replies.images import metadata_left, photographed_letter

SEED_ACTIVE = dataclasses.replace(SEED, status=CaseStatus.ACTIVE)
QUESTION_EN = "Did they reply?"
QUESTION_RU = "Пришёл ли ответ?"


@pytest.fixture
def settings(settings: Settings, tmp_path: Path) -> Settings:
    """No case files (each test stores its own case)."""
    empty = tmp_path / "actions"
    empty.mkdir()
    return dataclasses.replace(settings, actions_dir=empty)


@pytest.fixture
async def bot(settings: Settings, clock: MovableClock) -> AsyncIterator[UrgentActionApp]:
    """The real bot, polling the emulator, with the seed case open."""
    async with running_bot(settings, clock) as app:
        await services_of(app).cases.seed([(SEED_ACTIVE, "test")], clock())
        yield app


def replies_of(bot: UrgentActionApp) -> ReplyRepository:
    services = services_of(bot)
    return ReplyRepository(services.db, services.settings.default_timezone)


async def write_to_the_president(someone: Chatter, acted: str, president: str) -> None:
    """The person starts the bot and records an email to the President."""
    _, card = await someone.say("/start", replies=2)
    _, (checklist,) = await someone.press(card, acted, replies=1)
    await someone.press(checklist, president, replies=1)


def questions(someone: Chatter, words: str) -> list[RecordedMessage]:
    return [m for m in someone.emulator.bot_messages(someone.chat_id) if words in m.text]


async def sweep(bot: UrgentActionApp) -> None:
    """Run the sweep and let the delivery engine send what it queued."""
    await run_job(bot, "replies")
    await settle(bot)


async def ask(bot: UrgentActionApp, someone: Chatter, words: str, count: int) -> RecordedMessage:
    """Run the sweep and wait until the person has `count` questions; the last of them."""
    await run_job(bot, "replies")
    await someone.emulator.wait_for(lambda: len(questions(someone, words)) >= count)
    return questions(someone, words)[-1]


async def organizer(emulator: TelegramEmulator) -> Chatter:
    """The organizer, with a private chat with the bot."""
    olga = emulator.create_person("Olga", user_id=ORGANIZER_ID, language_code="en")
    chatter = Chatter(emulator, olga, olga.id)
    await chatter.say("/start", replies=2)
    return chatter


async def test_yes_a_photo_reaches_the_organizers_without_where_it_was_taken(
    bot: UrgentActionApp, emulator: TelegramEmulator, person: Chatter, clock: MovableClock
) -> None:
    olga = await organizer(emulator)
    await write_to_the_president(person, "I've acted", "President of Kazakhstan · email")
    # Thirteen days on: not yet.
    clock.advance(timedelta(days=13))
    await sweep(bot)
    assert await replies_of(bot).counts(SEED.slug) == []
    clock.advance(timedelta(days=1))
    question = await ask(bot, person, QUESTION_EN, 1)
    assert "You wrote to this official about Zhanbolat Mamay. Did they reply?" in question.text
    assert "• President of Kazakhstan — Kassym-Jomart Tokayev" in question.text
    assert [b["text"] for b in question.buttons] == [
        "✅ Yes, they replied",
        "✖️ No",
        "⏳ Not yet",
    ]
    # Exactly one question per person and case, however often the sweep runs.
    clock.advance(timedelta(hours=2))
    await sweep(bot)
    await sweep(bot)
    assert await replies_of(bot).counts(SEED.slug) == [ReplyCounts(0, asked=1)]
    assert len(questions(person, QUESTION_EN)) == 1

    _, (invite,) = await person.press(question, "Yes, they replied", replies=1)
    assert "Before you send it, cover your own address" in invite.text
    assert "Who replied: President of Kazakhstan" in invite.text
    assert "a PDF is passed on as it is" in invite.text
    assert (await edited(person, question)).buttons == []
    # Words, or a file that is no reply, get a clear answer and the wait goes on.
    (said,) = await person.say("here it comes")
    assert "please send a photo of it, or a PDF or picture file" in said.text
    mark = emulator.last_id(person.chat_id)
    await emulator.send_document(person.id, "clip.mp4", b"\x00\x00\x00\x18ftypmp42")
    (refused,) = await emulator.replies(person.chat_id, after=mark)
    assert "please send a photo of it" in refused.text

    photo = photographed_letter((160, 120))
    assert "gps" in metadata_left(photo)
    mark = emulator.last_id(person.chat_id)
    await emulator.send_photo(person.id, photo)
    (thanks,) = await emulator.replies(person.chat_id, after=mark)
    assert "the organizers of this case will see the reply" in thanks.text

    await emulator.wait_for(
        lambda: any(
            "A subscriber sent a reply" in m.text for m in emulator.bot_messages(olga.chat_id)
        ),
    )
    (notice,) = [
        m for m in emulator.bot_messages(olga.chat_id) if "A subscriber sent a reply" in m.text
    ]
    assert "Who replied: President of Kazakhstan" in notice.text
    _, (shown,) = await olga.press(notice, "Open the reply", replies=1)
    assert shown.photo is not None
    assert metadata_left(shown.photo.data) == []
    with Image.open(io.BytesIO(shown.photo.data)) as picture:
        assert picture.size == (160, 120)
    assert "Received 3 June 2022, 11:00 (UTC)." in shown.caption

    # The results screen and the CSV count it per official; the reply opens from there too.
    (listing,) = await olga.say("/cases")
    _, (results,) = await olga.press(listing, "Results", replies=1)
    assert "President of Kazakhstan: 1 · 1 · 0 · 0 · 1" in results.text.splitlines()
    _, (again,) = await olga.press(results, "📎 President of Kazakhstan · 3 June", replies=1)
    assert again.photo is not None and again.photo.data == shown.photo.data
    _, (table,) = await olga.press(results, "CSV", replies=1)
    assert table.document is not None
    rows = list(csv.reader(io.StringIO(table.document.data.decode())))
    assert [SEED.slug, "reply_yes", "0", "1"] in rows
    assert [SEED.slug, "reply_files", "0", "1"] in rows

    # /mydata lists it; /forget deletes it, and the organizers' button says so.
    (file,) = await person.say("/mydata")
    assert file.document is not None
    (sent,) = json.loads(file.document.data)["replies"]["replies_sent"]
    assert (sent["case"], sent["official"], sent["kind"]) == (SEED.slug, 0, "image")
    (confirm,) = await person.say("/forget")
    await person.press(confirm, "Yes, delete everything")
    await edited(person, confirm)
    assert await replies_of(bot).replies(SEED.slug) == []
    # The answer stays as an anonymous count, as appeals do.
    assert await replies_of(bot).counts(SEED.slug) == [ReplyCounts(0, asked=1, yes=1)]
    gone, _ = await olga.press(notice, "Open the reply")
    assert gone == "This reply is no longer kept: the person who sent it has deleted their data."


async def test_not_yet_asks_once_more_and_a_closed_case_asks_sooner_in_russian(
    bot: UrgentActionApp, emulator: TelegramEmulator, clock: MovableClock
) -> None:
    someone = emulator.create_person("Irina", language_code="ru")
    irina = Chatter(emulator, someone, someone.id)
    await write_to_the_president(irina, "Уже сделано", "Президент Республики Казахстан")
    # Two days on the case closes: the question does not wait for the fortnight.
    clock.advance(timedelta(days=2))
    services = services_of(bot)
    case = await services.cases.get(SEED.slug)
    assert case is not None
    await close_case(services, ORGANIZER_ID, case, "released", notify=False)
    question = await ask(bot, irina, QUESTION_RU, 1)
    assert "Вы написали этому адресату. Пришёл ли ответ?" in question.text
    assert "• Президент Республики Казахстан — Касым-Жомарт Токаев" in question.text
    answer, _ = await irina.press(question, "⏳ Пока нет")
    assert answer == "Спасибо. Я спрошу вас ещё раз 5 июня 2022\u202fг., 09:00."
    clock.advance(timedelta(days=14))
    second = await ask(bot, irina, QUESTION_RU, 2)
    answer, _ = await irina.press(second, "⏳ Пока нет")
    assert answer == "Спасибо. Больше я не буду спрашивать об этом деле."
    clock.advance(timedelta(days=30))
    await sweep(bot)
    assert len(questions(irina, QUESTION_RU)) == 2
    async with services.db.read() as conn:
        row = await conn.fetchone("SELECT times, ask_again_at FROM reply_asks")
    assert row is not None and (row["times"], row["ask_again_at"]) == (2, None)
    assert await replies_of(bot).counts(SEED.slug) == [ReplyCounts(0, asked=1, later=1)]


async def test_no_is_counted_and_nobody_is_asked_at_night(
    bot: UrgentActionApp, emulator: TelegramEmulator, person: Chatter, clock: MovableClock
) -> None:
    await write_to_the_president(person, "I've acted", "President of Kazakhstan · email")
    services = services_of(bot)
    await services.subscribers.set_timezone(person.chat_id, "Asia/Almaty", clock())
    # 14 days on, at 17:00 UTC: 23:00 in Almaty, the night there.
    clock.advance(datetime(2022, 6, 3, 17, 0, tzinfo=UTC) - clock())
    await sweep(bot)
    assert await replies_of(bot).counts(SEED.slug) == []
    clock.advance(datetime(2022, 6, 4, 2, 30, tzinfo=UTC) - clock())  # 08:30 in Almaty
    question = await ask(bot, person, QUESTION_EN, 1)
    answer, _ = await person.press(question, "✖️ No")
    assert answer is not None and answer.startswith("Thank you for telling us.")
    assert await replies_of(bot).counts(SEED.slug) == [ReplyCounts(0, asked=1, no=1)]


async def test_a_pdf_is_passed_on_as_it_is_and_stickers_videos_and_big_files_are_refused(
    bot: UrgentActionApp, emulator: TelegramEmulator, clock: MovableClock
) -> None:
    olga = await organizer(emulator)
    someone = emulator.create_person("Irina", language_code="ru")
    irina = Chatter(emulator, someone, someone.id)
    await write_to_the_president(irina, "Уже сделано", "Президент Республики Казахстан")
    clock.advance(timedelta(days=14))
    question = await ask(bot, irina, QUESTION_RU, 1)
    _, (invite,) = await irina.press(question, "Да, ответ пришёл", replies=1)
    assert "Прежде чем отправить, закройте свой адрес" in invite.text
    waiting = "Я жду ответ властей: пришлите его фото или файл PDF либо изображение."
    for kind in ("sticker", "video"):
        mark = emulator.last_id(irina.chat_id)
        if kind == "sticker":
            await emulator.send_sticker(irina.id)
        else:
            await emulator.send_video(irina.id, b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 64)
        (refused,) = await emulator.replies(irina.chat_id, after=mark)
        assert refused.text.startswith(waiting), kind
    mark = emulator.last_id(irina.chat_id)
    await emulator.send_document(irina.id, "answer.pdf", b"%PDF-1.7\n" + b"0" * (11 << 20))
    (too_big,) = await emulator.replies(irina.chat_id, after=mark)
    assert too_big.text.startswith("Этот файл больше 10 МБ.")
    assert await replies_of(bot).replies(SEED.slug) == []

    pdf = b"%PDF-1.7\n1 0 obj\n<< /Author (Irina) >>\nendobj\ntrailer\n<<>>\n%%EOF\n"
    mark = emulator.last_id(irina.chat_id)
    await emulator.send_document(irina.id, "ответ.pdf", pdf)
    (thanks,) = await emulator.replies(irina.chat_id, after=mark)
    assert "Спасибо: организаторы этого дела увидят ответ." in thanks.text
    await emulator.wait_for(
        lambda: any("Open the reply" in str(m.buttons) for m in emulator.bot_messages(olga.id)),
    )
    (notice,) = [m for m in emulator.bot_messages(olga.id) if "Open the reply" in str(m.buttons)]
    _, (shown,) = await olga.press(notice, "Open the reply", replies=1)
    assert shown.document is not None
    assert (shown.document.data, shown.document.file_name) == (pdf, "ответ.pdf")
    # The wait is over: a later photo is not taken for a reply.
    steps = await FlowRepository(services_of(bot).db).of_person(irina.id, clock())
    assert "reply_upload" not in steps
    assert await replies_of(bot).counts(SEED.slug) == [ReplyCounts(0, asked=1, yes=1, files=1)]
