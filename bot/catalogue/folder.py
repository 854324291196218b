"""A folder of case files: one case per file, read, checked, and refused file by file."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from bot.catalogue.problems import CatalogueError, Problem
from bot.catalogue.reader import Reader
from bot.domain.cases import UrgentAction


@dataclass(frozen=True)
class CatalogueResult:
    """The cases that loaded, with their files, and every problem found in the others."""

    loaded: tuple[tuple[UrgentAction, Path], ...] = ()
    problems: tuple[Problem, ...] = ()

    @property
    def cases(self) -> tuple[UrgentAction, ...]:
        """The valid cases, in file name order."""
        return tuple(case for case, _ in self.loaded)

    def cases_with_paths(self) -> tuple[tuple[UrgentAction, Path], ...]:
        """The valid cases, each with the file it came from."""
        return self.loaded


def load_case(path: Path) -> UrgentAction:
    """Load and validate one case file; CatalogueError lists every problem."""
    return _load(path, path.name)


def load_catalogue(directory: Path) -> CatalogueResult:
    """Load every `*.toml` under `directory`; a broken file is reported and skipped.

    Subfolders are read too (organizers may keep `closed/` apart), which is how two files can
    claim one slug: both are then refused, since neither is evidently the right one.
    """
    if not directory.is_dir():
        return CatalogueResult((), (Problem(str(directory), "", "no such folder of case files"),))
    loaded: dict[Path, UrgentAction] = {}
    problems: list[Problem] = []
    paths = sorted(
        p
        for p in directory.rglob("*.toml")
        if not any(part.startswith(".") for part in p.relative_to(directory).parts)
    )
    for path in paths:
        try:
            loaded[path] = _load(path, path.relative_to(directory).as_posix())
        except CatalogueError as error:
            problems.extend(error.problems)
    by_slug: dict[str, list[Path]] = {}
    for path, case in loaded.items():
        by_slug.setdefault(case.slug, []).append(path)
    for slug, claimants in by_slug.items():
        if len(claimants) < 2:
            continue
        names = [p.relative_to(directory).as_posix() for p in claimants]
        for path, name in zip(claimants, names, strict=True):
            others = ", ".join(n for n in names if n != name)
            problems.append(
                Problem(name, "slug", f"{slug!r} is also the slug of {others}; neither is loaded")
            )
            del loaded[path]
    return CatalogueResult(tuple((c, p) for p, c in loaded.items()), tuple(problems))


def _load(path: Path, source: str) -> UrgentAction:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as error:
        raise CatalogueError([Problem(source, "", f"not valid TOML: {error}")]) from None
    except (OSError, UnicodeDecodeError) as error:
        raise CatalogueError([Problem(source, "", f"cannot be read: {error}")]) from None
    reader = Reader(source)
    case = reader.case(data, expected_slug=path.stem)
    if case is None:
        raise CatalogueError(reader.problems)
    return case
