"""Debian's Chromium under Playwright, where the browser tests keep their screenshots, and a
line at the end saying so."""

from __future__ import annotations

import shutil
from collections.abc import AsyncIterator
from datetime import UTC, datetime, time
from pathlib import Path

import pytest
from playwright.async_api import Browser, async_playwright, expect

from tests.conftest import ROOT, MovableClock
from tests.waiting import PATIENCE

ARTIFACTS = ROOT / "test-artifacts" / "browser"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_INSTALLED = Path(CHROMIUM).exists()
# What a page shows after a click may wait on the bot and the database: on a machine loaded
# several times over (CI runs the suites side by side), Playwright's default 5 s is too short.
# A wait that is met ends at once.
expect.set_options(timeout=int(PATIENCE * 1000) // 2)


@pytest.fixture
async def browser() -> AsyncIterator[Browser]:
    """Headless Chromium, kept off the network."""
    if not CHROMIUM_INSTALLED:
        pytest.fail("Chromium is missing: .ci/run installs Debian's chromium package")
    async with async_playwright() as playwright:
        launched = await playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                # Without these Chromium calls home, and a closed network refuses it.
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield launched
        await launched.close()


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Name the screenshots' folder, so a person (or CI) knows where to look."""
    ran = terminalreporter.stats.get("passed", []) + terminalreporter.stats.get("failed", [])
    browser = any("tests/browser/" in getattr(report, "nodeid", "") for report in ran)
    if browser and ARTIFACTS.is_dir() and any(ARTIFACTS.glob("*.png")):
        terminalreporter.write_line(f"browser screenshots: {ARTIFACTS}")


def in_daytime() -> MovableClock:
    """The demo's clock in the browser tests: today at noon UTC, running on from there.

    What the pages show must not hang on the hour the suite runs: at night (22:00 to 08:00
    where a person lives) an alert waits in the outbox for their morning, and a run at 22:40
    saw none reach the chat. Noon UTC is daytime from UTC-4 to UTC+9, and far from midnight in
    Almaty, where the rehearsed case's dates are (crossed mid-test, it made a card say 9 days
    left).
    """
    return MovableClock(start=datetime.combine(datetime.now(UTC).date(), time(12), UTC))
