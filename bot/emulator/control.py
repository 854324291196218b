"""The emulator's control API under /_emulator/: the simulated people's side, over HTTP.

The demo's web chat uses it; so can anyone poking at the emulator with curl. Every route speaks
JSON and mirrors a method of TelegramEmulator.
"""

from __future__ import annotations

import asyncio
import contextlib
from typing import TYPE_CHECKING, Any

from aiohttp import BodyPartReader, web

if TYPE_CHECKING:
    from bot.emulator.server import TelegramEmulator


def add_control_routes(app: web.Application, emulator: TelegramEmulator) -> None:
    """Add the /_emulator/ routes for `emulator` to `app`."""
    routes = _Routes(emulator)
    app.router.add_get("/_emulator/state", routes.state)
    app.router.add_post("/_emulator/people", routes.create_person)
    app.router.add_post("/_emulator/groups", routes.create_group)
    app.router.add_post("/_emulator/send", routes.send)
    app.router.add_post("/_emulator/tap", routes.tap)
    app.router.add_post("/_emulator/block", routes.block)
    app.router.add_post("/_emulator/upload", routes.upload)
    app.router.add_get("/_emulator/chats/{chat_id}/messages", routes.messages)
    app.router.add_get("/_emulator/events", routes.events)
    app.router.add_get("/_emulator/files/{file_id}", routes.file)


class _Routes:
    def __init__(self, emulator: TelegramEmulator) -> None:
        self.emulator = emulator

    async def state(self, request: web.Request) -> web.Response:
        emulator = self.emulator
        return web.json_response(
            {
                "bot": emulator.bot.as_user() if emulator.bots else None,
                "people": [p.as_user() for p in emulator.people.values()],
                "chats": [
                    {
                        **c.as_chat(emulator.people),
                        "members": c.members,
                        "migrated_to": c.migrated_to,
                    }
                    for c in emulator.chats.values()
                ],
                "last_event": len(emulator.events),
            }
        )

    async def create_person(self, request: web.Request) -> web.Response:
        body = await _body(request)
        person = self.emulator.create_person(
            str(body.get("first_name") or "Person"),
            last_name=body.get("last_name"),
            language_code=body.get("language_code") or "en",
        )
        return web.json_response(person.as_user())

    async def create_group(self, request: web.Request) -> web.Response:
        body = await _body(request)
        members = [int(m) for m in body.get("members", [])]
        admins = [int(a) for a in body.get("admins", members[:1])]
        if not members:
            raise web.HTTPBadRequest(text="a group needs members")
        chat = await self.emulator.create_group(
            str(body.get("title") or "Group"), members=members, admins=admins
        )
        return web.json_response(chat.as_chat(self.emulator.people))

    async def send(self, request: web.Request) -> web.Response:
        body = await _body(request)
        text = str(body.get("text") or "").strip()
        if not text:
            raise web.HTTPBadRequest(text="text is empty")
        user_id = int(body["user_id"])
        chat_id = int(body["chat_id"]) if body.get("chat_id") is not None else None
        message = await self.emulator.send_text(user_id, text, chat_id=chat_id)
        return web.json_response({"message_id": message.message_id, "chat_id": message.chat_id})

    async def tap(self, request: web.Request) -> web.Response:
        body = await _body(request)
        chat_id, message_id = int(body["chat_id"]), int(body["message_id"])
        message = self.emulator.chats[chat_id].by_id.get(message_id)
        if message is None:
            raise web.HTTPNotFound(text="no such message")
        answer = await self.emulator.tap(int(body["user_id"]), message, str(body["data"]))
        if answer is None:
            return web.json_response({"answered": False})
        return web.json_response(
            {"answered": True, "text": answer.text, "show_alert": answer.show_alert}
        )

    async def block(self, request: web.Request) -> web.Response:
        body = await _body(request)
        if body.get("blocked", True):
            await self.emulator.block_bot(int(body["user_id"]))
        else:
            await self.emulator.unblock_bot(int(body["user_id"]))
        return web.json_response({"ok": True})

    async def upload(self, request: web.Request) -> web.Response:
        reader = await request.multipart()
        fields: dict[str, Any] = {}
        async for part in reader:
            if not isinstance(part, BodyPartReader) or part.name is None:
                continue
            if part.filename:
                content_type = part.headers.get("Content-Type", "")
                fields["file"] = (part.filename, content_type, await part.read())
            else:
                fields[part.name] = await part.text()
        if "file" not in fields:
            raise web.HTTPBadRequest(text="no file")
        filename, mime, data = fields["file"]
        chat_id = int(fields["chat_id"]) if fields.get("chat_id") else None
        message = await self.emulator.send_document(
            int(fields["user_id"]),
            filename,
            bytes(data),
            mime_type=mime or "application/octet-stream",
            caption=fields.get("caption") or None,
            chat_id=chat_id,
        )
        return web.json_response({"message_id": message.message_id})

    async def messages(self, request: web.Request) -> web.Response:
        chat_id = int(request.match_info["chat_id"])
        if chat_id not in self.emulator.chats:
            raise web.HTTPNotFound(text="no such chat")
        found = [
            {**self.emulator._message_json(m), "html": m.html, "from_bot": m.from_bot}
            for m in self.emulator.messages(chat_id)
        ]
        return web.json_response(found)

    async def events(self, request: web.Request) -> web.Response:
        since = int(request.query.get("since", "0"))
        timeout = min(30.0, float(request.query.get("timeout", "25")))
        emulator = self.emulator
        if len(emulator.events) <= since:
            with contextlib.suppress(TimeoutError):
                await emulator.wait_for(lambda: len(emulator.events) > since, timeout)
        await asyncio.sleep(0)
        return web.json_response({"events": emulator.events[since:], "last": len(emulator.events)})

    async def file(self, request: web.Request) -> web.Response:
        stored = self.emulator.files.get(request.match_info["file_id"])
        if stored is None:
            raise web.HTTPNotFound(text="no such file")
        return web.Response(
            body=stored.data,
            content_type=stored.mime_type or "application/octet-stream",
            headers={"Content-Disposition": f'attachment; filename="{stored.file_name}"'},
        )


async def _body(request: web.Request) -> dict[str, Any]:
    try:
        body = await request.json()
    except ValueError:
        raise web.HTTPBadRequest(text="expected a JSON body") from None
    if not isinstance(body, dict):
        raise web.HTTPBadRequest(text="expected a JSON object")
    return body
