"""The console's routes, each behind the middleware of bot/console/web.py."""

from __future__ import annotations

from aiohttp import web

from bot.console import (
    broadcasting,
    closing,
    inbox,
    languages,
    preview,
    publishing,
    replies,
    results,
)
from bot.console.web import (
    SITE,
    ConsoleSite,
    choose_language,
    guard,
    index,
    link,
    signin,
    signout,
    static,
)


def console_application(site: ConsoleSite) -> web.Application:
    """The console as an aiohttp application, to serve alone or mount under its path."""
    app = web.Application(middlewares=[guard], client_max_size=4 * 1024 * 1024)
    app[SITE] = site
    app.router.add_get("/", index, name="console.index")
    app.router.add_post("/signin", signin, name="console.signin")
    app.router.add_get("/link/{secret}", link, name="console.link")
    app.router.add_post("/signout", signout, name="console.signout")
    app.router.add_get("/static/{name}", static, name="console.static")
    app.router.add_post("/language", choose_language, name="console.language")
    app.router.add_get("/inbox", inbox.inbox_page, name="console.inbox")
    app.router.add_get("/import", inbox.import_page, name="console.import_form")
    app.router.add_post("/import", inbox.import_sheet, name="console.import_sheet")
    app.router.add_get("/cases/{slug}", inbox.case_page, name="console.case")
    app.router.add_post("/cases/{slug}", inbox.save_case, name="console.save_case")
    app.router.add_get(
        "/cases/{slug}/languages", languages.languages_page, name="console.languages"
    )
    app.router.add_get("/cases/{slug}/publish", publishing.publish_page, name="console.reach")
    app.router.add_post("/cases/{slug}/publish", publishing.publish, name="console.publish")
    app.router.add_get("/cases/{slug}/close", closing.close_page, name="console.close_form")
    app.router.add_post("/cases/{slug}/close", closing.close, name="console.close")
    app.router.add_get("/broadcasts", broadcasting.broadcasts_page, name="console.broadcasts")
    app.router.add_post("/broadcasts", broadcasting.send, name="console.broadcast")
    app.router.add_get("/broadcasts/count", broadcasting.audience_count, name="console.count")
    app.router.add_post("/broadcasts/{id:\\d+}/cancel", broadcasting.cancel, name="console.cancel")
    app.router.add_get("/results", results.network_results, name="console.network")
    app.router.add_get("/cases/{slug}/results", results.case_results, name="console.results")
    app.router.add_get("/cases/{slug}/results.csv", results.case_csv, name="console.csv")
    app.router.add_post(
        "/cases/{slug}/reminders", results.save_reminder_plans, name="console.reminder_plans"
    )
    app.router.add_get("/cases/{slug}/replies", replies.replies_page, name="console.replies")
    app.router.add_get(
        "/cases/{slug}/replies/{id:\\d{1,12}}", replies.reply_file, name="console.reply"
    )
    app.router.add_get("/cases/{slug}/preview", preview.preview_page, name="console.preview")
    app.router.add_get(
        "/cases/{slug}/print/{channel:fax|post}", preview.printable, name="console.printable"
    )
    return app


def mount(parent: web.Application, path: str, site: ConsoleSite) -> None:
    """Serve the console under `path` (BOT_CONSOLE_URL's path) on another aiohttp application."""
    parent.add_subapp(path.rstrip("/"), console_application(site))
