"""The emulator's control API under /_emulator/: the simulated people's side, over HTTP.

The demo's web page uses it; so can a benchmark in another process, or anyone with curl. Every
route speaks JSON and mirrors a method of TelegramEmulator. A request the emulator cannot carry
out answers 400 (or 404 for an unknown person, chat or message) with {"error": "..."}.
"""

from __future__ import annotations

import contextlib
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from aiohttp import BodyPartReader, web

if TYPE_CHECKING:
    from bot.emulator.server import TelegramEmulator
from bot.emulator.webapps import launch_url

Route = Callable[[web.Request], Awaitable[web.StreamResponse]]
_LONGEST_WAIT = 30.0


def add_control_routes(app: web.Application, emulator: TelegramEmulator) -> None:
    """Add the /_emulator/ routes for `emulator` to `app`."""
    routes = _Routes(emulator)
    add = app.router.add_route
    for method, path, handler in (
        ("GET", "/_emulator/state", routes.state),
        ("GET", "/_emulator/stats", routes.stats),
        ("DELETE", "/_emulator/stats", routes.reset_stats),
        ("POST", "/_emulator/people", routes.create_person),
        ("POST", "/_emulator/groups", routes.create_group),
        ("POST", "/_emulator/groups/{chat_id}/join", routes.join),
        ("POST", "/_emulator/groups/{chat_id}/leave", routes.leave),
        ("POST", "/_emulator/groups/{chat_id}/bot", routes.bot_membership),
        ("POST", "/_emulator/groups/{chat_id}/admins", routes.admin),
        ("POST", "/_emulator/groups/{chat_id}/upgrade", routes.upgrade),
        ("POST", "/_emulator/send", routes.send),
        ("POST", "/_emulator/upload", routes.upload),
        ("POST", "/_emulator/tap", routes.tap),
        ("POST", "/_emulator/share", routes.share),
        ("POST", "/_emulator/block", routes.block),
        ("POST", "/_emulator/deactivate", routes.deactivate),
        ("GET", "/_emulator/chats", routes.chats),
        ("GET", "/_emulator/chats/{chat_id}/messages", routes.messages),
        ("GET", "/_emulator/events", routes.events),
        ("GET", "/_emulator/files/{file_id}", routes.file),
        ("POST", "/_emulator/webapp", routes.web_app),
        ("POST", "/_emulator/faults", routes.add_fault),
        ("DELETE", "/_emulator/faults", routes.clear_faults),
    ):
        add(method, path, _guarded(handler))


# The names the emulator (and the demo) answers to: it listens on the loopback interface only,
# and a page from elsewhere that a DNS record points at 127.0.0.1 names another host.
LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "[::1]", "::1"})


def refusal(request: web.Request) -> str | None:
    """Why a control request may not come from where it comes from, or None.

    The demo runs on a person's own machine, beside their browser: a web page they visit must
    neither drive it (a cross-site POST) nor read its chats (after DNS rebinding). So the Host
    must be a loopback name, a browser's Origin (sent with every cross-site POST) must be this
    server's own, and a JSON body must say so (a cross-site form cannot, without asking).
    """
    host = request.host.rsplit(":", 1)[0] if not request.host.endswith("]") else request.host
    if host.lower() not in LOCAL_HOSTS:
        return "unknown Host"
    origin = request.headers.get("Origin")
    if origin is not None and origin != f"{request.scheme}://{request.host}":
        return "another origin"
    if (
        request.method in ("POST", "DELETE")
        and request.can_read_body
        and request.content_type not in ("application/json", "multipart/form-data")
    ):
        return "not JSON"
    return None


def _guarded(handler: Route) -> Route:
    """Refuse requests from other sites; turn the emulator's KeyError and ValueError into 404
    and 400 answers."""

    async def guarded(request: web.Request) -> web.StreamResponse:
        if (why := refusal(request)) is not None:
            return web.json_response({"error": f"refused: {why}"}, status=403)
        try:
            return await handler(request)
        except KeyError as error:
            return web.json_response({"error": str(error.args[0])}, status=404)
        except (ValueError, TypeError) as error:
            return web.json_response({"error": str(error)}, status=400)

    return guarded


