"""The console's web application behind its middleware: who gets in, what they see, and what
cannot be done from another site. The bot's services run over a fresh database; the page is
asked over HTTP, as a browser asks it."""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
from aiohttp import ClientResponse, DummyCookieJar, web
from aiohttp.test_utils import TestClient, TestServer

from bot.catalogue import load_catalogue
from bot.config import Secret, Settings
from bot.console.links import issue_link
from bot.console.serving import root_application
from bot.console.web import COOKIE, ConsoleSite
from bot.context import Services
from bot.db.connection import Database
from bot.db.organizers import OrganizerRepository
from bot.emulator.webapps import init_data
from bot.rendering import Renderer
from tests.conftest import ORGANIZER_ID, ROOT, TOKEN, MovableClock

URL = "https://console.example.org/console"
ORIGIN = "https://console.example.org"
SEED = "kz-zhanbolat-mamay"


@dataclasses.dataclass
class Browser:
    """A browser at the console: it keeps the session cookie (secure: sent by hand here, as the
    test server speaks plain http) and posts from the console's own origin unless told."""

    client: TestClient[web.Request, web.Application]
    services: Services
    cookie: str | None = None

    def launch(self, user_id: int = ORGANIZER_ID, *, ago: timedelta = timedelta(0)) -> str:
        user = {"id": user_id, "first_name": "Olga", "language_code": "en"}
        signed_at = self.services.clock() - ago
        return init_data(TOKEN, user, auth_date=int(signed_at.timestamp()))

    def _headers(self, origin: str | None) -> dict[str, str]:
        headers = {"Cookie": f"{COOKIE}={self.cookie}"} if self.cookie else {}
        if origin is not None:
            headers["Origin"] = origin
        return headers

    def _keep(self, response: ClientResponse) -> None:
        if COOKIE in response.cookies:
            self.cookie = response.cookies[COOKIE].value or None

    async def get(self, path: str) -> tuple[int, str]:
        response = await self.client.get(path, headers=self._headers(None), allow_redirects=False)
        self._keep(response)
        return response.status, await response.text()

    async def post(
        self, path: str, form: dict[str, str], *, origin: str | None = ORIGIN
    ) -> tuple[int, str]:
        response = await self.client.post(
            path, data=form, headers=self._headers(origin), allow_redirects=False
        )
        self._keep(response)
        return response.status, await response.text()

    async def sign_in(self, user_id: int = ORGANIZER_ID) -> int:
        status, _ = await self.post("/console/signin", {"init_data": self.launch(user_id)})
        return status

    async def csrf(self) -> str:
        _, page = await self.get("/console/")
        marker = 'name="csrf" value="'
        start = page.index(marker) + len(marker)
        return page[start : page.index('"', start)]


@pytest.fixture
async def browser(db: Database, clock: MovableClock) -> AsyncIterator[Browser]:
    settings = Settings(token=Secret(TOKEN), organizers=frozenset({ORGANIZER_ID}), console_url=URL)
    services = Services.over(settings, clock, Renderer(), db)
    result = load_catalogue(ROOT / "actions")
    await services.cases.seed(((c, str(p)) for c, p in result.cases_with_paths()), clock())
    app = root_application(ConsoleSite(lambda: services))
    async with TestClient(TestServer(app), cookie_jar=DummyCookieJar()) as client:
        yield Browser(client, services)


async def test_an_organizer_signs_in_with_launch_data_and_sees_the_cases(browser: Browser) -> None:
    status, page = await browser.get("/console/")
    assert status == 200
    assert "Signing you in with Telegram" in page
    assert "Zhanbolat" not in page  # nothing of the bot's data before sign-in
    assert await browser.sign_in() == 303
    assert browser.cookie is not None
    status, page = await browser.get("/console/")
    assert status == 200
    assert "Zhanbolat Mamay" in page


