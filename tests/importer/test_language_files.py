"""A section adds its language with one data file: a Swedish file, written here in a folder of
its own and named in IMPORTER_LANGUAGES, makes the importer read a Swedish sheet's officials,
salutation, copies and deadline, with no change to the code."""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib
from pathlib import Path

from bot.importer.words import EXTRA_DIRECTORIES, KINDS

ROOT = Path(__file__).resolve().parents[2]

SWEDISH = """\
urgent_action = ["blixtaktion"]
write_to = ["skriv till"]
copy_to = ["kopia till"]
deadline = ["skriv senast"]
no_further_action = ["inga fler åtgärder behövs"]
salutation = ["hälsningsfras"]
email_label = ["e-post"]
official_titles = ["riksåklagare"]
organisations = ["ambassad"]
[months]
januari = 1
februari = 2
mars = 3
april = 4
maj = 5
juni = 6
juli = 7
augusti = 8
september = 9
oktober = 10
november = 11
december = 12
"""

SHEET = """\
BLIXTAKTION
Journalist gripen i Minsk
Belarus
UA 101/23
Journalisten Olga Lebedeva greps den 2 maj 2023 i Minsk efter att ha rapporterat om en \
demonstration. Hon riskerar flera års fängelse.
Skriv till:
Riksåklagare
Andrei Shved
Internatsionalnaya 22
220030 Minsk, Belarus
E-post: info@example-prokuratura.by
Hälsningsfras: Dear Prosecutor General
Kopia till:
Belarus ambassad
Herserudsvägen 5
181 34 Lidingö
E-post: sweden@example-mfa.by
Skriv senast 15 juni 2023.
"""


def run_import(tmp_path: Path, languages: Path | None) -> str:
    sheet = tmp_path / "se-blixtaktion-belarus-2023.txt"
    sheet.write_text(SHEET, encoding="utf-8")
    out = tmp_path / ("out-with" if languages else "out-without")
    env = {k: v for k, v in os.environ.items() if k != EXTRA_DIRECTORIES}
    if languages is not None:
        env[EXTRA_DIRECTORIES] = str(languages)
    subprocess.run(
        [sys.executable, "-m", "bot", "import", str(sheet), "--out", str(out)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        check=False,
        timeout=120,
    )
    (written,) = out.glob("*.toml")
    return written.read_text(encoding="utf-8")


def test_a_new_language_file_is_read_without_a_change_to_the_code(tmp_path: Path) -> None:
    languages = tmp_path / "languages"
    languages.mkdir()
    (languages / "sv.toml").write_text(SWEDISH, encoding="utf-8")
    with_file = tomllib.loads(run_import(tmp_path, languages))
    without = tomllib.loads(run_import(tmp_path, None))

    # Without the file the Swedish labels and months mean nothing to the importer.
    assert not without.get("targets")
    assert not [d for d in without.get("key_dates", []) if d.get("deadline")]

    prosecutor, embassy = with_file["targets"]
    assert (prosecutor["role"], prosecutor["name"], prosecutor["title"]) == (
        "to",
        "Andrei Shved",
        "Riksåklagare",
    )
    assert prosecutor["emails"] == ["info@example-prokuratura.by"]
    assert prosecutor["salutation"] == "Dear Prosecutor General"
    assert embassy["role"] == "copy"
    deadlines = [d for d in with_file["key_dates"] if d.get("deadline")]
    assert [str(d["date"]) for d in deadlines] == ["2023-06-15"]


def test_every_shipped_language_file_holds_only_known_kinds() -> None:
    # A misspelt kind would be silently ignored: every list in a file is one the importer reads.
    directory = ROOT / "bot" / "importer" / "languages"
    for path in directory.glob("*.toml"):
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        assert set(data) - {"months"} <= set(KINDS), path.name
