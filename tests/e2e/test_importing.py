"""Importing a sheet in the chat, end to end: as a file or as text, then publish, keep, close or
discard; and nobody but an organizer imports anything."""

from __future__ import annotations

import asyncio
import dataclasses

import pytest

from bot.config import Settings
from bot.context import UrgentActionApp
from bot.db.console import CaseSheetRepository
from bot.db.drafts import DraftKind
from bot.db.organizers import OrganizerRepository
from bot.domain.cases import CaseStatus
from bot.emulator import RecordedMessage, TelegramEmulator
from bot.importer import build, extract, isolation
from tests.conftest import (
    HUMAN_PACE,
    ORGANIZER_ID,
    Chatter,
    MovableClock,
    running_bot,
    services_of,
)
from tests.importer.conftest import SHEETS


async def edited(emulator: TelegramEmulator, message: RecordedMessage, words: str) -> str:
    """The message's text once the bot has edited it to say `words` (the edit follows the
    tap's answer)."""
    await emulator.wait_for(lambda: words in message.text)
    return message.text


def organizer(emulator: TelegramEmulator) -> Chatter:
    olga = emulator.create_person("Olga", user_id=ORGANIZER_ID)
    return Chatter(emulator, olga, olga.id)


async def send_sheet(
    someone: Chatter, name: str, *, replies: int = 2, mime_type: str | None = None
) -> list[RecordedMessage]:
    """Send tests/fixtures/sheets/`name` as a document; wait for the bot's replies."""
    emulator = someone.emulator
    emulator.elapse(HUMAN_PACE)
    mark = emulator.last_id(someone.chat_id)
    await emulator.send_document(
        someone.id, name, (SHEETS / name).read_bytes(), mime_type=mime_type
    )
    return await emulator.replies(someone.chat_id, after=mark, count=replies)


async def test_an_organizer_imports_a_pdf_and_publishes_it_through_the_preview(
    bot: UrgentActionApp, emulator: TelegramEmulator
) -> None:
    anna = emulator.create_person("Anna", language_code="en")
    subscriber = Chatter(emulator, anna, anna.id)
    await subscriber.say("/start", replies=2)
    olga = organizer(emulator)
    card, review = await send_sheet(olga, "mexico-ruiz.pdf", mime_type="application/pdf")
    # The case as subscribers will see it, and what to check.
    assert "Indigenous defender threatened after protest" in card.text
    assert "Ana Ruiz" in card.text
    assert "take immediate measures to protect Ana Ruiz" in card.text
    assert "A new case: mx-ana-ruiz" in review.text
    assert "“11 December” has no year; taken as 2023-12-11" in review.text
    assert [b["text"] for b in review.buttons] == [
        "📣 Preview & publish",
        "💾 Keep as draft",
        "🗑 Discard",
    ]
    services = services_of(bot)
    assert await services.cases.get("mx-ana-ruiz") is None  # nothing stored before a choice
    # The preview, with its count, then the confirm; the preview stores nothing.
    _, (preview, confirm) = await olga.press(review, "Preview & publish", replies=2)
    assert "Ana Ruiz" in preview.text
    assert "alerts 1 person" in confirm.text
    assert await services.cases.get("mx-ana-ruiz") is None
    mark = emulator.last_id(subscriber.chat_id)
    await olga.press(confirm, "Publish now")
    (alert,) = await emulator.replies(subscriber.chat_id, after=mark, count=1)
    assert "Indigenous defender threatened after protest" in alert.text
    published = await services.cases.get("mx-ana-ruiz")
    assert published is not None
    assert published.status is CaseStatus.ACTIVE
    # The PDF's text, as read, is kept beside the case for the console's inbox.
    sheet = await CaseSheetRepository(services.db).get("mx-ana-ruiz")
    assert sheet is not None
    assert (sheet.source, sheet.imported_by) == ("chat", ORGANIZER_ID)
    assert "take immediate measures to protect Ana Ruiz" in " ".join(sheet.sheet.split())
    assert any(note["kind"] == "year_inferred" for note in sheet.notes)
    # The import is on the organizers' record.
    audit = await OrganizerRepository(services.db).log()
    assert any(action == "case_imported" for _, _, action, _ in audit)


