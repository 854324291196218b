"""The console's inbox, its languages side by side, the reach before publishing, and its own
language switch, in Chromium: at phone and desktop widths, light and dark, left to right and
in Arabic right to left, by keyboard where a person would. Screenshots in
test-artifacts/browser/."""

from __future__ import annotations

import pytest
from playwright.async_api import Browser, expect

from bot.demo import DEMO_ORGANIZER, Demo
from tests.browser.test_console import (
    DESKTOP,
    PHONE,
    REPLY,
    SHEET,
    fill_french,
    launch,
    offline,
    running_demo,  # noqa: F401
    shot,
)

pytestmark = pytest.mark.browser


@pytest.mark.parametrize(("width", "scheme"), [("phone", "light"), ("desktop", "dark")])
async def test_a_pasted_sheet_waits_in_the_inbox_and_its_languages_and_reach_are_shown(
    running_demo: Demo,  # noqa: F811
    browser: Browser,
    width: str,
    scheme: str,
) -> None:
    context = await browser.new_context(viewport=PHONE if width == "phone" else DESKTOP)
    await offline(context)
    page = await context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    await page.goto(await launch(running_demo, DEMO_ORGANIZER, scheme))
    await expect(page.get_by_role("link", name="Inbox: 0 drafts")).to_be_visible(timeout=REPLY)
    await page.get_by_role("link", name="Import a sheet").click()
    await page.get_by_label("The sheet's text, pasted").fill(SHEET)
    await page.get_by_role("button", name="Read the sheet").click()
    await expect(page.locator(".sheet pre")).to_contain_text("Samia Ben Salah has taught")

    await page.get_by_role("link", name="Inbox").click()
    entry = page.locator("ul.inbox li")
    await expect(entry).to_have_count(1)
    await expect(entry).to_contain_text("Untitled")
    await expect(entry).to_contain_text("sheet imported here")
    await expect(entry).to_contain_text("1 field to complete")
    await shot(page, f"console-inbox-{width}-{scheme}-en")
    await entry.get_by_role("link").click()
    await expect(page.locator(".sheet pre")).to_be_visible()

    await page.get_by_role("link", name="Every language, side by side").click()
    await expect(page.locator("#lang-fr")).to_contain_text("no text yet")
    # A French text, then the two side by side.
    await page.get_by_role("link", name="Add a text in French").click()
    await fill_french(page)
    await page.get_by_role("button", name="Save").click()
    await expect(page.locator(".saved")).to_be_visible()
    await page.get_by_role("link", name="Every language, side by side").click()
    table = page.locator("#lang-fr + p + p + .scroll table")
    await expect(table).to_contain_text("Une enseignante détenue")
    await expect(table).to_contain_text("Samia Ben Salah has taught")
    await shot(page, f"console-languages-{width}-{scheme}-en")

    await page.get_by_role("link", name="Back to the case").click()
    await page.get_by_role("link", name="Publish…").click()
    await expect(page.locator(".reach")).to_be_visible()
    await shot(page, f"console-publish-{width}-{scheme}-en")
    await context.close()
    assert errors == []


async def test_the_console_switches_to_arabic_by_keyboard_and_reads_right_to_left(
    running_demo: Demo,  # noqa: F811
    browser: Browser,
) -> None:
    context = await browser.new_context(viewport=PHONE)
    await offline(context)
    page = await context.new_page()
    await page.goto(await launch(running_demo, DEMO_ORGANIZER, "light"))
    await expect(page.locator("html")).to_have_attribute("dir", "ltr", timeout=REPLY)
    # Skip link, sign out, then the language: chosen and sent with the keyboard alone.
    for _ in range(3):
        await page.keyboard.press("Tab")
    select = page.get_by_label("Language of the console")
    await expect(select).to_be_focused()
    await select.select_option("ar")
    await page.keyboard.press("Tab")
    await page.keyboard.press("Enter")
    html = page.locator("html")
    await expect(html).to_have_attribute("dir", "rtl", timeout=REPLY)
    await expect(html).to_have_attribute("lang", "ar")
    await page.get_by_role("link", name="صندوق الوارد: لا مسودات").click()
    await expect(page.locator("main")).to_contain_text("لا توجد مسودة في الانتظار.")
    await shot(page, "console-inbox-phone-light-ar")
    await context.close()


@pytest.mark.parametrize(
    ("language", "width", "scheme", "said"),
    [
        ("ar", "phone", "dark", "تنبيهان منها ينتظران الصباح"),
        ("ru", "desktop", "light", "2 из них ждут утра"),
    ],
)
async def test_the_published_notice_says_how_many_alerts_wait_for_the_morning(
    running_demo: Demo,  # noqa: F811
    browser: Browser,
    language: str,
    width: str,
    scheme: str,
    said: str,
) -> None:
    """Published at night where some readers live: the notice says how many wait, in the
    console's language, its plural and its direction."""
    context = await browser.new_context(viewport=PHONE if width == "phone" else DESKTOP)
    await offline(context)
    page = await context.new_page()
    await page.goto(await launch(running_demo, DEMO_ORGANIZER, scheme))
    select = page.get_by_label("Language of the console")
    await expect(select).to_be_visible(timeout=REPLY)
    await select.select_option(language)
    await select.press("Tab")
    await page.keyboard.press("Enter")
    await expect(page.locator("html")).to_have_attribute("lang", language, timeout=REPLY)
    case = f"{running_demo.url}/console/cases/kz-zhanbolat-mamay"
    await page.goto(f"{case}?published=3&at_morning=2")
    notice = page.locator(".saved")
    await expect(notice).to_contain_text(said)
    direction = "rtl" if language == "ar" else "ltr"
    await expect(page.locator("html")).to_have_attribute("dir", direction)
    await shot(page, f"console-published-at-night-{width}-{scheme}-{language}")
    await context.close()
