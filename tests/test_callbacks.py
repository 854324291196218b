"""Callback data: within 64 bytes, and anything malformed or forged decodes to nothing."""

from __future__ import annotations

import re

import pytest
from telegram.ext import CallbackQueryHandler

from bot.app import build_application
from bot.config import Secret, Settings
from bot.views.callbacks import SHAPES, decode, encode


def test_a_well_formed_callback_round_trips() -> None:
    data = encode("rec", "kz-zhanbolat-mamay", "email", "1")
    decoded = decode(data)
    assert decoded is not None
    assert decoded.verb == "rec"
    assert decoded.args == ("kz-zhanbolat-mamay", "email", "1")


def test_the_longest_callbacks_fit_in_64_bytes() -> None:
    slug = "a" * 32
    longest = {
        "sg": (slug, "email", "initials"),
        "lt": (slug, "email", "ru"),
        "lk": (slug, "email", "ru", "Ab3-_xYz"),
        "rec": (slug, "email", "99"),
        "bg": (slug, "99"),
    }
    for verb, args in longest.items():
        assert len(encode(verb, *args).encode()) <= 64


@pytest.mark.parametrize(
    "forged",
    [
        None,
        "",
        "nope:kz-zhanbolat-mamay",  # unknown verb
        "ap",  # missing argument
        "ap:kz-zhanbolat-mamay:extra",  # one too many
        "ap:KZ-Mamay",  # not a slug
        "ch:kz-zhanbolat-mamay:pigeon",  # not a channel
        "rec:kz-zhanbolat-mamay:email:-1",
        "rec:kz-zhanbolat-mamay:email:1; DROP TABLE actions",
        "ap:" + "a" * 70,  # over 64 bytes
        "fg:maybe",
    ],
)
def test_malformed_or_forged_data_decodes_to_nothing(forged: str | None) -> None:
    assert decode(forged) is None


def test_encoding_refuses_what_would_not_decode() -> None:
    with pytest.raises(ValueError, match="does not fit"):
        encode("ap", "Not A Slug")


def test_every_verb_has_a_handler() -> None:
    app = build_application(Settings(token=Secret("123456:TEST-token-ABCDEFGHIJKLMNOPQRSTUV")))
    patterns = " ".join(
        handler.pattern.pattern
        for group in app.handlers.values()
        for handler in group
        if isinstance(handler, CallbackQueryHandler) and isinstance(handler.pattern, re.Pattern)
    )
    missing = [verb for verb in SHAPES if f"^{verb}(" not in patterns]
    assert missing == []