async def test_a_sheet_pasted_in_parts_after_import_is_kept_as_a_draft(
    bot: UrgentActionApp, emulator: TelegramEmulator
) -> None:
    olga = organizer(emulator)
    (prompt,) = await olga.say("/import")
    assert "Paste its text" in prompt.text
    sheet = (SHEETS / "egypt-adel.txt").read_text(encoding="utf-8")
    half = sheet.index("TAKE ACTION")
    (first,) = await olga.say(sheet[:half])
    assert "Received 1 part" in first.text
    (second,) = await olga.say(sheet[half:])
    assert "Received 2 parts" in second.text
    _, (card, review) = await olga.press(second, "Read it", replies=2)
    assert "Journalist held for reporting on prices" in card.text
    assert "A new case: eg-karim-adel" in review.text
    answer, _ = await olga.press(review, "Keep as draft")
    assert not answer
    assert "Subscribers do not see it" in await edited(emulator, review, "Kept as a draft")
    stored = await services_of(bot).cases.get("eg-karim-adel")
    assert stored is not None
    assert (stored.status, stored.reference) == (CaseStatus.DRAFT, "UA 41/23")
    # The parts, read as one sheet, wait beside the draft for the console's inbox.
    kept = await CaseSheetRepository(services_of(bot).db).get("eg-karim-adel")
    assert kept is not None
    assert kept.source == "chat"
    assert kept.sheet.split() == sheet.split()
    (listing,) = await olga.say("/cases")
    assert "Journalist held for reporting on prices" in listing.text
    # The buttons of a sheet already decided on are gone; an old tap does nothing more.
    assert review.buttons == []
    late = await emulator.tap(olga.id, review, "oim:eg-karim-adel:drop", forge=True)
    assert late is not None
    assert late.text == "This sheet is no longer waiting. Send it again to import it."
    assert await services_of(bot).cases.get("eg-karim-adel") == stored


async def test_parts_past_a_sheets_size_are_refused_and_not_kept(
    bot: UrgentActionApp, emulator: TelegramEmulator
) -> None:
    olga = organizer(emulator)
    await olga.say("/import")
    part = "A long story. " * 292  # 4088 characters: a message's worth
    for n in range(1, 49):
        (received,) = await olga.say(part)
        assert f"Received {n} part" in received.text
    (refused,) = await olga.say(part)
    assert "too large for an Urgent Action sheet" in refused.text
    services = services_of(bot)
    (draft,) = await services.drafts.of_person(olga.id, services.clock())
    assert len(draft.body["chunks"]) == 48


async def test_a_pasted_follow_up_updates_its_case(
    bot: UrgentActionApp, emulator: TelegramEmulator
) -> None:
    olga = organizer(emulator)
    # A whole sheet in one message needs no /import.
    sheet = (SHEETS / "kazakhstan-mamay-update.txt").read_text(encoding="utf-8")
    card, review = await olga.say(sheet, replies=2)
    assert "Activist’s detention extended again" in card.text
    assert "An update to “Activist’s detention extended”" in review.text
    assert "The case is published now" in review.text
    services = services_of(bot)
    live = await services.cases.get("kz-zhanbolat-mamay")
    _, (_, confirm) = await olga.press(review, "Preview & publish", replies=2)
    assert "Publish now" in confirm.buttons[0]["text"]
    # The preview leaves the live case as it was: its translations, its deadline.
    assert await services.cases.get("kz-zhanbolat-mamay") == live
    await olga.press(confirm, "Publish now")
    await edited(emulator, confirm, "Published.")
    updated = await services.cases.get("kz-zhanbolat-mamay")
    assert updated is not None
    assert updated.status is CaseStatus.ACTIVE  # still published, with the new facts
    assert updated.texts["en"].title == "Activist’s detention extended again"
    assert updated.deadline is not None
    assert updated.deadline.on.isoformat() == "2022-08-12"


async def test_a_follow_up_that_changes_where_letters_go_shows_every_change_first(
    bot: UrgentActionApp, emulator: TelegramEmulator
) -> None:
    olga = organizer(emulator)
    sheet = (SHEETS / "kazakhstan-mamay-update.txt").read_text(encoding="utf-8")
    forged = sheet.replace("udp@udp-rk.kz", "udp@udp-rk-kz.example")
    _, review = await olga.say(forged, replies=2)
    assert "Where people’s letters go would change:" in review.text
    assert "email: udp@udp-rk.kz → udp@udp-rk-kz.example" in review.text
    services = services_of(bot)
    _, (_, confirm) = await olga.press(review, "Preview & publish", replies=2)
    await olga.press(confirm, "Publish now")
    await edited(emulator, confirm, "Published.")
    log = await OrganizerRepository(services.db).log()
    (detail,) = [detail for _, _, action, detail in log if action == "case_imported"]
    (email,) = [c for c in detail["contacts_changed"] if c["field"] == "emails"]
    assert (email["before"], email["after"]) == ("udp@udp-rk.kz", "udp@udp-rk-kz.example")


