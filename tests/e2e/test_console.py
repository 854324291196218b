"""The console from the chat: the organizer's menu button, /console's buttons and its one-time
link, against the real bot and its own web server; and a chat without the console."""

from __future__ import annotations

import dataclasses
import html
import re
import socket
from urllib.parse import urlsplit

import aiohttp

from bot.config import Settings
from bot.db.organizers import OrganizerRepository
from bot.emulator import TelegramEmulator
from bot.emulator.webapps import init_data
from tests.conftest import (
    ORGANIZER_ID,
    ROOT,
    TOKEN,
    Chatter,
    MovableClock,
    running_bot,
    services_of,
)

URL = "https://console.example.org/console"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def test_an_organizer_gets_the_menu_button_and_a_link_that_signs_in_once(
    settings: Settings, clock: MovableClock, emulator: TelegramEmulator, person: Chatter
) -> None:
    port = free_port()
    with_console = dataclasses.replace(settings, console_url=URL, console_port=port)
    # Olga has written to the bot before, so her chat exists for its menu button at start.
    olga_person = emulator.create_person("Olga", user_id=ORGANIZER_ID, started=True)
    olga = Chatter(emulator, olga_person, olga_person.id)
    async with running_bot(with_console, clock):
        await olga.say("/help")
        menu = emulator.menu_button_of(ORGANIZER_ID)
        assert menu == {"type": "web_app", "text": "Console", "web_app": {"url": f"{URL}/"}}
        assert emulator.menu_button_of(person.id) == {"type": "commands"}

        (answer,) = await olga.say("/console")
        assert "The organizers' console" in answer.text
        assert answer.reply_markup is not None
        rows = answer.reply_markup["inline_keyboard"]
        assert rows[0][0]["web_app"] == {"url": f"{URL}/"}
        link = rows[1][0]["url"]
        assert link.startswith(f"{URL}/link/")
        local = f"http://127.0.0.1:{port}{urlsplit(link).path}"
        async with aiohttp.ClientSession() as browser:
            first = await browser.get(local, allow_redirects=False)
            assert first.status == 303
            assert "console_session=" in first.headers["Set-Cookie"]
            again = await browser.get(local, allow_redirects=False)
            assert again.status == 403
            assert "Set-Cookie" not in again.headers

        (refused,) = await person.say("/console")
        assert not refused.reply_markup
        assert "/console" not in refused.text


async def test_without_a_console_url_the_console_is_off_and_the_chat_says_so(
    bot: object, emulator: TelegramEmulator
) -> None:
    olga_person = emulator.create_person("Olga", user_id=ORGANIZER_ID)
    olga = Chatter(emulator, olga_person, olga_person.id)
    (answer,) = await olga.say("/console")
    assert "not set up on this bot" in answer.text
    assert emulator.menu_button_of(ORGANIZER_ID) == {"type": "commands"}


SHEET = (ROOT / "tests" / "fixtures" / "sheets" / "console-tunisia-no-title.txt").read_text(
    encoding="utf-8"
)


class ConsoleBrowser:
    """A browser at the running bot's console: a session cookie, the page's own origin."""

    def __init__(self, session: aiohttp.ClientSession, root: str) -> None:
        self.session, self.root = session, root
        self.origin = root.split("/console", maxsplit=1)[0]

    async def get(self, path: str) -> tuple[int, str]:
        async with self.session.get(f"{self.root}{path}") as response:
            return response.status, await response.text()

    async def post(self, path: str, form: dict[str, str]) -> tuple[int, str, str]:
        async with self.session.post(
            f"{self.root}{path}", data=form, headers={"Origin": self.origin}
        ) as response:
            return response.status, str(response.url), await response.text()

    async def form(self, path: str) -> dict[str, str]:
        _, page = await self.get(path)
        found = {
            html.unescape(n): html.unescape(v)
            for n, v in re.findall(r'<input id="[^"]*" name="(f:[^"]+)" value="([^"]*)"', page)
        }
        textareas = re.findall(
            r'<textarea id="[^"]*" name="(f:[^"]+)"[^>]*>([^<]*)</textarea>', page
        )
        found.update({html.unescape(n): html.unescape(v) for n, v in textareas})
        found["csrf"] = re.findall(r'name="csrf" value="([^"]+)"', page)[0]
        return found


