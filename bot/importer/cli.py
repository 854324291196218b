"""python -m bot import FILE: an Urgent Action sheet (text or PDF) to a case file for review."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from bot.casefile import case_file
from bot.catalogue import SHEET_REGION, case_to_mapping, load_catalogue
from bot.importer import isolation
from bot.importer.build import Imported
from bot.importer.report import found_fields
from bot.rendering import Renderer

LANGUAGE = "en"  # the operator's: the command line speaks English, as its help does


def main(argv: Sequence[str]) -> int:
    """Import one sheet; print what was found and what to check; return the exit code."""
    parser = argparse.ArgumentParser(
        prog="python -m bot import",
        description="Turn an Urgent Action sheet (.txt or .pdf) into a case file for review.",
    )
    parser.add_argument("file", type=Path, help="the sheet: a text file or a PDF")
    parser.add_argument(
        "--out",
        type=Path,
        default=Path(os.environ.get("BOT_ACTIONS_DIR", "actions")),
        help="where to write the case file (BOT_ACTIONS_DIR, else actions/)",
    )
    parser.add_argument(
        "--catalogue",
        type=Path,
        help="the case files a follow-up may update (default: the --out folder)",
    )
    parser.add_argument(
        "--dialled-from",
        default=SHEET_REGION,
        metavar="REGION",
        help=f"where the sheet's numbers are dialled from, for those without + ({SHEET_REGION})",
    )
    parser.add_argument("--force", action="store_true", help="overwrite another case's file")
    args = parser.parse_args(list(argv))
    renderer = Renderer()
    try:
        data = args.file.read_bytes()
    except OSError as error:
        print(f"{args.file}: {error.strerror or error}", file=sys.stderr)
        return 2
    catalogue = load_catalogue(args.catalogue or args.out)
    # Read in a process of its own, with limits on time and memory (bot/importer/isolation.py).
    job = isolation.Job(
        data=data,
        filename=args.file.name,
        deadline_label=deadline_labels(renderer),
        existing=catalogue.cases,
        dialled_from=args.dialled_from,
        today=date.today(),
        source=args.file.name,
    )
    try:
        outcome = isolation.run_blocking(job)
    except isolation.ImportOverrunError:
        outcome = isolation.Outcome(failed="overrun")
    if outcome.failed is not None:
        print(
            renderer.render(LANGUAGE, "import_failed.txt", reason=outcome.failed), file=sys.stderr
        )
        return 2
    if outcome.listed:
        # A page listing several cases: each needs its own sheet, and nothing is written.
        listed = list(outcome.listed)
        print(renderer.render(LANGUAGE, "import_listing.txt", listed=listed), file=sys.stderr)
        return 1
    imported = outcome.imported
    assert imported is not None
    paths = {case.slug: path for case, path in catalogue.cases_with_paths()}
    update = imported.update_of
    target = paths[update.slug] if update and update.slug in paths else None
    target = target or args.out / f"{imported.slug}.toml"
    refused = target.exists() and update is None and not args.force
    if not refused:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(file_text(imported, renderer, args.file.name), encoding="utf-8")
    print(
        renderer.render(
            LANGUAGE,
            "import_report.txt",
            source=args.file.name,
            imported=imported,
            found=found_fields(_shown(imported)),
            written=None if refused else str(target),
            refused=str(target) if refused else None,
        )
    )
    return 1 if refused or imported.case is None else 0


def deadline_labels(renderer: Renderer) -> dict[str, str]:
    """The label of a deadline the sheet states, in each language the bot speaks."""
    return {
        lang: renderer.render(lang, "import_deadline_label.txt") for lang in renderer.languages
    }


def file_text(imported: Imported, renderer: Renderer, source: str) -> str:
    """The case file an import writes: the case, under a comment of what to check."""
    header = renderer.render(LANGUAGE, "import_file_header.txt", source=source, imported=imported)
    return case_file(_shown(imported), [header])


def _shown(imported: Imported) -> dict[str, object]:
    """The case as its file should read: normalised when it loads, else as found."""
    return case_to_mapping(imported.case) if imported.case else imported.mapping