async def test_a_genuine_follow_up_shows_only_what_it_changes_in_where_letters_go(
    bot: UrgentActionApp, emulator: TelegramEmulator
) -> None:
    olga = organizer(emulator)
    sheet = (SHEETS / "kazakhstan-mamay-update.txt").read_text(encoding="utf-8")
    _, review = await olga.say(sheet, replies=2)
    assert "An update to" in review.text
    # The follow-up sheet lists no embassy: the copy to it would go, and the review says so.
    assert "His Excellency Akylbek Kamaldinov: removed (ottawa@mfa.kz;" in review.text
    assert "email:" not in review.text


async def test_a_follow_up_asking_for_no_further_action_closes_its_case(
    bot: UrgentActionApp, emulator: TelegramEmulator
) -> None:
    olga = organizer(emulator)
    _, draft_review = await send_sheet(olga, "egypt-adel.txt")
    await olga.press(draft_review, "Keep as draft")
    await edited(emulator, draft_review, "Kept as a draft")
    card, review = await send_sheet(olga, "egypt-adel-released.txt")
    assert "This case is closed" in card.text
    assert [b["text"] for b in review.buttons] == ["🔒 Save and close the case", "🗑 Discard"]
    await olga.press(review, "Save and close")
    # The organizers' own closing buttons: tell everyone alerted, or close quietly.
    asked = await edited(emulator, review, "The update is saved")
    assert "close Journalist released as “Released”" in asked
    services = services_of(bot)
    saved = await services.cases.get("eg-karim-adel")
    assert saved is not None
    assert (saved.status, saved.outcome) == (CaseStatus.DRAFT, None)  # until the choice
    await olga.press(review, "Close quietly")
    await edited(emulator, review, "is closed: released")
    closed = await services.cases.get("eg-karim-adel")
    assert closed is not None
    assert (closed.status, closed.outcome) == (CaseStatus.CLOSED, "released")
    assert closed.texts["en"].title == "Journalist released"


async def test_discarding_stores_nothing(bot: UrgentActionApp, emulator: TelegramEmulator) -> None:
    olga = organizer(emulator)
    _, review = await send_sheet(olga, "azerbaijan-karimli.txt", mime_type="text/plain")
    await olga.press(review, "Discard")
    assert "Discarded" in await edited(emulator, review, "nothing was saved")
    assert await services_of(bot).cases.get("az-aysel-karimli") is None


async def test_an_organizers_file_that_is_no_sheet_is_refused_with_a_reason(
    bot: UrgentActionApp, emulator: TelegramEmulator
) -> None:
    olga = organizer(emulator)
    emulator.elapse(HUMAN_PACE)
    mark = emulator.last_id(olga.chat_id)
    await emulator.send_document(olga.id, "photo.png", b"\x89PNG\r\n\x1a\n\x00\x00")
    (reply,) = await emulator.replies(olga.chat_id, after=mark, count=1)
    assert "neither text nor a PDF" in reply.text


async def test_anyone_else_gets_the_ordinary_help(
    bot: UrgentActionApp, emulator: TelegramEmulator, person: Chatter
) -> None:
    await person.say("/start", replies=2)
    (reply,) = await send_sheet(person, "egypt-adel.txt", replies=1)
    assert "/start" in reply.text and "/help" in reply.text  # the help
    (reply,) = await person.say("/import")
    assert "/help" in reply.text
    # A pasted sheet is just text typed to the bot.
    sheet = (SHEETS / "egypt-adel.txt").read_text(encoding="utf-8")
    (reply,) = await person.say(sheet)
    assert "I only understand buttons and commands" in reply.text
    assert await services_of(bot).cases.get("eg-karim-adel") is None


