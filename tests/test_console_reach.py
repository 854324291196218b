"""The console's publish page: whom the case reaches now, later, and not and why, before it is
published, from the same function as the chat's confirmation (bot.operations.publishing)."""

from __future__ import annotations

import dataclasses
import re
from datetime import timedelta

from bot.domain.cases import CaseStatus
from bot.domain.subscribers import ChatType, SubscriberStatus
from tests import test_console_web
from tests.conftest import MovableClock
from tests.test_console_web import SEED, Browser

# The console's pages over a fresh database with the shipped case, as test_console_web has it.
browser = test_console_web.browser


async def reasons(browser: Browser) -> list[str]:
    _, page = await browser.get(f"/console/cases/{SEED}/publish")
    found = re.search(r'<ul class="reasons">(.*?)</ul>', page, re.S)
    return re.findall(r"<li>(.*?)</li>", found[1]) if found else []


async def as_draft(browser: Browser) -> None:
    services = browser.services
    case = await services.cases.get(SEED)
    assert case is not None
    await services.cases.save(dataclasses.replace(case, status=CaseStatus.DRAFT), services.clock())


async def test_the_publish_page_says_who_not_and_why(browser: Browser) -> None:
    services = browser.services
    now = services.clock()
    for chat_id, language in ((701, "en"), (702, "en"), (703, "pt")):
        await services.subscribers.subscribe(chat_id, ChatType.PRIVATE, language, now)
    await services.subscribers.set_countries(702, ["RU"], now)
    await services.subscribers.set_status(701, SubscriberStatus.STOPPED, now)
    await as_draft(browser)
    await browser.sign_in()
    _, page = await browser.get(f"/console/cases/{SEED}/publish")
    assert "1 person now" in page
    assert await reasons(browser) == [
        "1 not: they follow other countries",
        "1 not: they have paused their alerts",
        "Of those it reaches, 1 gets it in its original language: the case has no text in theirs",
    ]
    assert "Nobody would get this alert now." not in page


async def test_past_the_deadline_the_page_warns_and_says_why_for_everyone(
    browser: Browser, clock: MovableClock
) -> None:
    services = browser.services
    for chat_id in (711, 712):
        await services.subscribers.subscribe(chat_id, ChatType.PRIVATE, "en", clock())
    await as_draft(browser)
    clock.advance(timedelta(days=30))  # 19 June 2022: the deadline was 12 June
    await browser.sign_in()
    _, page = await browser.get(f"/console/cases/{SEED}/publish")
    assert "Nobody would get this alert now." in page
    assert "The deadline for appeals has passed" in page
    assert await reasons(browser) == ["2 not: the deadline for appeals has passed"]


async def test_with_nobody_subscribed_the_warning_says_so(browser: Browser) -> None:
    await as_draft(browser)
    await browser.sign_in()
    _, page = await browser.get(f"/console/cases/{SEED}/publish")
    assert "Nobody would get this alert now." in page
    assert (
        "Nobody receives alerts yet: no one has subscribed, or everyone has paused them." in page
    )
    assert await reasons(browser) == []
