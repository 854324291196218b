"""Debian's Chromium under Playwright, where the browser tests keep their screenshots, and a
line at the end saying so."""

from __future__ import annotations

import shutil
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from playwright.async_api import Browser, async_playwright

from tests.conftest import ROOT

ARTIFACTS = ROOT / "test-artifacts" / "browser"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_INSTALLED = Path(CHROMIUM).exists()


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
