"""What is wrong with a case file: each problem with its file and field, and the error that
carries them all."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a case: the file (or stored document), the field path, and what."""

    source: str  # "kz-zhanbolat-mamay.toml", "closed/eg-alaa.toml", "database:kz-zhanbolat-mamay"
    field: str  # "targets[1].fax", "text.en.asks"; "" for the file as a whole
    message: str

    def __str__(self) -> str:
        if self.field:
            return f"{self.source}: {self.field}: {self.message}"
        return f"{self.source}: {self.message}"


class CatalogueError(Exception):
    """A case cannot be loaded; `problems` names each field that is wrong."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = tuple(problems)
