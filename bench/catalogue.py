"""How long the case catalogue takes to read: the shipped case, and a folder of 200 case files.

    python -m bench.catalogue                  # 200 files, 7 runs
    python -m bench.catalogue --files 1000 --repeats 3

Reported, as medians over the runs: the import of `bot.catalogue` in a fresh interpreter (what
`python -m bot check` and every start pay once); `load_case` of the shipped case, file read
included; `case_from_mapping` of the stored document, which every read of a case from the
database goes through; and `load_catalogue` over N generated files (the shipped case under N
slugs, as a folder an organizer keeps), wall and CPU time.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from bot.catalogue import case_from_mapping, case_to_mapping, load_case, load_catalogue

SHIPPED = Path(__file__).resolve().parent.parent / "actions" / "kz-zhanbolat-mamay.toml"


def _median(run: Callable[[], object], repeats: int, inner: int = 1) -> tuple[float, float]:
    """Median wall and CPU seconds of one call, over `repeats` runs of `inner` calls each."""
    walls, cpus = [], []
    for _ in range(repeats):
        wall, cpu = time.perf_counter(), time.process_time()
        for _ in range(inner):
            run()
        walls.append((time.perf_counter() - wall) / inner)
        cpus.append((time.process_time() - cpu) / inner)
    return statistics.median(walls), statistics.median(cpus)


def _import_seconds(repeats: int) -> float:
    code = (
        "import time; t = time.perf_counter(); import bot.catalogue; "
        "print(time.perf_counter() - t)"
    )
    runs = [
        float(subprocess.run([sys.executable, "-c", code], check=True, capture_output=True,
                             text=True).stdout)
        for _ in range(repeats)
    ]  # fmt: skip
    return statistics.median(runs)


def _folder(directory: Path, files: int) -> None:
    text = SHIPPED.read_text(encoding="utf-8")
    for i in range(files):
        slug = f"case-{i:04d}"
        body = text.replace('slug = "kz-zhanbolat-mamay"', f'slug = "{slug}"', 1)
        (directory / f"{slug}.toml").write_text(body, encoding="utf-8")


def main() -> None:
    """Measure and print the figures, as a table and optionally as JSON."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=200)
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args()

    mapping = case_to_mapping(load_case(SHIPPED))
    figures: dict[str, float] = {"import_s": _import_seconds(args.repeats)}
    figures["load_case_s"], figures["load_case_cpu_s"] = _median(
        lambda: load_case(SHIPPED), args.repeats, inner=200
    )
    figures["from_mapping_s"], figures["from_mapping_cpu_s"] = _median(
        lambda: case_from_mapping(mapping), args.repeats, inner=200
    )
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        _folder(folder, args.files)
        result = load_catalogue(folder)
        if len(result.cases) != args.files or result.problems:
            raise SystemExit(f"expected {args.files} cases, got {result.problems[:3]}")
        figures["folder_s"], figures["folder_cpu_s"] = _median(
            lambda: load_catalogue(folder), args.repeats
        )

    print(f"import bot.catalogue        {figures['import_s'] * 1000:8.1f} ms")
    print(
        f"load_case (shipped case)    {figures['load_case_s'] * 1000:8.2f} ms"
        f"  (CPU {figures['load_case_cpu_s'] * 1000:.2f} ms)"
    )
    print(
        f"case_from_mapping (stored)  {figures['from_mapping_s'] * 1000:8.2f} ms"
        f"  (CPU {figures['from_mapping_cpu_s'] * 1000:.2f} ms)"
    )
    print(
        f"load_catalogue ({args.files} files)  {figures['folder_s'] * 1000:8.1f} ms"
        f"  (CPU {figures['folder_cpu_s'] * 1000:.1f} ms)"
    )
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
