"""Screens: the text and buttons a person sees, built from domain values and templates."""

from __future__ import annotations

from dataclasses import dataclass

from telegram import InlineKeyboardMarkup


@dataclass(frozen=True)
class Screen:
    """One message as a person sees it: HTML text and, optionally, inline buttons."""

    text: str
    markup: InlineKeyboardMarkup | None = None
