"""Reading and importing a sheet in a child process, with limits on its time and its memory.

A sheet comes from outside (by email, from anyone), and reading it is pure-Python work on
text an attacker can shape: a PDF that inflates, a story that makes a pattern backtrack. On the
bot's event loop that froze every chat; in a thread it would still hold the interpreter's lock.
So each sheet is read once, in a process of its own (`python -m bot.importer.isolation`), which
limits its own address space and CPU time before it reads anything, and which the parent kills
when it overruns its time. The parent gets what the child found, or `ImportOverrunError`.

The child runs the project's own code and hands back its result pickled; what it was given is
data, never code.
"""

from __future__ import annotations

import asyncio
import os
import pickle
import subprocess
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from bot.domain.cases import UrgentAction
from bot.importer.build import Imported, import_sheet
from bot.importer.extract import SheetError, read_sheet, within_limits
from bot.importer.listing import ListedCase, cases_listed

# A sheet is read in well under a second; these leave room for a slow machine and a long PDF.
TIME_LIMIT = 30.0  # seconds of wall-clock time before the child is killed
MEMORY_LIMIT = 1024 * 2**20  # bytes of address space the child may map


class ImportOverrunError(Exception):
    """Reading the sheet took more time or memory than a sheet may."""


@dataclass(frozen=True)
class Job:
    """A sheet to read: its file (`data`, named `filename`) or its text, and the import's
    settings (see `import_sheet`)."""

    text: str | None = None
    data: bytes | None = None
    filename: str = ""
    deadline_label: Mapping[str, str] = field(default_factory=dict)
    existing: Sequence[UrgentAction] = ()
    dialled_from: str | None = None
    today: date | None = None
    source: str = "sheet"


@dataclass(frozen=True)
class Outcome:
    """What the child found: a file it could not read (`failed`, a SheetError's reason), a page
    listing several cases (`listed`), or the import (`imported`, with the sheet's `text`)."""

    text: str = ""
    failed: str | None = None
    listed: tuple[ListedCase, ...] = ()
    imported: Imported | None = None


@dataclass(frozen=True)
class Limits:
    """How long, and how much memory, one sheet may take."""

    seconds: float = TIME_LIMIT
    memory: int = MEMORY_LIMIT


def carry_out(job: Job) -> Outcome:
    """Read and import the sheet here, in this process (the child's work)."""
    if job.data is not None:
        try:
            text = read_sheet(job.data, job.filename)
        except SheetError as error:
            return Outcome(failed=error.reason)
    else:
        try:
            text = within_limits(job.text or "")
        except SheetError as error:
            return Outcome(failed=error.reason)
    if listed := cases_listed(text):
        return Outcome(text=text, listed=tuple(listed))
    options = {} if job.dialled_from is None else {"dialled_from": job.dialled_from}
    imported = import_sheet(
        text,
        deadline_label=job.deadline_label,
        existing=job.existing,
        today=job.today,
        source=job.source,
        **options,
    )
    return Outcome(text=text, imported=imported)


def _command(limits: Limits) -> list[str]:
    return [
        sys.executable,
        "-m",
        "bot.importer.isolation",
        str(limits.memory),
        str(limits.seconds),
    ]


def _environment() -> dict[str, str]:
    """The bot's environment, with this copy of the `bot` package first on the path."""
    root = str(Path(__file__).resolve().parents[2])
    path = os.environ.get("PYTHONPATH")
    return {**os.environ, "PYTHONPATH": f"{root}{os.pathsep}{path}" if path else root}


def _outcome(returncode: int | None, stdout: bytes) -> Outcome:
    if returncode != 0 or not stdout:
        # Killed by its CPU limit, out of memory (MemoryError), or dead some other way.
        raise ImportOverrunError(f"the importer stopped (exit status {returncode})")
    found = pickle.loads(stdout)  # noqa: S301 - written by the child, the project's own code
    if not isinstance(found, Outcome):
        raise ImportOverrunError("the importer gave no result")
    return found


async def run(job: Job, limits: Limits | None = None) -> Outcome:
    """Read and import the sheet in a child process, off the event loop; ImportOverrunError when it
    takes longer or more memory than `limits` allow (it is killed then)."""
    limits = limits or Limits()
    process = await asyncio.create_subprocess_exec(
        *_command(limits),
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.DEVNULL,
        env=_environment(),
    )
    try:
        stdout, _ = await asyncio.wait_for(
            process.communicate(pickle.dumps(job)), timeout=limits.seconds
        )
    except TimeoutError:
        raise ImportOverrunError(f"the importer took more than {limits.seconds:g} s") from None
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
    return _outcome(process.returncode, stdout)


def run_blocking(job: Job, limits: Limits | None = None) -> Outcome:
    """`run`, for the command line, which has no event loop."""
    limits = limits or Limits()
    try:
        done = subprocess.run(  # noqa: S603 - this interpreter, this module
            _command(limits),
            input=pickle.dumps(job),
            capture_output=True,
            timeout=limits.seconds,
            env=_environment(),
            check=False,
        )
    except subprocess.TimeoutExpired:  # run() has killed it
        raise ImportOverrunError(f"the importer took more than {limits.seconds:g} s") from None
    return _outcome(done.returncode, done.stdout)


def _limit_self(memory: int, seconds: float) -> None:
    """Cap this process's address space and CPU time (where the system has rlimits)."""
    try:
        import resource  # noqa: PLC0415 - POSIX only
    except ImportError:  # Windows: the parent's timeout still holds
        return
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    cpu = int(seconds) + 1
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu))


def _child(argv: Sequence[str]) -> int:
    memory, seconds = int(argv[0]), float(argv[1])
    job = pickle.loads(sys.stdin.buffer.read())  # noqa: S301 - from the bot's own process
    _limit_self(memory, seconds)
    try:
        outcome = carry_out(job)
    except MemoryError:
        return 3
    sys.stdout.buffer.write(pickle.dumps(outcome))
    return 0


if __name__ == "__main__":
    # Through the module's own name, so that what is pickled names its classes by it too.
    from bot.importer import isolation  # noqa: PLW0406 - run as __main__, pickled by name

    sys.exit(isolation._child(sys.argv[1:]))
