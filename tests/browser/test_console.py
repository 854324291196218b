"""The organizers' console in the demo, in Chromium: Olga's menu button opens it beside her chat,
signed in with launch data the emulator signs as Telegram does; at phone and desktop widths,
in Telegram's light and dark themes, left to right and right to left. Screenshots are kept in
test-artifacts/browser/ for a person to look at."""

from __future__ import annotations

import socket
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest
from playwright.async_api import Browser, BrowserContext, Page, ViewportSize, expect

from bot.db.organizers import OrganizerRepository
from bot.demo import DEMO_ORGANIZER, Demo, demo
from tests.browser.conftest import ARTIFACTS, in_daytime
from tests.conftest import ROOT
from tests.waiting import PATIENCE

pytestmark = pytest.mark.browser

REPLY = int(PATIENCE * 1000)
PHONE: ViewportSize = {"width": 390, "height": 844}
DESKTOP: ViewportSize = {"width": 1280, "height": 860}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
async def running_demo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[Demo]:
    monkeypatch.setenv("PTB_TIMEDELTA", "1")
    async with demo(
        port=free_port(), actions_dir=ROOT / "actions", data_dir=tmp_path, clock=in_daytime()
    ) as started:
        yield started


async def offline(context: BrowserContext) -> None:
    """Telegram's own script cannot load here, as in the demo without a network."""
    await context.route("https://telegram.org/**", lambda route: route.abort())


async def shot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    await page.screenshot(path=str(ARTIFACTS / f"{name}.png"))


async def launch(running_demo: Demo, user_id: int, scheme: str) -> str:
    """The address Telegram would open the console at for this person (their menu button)."""
    async with aiohttp.ClientSession() as session:
        answer = await session.post(
            f"{running_demo.url}/_emulator/webapp",
            json={"user_id": user_id, "url": f"{running_demo.url}/console/", "scheme": scheme},
        )
        assert answer.status == 200, await answer.text()
        return str((await answer.json())["url"])


async def test_olgas_menu_button_opens_the_console_beside_her_chat(
    running_demo: Demo, browser: Browser
) -> None:
    context = await browser.new_context(viewport=DESKTOP)
    await offline(context)
    page = await context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    await page.goto(running_demo.url + "/")
    await page.click(f"#person-{DEMO_ORGANIZER}")
    menu = page.locator("#menu-app")
    await expect(menu).to_have_text("Console", timeout=REPLY)
    await menu.click()
    frame = page.frame_locator("#webapp-frame")
    await expect(frame.locator("h1")).to_have_text("Organizers' console", timeout=REPLY)
    await expect(frame.locator(".cases")).to_contain_text("Zhanbolat Mamay")
    await shot(page, "console-1-beside-the-chat-light")
    await page.select_option("#webapp-scheme", "dark")
    await expect(frame.locator("html")).to_have_attribute("data-scheme", "dark", timeout=REPLY)
    await shot(page, "console-2-beside-the-chat-dark")
    await context.close()
    assert errors == []


@pytest.mark.parametrize(
    ("width", "scheme", "language"),
    [("phone", "light", "en"), ("phone", "dark", "ar"), ("desktop", "dark", "en")],
)
async def test_the_console_at_each_width_theme_and_direction(
    running_demo: Demo, browser: Browser, width: str, scheme: str, language: str
) -> None:
    user_id = DEMO_ORGANIZER
    if language == "ar":
        person = running_demo.emulator.create_person("ليلى (organizer)", language_code="ar")
        services = running_demo.app.bot_data.services
        assert services is not None
        await OrganizerRepository(services.db).add(person.id, DEMO_ORGANIZER, services.clock())
        await running_demo.emulator.send_text(person.id, "/console")
        await running_demo.emulator.replies(person.id, after=0, count=1, timeout=PATIENCE)
        user_id = person.id
    context = await browser.new_context(viewport=PHONE if width == "phone" else DESKTOP)
    await offline(context)
    page = await context.new_page()
    await page.goto(await launch(running_demo, user_id, scheme))
    await expect(page.locator(".cases")).to_contain_text("Mamay", timeout=REPLY)
    html = page.locator("html")
    await expect(html).to_have_attribute("dir", "rtl" if language == "ar" else "ltr")
    await expect(html).to_have_attribute("data-scheme", scheme)
    # Telegram's colours, from themeParams, are the page's.
    background = await page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert background == ("rgb(33, 33, 33)" if scheme == "dark" else "rgb(255, 255, 255)")
    # Keyboard alone: the first Tab reaches the skip link, the next the sign-out button.
    await page.keyboard.press("Tab")
    await expect(page.locator("a.skip")).to_be_focused()
    await page.keyboard.press("Tab")
    await expect(page.locator("form.signout button")).to_be_focused()
    await shot(page, f"console-3-{width}-{scheme}-{language}")
    await context.close()


