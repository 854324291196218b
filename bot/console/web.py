"""The console's web application: its routes, and one middleware in front of all of them.

The middleware answers every request in this order: the security headers (a strict
Content-Security-Policy: only the console's own script and Telegram's run, nothing inline);
then who is asking (a session signed by the console, for an organizer in the bot's own records
now); then, for anything that changes something, that it comes from the console's own page
(the same origin, and the session's CSRF token). Only the sign-in routes and the static files
are open to someone without a session, and they show nothing of the bot's data.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

from aiohttp import web

from bot.console.signin import (
    SESSION_LIFETIME,
    LaunchDataRefusedError,
    Session,
    Sessions,
    check_launch_data,
    link_hash,
)
from bot.context import Services
from bot.db.console import ConsoleLanguageRepository, ConsoleLinkRepository
from bot.domain.cases import CaseStatus
from bot.handlers.rights import is_organizer_id
from bot.rendering import TEMPLATES_DIR

log = logging.getLogger(__name__)

COOKIE = "console_session"
STATIC_DIR = TEMPLATES_DIR / "console" / "static"
# Telegram's own script for Mini Apps; the page works without it (the demo, the tests).
TELEGRAM_SCRIPT = "https://telegram.org/js/telegram-web-app.js"
# Routes someone without a session may reach: they show nothing of the bot's data.
_OPEN_ROUTES = frozenset({"console.index", "console.signin", "console.link", "console.static"})
_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

SESSION = web.RequestKey("console_session", Session)
CSRF = web.RequestKey("console_csrf", str)
LANGUAGE = web.RequestKey("console_language", str)  # before a session: the launch data's

ServicesSource = Callable[[], "Services | None"]
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


@dataclass(frozen=True)
class ConsoleSite:
    """The console of the running bot: its services, and its public address in their settings
    (read at each request, since the demo learns its port only once its server runs)."""

    services: ServicesSource
    # The bot's @username, for the cards' links (known once the bot has started).
    bot_username: Callable[[], str] = lambda: "bot"
    # Follows a broadcast queued here to its end, as the chat's status message does (the bot's
    # job queue); nothing where no bot runs (the tests of the pages alone).
    follow_broadcast: Callable[[int], None] = lambda _broadcast_id: None

    @property
    def url(self) -> str:
        """The public address, e.g. https://example.org/console (no trailing slash)."""
        services = self.services()
        if services is None or services.settings.console_url is None:
            raise web.HTTPServiceUnavailable(text="The console is starting; try again soon.")
        return services.settings.console_url

    @property
    def origin(self) -> str:
        """The scheme, host and port the console's own page posts from."""
        parts = urlsplit(self.url)
        return f"{parts.scheme}://{parts.netloc}"

    @property
    def path(self) -> str:
        """The path the console's routes live under, with its slash: "/console/" or "/"."""
        return urlsplit(self.url).path.rstrip("/") + "/"

    @property
    def secure(self) -> bool:
        """Whether the console is served over https (always, except on 127.0.0.1 in the demo)."""
        return self.url.startswith("https://")

    def content_security_policy(self) -> str:
        """Only the console's own script and Telegram's run; nothing inline, no other site."""
        script = f"'self' {urlsplit(TELEGRAM_SCRIPT).scheme}://{urlsplit(TELEGRAM_SCRIPT).netloc}"
        return (
            "default-src 'none'; "
            f"script-src {script}; style-src 'self'; img-src 'self' data:; "
            "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-src 'self'; "
            # Telegram Web shows Mini Apps in a frame of its own pages; the demo beside its chat.
            "frame-ancestors 'self' https://web.telegram.org"
        )


def site_of(request: web.Request) -> ConsoleSite:
    """The console the request came to."""
    return _site(request)


def _site(request: web.Request) -> ConsoleSite:
    site: ConsoleSite = request.app[SITE]
    return site


