"""A throwaway PostgreSQL server of a test's own, which the test may stop, restart and freeze.

Started from Debian's binaries (`/usr/lib/postgresql/<version>/bin`), run by the postgres user
when the tests run as root, on a free loopback port, in a temporary folder removed after.
Tests that need one skip only when no PostgreSQL binaries are installed (.ci/run installs them).
"""

from __future__ import annotations

import asyncio
import os
import shutil
import signal
import socket
import subprocess
import tempfile
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress
from pathlib import Path

import pytest

from bot.config import Secret


def binaries() -> Path | None:
    """The newest installed PostgreSQL's bin folder, or None."""
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"), key=lambda p: p.parent)
    return found[-1].parent if found else None


def needs_postgresql_binaries() -> pytest.MarkDecorator:
    """Skip the test where no PostgreSQL server can be started."""
    return pytest.mark.skipif(binaries() is None, reason="no PostgreSQL binaries installed")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class OwnPostgres:
    """One server: its URL, and what a test may do to it."""

    def __init__(self, bin_dir: Path, folder: Path) -> None:
        self._bin = bin_dir
        self._folder = folder
        self._data = folder / "data"
        self.port = _free_port()
        self.url = Secret(f"postgresql://postgres@127.0.0.1:{self.port}/postgres")
        self._as_postgres = ["runuser", "-u", "postgres", "--"] if os.getuid() == 0 else []

    def _run(self, *command: str) -> None:
        subprocess.run(
            [*self._as_postgres, *command],
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

    def _ctl(self, *arguments: str) -> None:
        self._run(str(self._bin / "pg_ctl"), "-D", str(self._data), *arguments)

    def init(self) -> None:
        if os.getuid() == 0:
            shutil.chown(self._folder, "postgres")
        self._run(
            str(self._bin / "initdb"),
            "--auth=trust",
            "--username=postgres",
            "--no-sync",
            "-D",
            str(self._data),
        )

    async def start(self) -> None:
        """Start the server and wait until it takes connections."""
        options = (
            f"-p {self.port} -k {self._folder} -c listen_addresses=127.0.0.1 -c fsync=off"
            " -c synchronous_commit=off -c full_page_writes=off"
        )
        await asyncio.to_thread(
            self._ctl, "-l", str(self._folder / "server.log"), "-w", "start", "-o", options
        )

    async def stop(self, mode: str = "fast") -> None:
        """Stop the server (`fast`: sessions are ended; `immediate`: as a crash)."""
        await asyncio.to_thread(self._ctl, "-m", mode, "-w", "stop")

    async def restart(self, mode: str = "fast") -> None:
        await self.stop(mode)
        await self.start()

    def _pids(self) -> list[int]:
        postmaster = int((self._data / "postmaster.pid").read_text().split()[0])
        children = subprocess.run(
            ["pgrep", "-P", str(postmaster)], capture_output=True, text=True, check=False
        ).stdout.split()
        return [postmaster, *(int(pid) for pid in children)]

    def freeze(self) -> None:
        """Stop the server's processes where they are (SIGSTOP): it accepts, never answers."""
        for pid in self._pids():
            os.kill(pid, signal.SIGSTOP)

    def thaw(self) -> None:
        for pid in self._pids():
            with suppress(ProcessLookupError):
                os.kill(pid, signal.SIGCONT)


@asynccontextmanager
async def own_postgres() -> AsyncIterator[OwnPostgres]:
    """A fresh server for the block; stopped and removed after, whatever happened to it."""
    bin_dir = binaries()
    if bin_dir is None:
        pytest.skip("no PostgreSQL binaries installed")
    folder = Path(tempfile.mkdtemp(prefix="bot-test-postgres-"))
    server = OwnPostgres(bin_dir, folder)
    try:
        await asyncio.to_thread(server.init)
        await server.start()
        try:
            yield server
        finally:
            with suppress(Exception):
                server.thaw()
            with suppress(Exception):
                await server.stop("immediate")
    finally:
        shutil.rmtree(folder, ignore_errors=True)