async def test_a_sheet_waits_across_restarts_until_it_is_kept(
    emulator: TelegramEmulator, settings: Settings, clock: MovableClock
) -> None:
    olga = organizer(emulator)
    sheet = (SHEETS / "egypt-adel.txt").read_text(encoding="utf-8")
    half = sheet.index("TAKE ACTION")
    async with running_bot(settings, clock):
        await olga.say("/import")
        (first,) = await olga.say(sheet[:half])
        assert "Received 1 part" in first.text
    # The bot restarts while the sheet comes in parts...
    async with running_bot(settings, clock):
        (second,) = await olga.say(sheet[half:])
        assert "Received 2 parts" in second.text
        _, (card, review) = await olga.press(second, "Read it", replies=2)
        assert "Journalist held for reporting on prices" in card.text
        assert "A new case: eg-karim-adel" in review.text
    # ...and while the sheet read awaits a decision.
    async with running_bot(settings, clock) as app:
        answer, _ = await olga.press(review, "Keep as draft")
        assert not answer
        assert "Subscribers do not see it" in await edited(emulator, review, "Kept as a draft")
        stored = await services_of(app).cases.get("eg-karim-adel")
        assert stored is not None
        assert (stored.status, stored.reference) == (CaseStatus.DRAFT, "UA 41/23")
        (listing,) = await olga.say("/cases")
        assert "Journalist held for reporting on prices" in listing.text
        # Decided, the sheet is no longer waiting.
        late = await emulator.tap(olga.id, review, "oim:eg-karim-adel:drop", forge=True)
        assert late is not None
        assert late.text == "This sheet is no longer waiting. Send it again to import it."
        assert await services_of(app).cases.get("eg-karim-adel") == stored


async def test_a_sheet_sent_as_a_file_is_published_after_a_restart(
    emulator: TelegramEmulator, settings: Settings, clock: MovableClock
) -> None:
    olga = organizer(emulator)
    async with running_bot(settings, clock):
        anna = emulator.create_person("Anna", language_code="en")
        subscriber = Chatter(emulator, anna, anna.id)
        await subscriber.say("/start", replies=2)
        _, review = await send_sheet(olga, "mexico-ruiz.pdf", mime_type="application/pdf")
        assert "“11 December” has no year; taken as 2023-12-11" in review.text
    async with running_bot(settings, clock) as app:
        _, (preview, confirm) = await olga.press(review, "Preview & publish", replies=2)
        assert "Ana Ruiz" in preview.text
        assert "alerts 1 person" in confirm.text
        mark = emulator.last_id(subscriber.chat_id)
        await olga.press(confirm, "Publish now")
        (alert,) = await emulator.replies(subscriber.chat_id, after=mark, count=1)
        assert "Indigenous defender threatened after protest" in alert.text
        published = await services_of(app).cases.get("mx-ana-ruiz")
        assert published is not None
        assert published.status is CaseStatus.ACTIVE


async def test_a_sheet_whose_slug_another_case_holds_never_overwrites_it(
    bot: UrgentActionApp, emulator: TelegramEmulator
) -> None:
    services = services_of(bot)
    seeded = await services.cases.get("kz-zhanbolat-mamay")
    assert seeded is not None
    # An unrelated case that happens to hold the slug the sheet's person would get.
    other = dataclasses.replace(seeded, slug="mx-ana-ruiz", status=CaseStatus.DRAFT)
    await services.cases.seed([(other, "test")], services.clock())
    olga = organizer(emulator)
    _, review = await send_sheet(olga, "mexico-ruiz.pdf", mime_type="application/pdf")
    assert "A new case: mx-ana-ruiz-2" in review.text
    await olga.press(review, "Keep as draft")
    await edited(emulator, review, "Kept as a draft")
    assert await services.cases.get("mx-ana-ruiz") == other
    imported = await services.cases.get("mx-ana-ruiz-2")
    assert imported is not None
    assert imported.people[0].name == "Ana Ruiz"


