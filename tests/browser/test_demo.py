"""The demo in a real browser: headless Chromium (Debian's) driven by Playwright.

A newcomer's path: subscribe, open the appeal, download the letter, mark it sent; a case passed
on to a friend through a group; a group that subscribes and sends its members to a private
chat; and an organizer's broadcast reaching a second person. Screenshots are kept in
test-artifacts/browser/ for a human to look at.
"""

from __future__ import annotations

import asyncio
import logging
import socket
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from playwright.async_api import Browser, Page, expect

from bot.demo import DEMO_ORGANIZER, Demo, demo
from tests.browser.conftest import ARTIFACTS, in_daytime
from tests.conftest import ROOT
from tests.waiting import PATIENCE

pytestmark = pytest.mark.browser

# How long (ms) the bot's answer may take to show on a loaded machine (a reply may wait out a
# 429 first); a wait that is met ends at once.
REPLY = int(PATIENCE * 1000)
ANNA, AIGUL = 100001, 100002
LAYLA = 100004  # after Camille; Olga the organizer has an id of her own


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
async def running_demo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[Demo]:
    # As `python -m bot demo` does: PTB gives retry_after as a timedelta, without a warning.
    monkeypatch.setenv("PTB_TIMEDELTA", "1")
    async with demo(
        port=free_port(),
        actions_dir=ROOT / "actions",
        data_dir=tmp_path,
        clock=in_daytime(),
    ) as started:
        yield started


@pytest.fixture
async def page(
    running_demo: Demo, browser: Browser, caplog: pytest.LogCaptureFixture
) -> AsyncIterator[Page]:
    context = await browser.new_context(
        viewport={"width": 1200, "height": 900}, accept_downloads=True
    )
    opened = await context.new_page()
    errors: list[str] = []
    opened.on("pageerror", lambda error: errors.append(str(error)))
    await opened.goto(running_demo.url + "/")
    yield opened
    await context.close()
    assert errors == [], f"the page's script failed: {errors}"
    # Short 429s are waited out (bot/delivery/replies.py); nothing else may go wrong.
    refused = {code: n for code, n in running_demo.emulator.stats.errors.items() if code != 429}
    assert refused == {}, f"the emulator refused the bot's calls: {refused}"
    failures = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
    assert failures == [], f"the bot logged errors: {failures}"


async def shot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    await page.screenshot(path=str(ARTIFACTS / f"{name}.png"))


async def say(page: Page, text: str) -> None:
    await page.fill("#text", text)
    await page.press("#text", "Enter")


async def test_a_newcomer_subscribes_writes_and_records_an_appeal(page: Page) -> None:
    messages = page.locator("#messages")
    await expect(page.locator("#banner")).to_contain_text("Rehearsal")
    await expect(page.locator("#banner")).to_contain_text("Zhanbolat Mamay")
    await page.click(f"#person-{ANNA}")
    await say(page, "/start")
    await expect(messages).to_contain_text("Zhanbolat Mamay", timeout=REPLY)
    await expect(messages).to_contain_text("10 days left")
    # Telegram's HTML arrives as entities and is drawn as such: the title is bold.
    await expect(messages.locator("b", has_text="Deadline:").last).to_be_visible()
    await shot(page, "1-card")
    await page.get_by_role("button", name="✍️ Write the appeal").last.click()
    await page.get_by_role("button", name="📧 Email").last.click()
    await page.get_by_role("button", name="My full name").last.click()
    await expect(messages).to_contain_text("Type your full name", timeout=REPLY)
    await say(page, "Anna Petrova")
    await page.get_by_role("button", name="Skip: show my letter").last.click()
    await expect(messages).to_contain_text("Dear Mr President,", timeout=REPLY)
    letter = page.locator("a.file").last
    await expect(letter).to_contain_text(".eml", timeout=REPLY)
    async with page.expect_download() as download_info:
        await letter.click()
    download = await download_info.value
    assert download.suggested_filename.endswith(".eml")
    eml = await asyncio.to_thread(Path(await download.path()).read_text, encoding="utf-8")
    assert "Dear Mr President," in eml
    assert "Anna Petrova" in eml
    await shot(page, "2-letter")
    await page.get_by_role("button", name="✅ I've sent it").last.click()
    await expect(messages).to_contain_text("1 person has acted", timeout=REPLY)
    await shot(page, "3-recorded")


