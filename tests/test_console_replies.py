"""The console's replies page: per official, the answers to "Did anyone reply?", and each reply,
a cleaned picture shown and a PDF downloaded; only for organizers."""

from __future__ import annotations

import json

from bot.db.replies import ReplyRepository
from bot.domain.replies import Answer
from bot.domain.reply_files import checked_pdf, clean_image
from bot.domain.subscribers import ChatType
from tests.replies.images import metadata_left, photographed_letter
from tests.test_console_web import SEED, Browser, browser

__all__ = ["browser"]  # the console's fixture, used here


async def kept_replies(browser: Browser) -> tuple[int, int]:
    """A person asked about the President who answered yes, with a picture and a PDF."""
    services = browser.services
    now = services.clock()
    person, _ = await services.subscribers.subscribe(4242, ChatType.PRIVATE, "en", now)
    replies = ReplyRepository(services.db, "UTC")
    async with services.db.transaction() as conn:
        await conn.execute(
            "INSERT INTO reply_asks (case_slug, subscriber_id, targets, asked_at)"
            " VALUES (?, ?, ?, ?)",
            (SEED, person.id, json.dumps([0]), now.isoformat()),
        )
    await replies.answer(SEED, person.id, Answer.YES, now, "UTC", 0)
    picture = await replies.keep(SEED, person.id, 0, clean_image(photographed_letter()), now)
    pdf = checked_pdf(b"%PDF-1.4\n%%EOF\n", "Ответ.pdf")
    document = await replies.keep(SEED, person.id, 0, pdf, now)
    return picture, document


async def test_organizers_see_the_answers_and_open_each_reply(browser: Browser) -> None:
    picture, document = await kept_replies(browser)
    assert await browser.sign_in() == 303
    status, results = await browser.get(f"/console/cases/{SEED}/results")
    assert status == 200
    assert f'href="/console/cases/{SEED}/replies"' in results
    status, page = await browser.get(f"/console/cases/{SEED}/replies")
    assert status == 200
    assert '<th scope="row">President of Kazakhstan</th><td>1</td><td>1</td>' in page
    assert f'<img src="/console/cases/{SEED}/replies/{picture}"' in page
    assert f'href="/console/cases/{SEED}/replies/{document}" download' in page

    response = await browser.client.get(
        f"/console/cases/{SEED}/replies/{picture}", headers=browser._headers(None)
    )
    assert response.status == 200
    assert response.headers["Content-Type"] == "image/jpeg"
    assert metadata_left(await response.read()) == []
    response = await browser.client.get(
        f"/console/cases/{SEED}/replies/{document}", headers=browser._headers(None)
    )
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert response.headers["Content-Disposition"].endswith('filename="reply-2-reply.pdf"')
    assert await response.read() == b"%PDF-1.4\n%%EOF\n"
    # A reply is found only under its own case.
    status, _ = await browser.get(f"/console/cases/another-case/replies/{picture}")
    assert status == 404


async def test_nobody_signed_in_gets_a_reply(browser: Browser) -> None:
    picture, _ = await kept_replies(browser)
    for path in (f"/console/cases/{SEED}/replies", f"/console/cases/{SEED}/replies/{picture}"):
        status, body = await browser.get(path)
        assert status in (302, 303, 401, 403)
        assert "PDF" not in body and "JFIF" not in body
