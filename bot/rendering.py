"""Every word a person reads comes from `templates/`: one jinja Environment renders them all.

Layout: `templates/<language>/<name>` (a language is a folder, so a new one needs no code):
- `*.html`: chat messages in Telegram's HTML, autoescaped;
- `*.txt`: plain text (letters, email bodies), not escaped;
- `buttons.toml`: the short labels on buttons, each a small jinja template;
- `commands.toml`: the command menu, per kind of chat;
- `dates.toml`: month names and the long and short date formats;
- `charts.toml`: the words drawn on charts.
A template missing in one language falls back to English.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from datetime import date
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
        self.environment.filters["longdate"] = self.long_date
        self.environment.filters["shortdate"] = self.short_date
        self.environment.filters["plural"] = plural
        self.environment.filters["country"] = self.country_name

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
        return self.plain(source, **context)

    def commands(self, language: str, scope: str) -> list[tuple[str, str]]:
        """The command menu for `scope` ("private" or "group"): (command, description) pairs."""
        table = self._table(language, "commands.toml").get(scope) or self._table(
            FALLBACK_LANGUAGE, "commands.toml"
        ).get(scope, {})
        return [(str(command), str(description)) for command, description in table.items()]

    def long_date(self, day: date, language: str) -> str:
        """A date written out in `language`: "12 June 2022", "12 июня 2022 г."."""
        return self._date(day, language, "long")

    def short_date(self, day: date, language: str) -> str:
        """A day of the year in `language`, without the year: "12 June", "12 июня"."""
        return self._date(day, language, "short")

    def labels(self, language: str, name: str) -> dict[str, str]:
        """Plain-text labels from `templates/<language>/<name>`; English fills any gap."""
        labels = {k: str(v) for k, v in self._table(FALLBACK_LANGUAGE, name).items()}
        labels.update((k, str(v)) for k, v in self._table(language, name).items())
        return labels

    def country_name(self, code: str, language: str, fallback: str) -> str:
        """The name of country `code` in `language` (templates/<language>/countries.toml)."""
        return str(self._table(language, "countries.toml").get(code, fallback))

    def plain(self, source: str, **context: Any) -> str:
        """Render a small plain-text template (a phrase, a label): no HTML escaping."""
        return self._label_environment.from_string(source).render(**context).strip()

    @cached_property
    def _label_environment(self) -> jinja2.Environment:
        # Button labels and letter phrases are plain text: Telegram shows labels as they are,
        # and letters are not HTML.
        environment = jinja2.Environment(autoescape=False, undefined=jinja2.StrictUndefined)  # noqa: S701
        environment.filters.update(self.environment.filters)
        return environment

    def _date(self, day: date, language: str, form: str) -> str:
        table = self._table(language, "dates.toml") or self._table(FALLBACK_LANGUAGE, "dates.toml")
        month = str(table["months"][day.month - 1])
        return str(table[form]).format(day=day.day, month=month, year=day.year)

    def _buttons(self, language: str) -> Mapping[str, str]:
        return self._table(language, "buttons.toml")

    def _table(self, language: str, name: str) -> Mapping[str, Any]:
        cache: dict[str, Mapping[str, Any]] = self.__dict__.setdefault("_tables", {})
        key = f"{language}/{name}"
        if key not in cache:
            path = self.directory / language / name
            cache[key] = tomllib.loads(path.read_text("utf-8")) if path.exists() else {}
        return cache[key]


def plural(count: int, *forms: str) -> str:
    """The word for `count`: two forms (one, other) or three (one, few, many: Russian)."""
    if len(forms) == 2:
        return forms[0] if count == 1 else forms[1]
    one, few, many = forms
    if count % 10 == 1 and count % 100 != 11:
        return one
    if 2 <= count % 10 <= 4 and not 12 <= count % 100 <= 14:
        return few
    return many