async def test_a_group_subscribes_and_sends_a_member_to_a_private_chat(page: Page) -> None:
    messages = page.locator("#messages")
    await page.click(f"#person-{ANNA}")
    await page.fill("#new-group input[name=title]", "Almaty volunteers")
    await page.click("#new-group button")
    await expect(page.locator("#title")).to_contain_text("Almaty volunteers")
    await expect(messages).to_contain_text("Anna created the group", timeout=REPLY)
    await say(page, "/start")
    await expect(messages).to_contain_text("/start@UrgentActionBot")
    await expect(messages).to_contain_text("This group now receives", timeout=REPLY)
    await expect(messages).to_contain_text("Zhanbolat Mamay", timeout=REPLY)
    await shot(page, "4-group")
    await page.get_by_role("button", name="Write your appeal").last.click()
    await expect(page.locator("#title")).to_contain_text("private chat")
    await expect(messages).to_contain_text("/start kz-zhanbolat-mamay", timeout=REPLY)
    await expect(page.get_by_role("button", name="✍️ Write the appeal").last).to_be_visible(
        timeout=REPLY
    )
    await page.click("#chats >> text=Almaty volunteers")
    await expect(messages).to_contain_text("This group now receives")
    await shot(page, "5-back-in-the-group")


async def test_an_organizer_broadcast_reaches_a_second_person(page: Page) -> None:
    messages = page.locator("#messages")
    await page.click(f"#person-{AIGUL}")
    await say(page, "/start")
    await expect(messages).to_contain_text("Жанболат Мамай", timeout=REPLY)
    await page.click(f"#person-{DEMO_ORGANIZER}")
    await say(page, "/broadcast")
    await expect(messages).to_contain_text("New broadcast", timeout=REPLY)
    await say(page, "The court hearing is moved to Friday. Please write today!")
    await page.get_by_role("button", name="Everyone subscribed").last.click()
    await expect(messages).to_contain_text("It goes to", timeout=REPLY)
    await page.get_by_role("button", name="📣 Send now").last.click()
    await expect(messages).to_contain_text("Broadcast #1", timeout=REPLY)
    await shot(page, "6-broadcast-sent")
    await page.click(f"#person-{AIGUL}")
    await expect(messages).to_contain_text("moved to Friday", timeout=REPLY)
    await expect(page.get_by_role("button", name="🔕 Отписаться").last).to_be_visible()
    await shot(page, "7-broadcast-received")


