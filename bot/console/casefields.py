"""A case as a form: every field of its case file one input, and the form back into a case file.

The form's fields are the case file's own paths (`targets[1].salutation.fr`), so the rules of
a case file (bot/catalogue) check an edit as they check a file, and each problem they find
names the field to show it at.
"""

from __future__ import annotations

import copy
import itertools
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

# Texts longer than a line get a text area.
_LONG_KEYS = frozenset(
    {"summary", "background", "facts", "description", "asks", "card_asks", "label"}
)
_PART = re.compile(r"^([A-Za-z_]+)((?:\[\d+\])*)$")
PREFIX = "f:"  # form inputs are named f:<path>, apart from the CSRF token
# The case's name in links and its status are not edited in the form: publishing and closing
# change the status, and the name stays what links and buttons already carry.
_FIXED = frozenset({"slug", "status"})
# Yes-or-no fields a case file leaves out when they are no: the form shows them all the same.
_FLAGS = {"urgent": False}


@dataclass(frozen=True)
class Field:
    """One input of the form: where it is in the case file, its value, and how to show it."""

    path: str
    value: str
    group: tuple[str, int | str | None]  # ("targets", 1), ("text", "fr"), ("case", None)
    key: str  # the field's own name: "salutation", "asks", "title"
    language: str | None  # the language of a text, if it is one
    number: int | None  # the position in a list (asks, address lines), from 1
    checkbox: bool = False

    @property
    def long(self) -> bool:
        """Whether the value is a paragraph (a text area) rather than a line."""
        return self.key in _LONG_KEYS or len(self.value) > 90


def parts(path: str) -> list[str | int]:
    """`targets[1].title.fr` as ["targets", 1, "title", "fr"]."""
    found: list[str | int] = []
    for piece in path.split("."):
        match = _PART.match(piece)
        if match is None:
            raise ValueError(f"not a field path: {path!r}")
        found.append(match[1])
        found += [int(i) for i in re.findall(r"\[(\d+)\]", match[2])]
    return found


def leaves(value: Any, where: str = "") -> Iterator[tuple[str, Any]]:
    """Every field of a case file's mapping with its value, in the file's order."""
    if isinstance(value, Mapping):
        for key, inner in value.items():
            yield from leaves(inner, f"{where}.{key}" if where else str(key))
    elif isinstance(value, list):
        for i, inner in enumerate(value):
            yield from leaves(inner, f"{where}[{i}]")
    else:
        yield where, value


def _field(path: str, value: Any, languages: set[str]) -> Field:
    found = parts(path)
    head = found[0]
    group: tuple[str, int | str | None] = ("case", None)
    if head in ("people", "targets", "key_dates") and len(found) > 1 and isinstance(found[1], int):
        group = (str(head), found[1])
    elif head == "text" and len(found) > 1:
        group = ("text", str(found[1]))
    names = [p for p in found if isinstance(p, str)]
    language = names[-1] if names[-1] in languages and len(names) > 1 else None
    key = names[-2] if language is not None else names[-1]
    if head == "text":
        language, key = None, names[2] if len(names) > 2 else names[-1]
    numbers = [p for p in found[2:] if isinstance(p, int)] if group[0] != "case" else found[1:]
    number = numbers[-1] + 1 if numbers and isinstance(numbers[-1], int) else None
    shown = "" if value is None else ("true" if value is True else str(value))
    return Field(path, shown, group, key, language, number, checkbox=isinstance(value, bool))


def fields_of(
    mapping: Mapping[str, Any], gaps: tuple[str, ...], languages: set[str]
) -> list[Field]:
    """The form of a case: each field it has, and an empty one for each it lacks (`gaps`)."""
    found = [_field(p, v, languages) for p, v in leaves(mapping) if p not in _FIXED]
    have = {f.path for f in found}
    found += [_field(p, v, languages) for p, v in _FLAGS.items() if p not in have]
    for gap in gaps:
        path = f"{gap}[0]" if gap.endswith(".asks") else gap
        if path not in have and not re.search(r"\]$", gap) and gap not in ("people", "targets"):
            found.append(_field(path, "", languages))
    for extra in _card_asks_to_write(mapping, have, languages):
        # In its text's fieldset: after that text's last field.
        last = max(i for i, f in enumerate(found) if f.group == extra.group)
        found.insert(last + 1, extra)
    return found


def _card_asks_to_write(
    mapping: Mapping[str, Any], have: set[str], languages: set[str]
) -> Iterator[Field]:
    """An empty card ask beside each ask of a text that has none: the card then tells the
    subscriber what the authorities are asked, instead of quoting the letters."""
    texts = mapping.get("text")
    if not isinstance(texts, Mapping):
        return
    for language, text in texts.items():
        asks = text.get("asks") if isinstance(text, Mapping) else None
        if not isinstance(asks, list) or text.get("card_asks"):
            continue
        for i in range(len(asks)):
            path = f"text.{language}.card_asks[{i}]"
            if path not in have:
                yield _field(path, "", languages)


def with_translation(mapping: Mapping[str, Any], language: str) -> dict[str, Any]:
    """The case file with empty texts in `language` to fill in, shaped as the original's."""
    data = copy.deepcopy(dict(mapping))
    texts = data.setdefault("text", {})
    if language in texts or not texts:
        return data
    original = next(iter(texts.values()))
    texts[language] = {
        key: ([""] * len(value) if isinstance(value, list) else "")
        for key, value in original.items()
    }
    return data


def mapping_from_form(mapping: Mapping[str, Any], form: Mapping[str, str]) -> dict[str, Any]:
    """The case file `mapping` with the form's values put in, each of its field's own type;
    an emptied field is taken out (an ask, an address line, a translation's text)."""
    data = copy.deepcopy(dict(mapping))
    kinds = {**_FLAGS, **dict(leaves(mapping))}
    for name, raw in form.items():
        if not name.startswith(PREFIX):
            continue
        path = name[len(PREFIX) :]
        value: Any = raw.strip().replace("\r\n", "\n")
        before = kinds.get(path)
        if isinstance(before, bool):
            value = value in ("true", "on", "1")
        elif isinstance(before, int) and value:
            value = int(value) if value.lstrip("-").isdigit() else value
        _put(data, parts(path), value if value != "" else None)
    checkboxes = [p for p, v in kinds.items() if isinstance(v, bool)]
    for path in checkboxes:
        if f"{PREFIX}{path}" not in form:
            _put(data, parts(path), False)
    pruned: dict[str, Any] = _pruned(data)
    return pruned


def _put(data: Any, path: list[str | int], value: Any) -> None:
    node = data
    for here, after in itertools.pairwise(path):
        if isinstance(node, list):
            assert isinstance(here, int)
            while len(node) <= here:
                node.append({} if isinstance(after, str) else [])
            node = node[here]
        else:
            node = node.setdefault(here, {} if isinstance(after, str) else [])
    last = path[-1]
    if isinstance(node, list):
        assert isinstance(last, int)
        while len(node) <= last:
            node.append(None)
        node[last] = value
    else:
        node[last] = value


def _pruned(value: Any) -> Any:
    """Without the fields emptied: None values, and the lists and tables left empty."""
    if isinstance(value, dict):
        kept = {k: _pruned(v) for k, v in value.items()}
        return {k: v for k, v in kept.items() if v not in (None, [], {})}
    if isinstance(value, list):
        kept_items = [_pruned(v) for v in value]
        return [v for v in kept_items if v not in (None, [], {})]
    return value
