"""The console's results page: the share counts, and the reminder plans chosen beside the
reminder costs, through the chat's own operation."""

from __future__ import annotations

from bot.db.organizers import OrganizerRepository
from bot.domain.reminders import PRESET_PLANS
from bot.operations.reminder_plans import plans_of
from tests.test_console_web import SEED, Browser, browser  # noqa: F401


async def test_the_plans_are_chosen_on_the_results_page_and_audited(
    browser: Browser,  # noqa: F811
) -> None:
    await browser.sign_in()
    status, page = await browser.get(f"/console/cases/{SEED}/results")
    assert status == 200
    assert "Joined through friends' shares" in page
    assert "This case's plan" in page
    assert 'name="case" value="net" checked' in page
    assert 'name="network" value="0" checked' in page
    assert "7 days, 2 days and 15 hours before the deadline" in page
    csrf = await browser.csrf()
    status, _ = await browser.post(
        f"/console/cases/{SEED}/reminders", {"csrf": csrf, "case": "2", "network": "1"}
    )
    assert status == 303
    case = await browser.services.cases.get(SEED)
    assert case is not None
    chosen = await plans_of(browser.services, case)
    assert (chosen.case, chosen.network) == (PRESET_PLANS[2], PRESET_PLANS[1])
    actions = [entry[2] for entry in await OrganizerRepository(browser.services.db).log()]
    assert {"case_reminder_plan_set", "network_reminder_plan_set"} <= set(actions)
    _, page = await browser.get(f"/console/cases/{SEED}/results")
    assert 'name="case" value="2" checked' in page


async def test_an_unknown_plan_changes_nothing(browser: Browser) -> None:  # noqa: F811
    await browser.sign_in()
    csrf = await browser.csrf()
    status, _ = await browser.post(f"/console/cases/{SEED}/reminders", {"csrf": csrf, "case": "9"})
    assert status == 400
    case = await browser.services.cases.get(SEED)
    assert case is not None and case.reminder_offsets is None