async def test_an_arabic_reader_gets_a_right_to_left_chat_and_letter(
    running_demo: Demo, browser: Browser
) -> None:
    context = await browser.new_context(
        viewport={"width": 1200, "height": 900}, accept_downloads=True
    )
    page = await context.new_page()
    await page.goto(running_demo.url + "/")
    messages = page.locator("#messages")
    await page.click(f"#person-{LAYLA}")
    await say(page, "/start")
    await expect(messages).to_contain_text("الموعد النهائي", timeout=REPLY)
    await expect(messages).to_contain_text("جانبولات ماماي")
    # The card runs right to left, as Telegram draws a paragraph that starts in Arabic.
    # Read in one pass of the page's own script: the chat is redrawn as messages arrive, and a
    # bubble read between two redraws would be a detached one, with no style or place.
    await page.wait_for_function(
        """title => {
            const card = [...document.querySelectorAll("#messages .msg")]
                .filter(m => m.textContent.includes(title)).pop();
            if (!card || getComputedStyle(card).unicodeBidi !== "plaintext") return false;
            const bold = [...card.querySelectorAll("b")].find(b => b.textContent.includes(title));
            return bold.getBoundingClientRect().right > card.getBoundingClientRect().right - 40;
        }""",
        arg="تمديد احتجاز ناشط",
        timeout=REPLY,
    )
    # A command in Arabic text is still a tap, its slash where a reader expects it.
    await expect(messages.locator("a", has_text="/privacy").first).to_be_visible()
    await shot(page, "ar-1-card")
    await page.get_by_role("button", name="✍️ اكتب المناشدة").last.click()
    await page.get_by_role("button", name="✉️ البريد العادي").last.click()
    await page.get_by_role("button", name="اسمي الكامل").last.click()
    await expect(messages).to_contain_text("اكتب اسمك الكامل", timeout=REPLY)
    await say(page, "ليلى حداد")
    await page.get_by_role("button", name="تخطَّ: اعرض رسالتي").last.click()
    letter = page.locator("a.file").last
    await expect(letter).to_contain_text(".html", timeout=REPLY)
    # One letter: the embassy copied is the one for writers in Canada, and she has not said
    # where she lives, so she is told how to find her own.
    await expect(messages).to_contain_text("رسالتك جاهزة للطباعة")
    await expect(messages).to_contain_text("نسخة إلى السفارة")
    # The President's office does not read Arabic: the letter that goes is in Russian, with
    # the Arabic one above it to read; she chooses to send the Arabic one.
    await expect(messages).to_contain_text("رسالتك لتقرأها")
    await shot(page, "ar-2-letter-in-chat")
    await page.get_by_role("button", name="الرسالة بالعربية").last.click()
    await expect(page.locator("a.file")).to_have_count(2, timeout=REPLY)
    letter = page.locator("a.file").last
    async with page.expect_download() as download_info:
        await letter.click()
    download = await download_info.value
    saved = ARTIFACTS / "ar-letter.html"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    await download.save_as(saved)
    printable = await context.new_page()
    await printable.goto(saved.as_uri())
    html = printable.locator("html")
    await expect(html).to_have_attribute("dir", "rtl")
    await expect(html).to_have_attribute("lang", "ar")
    sheet = printable.locator(".sheet .letter").first
    await expect(sheet).to_contain_text("فخامة الرئيس،")  # the case's salutation in Arabic
    await expect(sheet).to_contain_text("رئيس جمهورية كازاخستان")
    # Her name is in the closing block, which prints unbroken on one page.
    await expect(printable.locator(".sheet .closing").first).to_contain_text("ليلى حداد")
    await expect(printable.locator(".guide")).to_contain_text("كيف ترسل رسالتك بالبريد")
    # Arabic glyphs drawn, not boxes: the letter is set in a font that has them.
    family = await sheet.evaluate("e => getComputedStyle(e).fontFamily")
    assert family.startswith('"Noto Naskh Arabic"')
    assert await sheet.evaluate("e => getComputedStyle(e).direction") == "rtl"
    await printable.screenshot(path=str(ARTIFACTS / "ar-3-printable-letter.png"), full_page=False)
    await context.close()


SHEETS = ROOT / "tests" / "fixtures" / "sheets"


async def test_an_organizer_pastes_a_sheet_and_it_is_imported_with_its_lines(page: Page) -> None:
    messages = page.locator("#messages")
    await page.click(f"#person-{DEMO_ORGANIZER}")
    sheet = (SHEETS / "azerbaijan-karimli.txt").read_text(encoding="utf-8")
    # As a paste does: the text goes into the box whole, line breaks and all.
    await page.focus("#text")
    await page.keyboard.insert_text(sheet)
    assert await page.input_value("#text") == sheet
    box = await page.locator("#text").bounding_box()
    assert box is not None and box["height"] > 100  # the box grew to show the lines
    await shot(page, "8-sheet-pasted")
    await page.keyboard.press("Enter")
    await expect(page.locator("#text")).to_have_value("")
    await expect(messages).to_contain_text("A new case:", timeout=REPLY)
    # What the organizer sent is shown with its lines, as sent.
    mine = messages.locator(".msg.mine").last
    assert (await mine.inner_text()).count("\n") >= sheet.strip().count("\n") - 1
    await shot(page, "9-sheet-imported")


