"""The console's web application behind its middleware: who gets in, what they see, and what
cannot be done from another site. The bot's services run over a fresh database; the page is
asked over HTTP, as a browser asks it."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
from aiohttp import ClientResponse, DummyCookieJar, FormData, web
from aiohttp.test_utils import TestClient, TestServer

from bot.appeals.compose import Signer, compose_appeal
from bot.appeals.files import post_file
from bot.catalogue import load_catalogue
from bot.config import Secret, Settings
from bot.console.links import issue_link
from bot.console.serving import root_application
from bot.console.web import COOKIE, ConsoleSite
from bot.context import Services
from bot.db.connection import Database
from bot.db.organizers import OrganizerRepository
from bot.domain.cases import Channel
from bot.domain.subscribers import ChatType
from bot.emulator.webapps import init_data
from bot.rendering import Renderer
from bot.views.cards import case_card
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
        ({"csrf": token[:-1] + ("1" if token.endswith("0") else "0")}, ORIGIN),  # altered
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


SHEET = (ROOT / "tests" / "fixtures" / "sheets" / "console-tunisia-no-title.txt").read_text(
    encoding="utf-8"
)
IMPORTED = "tn-samia-ben-salah"


async def form_of(browser: Browser, path: str) -> dict[str, str]:
    """The values a browser would post back from the page's form, unchanged."""
    import html as html_module  # noqa: PLC0415
    import re  # noqa: PLC0415

    _, page = await browser.get(path)
    form: dict[str, str] = {}
    for name, value in re.findall(r'<input id="[^"]*" name="(f:[^"]+)" value="([^"]*)"', page):
        form[html_module.unescape(name)] = html_module.unescape(value)
    for name, value in re.findall(
        r'<textarea id="[^"]*" name="(f:[^"]+)"[^>]*>([^<]*)</textarea>', page
    ):
        form[html_module.unescape(name)] = html_module.unescape(value)
    for name in re.findall(r'<input type="checkbox" name="(f:[^"]+)" value="true" checked>', page):
        form[html_module.unescape(name)] = "true"
    form["csrf"] = await browser.csrf()
    return form


async def test_a_pasted_sheet_becomes_a_draft_shown_beside_its_sheet(browser: Browser) -> None:
    await browser.sign_in()
    status, _ = await browser.post(
        "/console/import", {"csrf": await browser.csrf(), "sheet": SHEET}
    )
    assert status == 303
    case = await browser.services.cases.get(IMPORTED)
    assert case is not None
    assert case.status == "draft"
    _, page = await browser.get(f"/console/cases/{IMPORTED}")
    assert "Samia Ben Salah has taught mathematics in Sfax" in page  # the sheet, beside
    assert 'name="f:text.en.title" value=""' in page
    title = page[page.index('name="f:text.en.title"') - 600 : page.index('name="f:text.en.title"')]
    assert "not on the sheet: to complete" in title
    fax = page[page.index('name="f:targets[0].fax"') - 600 : page.index('name="f:targets[0].fax"')]
    assert "guessed: check it" in fax
    assert "read from the sheet" in page
    assert "Before it can be published, 1 field must be completed" in page
    log = await OrganizerRepository(browser.services.db).log()
    assert (log[0][1], log[0][2]) == (ORGANIZER_ID, "case_imported")


async def test_completing_a_missing_title_and_adding_a_french_text(browser: Browser) -> None:
    await browser.sign_in()
    await browser.post("/console/import", {"csrf": await browser.csrf(), "sheet": SHEET})
    form = await form_of(browser, f"/console/cases/{IMPORTED}")
    form["f:text.en.title"] = "Teacher held for a post about pay"
    status, _ = await browser.post(f"/console/cases/{IMPORTED}", form)
    assert status == 303
    case = await browser.services.cases.get(IMPORTED)
    assert case is not None
    assert case.texts["en"].title == "Teacher held for a post about pay"
    assert case.status == "draft"  # an edit never publishes

    form = await form_of(browser, f"/console/cases/{IMPORTED}?add=fr")
    asks = len(case.texts["en"].asks)
    assert form["f:text.fr.title"] == ""
    assert [f"f:text.fr.asks[{i}]" in form for i in range(asks + 1)] == [True] * asks + [False]
    french = {
        "f:text.fr.title": "Une enseignante détenue pour un message sur les salaires",
        "f:text.fr.summary": "Samia Ben Salah, syndicaliste et enseignante à Sfax, est détenue.",
        "f:text.fr.background": "Samia Ben Salah enseigne les mathématiques à Sfax.",
        **{f"f:text.fr.asks[{i}]": f"demande {i + 1} en français" for i in range(asks)},
    }
    status, _ = await browser.post(f"/console/cases/{IMPORTED}", {**form, **french})
    assert status == 303
    case = await browser.services.cases.get(IMPORTED)
    assert case is not None
    assert case.texts["fr"].title.startswith("Une enseignante")
    assert len(case.texts["fr"].asks) == asks
    log = await OrganizerRepository(browser.services.db).log()
    assert log[0][2] == "case_edited"
    assert log[0][3] == {"case": IMPORTED, "fields": ["text"]}


