"""Every word a person reads comes from `templates/`: one jinja Environment renders them all.

Layout: `templates/<language>/<name>` (a language is a folder, so a new one needs no code):
- `*.html`: chat messages in Telegram's HTML, autoescaped;
- `*.txt`: plain text (letters, email bodies), not escaped;
- `buttons.toml`: the short labels on buttons, each a small jinja template.
A template missing in one language falls back to English.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from functools import cached_property
from pathlib import Path
from typing import Any

import jinja2

TEMPLATES_DIR = Path(__file__).resolve().parent.parent / "templates"
FALLBACK_LANGUAGE = "en"


class Renderer:
    """Renders messages, letters and button labels in a person's language."""

    def __init__(self, directory: Path = TEMPLATES_DIR) -> None:
        self.directory = directory
        self.environment = jinja2.Environment(
            loader=jinja2.FileSystemLoader(directory),
            autoescape=jinja2.select_autoescape(
                enabled_extensions=("html",), default_for_string=True, default=False
            ),
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=False,
        )

    @cached_property
    def languages(self) -> tuple[str, ...]:
        """The languages that have templates, English first."""
        found = sorted(p.name for p in self.directory.iterdir() if p.is_dir() and len(p.name) == 2)
        return tuple(sorted(found, key=lambda lang: lang != FALLBACK_LANGUAGE))

    def language_for(self, code: str | None) -> str:
        """The supported language closest to a Telegram `language_code` such as "ru" or "en-GB"."""
        base = (code or "").split("-")[0].lower()
        return base if base in self.languages else FALLBACK_LANGUAGE

    def template(self, language: str, name: str) -> jinja2.Template:
        """The template `name` in `language`, or in English where that language lacks it."""
        return self.environment.get_or_select_template(
            [f"{language}/{name}", f"{FALLBACK_LANGUAGE}/{name}"]
        )

    def render(self, language: str, name: str, **context: Any) -> str:
        """Render `templates/<language>/<name>` with `context`, trimmed of outer whitespace."""
        return self.template(language, name).render(language=language, **context).strip()

    def button(self, language: str, key: str, **context: Any) -> str:
        """The label of button `key` in `language`."""
        labels = self._buttons(language)
        source = labels.get(key) or self._buttons(FALLBACK_LANGUAGE).get(key)
        if source is None:
            raise KeyError(f"no button label {key!r} in templates/{language}/buttons.toml")
        # Labels are plain text (Telegram shows button text as is), so no escaping here.
        return self._label_environment.from_string(source).render(**context)

    @cached_property
    def _label_environment(self) -> jinja2.Environment:
        return jinja2.Environment(autoescape=False, undefined=jinja2.StrictUndefined)  # noqa: S701

    def _buttons(self, language: str) -> Mapping[str, str]:
        cache: dict[str, Mapping[str, str]] = self.__dict__.setdefault("_button_cache", {})
        if language not in cache:
            path = self.directory / language / "buttons.toml"
            cache[language] = tomllib.loads(path.read_text("utf-8")) if path.exists() else {}
        return cache[language]