async def test_shift_enter_breaks_the_line_and_enter_sends(page: Page) -> None:
    messages = page.locator("#messages")
    await page.click(f"#person-{ANNA}")
    await page.focus("#text")
    await page.keyboard.type("first line")
    await page.keyboard.press("Shift+Enter")
    await page.keyboard.type("second line")
    assert await page.input_value("#text") == "first line\nsecond line"
    await page.keyboard.press("Enter")
    sent = messages.locator(".msg.mine").last
    await expect(sent).to_have_text("first line\nsecond line")


async def test_an_organizer_uploads_a_sheet_and_sees_the_results_chart(
    page: Page, tmp_path: Path
) -> None:
    messages = page.locator("#messages")
    await page.click(f"#person-{DEMO_ORGANIZER}")
    sheet = tmp_path / "egypt-adel.txt"
    sheet.write_bytes((SHEETS / "egypt-adel.txt").read_bytes())
    await page.set_input_files("#file", str(sheet))
    await expect(messages.locator(".msg.mine a.file").last).to_contain_text("egypt-adel.txt")
    await expect(messages).to_contain_text("A new case:", timeout=REPLY)
    await shot(page, "10-sheet-uploaded")

    await say(page, "/cases")
    await page.get_by_role("button", name="📊 Results").first.click()
    await page.get_by_role("button", name="📈 Chart").last.click(timeout=REPLY)
    chart = messages.locator("img.photo").last
    await expect(chart).to_be_visible(timeout=REPLY)
    # The PNG itself, drawn (read in the page: the chat redraws as messages arrive).
    await page.wait_for_function(
        """() => {
            const img = [...document.querySelectorAll("#messages img.photo")].pop();
            return img !== undefined && img.complete && img.naturalWidth > 300;
        }""",
        timeout=REPLY,
    )
    await shot(page, "11-results-chart")


async def test_a_case_passed_on_to_a_friend_in_a_group_opens_the_bot_for_them(page: Page) -> None:
    messages = page.locator("#messages")
    await page.click(f"#person-{ANNA}")
    await say(page, "/start")
    await expect(messages).to_contain_text("Zhanbolat Mamay", timeout=REPLY)
    await page.get_by_role("button", name="✅ I've acted").last.click()
    await page.get_by_role("button", name="President of Kazakhstan · fax").last.click()
    await expect(messages).to_contain_text("1 person has acted", timeout=REPLY)
    await page.fill("#new-group input[name=title]", "Friends")
    await page.click("#new-group button")
    await expect(page.locator("#title")).to_contain_text("Friends")
    await page.click(f"#chat-{ANNA}")
    await page.get_by_role("button", name="📣 Ask a friend").last.click()
    # The card lands in the group, from Anna via the bot, with the button that starts the bot.
    await expect(page.locator("#title")).to_contain_text("Friends", timeout=REPLY)
    await expect(messages).to_contain_text("Anna via @UrgentActionBot", timeout=REPLY)
    await expect(messages).to_contain_text("Writing an appeal takes a few minutes")
    await shot(page, "10-shared-card")
    await page.click(f"#person-{AIGUL}")
    await page.click("#chats >> text=Friends")
    await page.get_by_role("button", name="Write your appeal (private chat)").last.click()
    await expect(page.locator("#title")).to_contain_text("private chat")
    await expect(messages).to_contain_text("/start s_kz-zhanbolat-mamay_", timeout=REPLY)
    await expect(page.get_by_role("button", name="✍️ Написать обращение").last).to_be_visible(
        timeout=REPLY
    )
    await shot(page, "11-friend-started")