async def test_a_field_that_breaks_the_rules_is_shown_where_it_is_and_nothing_is_saved(
    browser: Browser,
) -> None:
    await browser.sign_in()
    await browser.post("/console/import", {"csrf": await browser.csrf(), "sheet": SHEET})
    before = await browser.services.cases.get(IMPORTED)
    form = await form_of(browser, f"/console/cases/{IMPORTED}")
    form["f:targets[0].emails[0]"] = "not an address"
    status, page = await browser.post(f"/console/cases/{IMPORTED}", form)
    assert status == 400
    assert "Nothing was saved: 1 field needs changing" in page
    where = page.index('name="f:targets[0].emails[0]"')
    assert 'aria-invalid="true"' in page[where : where + 200]
    assert 'class="error"' in page[where : where + 600]
    assert await browser.services.cases.get(IMPORTED) == before


async def test_an_uploaded_sheet_is_imported_as_a_pasted_one(browser: Browser) -> None:
    await browser.sign_in()
    form = aiohttp_form(await browser.csrf())
    response = await browser.client.post(
        "/console/import",
        data=form,
        headers={"Cookie": f"{COOKIE}={browser.cookie}", "Origin": ORIGIN},
        allow_redirects=False,
    )
    assert response.status == 303
    assert response.headers["Location"] == f"/console/cases/{IMPORTED}"


def aiohttp_form(csrf: str) -> FormData:
    form = FormData()
    form.add_field("csrf", csrf)
    form.add_field("sheet", "")
    form.add_field(
        "file", SHEET.encode(), filename="sheet.txt", content_type="text/plain; charset=utf-8"
    )
    return form


async def test_the_preview_shows_the_card_and_letters_exactly_as_the_bot_renders_them(
    browser: Browser,
) -> None:
    import html as html_module  # noqa: PLC0415

    services = browser.services
    case = await services.cases.get(SEED)
    assert case is not None
    await browser.sign_in()
    status, page = await browser.get(
        f"/console/cases/{SEED}/preview?language=fr&channel=email&country=CA"
    )
    assert status == 200
    now = services.clock()
    card = case_card(
        case, language="fr", renderer=services.renderer, now=now, acted=0, bot_username="bot"
    )
    assert card.text in page  # Telegram's HTML, as sent
    appeal = compose_appeal(
        case,
        channel=Channel.EMAIL,
        language="fr",
        signer=Signer(full_name="Votre nom"),  # the sample signature, in French
        personal_line=None,
        today=now.date(),
        variant_seed=f"preview:{SEED}",
        renderer=services.renderer,
        writer_country="CA",
    )
    assert html_module.escape(appeal.letters[0].body, quote=True) in page
    assert "Monsieur le Président" in page

    status, printed = await browser.get(f"/console/cases/{SEED}/print/post?language=fr&country=CA")
    assert status == 200
    post = compose_appeal(
        case,
        channel=Channel.POST,
        language="fr",
        signer=Signer(full_name="Votre nom"),  # the sample signature, in French
        personal_line=None,
        today=now.date(),
        variant_seed=f"preview:{SEED}",
        renderer=services.renderer,
        writer_country="CA",
    )
    assert printed == post_file(post, services.renderer, reader="en").decode()
    response = await browser.client.get(
        f"/console/cases/{SEED}/print/post",
        headers={"Cookie": f"{COOKIE}={browser.cookie}"},
    )
    policy = response.headers["Content-Security-Policy"]
    assert "script-src" not in policy and "default-src 'none'" in policy


