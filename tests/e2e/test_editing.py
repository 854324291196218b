"""Organizers edit a case as its file: a moved deadline, a corrected address; bad files refused."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from bot.context import UrgentActionApp
from bot.emulator import RecordedMessage, TelegramEmulator
from tests.conftest import ORGANIZER_ID, Chatter, services_of

SLUG = "kz-zhanbolat-mamay"


async def send_file(olga: Chatter, name: str, data: bytes) -> RecordedMessage:
    """Olga sends a file; the bot's one answer."""
    emulator = olga.emulator
    emulator.elapse(1.5)
    mark = emulator.last_id(olga.chat_id)
    await emulator.send_document(olga.person.id, name, data)
    (answer,) = await emulator.replies(olga.chat_id, after=mark, count=1)
    return answer


async def case_file(olga: Chatter) -> bytes:
    (listing,) = await olga.say("/cases")
    _, (file,) = await olga.press(listing, "Edit", replies=1)
    assert file.document is not None
    assert file.document.file_name == f"{SLUG}.toml"
    assert "send the file back" in file.text
    return file.document.data


async def test_an_organizer_moves_the_deadline_and_reminders_follow(
    bot: UrgentActionApp, emulator: TelegramEmulator, person: Chatter
) -> None:
    await person.say("/start", replies=2)
    services = services_of(bot)
    anna = await services.subscribers.get(person.chat_id)
    assert anna is not None
    assert (await services.reminders.pending(anna.id))[0].due.month == 6
    olga_account = emulator.create_person("Olga", user_id=ORGANIZER_ID)
    olga = Chatter(emulator, olga_account, olga_account.id)
    original = (await case_file(olga)).decode()
    assert "date = 2022-06-12" in original
    assert "# Urgent Action kz-zhanbolat-mamay: change what you need" in original

    # The court extended custody by a month; the embassy's fax was misprinted.
    changed = original.replace("date = 2022-06-12", "date = 2022-07-12")
    changed = changed.replace("+1 613 695 8755", "+1 613 695 8756")
    assert changed.count("2022-07-12") == 1
    answer = await send_file(olga, f"{SLUG}.toml", changed.encode())
    assert "saved" in answer.text
    assert "key_dates" in answer.text
    assert "targets" in answer.text
    assert "The deadline is now 12 July 2022" in answer.text

    case = await services.cases.get(SLUG)
    assert case is not None
    assert case.deadline is not None
    assert case.deadline.on.month == 7
    assert [t.fax for t in case.targets] == ["+77172745631", "+16136958756"]
    pending = await services.reminders.pending(anna.id)
    assert pending[0].due == datetime(2022, 7, 5, 17, 59, tzinfo=UTC)
    assert len(pending) == 3


async def test_a_broken_file_is_refused_with_every_problem_and_nothing_changes(
    bot: UrgentActionApp, emulator: TelegramEmulator
) -> None:
    olga_account = emulator.create_person("Olga", user_id=ORGANIZER_ID)
    olga = Chatter(emulator, olga_account, olga_account.id)
    original = (await case_file(olga)).decode()
    broken = original.replace("date = 2022-06-12", 'date = "12 June"').replace("@", " at ", 1)
    answer = await send_file(olga, f"{SLUG}.toml", broken.encode())
    assert "was not saved" in answer.text
    assert "key_dates" in answer.text
    assert "email" in answer.text
    not_toml = await send_file(olga, f"{SLUG}.toml", b"date = = 3")
    assert "was not saved" in not_toml.text
    unknown = await send_file(olga, "other.toml", original.replace(SLUG, "someone-else").encode())
    assert "There is no case" in unknown.text
    same = await send_file(olga, f"{SLUG}.toml", original.encode())
    assert "nothing to save" in same.text
    case = await services_of(bot).cases.get(SLUG)
    assert case is not None
    assert case.deadline is not None
    assert case.deadline.on.month == 6


async def test_only_organizers_may_send_case_files(
    bot: UrgentActionApp, emulator: TelegramEmulator, person: Chatter
) -> None:
    await person.say("/start", replies=2)
    answer = await send_file(person, f"{SLUG}.toml", b'slug = "kz-zhanbolat-mamay"')
    assert "was not saved" not in answer.text
    assert "/start" in answer.text  # the ordinary help