async def fill_french(page: Page) -> int:
    """Fill the French fields of the imported sheet's case; how many fields were filled."""
    french = {
        "title": "Une enseignante détenue pour un message sur les salaires",
        "summary": "Samia Ben Salah, syndicaliste et enseignante à Sfax, est détenue.",
        "facts": "Samia Ben Salah est détenue depuis le 2 juin pour un message sur les salaires.",
        "background": "Samia Ben Salah enseigne les mathématiques à Sfax depuis vingt ans.",
    }
    for key, value in french.items():
        await page.locator(f'[name="f:text.fr.{key}"]').fill(value)
    asks = page.locator('[name^="f:text.fr.asks"]')
    for i in range(await asks.count()):
        await asks.nth(i).fill(f"demande {i + 1} : libérer Samia Ben Salah")
    return len(french) + await asks.count()


SHEET = (ROOT / "tests" / "fixtures" / "sheets" / "console-tunisia-no-title.txt").read_text(
    encoding="utf-8"
)
ANNA = 100001


async def test_an_organizer_takes_a_sheet_from_paste_to_published_in_two_languages(
    running_demo: Demo, browser: Browser
) -> None:
    """The newcomer's path, counted: each click or typed field is one step."""
    context = await browser.new_context(viewport=DESKTOP)
    await offline(context)
    page = await context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    await page.goto(running_demo.url + "/")
    # Anna subscribes in her chat, so the alert has somewhere to go.
    await page.click(f"#person-{ANNA}")
    await page.fill("#text", "/start")
    await page.press("#text", "Enter")
    await expect(page.locator("#messages")).to_contain_text("Zhanbolat Mamay", timeout=REPLY)

    console = await context.new_page()
    console.on("pageerror", lambda error: errors.append(str(error)))
    await console.goto(await launch(running_demo, DEMO_ORGANIZER, "light"))
    steps = 0
    await console.get_by_role("link", name="Import a sheet").click()
    steps += 1
    await console.get_by_label("The sheet's text, pasted").fill(SHEET)
    steps += 1
    await console.get_by_role("button", name="Read the sheet").click()
    steps += 1
    await expect(console.locator(".sheet pre")).to_contain_text("Samia Ben Salah has taught")
    title = console.locator('input[name="f:text.en.title"]')
    await expect(title.locator("xpath=..")).to_contain_text("not on the sheet: to complete")
    await shot(console, "console-4-desktop-imported-draft")
    await title.fill("Teacher held for a post about pay")
    steps += 1
    await console.get_by_role("button", name="Save").click()
    steps += 1
    await expect(console.locator(".saved")).to_be_visible()

    # A French text beside the English one.
    await console.get_by_role("link", name="Add a text in French").click()
    steps += 1
    steps += await fill_french(console)
    await console.get_by_role("button", name="Save").click()
    steps += 1
    await expect(console.locator(".saved")).to_be_visible()
    await expect(console.locator(".languages")).to_contain_text("French")

    await console.get_by_role("link", name="What people get").click()
    steps += 1
    await console.select_option("#language", "fr")
    await console.get_by_role("button", name="Show").click()
    steps += 2
    await expect(console.locator(".letter pre").first).to_contain_text("Samia Ben Salah")
    await expect(console.locator(".bubble").first).to_contain_text("Une enseignante détenue")
    await shot(console, "console-5-desktop-french-preview")

    await console.get_by_role("link", name="Back to the case").click()
    await console.get_by_role("link", name="Publish…").click()
    steps += 2
    await expect(console.locator(".reach")).to_contain_text("1 person now")
    await shot(console, "console-6-desktop-publish-reach")
    await console.get_by_role("button", name="Publish now").click()
    steps += 1
    await expect(console.locator(".saved")).to_contain_text("Published: 1 alert")

    # The alert reaches Anna's chat in the emulator.
    await page.bring_to_front()
    await expect(page.locator("#messages")).to_contain_text(
        "Teacher held for a post about pay", timeout=REPLY
    )
    await shot(page, "console-7-the-alert-in-annas-chat")
    # The results: the alert counted, drawn, and downloadable.
    await console.bring_to_front()
    await console.get_by_role("link", name="Results").click()
    await expect(console.locator(".numbers")).to_contain_text("Offered")
    await expect(console.locator(".numbers div").first).to_contain_text("1")
    await expect(console.locator(".chart svg rect.bar-alerted")).to_have_count(1)
    await shot(console, "console-8-desktop-results")
    STEPS.write_text(f"{steps}\n", encoding="utf-8")
    await context.close()
    assert errors == []


STEPS = ARTIFACTS / "console-steps.txt"