async def test_each_language_shows_its_texts_and_who_would_get_the_case_in_which(
    browser: Browser,
) -> None:
    services = browser.services
    now = services.clock()
    for chat_id, language in ((501, "fr"), (502, "fr"), (503, "es")):
        await services.subscribers.subscribe(chat_id, ChatType.PRIVATE, language, now)
    await browser.sign_in()
    await browser.post("/console/import", {"csrf": await browser.csrf(), "sheet": SHEET})
    _, page = await browser.get(f"/console/cases/{IMPORTED}")
    table = page[
        page.index('id="languages-h"') : page.index("</table>", page.index("languages-h"))
    ]
    rows = {
        cells[0]: cells[1:]
        for cells in (
            re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
            for row in re.findall(r"<tr[^>]*>(.*?)</tr>", table, re.S)[1:]
        )
    }
    english = next(v for k, v in rows.items() if k.startswith("English"))
    assert "Title" in english[0]  # incomplete: the sheet had no title
    french = rows["French"]
    assert "Add a text in French" in french[0]
    assert french[1:] == ["2", "English"]  # two readers of French get it in English
    assert rows["Spanish"][1:] == ["1", "English"]


async def test_closing_asks_the_outcome_and_goes_through_the_chats_own_operation(
    browser: Browser,
) -> None:
    await browser.sign_in()
    _, page = await browser.get(f"/console/cases/{SEED}/close")
    assert "Released" in page and "No further action" in page
    csrf = await browser.csrf()
    status, page = await browser.post(f"/console/cases/{SEED}/close", {"csrf": csrf})
    assert status == 400
    assert "Choose what became of the people at risk" in page
    case = await browser.services.cases.get(SEED)
    assert case is not None
    assert case.status == "active"
    status, _ = await browser.post(
        f"/console/cases/{SEED}/close", {"csrf": csrf, "outcome": "released", "notify": "no"}
    )
    assert status == 303
    case = await browser.services.cases.get(SEED)
    assert case is not None
    assert (case.status, case.outcome) == ("closed", "released")
    log = await OrganizerRepository(browser.services.db).log()
    assert (log[0][2], log[0][3]) == (
        "case_closed",
        {"case": SEED, "outcome": "released", "told": 0},
    )


async def test_the_form_offers_the_cards_asks_and_the_card_then_shows_them(
    browser: Browser,
) -> None:
    await browser.sign_in()
    await browser.post("/console/import", {"csrf": await browser.csrf(), "sheet": SHEET})
    case = await browser.services.cases.get(IMPORTED)
    assert case is not None and not case.texts["en"].card_asks
    asks = len(case.texts["en"].asks)
    _, page = await browser.get(f"/console/cases/{IMPORTED}")
    assert "The same ask, as subscribers read it" in page
    form = await form_of(browser, f"/console/cases/{IMPORTED}")
    assert [form.get(f"f:text.en.card_asks[{i}]") for i in range(asks + 1)] == [""] * asks + [None]
    form["f:text.en.title"] = "Teacher held for a post about pay"
    told = [f"ask number {i + 1} of the authorities, told to the reader" for i in range(asks)]
    status, _ = await browser.post(
        f"/console/cases/{IMPORTED}",
        {**form, **{f"f:text.en.card_asks[{i}]": t for i, t in enumerate(told)}},
    )
    assert status == 303
    case = await browser.services.cases.get(IMPORTED)
    assert case is not None
    assert list(case.texts["en"].card_asks) == told
    card = case_card(
        case,
        language="en",
        renderer=browser.services.renderer,
        now=browser.services.clock(),
        acted=0,
        bot_username="bot",
    )
    assert "<b>What we ask the authorities:</b>\n• ask number 1 of the authorities" in card.text
    form = await form_of(browser, f"/console/cases/{IMPORTED}")
    assert form[f"f:text.en.card_asks[{asks - 1}]"] == told[-1]


async def test_publishing_an_incomplete_draft_names_what_is_missing_in_an_organizers_words(
    browser: Browser,
) -> None:
    await browser.sign_in()
    await browser.post("/console/import", {"csrf": await browser.csrf(), "sheet": SHEET})
    status, page = await browser.post(
        f"/console/cases/{IMPORTED}/publish", {"csrf": await browser.csrf()}
    )
    assert status == 409
    assert "Still to complete: Title." in page
    assert "text.en.title" not in page.split("<form", 1)[0]
    case = await browser.services.cases.get(IMPORTED)
    assert case is not None and case.status == "draft"