async def test_an_organizer_edits_the_facts_and_adds_an_embassy_for_writers_in_france(
    bot: UrgentActionApp, emulator: TelegramEmulator
) -> None:
    olga_account = emulator.create_person("Olga", user_id=ORGANIZER_ID)
    olga = Chatter(emulator, olga_account, olga_account.id)
    original = (await case_file(olga)).decode()
    assert 'for_country = "CA"' in original
    assert 'facts = """\nZhanbolat Mamay has been in custody since 25 February 2022' in original
    changed = original.replace(
        "years in prison.", "years in prison. His lawyer has not been allowed to see him.", 1
    )
    changed += (
        '\n[[targets]]\nrole = "copy"\nname = "Ambassador of Kazakhstan to France"\n'
        'emails = ["paris@example.kz"]\nfor_country = ["FR", "MC"]\n'
    )
    answer = await send_file(olga, f"{SLUG}.toml", changed.encode())
    assert "saved" in answer.text
    assert "text" in answer.text and "targets" in answer.text
    case = await services_of(bot).cases.get(SLUG)
    assert case is not None
    facts = case.texts["en"].facts
    assert facts is not None
    assert facts.endswith("His lawyer has not been allowed to see him.")
    assert case.targets[-1].for_countries == ("FR", "MC")
    assert [t.name for t in case.copies_for("FR")] == ["Ambassador of Kazakhstan to France"]

    # A country code that is none, and facts too long for a letter: refused, field by field.
    broken = changed.replace('for_country = ["FR", "MC"]', 'for_country = ["FR", "FX"]')
    broken = broken.replace("His lawyer", "His lawyer " + "really " * 150)
    refused = await send_file(olga, f"{SLUG}.toml", broken.encode())
    assert "was not saved" in refused.text
    assert "targets[2].for_country[1]: 'FX' is not an ISO 3166 country code" in refused.text
    assert "text.en.facts: has " in refused.text
    assert "a letter's facts are at most 1000" in refused.text


async def test_an_edit_that_would_outgrow_a_telegram_message_is_refused_and_start_still_works(
    bot: UrgentActionApp, emulator: TelegramEmulator, person: Chatter
) -> None:
    olga_account = emulator.create_person("Olga", user_id=ORGANIZER_ID)
    olga = Chatter(emulator, olga_account, olga_account.id)
    original = (await case_file(olga)).decode()
    before = await services_of(bot).cases.get(SLUG)
    # A summary past its field's limit.
    long_summary = original.replace('summary = """\n', 'summary = """\n' + "Long. " * 740, 1)
    answer = await send_file(olga, f"{SLUG}.toml", long_summary.encode())
    assert "not saved" in answer.text
    assert "text.en.summary: has 4" in answer.text and "at most 1000" in answer.text
    # Every field within its limit, but many people described at length: a card longer than
    # one message.
    people = "".join(
        f'[[people]]\nname = "Person {n}"\ndescription = "'
        + "a journalist held for her reporting, " * 12
        + '"\n\n'
        for n in range(10)
    )
    long_card = original.replace("[text.en]", people + "[text.en]", 1)
    answer = await send_file(olga, f"{SLUG}.toml", long_card.encode())
    assert "not saved" in answer.text
    assert "the card in en has" in answer.text
    assert await services_of(bot).cases.get(SLUG) == before
    _, card = await person.say("/start", replies=2)
    assert "went wrong" not in card.text


async def test_a_case_file_sent_back_unchanged_keeps_every_field_the_case_holds(
    bot: UrgentActionApp, emulator: TelegramEmulator
) -> None:
    services = services_of(bot)
    shipped = await services.cases.get(SLUG)
    assert shipped is not None
    # Every field a case can hold, urgency and themes included, set in the database.
    marked = replace(
        shipped,
        themes=("prisoners-of-conscience", "freedom-of-expression"),
        urgent=True,
        source_url="https://example.org/ua-41-22",
        reminder_offsets=(timedelta(days=3), timedelta(0)),
    )
    await services.cases.save(marked, services.clock())
    olga_account = emulator.create_person("Olga", user_id=ORGANIZER_ID)
    olga = Chatter(emulator, olga_account, olga_account.id)
    original = await case_file(olga)
    assert b"urgent = true" in original
    assert b'themes = ["prisoners-of-conscience", "freedom-of-expression"]' in original

    same = await send_file(olga, f"{SLUG}.toml", original)
    assert "nothing to save" in same.text
    assert await services.cases.get(SLUG) == marked
    # A deadline moved by hand changes the deadline only.
    moved = original.replace(b"date = 2022-06-12", b"date = 2022-07-12")
    answer = await send_file(olga, f"{SLUG}.toml", moved)
    assert "saved" in answer.text
    kept = await services.cases.get(SLUG)
    assert kept is not None
    assert kept.urgent
    assert kept.themes == marked.themes
    assert replace(kept, key_dates=marked.key_dates) == marked