async def test_a_sheet_imported_completed_and_published_in_the_console_reaches_a_chat(
    settings: Settings, clock: MovableClock, emulator: TelegramEmulator, person: Chatter
) -> None:
    port = free_port()
    root = f"http://127.0.0.1:{port}/console"
    with_console = dataclasses.replace(settings, console_url=root, console_port=port)
    olga = emulator.create_person("Olga", user_id=ORGANIZER_ID, started=True)
    # unsafe: the jar keeps cookies of a numeric address (127.0.0.1), as a browser does.
    jar = aiohttp.CookieJar(unsafe=True)
    async with running_bot(with_console, clock), aiohttp.ClientSession(cookie_jar=jar) as session:
        await person.say("/start", replies=2)
        browser = ConsoleBrowser(session, root)
        launch = init_data(TOKEN, olga.as_user(), auth_date=int(clock().timestamp()))
        status, _, _ = await browser.post("/signin", {"init_data": launch})
        assert status == 200  # followed to the console's first page
        _, home = await browser.get("/")
        csrf = re.findall(r'name="csrf" value="([^"]+)"', home)[0]
        status, url, page = await browser.post("/import", {"csrf": csrf, "sheet": SHEET})
        assert url.endswith("/console/cases/tn-samia-ben-salah")
        assert "not on the sheet: to complete" in page

        form = await browser.form("/cases/tn-samia-ben-salah")
        form["f:text.en.title"] = "Teacher held for a post about pay"
        status, url, _ = await browser.post("/cases/tn-samia-ben-salah", form)
        assert status == 200 and url.endswith("?saved=1")

        _, reach = await browser.get("/cases/tn-samia-ben-salah/publish")
        assert "1 person now" in reach
        csrf = re.findall(r'name="csrf" value="([^"]+)"', reach)[0]
        mark = emulator.last_id(person.id)
        status, url, page = await browser.post("/cases/tn-samia-ben-salah/publish", {"csrf": csrf})
        assert url.endswith("?published=1")
        assert "Published: 1 alert is on the way now" in page
        assert "for the morning" not in page  # 09:00 where Anna lives
        (alert,) = await emulator.replies(person.id, after=mark, count=1)
        assert "Teacher held for a post about pay" in alert.text
        assert "Samia Ben Salah" in alert.text

        # Published at night where some live, the page says that those alerts wait.
        _, later = await browser.get("/cases/tn-samia-ben-salah?published=3&at_morning=2")
        assert (
            "Published: 3 alerts are on the way now; others follow within people's allowances."
            " 2 of them wait for the morning: it is night where they go, and alerts arrive"
            " between 08:00 and 22:00 local time."
        ) in html.unescape(later)

        # The results, as counts and a chart; the CSV is the chat's.
        _, results = await browser.get("/cases/tn-samia-ben-salah/results")
        assert re.search(r"<dt>Offered</dt><dd>1</dd>", results)
        assert "<svg" in results and 'class="bar-alerted"' in results
        async with session.get(f"{root}/cases/tn-samia-ben-salah/results.csv") as response:
            rows = (await response.text()).splitlines()
        assert rows[0] == "case,measure,key,count"
        assert "tn-samia-ben-salah,alerted,,1" in rows
        _, network = await browser.get("/results")
        assert "Teacher held for a post about pay" in network
        assert "English: 1" in network  # Anna, counted, never named
        assert "Anna" not in network and "Anna" not in results


async def test_a_broadcast_from_the_console_with_its_count_and_a_cancelled_one(
    settings: Settings, clock: MovableClock, emulator: TelegramEmulator, person: Chatter
) -> None:
    port = free_port()
    root = f"http://127.0.0.1:{port}/console"
    with_console = dataclasses.replace(settings, console_url=root, console_port=port)
    olga = emulator.create_person("Olga", user_id=ORGANIZER_ID, started=True)
    jar = aiohttp.CookieJar(unsafe=True)
    async with (
        running_bot(with_console, clock) as app,
        aiohttp.ClientSession(cookie_jar=jar) as session,
    ):
        await person.say("/start", replies=2)
        browser = ConsoleBrowser(session, root)
        launch = init_data(TOKEN, olga.as_user(), auth_date=int(clock().timestamp()))
        await browser.post("/signin", {"init_data": launch})
        async with session.get(f"{root}/broadcasts/count?audience=all") as response:
            assert await response.json() == {"count": 1, "text": "1 chat would get it now."}
        async with session.get(f"{root}/broadcasts/count?audience=lang:fr") as response:
            assert (await response.json())["count"] == 0
        _, page = await browser.get("/broadcasts")
        csrf = re.findall(r'name="csrf" value="([^"]+)"', page)[0]
        mark = emulator.last_id(person.id)
        words = "Thank you all: <Samia> is free!"
        form = {"csrf": csrf, "text": words, "audience": "all", "when": "now"}
        status, url, _ = await browser.post("/broadcasts", form)
        assert status == 200 and url.endswith("/console/broadcasts")
        (message,) = await emulator.replies(person.id, after=mark, count=1)
        assert message.text == words  # the organizer's text, shown as text
        form = {"csrf": csrf, "text": "Later", "audience": "all", "when": "1h"}
        _, _, page = await browser.post("/broadcasts", form)
        assert "Scheduled for 1 chat" in page
        later = int(re.findall(r'broadcasts/(\d+)/cancel"', page)[0])
        status, _, page = await browser.post(f"/broadcasts/{later}/cancel", {"csrf": csrf})
        assert status == 200
        assert f"Broadcast #{later}</b> — cancelled" in page
        log = await OrganizerRepository(services_of(app).db).log()
        assert [entry[2] for entry in log[:3]] == [
            "broadcast_cancelled",
            "broadcast_queued",
            "broadcast_queued",
        ]