class _Routes:
    def __init__(self, emulator: TelegramEmulator) -> None:
        self.emulator = emulator

    async def state(self, request: web.Request) -> web.Response:
        emulator = self.emulator
        return web.json_response(
            {
                "api_url": emulator.api_url,
                "bot": emulator.bot.as_user() if emulator.bots else None,
                "people": [_person(emulator, p.id) for p in emulator.people.values()],
                "chats": [_chat(emulator, chat_id) for chat_id in emulator.chats],
                "last_event": emulator.last_event,
            }
        )

    async def stats(self, request: web.Request) -> web.Response:
        return web.json_response(self.emulator.stats.as_json())

    async def reset_stats(self, request: web.Request) -> web.Response:
        self.emulator.reset_stats()
        return web.json_response({"ok": True})

    async def create_person(self, request: web.Request) -> web.Response:
        body = await _body(request)
        if "count" in body:
            people = self.emulator.create_people(
                int(body["count"]),
                first_name=str(body.get("first_name") or "Person"),
                language_code=body.get("language_code") or "en",
            )
            return web.json_response({"ids": [p.id for p in people]})
        person = self.emulator.create_person(
            str(body.get("first_name") or "Person"),
            last_name=body.get("last_name"),
            username=body.get("username"),
            language_code=body.get("language_code") or "en",
            user_id=int(body["user_id"]) if body.get("user_id") is not None else None,
            started=bool(body.get("started", False)),
        )
        return web.json_response(_person(self.emulator, person.id))

    async def create_group(self, request: web.Request) -> web.Response:
        body = await _body(request)
        chat = await self.emulator.create_group(
            str(body.get("title") or "Group"),
            members=[int(m) for m in body.get("members", [])],
            admins=[int(a) for a in body.get("admins", [])],
            supergroup=bool(body.get("supergroup", False)),
            bot_admin=bool(body.get("bot_admin", False)),
        )
        return web.json_response(_chat(self.emulator, chat.id))

    async def join(self, request: web.Request) -> web.Response:
        body = await _body(request)
        chat_id = int(request.match_info["chat_id"])
        await self.emulator.join_group(int(body["user_id"]), chat_id)
        return web.json_response(_chat(self.emulator, chat_id))

    async def leave(self, request: web.Request) -> web.Response:
        body = await _body(request)
        chat_id = int(request.match_info["chat_id"])
        await self.emulator.leave_group(int(body["user_id"]), chat_id)
        return web.json_response(_chat(self.emulator, chat_id))

    async def bot_membership(self, request: web.Request) -> web.Response:
        body = await _body(request)
        chat_id = int(request.match_info["chat_id"])
        by = int(body["by"]) if body.get("by") is not None else None
        if body.get("action") == "remove":
            await self.emulator.remove_bot_from_group(chat_id, by=by)
        elif body.get("action") == "add":
            await self.emulator.add_bot_to_group(
                chat_id, by=by, admin=bool(body.get("admin", False))
            )
        else:
            raise ValueError('action must be "add" or "remove"')
        return web.json_response(_chat(self.emulator, chat_id))

    async def admin(self, request: web.Request) -> web.Response:
        body = await _body(request)
        chat_id = int(request.match_info["chat_id"])
        self.emulator.set_admin(chat_id, int(body["user_id"]), bool(body.get("admin", True)))
        return web.json_response(_chat(self.emulator, chat_id))

    async def upgrade(self, request: web.Request) -> web.Response:
        new_id = await self.emulator.upgrade_to_supergroup(int(request.match_info["chat_id"]))
        return web.json_response(_chat(self.emulator, new_id))

    async def send(self, request: web.Request) -> web.Response:
        body = await _body(request)
        message = await self.emulator.send_text(
            int(body["user_id"]),
            str(body.get("text") or ""),
            chat_id=_optional_int(body.get("chat_id")),
            reply_to=_optional_int(body.get("reply_to")),
        )
        return web.json_response(self.emulator.message_view(message))

    async def upload(self, request: web.Request) -> web.Response:
        fields: dict[str, str] = {}
        file: tuple[str, str, bytes] | None = None
        reader = await request.multipart()
        while (part := await reader.next()) is not None:
            if not isinstance(part, BodyPartReader) or part.name is None:
                continue
            if part.filename:
                mime = part.headers.get("Content-Type", "")
                file = (part.filename, mime, bytes(await part.read()))
            else:
                fields[part.name] = await part.text()
        if file is None:
            raise ValueError("no file in the upload")
        filename, mime, data = file
        user_id, chat_id = int(fields["user_id"]), _optional_int(fields.get("chat_id"))
        caption = fields.get("caption") or None
        if fields.get("as") == "photo":
            # A picture sent as Telegram's apps send one by default: a photo, not a file.
            message = await self.emulator.send_photo(
                user_id, data, filename=filename, caption=caption, chat_id=chat_id
            )
        else:
            message = await self.emulator.send_document(
                user_id,
                filename,
                data,
                mime_type=mime if mime and mime != "application/octet-stream" else None,
                caption=caption,
                chat_id=chat_id,
            )
        return web.json_response(self.emulator.message_view(message))

    async def tap(self, request: web.Request) -> web.Response:
        body = await _body(request)
        timeout = min(float(body.get("timeout", 5.0)), _LONGEST_WAIT)
        answer = await self.emulator.tap(
            int(body["user_id"]),
            (int(body["chat_id"]), int(body["message_id"])),
            str(body["data"]),
            timeout=timeout,
        )
        if answer is None:
            return web.json_response({"answered": False})
        return web.json_response(
            {
                "answered": True,
                "text": answer.text,
                "show_alert": answer.show_alert,
                "url": answer.url,
            }
        )

    async def share(self, request: web.Request) -> web.Response:
        """A switch_inline_query_chosen_chat button pressed, the chat `to_chat_id` picked, and
        the bot's first result sent there (`switch_to_chosen_chat`, `send_inline_result`)."""
        body = await _body(request)
        user_id = int(body["user_id"])
        answer = await self.emulator.switch_to_chosen_chat(
            user_id,
            (int(body["chat_id"]), int(body["message_id"])),
            str(body["label"]),
            int(body["to_chat_id"]),
        )
        if not answer.results:
            return web.json_response({"sent": False})
        sent = await self.emulator.send_inline_result(user_id, answer, answer.results[0].id)
        return web.json_response({"sent": True, "message": self.emulator.message_view(sent)})

    async def block(self, request: web.Request) -> web.Response:
        body = await _body(request)
        user_id = int(body["user_id"])
        if body.get("blocked", True):
            await self.emulator.block_bot(user_id)
        else:
            await self.emulator.unblock_bot(user_id)
        return web.json_response(_person(self.emulator, user_id))

    async def deactivate(self, request: web.Request) -> web.Response:
        body = await _body(request)
        user_id = int(body["user_id"])
        self.emulator.deactivate(user_id)
        return web.json_response(_person(self.emulator, user_id))

    async def chats(self, request: web.Request) -> web.Response:
        return web.json_response(
            [_chat(self.emulator, chat_id) for chat_id in self.emulator.chats]
        )

    async def messages(self, request: web.Request) -> web.Response:
        chat_id = int(request.match_info["chat_id"])
        since = int(request.query.get("since", "0"))
        deleted = request.query.get("deleted", "") in ("1", "true")
        found = [
            self.emulator.message_view(m)
            for m in self.emulator.messages(chat_id, include_deleted=deleted)
            if m.message_id > since
        ]
        return web.json_response(found)

    async def events(self, request: web.Request) -> web.Response:
        """Events after `since`; with none yet, wait up to `timeout` seconds for one."""
        emulator = self.emulator
        since = int(request.query.get("since", "0"))
        timeout = min(float(request.query.get("timeout", "25")), _LONGEST_WAIT)
        if timeout > 0:
            with contextlib.suppress(TimeoutError):
                await emulator.wait_for(
                    lambda: emulator.last_event > since or emulator.closing, timeout
                )
        return web.json_response(
            {"events": emulator.events_since(since), "last": emulator.last_event}
        )

    async def file(self, request: web.Request) -> web.Response:
        stored = self.emulator.files.get(request.match_info["file_id"])
        if stored is None:
            raise KeyError("no such file")
        return web.Response(
            body=stored.data,
            content_type=stored.mime_type,
            headers={"Content-Disposition": f'attachment; filename="{stored.file_name}"'},
        )

    async def add_fault(self, request: web.Request) -> web.Response:
        body = await _body(request)
        method = body.get("method")
        count = int(body.get("count", 1))
        chat_id = _optional_int(body.get("chat_id"))
        if body.get("page"):
            self.emulator.gateway_page_next(
                method, status=int(body.get("status", 502)), count=count
            )
        elif body.get("hang"):
            self.emulator.hang_next(
                method,
                seconds=float(body["hang"]),
                count=count,
                deliver=bool(body.get("deliver", False)),
                chat_id=chat_id,
            )
        else:
            self.emulator.fail_next(
                method,
                count=count,
                status=int(body.get("status", 500)),
                description=body.get("description"),
                retry_after=_optional_int(body.get("retry_after")),
                chat_id=chat_id,
            )
        return web.json_response({"ok": True})

    async def clear_faults(self, request: web.Request) -> web.Response:
        self.emulator.clear_faults()
        return web.json_response({"ok": True})

    async def web_app(self, request: web.Request) -> web.Response:
        """Open a Mini App as a person: the address with launch data signed as Telegram signs
        it. The URL must be one the bot gave that person (its menu button or a web_app button)."""
        body = await _body(request)
        person = self.emulator.person(int(body["user_id"]))
        url = str(body["url"])
        if url not in self.emulator.web_apps_of(person.id):
            raise ValueError("the bot gave this person no Mini App at that address")
        scheme = "dark" if body.get("scheme") == "dark" else "light"
        token, now = self.emulator.bot.token, int(self.emulator.wall_clock())
        launch = launch_url(token, person.as_user(), url, scheme=scheme, auth_date=now)
        return web.json_response({"url": launch})


def _person(emulator: TelegramEmulator, user_id: int) -> dict[str, Any]:
    person = emulator.person(user_id)
    return {
        **person.as_user(),
        "blocked_bot": person.blocked_bot,
        "deactivated": person.deactivated,
        "started": emulator.chats[user_id].started,
    }


def _chat(emulator: TelegramEmulator, chat_id: int) -> dict[str, Any]:
    chat = emulator.chat(chat_id)
    return {
        **chat.as_chat(),
        "members": {str(user): status for user, status in chat.members.items()},
        "bot_status": chat.bot_status,
        "migrated_to": chat.migrated_to,
        "migrated_from": chat.migrated_from,
        "last_message_id": chat.next_message_id - 1,
        "menu_button": emulator.menu_button_of(chat_id),
    }


def _optional_int(raw: Any) -> int | None:
    return None if raw is None or raw == "" else int(raw)


async def _body(request: web.Request) -> dict[str, Any]:
    if request.content_type != "application/json":
        raise ValueError("expected a JSON body (Content-Type: application/json)")
    try:
        body = await request.json()
    except ValueError:
        raise ValueError("expected a JSON body") from None
    if not isinstance(body, dict):
        raise ValueError("expected a JSON object")
    return body
