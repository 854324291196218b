"""The console's own language, switched in the page and kept for the organizer; the preview's
writer country, picked from every country the bot knows, named in that language; and the
results page's plans and reminder costs, as the chat shows them."""

from __future__ import annotations

import re
from datetime import timedelta

from bot.db.plans import PlanCounts, PlanRepository
from bot.domain.plans import PlanChoice
from bot.domain.reminder_costs import StepCost
from bot.domain.subscribers import ChatType
from bot.rendering import Renderer
from tests import test_console_web
from tests.test_console_web import ORIGIN, SEED, Browser

# The console's pages over a fresh database with the shipped case, as test_console_web has it.
browser = test_console_web.browser


async def test_an_organizer_switches_the_console_to_french_and_it_stays_french(
    browser: Browser,
) -> None:
    await browser.sign_in()  # Telegram's language_code: en
    _, page = await browser.get("/console/")
    assert "Import a sheet" in page
    assert '<option value="fr" lang="fr">Français</option>' in page
    status, _ = await browser.post(
        "/console/language",
        {"csrf": await browser.csrf(), "language": "fr", "back": f"/console/cases/{SEED}"},
    )
    assert status == 303
    _, page = await browser.get("/console/")
    assert "Importer une fiche" in page
    assert '<html lang="fr"' in page
    # Signed in again from Telegram, whose app is in English: the console keeps French.
    browser.cookie = None
    await browser.sign_in()
    _, page = await browser.get("/console/")
    assert "Importer une fiche" in page


async def test_the_switch_goes_back_only_to_the_consoles_own_pages(browser: Browser) -> None:
    await browser.sign_in()
    response = await browser.client.post(
        "/console/language",
        data={"csrf": await browser.csrf(), "language": "de", "back": "//evil.example/"},
        headers={"Cookie": f"console_session={browser.cookie}", "Origin": ORIGIN},
        allow_redirects=False,
    )
    assert response.status == 303
    assert response.headers["Location"] == "/console/"
    status, _ = await browser.post(
        "/console/language", {"csrf": await browser.csrf(), "language": "xx"}
    )
    assert status == 400


async def test_the_writer_country_is_picked_from_every_country_by_its_name(
    browser: Browser,
) -> None:
    await browser.sign_in()
    _, page = await browser.get(f"/console/cases/{SEED}/preview?country=DE")
    select = page[
        page.index('<select id="country"') : page.index(
            "</select>", page.index('<select id="country"')
        )
    ]
    assert '<option value="DE" selected>Germany</option>' in select
    assert '<option value="KZ">Kazakhstan</option>' in select
    assert select.count("<option") > 190  # every country the bot knows, and "Any country"
    await browser.post("/console/language", {"csrf": await browser.csrf(), "language": "fr"})
    _, page = await browser.get(f"/console/cases/{SEED}/preview?country=DE")
    assert '<option value="DE" selected>Allemagne</option>' in page


async def test_the_results_page_shows_the_plans_and_each_reminder_steps_costs(
    browser: Browser,
) -> None:
    services = browser.services
    now = services.clock()
    await services.subscribers.subscribe(801, ChatType.PRIVATE, "en", now)
    subscriber = await services.subscribers.get(801)
    assert subscriber is not None
    plans = PlanRepository(services.db)
    await plans.plan(SEED, subscriber.id, PlanChoice.TOMORROW, now + timedelta(days=1), now)
    await browser.sign_in()
    _, page = await browser.get(f"/console/cases/{SEED}/results")
    assert "Planned a time to write: 1, of whom acted: 0. Passed it on: 0." in page


def test_each_reminder_step_is_a_row_with_what_followed_it() -> None:
    page = Renderer().render(
        "en",
        "console/results_reminders.html",
        plans=PlanCounts(),
        costs=[StepCost("604800", 5, 1, 1, 0, 1, 0), StepCost("54000", 3), StepCost("plan", 2)],
    )
    rows = [
        re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row)
        for row in re.findall(r"<tr>(.*?)</tr>", page, re.S)
    ]
    assert rows == [
        [
            "Reminder",
            "Sent",
            "Acted after it",
            "Stopped the bot",
            "Blocked it",
            "Asked for fewer cases",
            "Asked for no more reminders about this case",
        ],
        ["7 days before the deadline:", "5", "1", "1", "0", "1", "0"],
        ["15 hours before the deadline:", "3", "0", "0", "0", "0", "0"],
        ["At the time they chose:", "2", "0", "0", "0", "0", "0"],
    ]
    assert "Plans to write" not in page  # nobody planned