def services_of(request: web.Request) -> Services:
    """The running bot's services (503 while it starts)."""
    return _services(request)


def _services(request: web.Request) -> Services:
    services = _site(request).services()
    if services is None:
        raise web.HTTPServiceUnavailable(text="The bot is starting; try again in a moment.")
    return services


def render(
    request: web.Request, name: str, *, status: int = 200, **values: object
) -> web.Response:
    """A console page from templates/console/, in the language of the session (or English)."""
    services = _services(request)
    session: Session | None = request.get(SESSION)
    language = session.language if session is not None else request.get(LANGUAGE, "en")
    page = services.renderer.render(
        language,
        f"console/{name}",
        base=_site(request).path,
        csrf=request.get(CSRF, ""),
        rtl=services.renderer.is_rtl(language),
        telegram_script=TELEGRAM_SCRIPT,
        **values,
    )
    return web.Response(text=page, status=status, content_type="text/html", charset="utf-8")


@web.middleware
async def guard(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Headers on every answer; a session for every route but sign-in; CSRF on every change."""
    site = _site(request)
    try:
        response = await _checked(request, handler, site)
    except web.HTTPException as error:
        _secured(error, site)
        raise
    return _secured(response, site)


def _secured(response: web.StreamResponse, site: ConsoleSite) -> web.StreamResponse:
    # A page may set a stricter policy of its own (the printable letters: styles, no script).
    response.headers.setdefault("Content-Security-Policy", site.content_security_policy())
    response.headers["X-Content-Type-Options"] = "nosniff"
    # Not "no-referrer": Chromium then sends `Origin: null` with the page's own forms, and the
    # same-origin check would refuse them. Other sites get no address at all.
    response.headers["Referrer-Policy"] = "same-origin"
    response.headers.setdefault("Cache-Control", "no-store")
    return response


async def _checked(
    request: web.Request, handler: Handler, site: ConsoleSite
) -> web.StreamResponse:
    route = request.match_info.route.name
    services = _services(request)
    sessions = Sessions(services.settings.token.reveal())
    cookie = request.cookies.get(COOKIE)
    session = sessions.read(cookie, services.clock())
    if session is not None and not await is_organizer_id(services, session.user_id):
        log.info("console refused to user %s: no longer an organizer", session.user_id)
        session = None
    if session is not None and cookie is not None:
        request[SESSION] = session
        request[CSRF] = sessions.csrf(cookie)
    if request.method not in _SAFE_METHODS:
        if not _same_origin(request, site):
            log.info("console refused a %s from another origin", request.method)
            return render(request, "refused.html", status=403)
        if route != "console.signin":
            form = await request.post()
            given = str(form.get("csrf", "")) or request.headers.get("X-CSRF-Token", "")
            if session is None or not _equal(given, request[CSRF]):
                log.info("console refused a %s without its CSRF token", request.method)
                return render(request, "refused.html", status=403)
    if session is None and route not in _OPEN_ROUTES:
        return render(request, "refused.html", status=403)
    return await handler(request)


def _equal(a: str, b: str) -> bool:
    import hmac  # noqa: PLC0415

    return hmac.compare_digest(a.encode(), b.encode())


def _same_origin(request: web.Request, site: ConsoleSite) -> bool:
    """Whether the browser says the request comes from the console's own pages."""
    origin = request.headers.get("Origin")
    if origin is None:
        referer = request.headers.get("Referer")
        if referer is None:
            return False
        parts = urlsplit(referer)
        origin = f"{parts.scheme}://{parts.netloc}"
    return origin == site.origin


def _signed_in(
    request: web.Request, user_id: int, language: str, location: str | None = None
) -> web.StreamResponse:
    """Start a session for an organizer and send them to the console's first page (or to
    `location`, a page of the console)."""
    site = _site(request)
    services = _services(request)
    value = Sessions(services.settings.token.reveal()).issue(user_id, language, services.clock())
    response = web.Response(status=303, headers={"Location": location or site.path})
    response.set_cookie(
        COOKIE,
        value,
        path=site.path,
        max_age=int(SESSION_LIFETIME.total_seconds()),
        httponly=True,
        secure=site.secure or None,
        # Telegram Web shows the console in a frame of another site: its cookie must go there.
        samesite="None" if site.secure else "Lax",
    )
    return response


async def index(request: web.Request) -> web.StreamResponse:
    """The console's first page, or, without a session, the page that signs in with Telegram."""
    if request.get(SESSION) is None:
        return render(request, "signin.html")
    services = _services(request)
    cases = await services.cases.all()
    drafts = sum(1 for case in cases if case.status is CaseStatus.DRAFT)
    return render(
        request,
        "home.html",
        cases=cases,
        drafts=drafts,
        # Each language by its own name, as /settings lists them.
        console_languages=[
            (c, services.renderer.language_name(c)) for c in services.renderer.languages
        ],
    )


async def signin(request: web.Request) -> web.StreamResponse:
    """Sign in with the launch data Telegram gave the page: organizers only."""
    services = _services(request)
    form = await request.post()
    try:
        user = check_launch_data(
            str(form.get("init_data", "")), services.settings.token.reveal(), services.clock()
        )
    except LaunchDataRefusedError as error:
        log.info("console sign-in refused: %s", error)
        return render(request, "refused.html", status=403)
    chosen = await ConsoleLanguageRepository(services.db).get(user.id)
    language = chosen or services.renderer.language_for(user.language_code)
    request[LANGUAGE] = language
    if not await is_organizer_id(services, user.id):
        log.info("console sign-in refused to user %s: not an organizer", user.id)
        return render(request, "refused.html", status=403)
    return _signed_in(request, user.id, language)


async def link(request: web.Request) -> web.StreamResponse:
    """Sign in with a one-time link from /console: good for minutes, and once."""
    services = _services(request)
    links = ConsoleLinkRepository(services.db)
    user_id = await links.spend(link_hash(request.match_info["secret"]), services.clock())
    if user_id is None or not await is_organizer_id(services, user_id):
        log.info("console sign-in link refused (unknown, used or expired)")
        return render(request, "refused.html", status=403)
    subscriber = await services.subscribers.get(user_id)
    chosen = await ConsoleLanguageRepository(services.db).get(user_id)
    language = chosen or (subscriber.language if subscriber is not None else "en")
    return _signed_in(request, user_id, language)


async def choose_language(request: web.Request) -> web.StreamResponse:
    """Speak another language in the console, for this organizer from now on; back to the
    page they were on."""
    services = _services(request)
    form = await request.post()
    language = str(form.get("language", ""))
    session = request[SESSION]
    if language not in services.renderer.languages:
        raise web.HTTPBadRequest(text="Unknown language.")
    await ConsoleLanguageRepository(services.db).choose(
        session.user_id, language, services.clock()
    )
    back = str(form.get("back", ""))
    path = _site(request).path
    # Only a page of the console itself: never an address elsewhere.
    location = back if back.startswith(path) and "//" not in back and "\\" not in back else None
    return _signed_in(request, session.user_id, language, location)


async def signout(request: web.Request) -> web.StreamResponse:
    """End the session in this browser."""
    site = _site(request)
    response = web.Response(status=303, headers={"Location": site.path})
    response.del_cookie(COOKIE, path=site.path)
    return response


async def static(request: web.Request) -> web.StreamResponse:
    """The console's script and style sheet (no words: the page passes them its words)."""
    name = request.match_info["name"]
    if name not in {"console.js", "console.css"}:
        raise web.HTTPNotFound
    response = web.FileResponse(STATIC_DIR / name)
    response.headers["Cache-Control"] = "no-cache"
    return response


SITE = web.AppKey("console_site", ConsoleSite)
