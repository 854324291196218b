"""The console's inbox: every imported draft with where and when it came in and what is left
to complete, the sheet's text kept beside it (bounded, shown as text, gone once its time is
over), and published cases kept apart."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

from bot.db.console import SHEET_CHARACTERS, SHEET_KEPT_AFTER_PUBLISHING, CaseSheetRepository
from bot.domain.cases import CaseStatus
from bot.domain.subscribers import ChatType
from tests import test_console_web
from tests.conftest import ORGANIZER_ID, MovableClock
from tests.test_console_web import IMPORTED, SEED, SHEET, Browser

# The console's pages over a fresh database with the shipped case, as test_console_web has it.
browser = test_console_web.browser


async def test_the_inbox_lists_each_draft_with_its_source_date_and_gaps(browser: Browser) -> None:
    await browser.sign_in()
    _, home = await browser.get("/console/")
    assert "Inbox: 0 drafts" in home
    await browser.post("/console/import", {"csrf": await browser.csrf(), "sheet": SHEET})
    _, home = await browser.get("/console/")
    assert "Inbox: 1 draft<" in home
    assert f"/console/cases/{IMPORTED}" not in home  # a draft waits in the inbox, not here
    assert f"/console/cases/{SEED}" in home
    status, inbox = await browser.get("/console/inbox")
    assert status == 200
    entry = inbox[inbox.index(f'href="/console/cases/{IMPORTED}"') :]
    entry = entry[: entry.index("</li>")]
    assert ">Untitled</a>" in entry  # the sheet had no title
    assert "Samia Ben Salah" in entry
    assert "sheet imported here" in entry
    assert "20 May" in entry  # the clock's day
    assert "1 field to complete" in entry
    assert f"/console/cases/{SEED}" not in inbox  # published: not in the inbox


async def test_a_draft_completed_is_ready_and_once_published_leaves_the_inbox(
    browser: Browser,
) -> None:
    await browser.sign_in()
    await browser.post("/console/import", {"csrf": await browser.csrf(), "sheet": SHEET})
    services = browser.services
    case = await services.cases.get(IMPORTED)
    assert case is not None
    titled = dataclasses.replace(
        case, texts={"en": dataclasses.replace(case.texts["en"], title="Teacher held")}
    )
    await services.cases.save(titled, services.clock())
    _, inbox = await browser.get("/console/inbox")
    assert ">Teacher held</a>" in inbox and "ready to publish" in inbox
    await services.cases.save(
        dataclasses.replace(titled, status=CaseStatus.ACTIVE), services.clock()
    )
    _, inbox = await browser.get("/console/inbox")
    assert IMPORTED not in inbox and "No draft is waiting." in inbox


async def test_the_sheet_is_shown_as_text_never_as_html(browser: Browser) -> None:
    await browser.sign_in()
    hostile = SHEET.replace("Samia Ben Salah has taught", '<script>alert("x")</script> taught')
    await browser.post("/console/import", {"csrf": await browser.csrf(), "sheet": hostile})
    _, page = await browser.get(f"/console/cases/{IMPORTED}")
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; taught" in page


async def test_a_sheet_is_kept_up_to_its_bound_and_says_how_much_was_left_out(
    browser: Browser,
) -> None:
    services = browser.services
    sheets = CaseSheetRepository(services.db)
    await sheets.keep(SEED, "x" * (SHEET_CHARACTERS + 1234), [], ORGANIZER_ID, services.clock())
    kept = await sheets.get(SEED)
    assert kept is not None
    assert (len(kept.sheet), kept.cut, kept.source) == (SHEET_CHARACTERS, 1234, "console")
    case = await services.cases.get(SEED)
    assert case is not None
    await services.cases.save(dataclasses.replace(case, status=CaseStatus.DRAFT), services.clock())
    await browser.sign_in()
    _, page = await browser.get(f"/console/cases/{SEED}")
    assert "The sheet was longer: its last 1,234 characters were not kept." in page


async def test_a_sheet_goes_a_while_after_its_case_is_published_and_a_drafts_stays(
    browser: Browser, clock: MovableClock
) -> None:
    await browser.sign_in()
    await browser.post("/console/import", {"csrf": await browser.csrf(), "sheet": SHEET})
    services = browser.services
    sheets = CaseSheetRepository(services.db)
    await sheets.keep(SEED, "the seed's sheet", [], ORGANIZER_ID, clock(), source="chat")
    case = await services.cases.get(SEED)
    assert case is not None
    await services.cases.save(dataclasses.replace(case, status=CaseStatus.ACTIVE), clock())
    clock.advance(SHEET_KEPT_AFTER_PUBLISHING - timedelta(days=1))
    await sheets.forget_old(clock())
    assert await sheets.get(SEED) is not None
    clock.advance(timedelta(days=2))
    await sheets.forget_old(clock())
    assert await sheets.get(SEED) is None  # the seed case was published long before
    assert await sheets.get(IMPORTED) is not None  # a draft's sheet stays while it is one


async def test_every_language_side_by_side_marks_what_is_missing_and_who_gets_which(
    browser: Browser,
) -> None:
    services = browser.services
    now = services.clock()
    for chat_id, language in ((601, "fr"), (602, "fr"), (603, "de")):
        await services.subscribers.subscribe(chat_id, ChatType.PRIVATE, language, now)
    case = await services.cases.get(SEED)
    assert case is not None
    original = case.texts[case.original_language]
    french = dataclasses.replace(original, title="Un titre en français", background="")
    # A draft may lack texts that publishing needs (bot.catalogue.checks.gaps); no German yet.
    texts = {code: t for code, t in case.texts.items() if code != "de"} | {"fr": french}
    draft = dataclasses.replace(case, status=CaseStatus.DRAFT, texts=texts)
    await services.cases.save(draft, services.clock())
    await browser.sign_in()
    status, page = await browser.get(f"/console/cases/{SEED}/languages")
    assert status == 200
    fr = page[page.index('id="lang-fr"') : page.index("</section>", page.index('id="lang-fr"'))]
    assert "incomplete: 1 field missing" in fr
    assert "2 subscribers read the bot in French and get the case in French." in fr
    assert "Un titre en français" in fr and original.title in fr  # beside the original
    assert fr.count('<strong class="error">missing</strong>') == 1
    assert original.background in fr
    de = page[page.index('id="lang-de"') : page.index("</section>", page.index('id="lang-de"'))]
    assert "no text yet" in de
    assert "1 subscriber reads the bot in German and gets the case in English." in de
    assert "?add=de#text-de" in de
    assert 'id="lang-en"' not in page  # the original is the reference, not a section
