"""Check the installed packages for known vulnerabilities (PyPI's advisory data, through
pip-audit); fail when any is found.

pip-audit asks the index for each release's own document (/pypi/NAME/VERSION/json). An index
that serves only the project documents (/pypi/NAME/json) leaves it nothing to audit; those
hold the advisories of the latest release, so a package installed at its latest release is
checked from there instead. Whatever still cannot be checked is listed, not passed over.
"""

from __future__ import annotations

import json
import subprocess
import sys
import urllib.request

INDEX = "https://pypi.org/pypi"


def advisories_of_latest(name: str, version: str) -> list[str] | None:
    """The advisories of `name` when `version` is its latest release, or None (unknown)."""
    try:
        with urllib.request.urlopen(f"{INDEX}/{name}/json", timeout=30) as response:  # noqa: S310
            project = json.load(response)
    except OSError:
        return None
    if project["info"]["version"] != version:
        return None
    return [v["id"] for v in project.get("vulnerabilities") or [] if not v.get("withdrawn")]


def main() -> int:
    """Audit, print what was found and what could not be checked; 1 if anything is vulnerable."""
    result = subprocess.run(
        [
            sys.executable, "-m", "pip_audit", "--vulnerability-service", "pypi",
            "--skip-editable", "--progress-spinner", "off", "--format", "json",
        ],
        capture_output=True,
        text=True,
        check=False,
    )  # fmt: skip
    report = json.loads(result.stdout)
    found: list[str] = []
    unchecked: list[str] = []
    checked = 0
    for dependency in report["dependencies"]:
        name = dependency["name"]
        if "skip_reason" not in dependency:
            checked += 1
            found += [f"{name} {dependency['version']}: {v['id']}" for v in dependency["vulns"]]
            continue
        if "editable" in dependency["skip_reason"]:
            continue  # the project itself
        version = dependency["skip_reason"].rsplit("(", 1)[-1].rstrip(")")
        latest = advisories_of_latest(name, version)
        if latest is None:
            unchecked.append(f"{name} {version}")
            continue
        checked += 1
        found += [f"{name} {version}: {advisory}" for advisory in latest]
    print(f"dependency audit: {checked} checked, {len(found)} known vulnerabilities")
    if unchecked:
        print(f"not checked (not the latest release): {', '.join(unchecked)}")
    for line in found:
        print(f"  {line}")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
