"""The demo in a real browser: headless Chromium (Debian's) driven by Playwright.

A newcomer's path: subscribe, open the appeal, mark it sent; and an organizer's broadcast
reaching a second person. Screenshots are kept in test-artifacts/ for a human to look at.
"""

from __future__ import annotations

import shutil
import socket
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from playwright.async_api import Browser, Page, async_playwright, expect

from bot.demo import DEMO_ORGANIZER, Demo, demo
from tests.conftest import ROOT

ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_INSTALLED = Path(CHROMIUM).exists()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
async def running_demo(tmp_path: Path) -> AsyncIterator[Demo]:
    async with demo(port=free_port(), actions_dir=ROOT / "actions", data_dir=tmp_path) as started:
        yield started


@pytest.fixture
async def browser() -> AsyncIterator[Browser]:
    if not CHROMIUM_INSTALLED:
        pytest.fail("Chromium is missing: .ci/run installs Debian's chromium package")
    async with async_playwright() as playwright:
        launched = await playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield launched
        await launched.close()


async def shot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    await page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


async def say(page: Page, text: str) -> None:
    await page.fill("#text", text)
    await page.press("#text", "Enter")


async def test_a_newcomer_subscribes_writes_and_records_an_appeal(
    running_demo: Demo, browser: Browser
) -> None:
    page = await browser.new_page(viewport={"width": 1200, "height": 900})
    await page.goto(running_demo.url + "/")
    await expect(page.locator("#banner")).to_contain_text("Rehearsal")
    await page.click("#person-100001")  # Anna
    await say(page, "/start")
    messages = page.locator("#messages")
    await expect(messages).to_contain_text("Zhanbolat Mamay", timeout=15000)
    await expect(messages).to_contain_text("10 days left")
    await shot(page, "1-card")
    await page.get_by_role("button", name="✍️ Write the appeal").last.click()
    await page.get_by_role("button", name="📧 Email").last.click()
    await page.get_by_role("button", name="My full name").last.click()
    await expect(messages).to_contain_text("Type your full name")
    await say(page, "Anna Petrova")
    await page.get_by_role("button", name="Skip: show my letter").last.click()
    await expect(messages).to_contain_text("Dear Mr President,", timeout=15000)
    await expect(page.locator("a.file").last).to_contain_text(".eml")
    await shot(page, "2-letter")
    await page.get_by_role("button", name="✅ I've sent it").last.click()
    await expect(messages).to_contain_text("1 person has acted", timeout=15000)
    await shot(page, "3-recorded")


async def test_an_organizer_broadcast_reaches_a_second_person(
    running_demo: Demo, browser: Browser
) -> None:
    page = await browser.new_page(viewport={"width": 1200, "height": 900})
    await page.goto(running_demo.url + "/")
    messages = page.locator("#messages")
    await page.click("#person-100002")  # Айгуль, who will receive it
    await say(page, "/start")
    await expect(messages).to_contain_text("Жанболат Мамай", timeout=15000)
    await page.click(f"#person-{DEMO_ORGANIZER}")
    await say(page, "/broadcast")
    await expect(messages).to_contain_text("New broadcast", timeout=15000)
    await say(page, "The court hearing is moved to Friday. Please write today!")
    await page.get_by_role("button", name="Everyone subscribed").last.click()
    await expect(messages).to_contain_text("It goes to", timeout=15000)
    await page.get_by_role("button", name="📣 Send now").last.click()
    await expect(messages).to_contain_text("Broadcast #1", timeout=15000)
    await shot(page, "4-broadcast-sent")
    await page.click("#person-100002")
    await expect(messages).to_contain_text("moved to Friday", timeout=20000)
    await expect(page.get_by_role("button", name="🔕 Отписаться").last).to_be_visible()
    await shot(page, "5-broadcast-received")