async def test_every_answer_carries_a_strict_content_security_policy(browser: Browser) -> None:
    response = await browser.client.get("/console/")
    policy = response.headers["Content-Security-Policy"]
    assert "default-src 'none'" in policy
    assert "script-src 'self' https://telegram.org;" in policy
    assert "unsafe-inline" not in policy
    assert "form-action 'self'" in policy
    refused = await browser.client.post("/console/signout", headers={"Origin": ORIGIN})
    assert refused.status == 403
    assert "default-src 'none'" in refused.headers["Content-Security-Policy"]


async def test_someone_who_is_not_an_organizer_gets_the_refusal_and_no_session(
    browser: Browser,
) -> None:
    assert await browser.sign_in(user_id=777) == 403
    assert browser.cookie is None
    _, page = await browser.get("/console/")
    assert "Signing you in" in page and "Zhanbolat" not in page


@pytest.mark.parametrize("ago", [timedelta(hours=2), timedelta(days=3)])
async def test_old_launch_data_is_refused(browser: Browser, ago: timedelta) -> None:
    status, page = await browser.post("/console/signin", {"init_data": browser.launch(ago=ago)})
    assert status == 403
    assert "for the section's organizers" in page
    assert browser.cookie is None


async def test_an_altered_session_cookie_opens_nothing(browser: Browser) -> None:
    await browser.sign_in()
    assert browser.cookie is not None
    browser.cookie = "777" + browser.cookie[len(str(ORGANIZER_ID)) :]
    _, page = await browser.get("/console/")
    assert "Zhanbolat" not in page


async def test_an_organizer_removed_loses_the_console_at_the_next_request(
    browser: Browser,
) -> None:
    organizers = OrganizerRepository(browser.services.db)
    now = browser.services.clock()
    await organizers.add(5005, ORGANIZER_ID, now)
    assert await browser.sign_in(user_id=5005) == 303
    assert "Zhanbolat" in (await browser.get("/console/"))[1]
    await organizers.remove(5005, ORGANIZER_ID, now)
    _, page = await browser.get("/console/")
    assert "Zhanbolat" not in page


async def test_a_sign_in_link_works_once_and_expires(
    browser: Browser, clock: MovableClock
) -> None:
    link = await issue_link(browser.services, URL, ORGANIZER_ID)
    path = link.removeprefix(ORIGIN)
    status, _ = await browser.get(path)
    assert status == 303
    assert browser.cookie is not None
    browser.cookie = None
    status, _ = await browser.get(path)  # replayed
    assert status == 403
    assert browser.cookie is None
    late = (await issue_link(browser.services, URL, ORGANIZER_ID)).removeprefix(ORIGIN)
    clock.advance(timedelta(minutes=11))
    assert (await browser.get(late))[0] == 403
    assert (await browser.get("/console/link/made-up"))[0] == 403


async def test_forms_are_refused_from_another_site_or_without_the_sessions_token(
    browser: Browser,
) -> None:
    await browser.sign_in()
    token = await browser.csrf()
    cases = [
        ({"csrf": token}, "https://evil.example.com"),
        ({"csrf": token}, None),  # neither Origin nor Referer
        ({}, ORIGIN),
        ({"csrf": token[:-1] + "0"}, ORIGIN),
    ]
    for form, origin in cases:
        status, _ = await browser.post("/console/signout", form, origin=origin)
        assert status == 403, (form, origin)
        assert "Zhanbolat" in (await browser.get("/console/"))[1]  # still signed in
    status, _ = await browser.post("/console/signout", {"csrf": token})
    assert status == 303
    assert browser.cookie is None


async def test_text_from_a_case_is_shown_as_text_never_run(browser: Browser) -> None:
    case = await browser.services.cases.get(SEED)
    assert case is not None
    text = dataclasses.replace(case.texts["en"], title='<script>alert("x")</script><b>t</b>')
    hostile = dataclasses.replace(case, texts={**case.texts, "en": text})
    await browser.services.cases.save(hostile, browser.services.clock())
    await browser.sign_in()
    _, page = await browser.get("/console/")
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;&lt;b&gt;t&lt;/b&gt;" in page