async def test_a_sheet_is_read_once_in_a_process_of_its_own(
    bot: UrgentActionApp, emulator: TelegramEmulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The importer never runs in the bot's process (where a crafted sheet froze every chat),
    and a sheet is read once: the decision uses what the review showed."""

    def not_here(*args: object, **kwargs: object) -> object:
        raise AssertionError("the importer ran in the bot's own process")

    monkeypatch.setattr(build, "import_sheet", not_here)
    monkeypatch.setattr(extract, "read_sheet", not_here)
    runs: list[isolation.Job] = []
    child = isolation.run

    async def counted(job: isolation.Job, limits: isolation.Limits | None = None) -> object:
        runs.append(job)
        return await child(job, limits)

    monkeypatch.setattr(isolation, "run", counted)
    olga = organizer(emulator)
    card, review = await send_sheet(olga, "mexico-ruiz.pdf", mime_type="application/pdf")
    assert "Ana Ruiz" in card.text
    await olga.press(review, "Keep as draft")
    await edited(emulator, review, "Kept as a draft")
    assert len(runs) == 1
    stored = await services_of(bot).cases.get("mx-ana-ruiz")
    assert stored is not None and stored.people[0].name == "Ana Ruiz"


async def test_while_a_sheet_is_read_everyone_else_is_answered_and_an_overrun_is_said(
    bot: UrgentActionApp,
    emulator: TelegramEmulator,
    person: Chatter,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A sheet that takes long to read (here a child that sleeps, standing for the crafted
    sheets that froze the bot) keeps no one else waiting, and past its limit the organizer is
    told why nothing came."""
    release = asyncio.Event()
    child = isolation.run

    async def slow(job: isolation.Job, limits: isolation.Limits | None = None) -> object:
        await release.wait()
        return await child(job, isolation.Limits(seconds=0.001))

    monkeypatch.setattr(isolation, "run", slow)
    olga = organizer(emulator)
    await person.say("/start", replies=2)
    mark = emulator.last_id(olga.chat_id)
    await emulator.send_document(olga.id, "sheet.txt", (SHEETS / "egypt-adel.txt").read_bytes())
    try:
        (help_,) = await person.say("/help")
        assert "/start" in help_.text
        # The sheet is still being read: nothing has come to the organizer yet.
        assert [m for m in emulator.bot_messages(olga.chat_id) if m.message_id > mark] == []
    finally:
        release.set()
    (answer,) = await emulator.replies(olga.chat_id, after=mark)
    assert "took too long or needed too much memory" in answer.text
    assert await services_of(bot).drafts.of_person(olga.id, services_of(bot).clock()) == []


async def test_a_cut_off_sheet_is_kept_as_a_draft_that_cannot_be_published_until_complete(
    bot: UrgentActionApp, emulator: TelegramEmulator
) -> None:
    olga = organizer(emulator)
    card, review = await send_sheet(olga, "cut-off-turkey.txt")
    assert "Selin Aydın" in card.text
    assert "A new case: xx-selin-aydin" in review.text
    # Each gap named in the organizer's words, never as a field of the file.
    assert "Before it is published, complete: Country, Background and Asks" in review.text
    assert "text.en" not in review.text and "country_code" not in review.text
    # What it lacks cannot go out: only keeping it as a draft, or discarding it.
    assert [b["text"] for b in review.buttons] == ["💾 Keep as draft", "🗑 Discard"]
    await olga.press(review, "Keep as draft")
    await edited(emulator, review, "Kept as a draft")
    services = services_of(bot)
    stored = await services.cases.get("xx-selin-aydin")
    assert stored is not None
    assert stored.status is CaseStatus.DRAFT
    # The organizers' own list offers to publish it, and refuses, naming what is missing.
    (listing,) = await olga.say("/cases")
    answer, _ = await olga.press(listing, "Preview")
    assert answer is not None
    assert "not complete yet: Country, Background and Asks." in answer
    # A forged "Publish now" for it publishes nothing either.
    late = await emulator.tap(olga.id, listing, "opc:xx-selin-aydin", forge=True)
    assert late is not None
    assert late.text is not None
    assert "not complete yet" in late.text
    assert await services.cases.get("xx-selin-aydin") == stored


async def test_a_french_sheet_pasted_in_the_chat_is_read_in_french(
    bot: UrgentActionApp, emulator: TelegramEmulator
) -> None:
    olga = organizer(emulator)
    sheet = (SHEETS / "fr-appeals-guinee-2015.txt").read_text(encoding="utf-8")
    card, review = await olga.say(sheet, replies=2)
    assert "Mamadou Camara" in card.text
    assert "A new case: gn-mamadou-camara" in review.text
    await olga.press(review, "Keep as draft")
    await edited(emulator, review, "Kept as a draft")
    stored = await services_of(bot).cases.get("gn-mamadou-camara")
    assert stored is not None
    assert list(stored.texts) == ["fr"]
    assert stored.targets[0].salutation == "Madame la Ministre"


async def test_a_sheet_with_many_long_notes_is_reviewed_in_one_message_within_telegrams_limit(
    bot: UrgentActionApp, emulator: TelegramEmulator
) -> None:
    olga = organizer(emulator)
    # Many people to check, a summary far longer than a card holds, and a long letter.
    people = ". ".join(
        f"Activist Name{chr(65 + i)} Surname{chr(65 + i)} is held" for i in range(18)
    )
    story = " ".join(["The authorities detained them at a peaceful march in Tunis."] * 60)
    sheet = (
        "URGENT ACTION\nACTIVISTS DETAINED\n" + people + ". " + story + "\n"
        "TAKE ACTION: WRITE AN APPEAL IN YOUR OWN WORDS OR USE THIS MODEL LETTER\n"
        "Minister of Justice\nLeila Haddad\nMinistry of Justice\nTunis, Tunisia\n"
        "Dear Minister,\n"
        + "I am writing about NameA SurnameA, held since 3 May 2024 in Tunis. " * 15
        + "\nYours sincerely,\n"
    )
    card, review = await olga.say(sheet, replies=2)
    assert "Activists detained" in card.text
    assert len(card.text) <= 4096  # the summary is its first sentences; the rest background
    assert "To check:" in review.text
    assert "more: python -m bot import lists them all" in review.text
    assert len(review.text) <= 4096


async def test_a_sheet_whose_card_outgrows_a_message_is_kept_as_a_draft_only(
    bot: UrgentActionApp, emulator: TelegramEmulator
) -> None:
    olga = organizer(emulator)
    # As many asks as a case may have (10), each within its limit, and the card still outgrows
    # a message.
    asks = "".join(
        f"• ensure that the {i}th detained protester is given access to a lawyer of their own"
        " choosing, to their family and to any medical care they need while they are held;"
        + " and that every one of them is protected from torture and other ill-treatment," * 4
        + "\n"
        for i in range(10)
    )
    sheet = (
        "TUNISIA\nPROTESTERS DETAINED\n\nActivist Leila Mansour was detained on 3 May 2024.\n\n"
        "Write to the Minister urging her to:\n" + asks + "\nWrite to:\nMinister of Justice\n"
        "Nadia Haddad\nMinistry of Justice\nTunis, Tunisia\nEmail: minister@justice.example.tn\n"
        "Salutation: Dear Minister\n"
    )
    (review,) = await olga.say(sheet, replies=1)
    assert "longer than one Telegram message" in review.text
    assert [b["text"] for b in review.buttons] == ["💾 Keep as draft", "🗑 Discard"]


async def test_a_page_listing_several_cases_is_refused_with_each_case_it_saw(
    bot: UrgentActionApp, emulator: TelegramEmulator
) -> None:
    """A listing page ("Act now", a section's highlights) holds a summary of each case and no
    officials or asks: the organizer is told how many cases it lists, each by its reference and
    title, and asked for each case's own sheet; nothing is stored, nothing waits."""
    olga = organizer(emulator)
    (reply,) = await send_sheet(
        olga, "web-listing-act-now-2020.txt", replies=1, mime_type="text/plain"
    )
    assert reply.text.splitlines()[:4] == [
        "This page lists 3 Urgent Actions, not one sheet:",
        "• UA 154.20: Blogger Held Without Trial for a Year (Vietnam)",
        "• UA 131.20: Union Leader Faces New Charges (Zimbabwe)",
        "• UA 98.20: Student Released After Hunger Strike (Egypt)",
    ]
    assert "Send each case’s own sheet" in reply.text
    assert reply.buttons == []
    services = services_of(bot)
    listed = {"UA 154.20", "UA 131.20", "UA 98.20"}
    assert not [c for c in await services.cases.all() if c.reference in listed]
    # Pasted after /import, the page is refused the same way and the parts are let go.
    await olga.say("/import")
    page = (SHEETS / "section-listing-highlights-2006.txt").read_text(encoding="utf-8")
    (received,) = await olga.say(page)
    _, (refused,) = await olga.press(received, "Read it", replies=1)
    assert refused.text.startswith("This page lists 2 Urgent Actions")
    assert "• UA 224/06: Guatemala" in refused.text
    assert await services.drafts.get(olga.id, DraftKind.IMPORT, services.clock()) is None
    # A sheet sent next is read as ever.
    _, review = await send_sheet(olga, "azerbaijan-karimli.txt", mime_type="text/plain")
    assert "A new case: az-aysel-karimli" in review.text
