"""The emulator speaks the Bot API as ../shared/telegram/bot-api-spec.json defines it: the same
method and parameter names, the same required parameters, and objects of the documented shape."""

from __future__ import annotations

from typing import Any

import pytest

from bot.emulator import TelegramEmulator
from bot.emulator.methods import BotApi
from tests.emulator.conftest import Api, load_spec, started

SPEC = load_spec()
METHODS = BotApi(TelegramEmulator()).methods.values()


@pytest.mark.parametrize("method", METHODS, ids=lambda m: m.name)
def test_each_method_and_its_parameters_are_named_as_in_the_spec(method: Any) -> None:
    assert method.name in SPEC["methods"], method.name
    fields = SPEC["methods"][method.name].get("fields", [])
    names = {field["name"] for field in fields}
    signature = method.signature
    assert signature.accepted <= names, signature.accepted - names
    # Every parameter the spec lists is taken, honoured or refused: none is dropped unread.
    assert names <= signature.accepted, names - signature.accepted
    required = {field["name"] for field in fields if field["required"]}
    assert set(signature.required) == required


@pytest.mark.parametrize(
    "method", [m for m in METHODS if m.signature.required], ids=lambda m: m.name
)
async def test_a_missing_required_parameter_is_a_bad_request(
    emu: TelegramEmulator, api: Api, method: Any
) -> None:
    chat = await started(emu)
    for missing in method.signature.required:
        given = {name: _sample(name, chat) for name in method.signature.required}
        del given[missing]
        reply = await api(method.name, **given)
        assert reply.status == 400, (method.name, missing, reply.body)
        assert reply.description.startswith("Bad Request: "), reply.body


def _sample(name: str, chat: int) -> Any:
    samples: dict[str, Any] = {
        "chat_id": chat,
        "user_id": chat,
        "text": "hello",
        "message_id": 1,
        "commands": [{"command": "start", "description": "Start"}],
        "url": "http://127.0.0.1:9/hook",
        "action": "typing",
    }
    return samples.get(name, "x")


# Past the complexity limit on purpose: one branch per JSON type of the Bot API spec.
def _check(value: Any, type_name: str, path: str) -> None:  # noqa: C901
    """Hold a JSON value to a type of the spec: required fields present, no unknown ones."""
    if type_name.startswith("Array of "):
        assert isinstance(value, list), path
        for index, item in enumerate(value):
            _check(item, type_name.removeprefix("Array of "), f"{path}[{index}]")
        return
    simple: dict[str, type | tuple[type, ...]] = {
        "Integer": int,
        "String": str,
        "Boolean": bool,
        "Float": (int, float),
    }
    if type_name in simple:
        assert isinstance(value, simple[type_name]), (path, value)
        return
    spec_type = SPEC["types"][type_name]
    if "subtypes" in spec_type:
        errors = []
        for subtype in spec_type["subtypes"]:
            try:
                _check(value, subtype, path)
            except AssertionError as error:
                errors.append(error)
            else:
                return
        raise AssertionError(path, type_name, errors)
    assert isinstance(value, dict), (path, value)
    fields = {field["name"]: field for field in spec_type.get("fields", [])}
    for name, field in fields.items():
        if field["required"]:
            assert name in value, f"{path}.{name} is required in {type_name}"
    for name, item in value.items():
        assert name in fields, f"{path}.{name} is not a field of {type_name}"
        kinds = fields[name]["types"]
        errors = []
        for kind in kinds:
            try:
                _check(item, kind, f"{path}.{name}")
            except AssertionError as error:
                errors.append(error)
            else:
                break
        else:
            raise AssertionError(errors)
    if type_name.startswith("ChatMember") and type_name != "ChatMemberUpdated":
        # The subtypes differ by status only in their fields; hold the status to the type.
        expected = {
            "ChatMemberOwner": "creator",
            "ChatMemberAdministrator": "administrator",
            "ChatMemberMember": "member",
            "ChatMemberRestricted": "restricted",
            "ChatMemberLeft": "left",
            "ChatMemberBanned": "kicked",
        }[type_name]
        assert value["status"] == expected, path


async def test_results_and_updates_have_the_documented_shape(
    emu: TelegramEmulator, api: Api
) -> None:
    kinds = ["message", "edited_message", "callback_query", "my_chat_member", "chat_member"]
    await api("getUpdates", allowed_updates=kinds)
    alice = emu.create_person("Alice", last_name="Smith", username="alice", language_code="kk")
    bob = emu.create_person("Bob")
    group = await emu.create_group("Almaty", members=[bob.id], admins=[alice.id], bot_admin=True)
    await emu.join_group(emu.create_person("Carol").id, group.id)
    start = await emu.send_text(alice.id, "/start https://amnesty.org @someone #tag a@b.org")
    await emu.edit_text(alice.id, start, "/start again")
    keyboard = {"inline_keyboard": [[{"text": "Go", "callback_data": "go"}]]}
    sent = await api(
        "sendMessage", chat_id=alice.id, text="<b>hi</b>", parse_mode="HTML", reply_markup=keyboard
    )
    _check(sent.result, "Message", "sendMessage")
    assert await emu.tap(alice.id, (alice.id, sent.result["message_id"]), "go", timeout=0) is None
    await emu.block_bot(alice.id)
    await emu.leave_group(bob.id, group.id)
    supergroup = await emu.upgrade_to_supergroup(group.id)
    updates = (await api("getUpdates")).result
    assert {key for update in updates for key in update} == {"update_id", *kinds}
    _check(updates, "Array of Update", "getUpdates")
    _check((await api("getMe")).result, "User", "getMe")
    _check((await api("getChat", chat_id=alice.id)).result, "ChatFullInfo", "getChat")
    _check((await api("getChat", chat_id=supergroup)).result, "ChatFullInfo", "getChat")
    for user in (alice.id, bob.id, emu.bot.id):
        member = await api("getChatMember", chat_id=supergroup, user_id=user)
        _check(member.result, "ChatMember", "getChatMember")
    admins = await api("getChatAdministrators", chat_id=supergroup, return_bots=True)
    _check(admins.result, "Array of ChatMember", "getChatAdministrators")
    _check((await api("getWebhookInfo")).result, "WebhookInfo", "getWebhookInfo")
    document = await emu.send_document(alice.id, "a.pdf", b"%PDF-1.4", caption="see")
    assert document.document is not None
    _check((await api("getFile", file_id=document.document.file_id)).result, "File", "getFile")
    await api("setMyCommands", commands=[{"command": "start", "description": "Start"}])
    _check((await api("getMyCommands")).result, "Array of BotCommand", "getMyCommands")
