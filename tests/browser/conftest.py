"""Where the browser tests keep their screenshots, and a line at the end saying so."""

from __future__ import annotations

import pytest

from tests.conftest import ROOT

ARTIFACTS = ROOT / "test-artifacts" / "browser"


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Name the screenshots' folder, so a person (or CI) knows where to look."""
    ran = terminalreporter.stats.get("passed", []) + terminalreporter.stats.get("failed", [])
    browser = any("tests/browser/" in getattr(report, "nodeid", "") for report in ran)
    if browser and ARTIFACTS.is_dir() and any(ARTIFACTS.glob("*.png")):
        terminalreporter.write_line(f"browser screenshots: {ARTIFACTS}")
