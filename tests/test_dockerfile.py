"""The Dockerfile holds what today's code needs at run time (it is not built here: no engine).

The bot reads templates/, locales/, migrations/ and actions/ beside its package, so the image
must copy them and import `bot` from /app; the database must live on the volume; the command
must be one the command line knows."""

from __future__ import annotations

import re
import shlex

from bot.db.migrations import MIGRATIONS_DIR
from bot.rendering import LOCALES_DIR, TEMPLATES_DIR
from tests.conftest import ROOT

DOCKERFILE = (ROOT / "Dockerfile").read_text(encoding="utf-8")


def instructions(name: str) -> list[str]:
    """The arguments of every `name` instruction, continuation lines joined."""
    joined = re.sub(r"\\\n\s*", " ", DOCKERFILE)
    return [
        line.split(None, 1)[1].strip()
        for line in joined.splitlines()
        if line.strip().upper().startswith(name + " ")
    ]


def folders_read_beside_the_package() -> set[str]:
    """Every top-level folder the code finds from its own file (`Path(__file__)...parent`)."""
    found = set()
    pattern = re.compile(r'Path\(__file__\)\.resolve\(\)((?:\.parent)+)\s*/\s*"([^"]+)"')
    # A folder named once (`ROOT = Path(__file__).resolve().parent.parent`), then `ROOT / "x"`.
    named = re.compile(r"^(\w+) = Path\(__file__\)\.resolve\(\)((?:\.parent)+)$", re.MULTILINE)
    for source in (ROOT / "bot").rglob("*.py"):
        code = source.read_text(encoding="utf-8")
        for match in pattern.finditer(code):
            up = match.group(1).count(".parent")
            target = source.resolve().parents[up - 1] / match.group(2)
            if target.parent == ROOT:
                found.add(match.group(2))
        for name, parents in named.findall(code):
            base = source.resolve().parents[parents.count(".parent") - 1]
            for child in re.findall(rf'\b{name}\s*/\s*"([^"]+)"', code):
                if base == ROOT:
                    found.add(child)
    return found


def test_the_image_copies_every_folder_the_bot_reads_beside_its_package() -> None:
    copied = {shlex.split(args)[0].rstrip("/") for args in instructions("COPY")}
    read = folders_read_beside_the_package()
    # The scan finds what it should.
    assert {TEMPLATES_DIR.name, LOCALES_DIR.name, MIGRATIONS_DIR.name} <= read
    needed = {"bot", "actions", "pyproject.toml"} | read
    assert needed <= copied, f"the Dockerfile does not copy {needed - copied}"
    assert (ROOT / "README.md").exists() and "README.md" in instructions("COPY")[0]
    assert instructions("WORKDIR") == ["/app"]
    # Imported from /app, wherever the container's working directory is.
    assert any("pip install --editable ." in run for run in instructions("RUN"))


def test_the_database_lives_on_the_volume_and_the_user_may_write_it() -> None:
    env = " ".join(instructions("ENV"))
    db_path = re.search(r"BOT_DB_PATH=(\S+)", env)
    assert db_path is not None
    volume = instructions("VOLUME")
    assert volume == ['["/data"]']
    assert db_path.group(1).startswith("/data/")
    assert any("chown urgentaction /data" in run for run in instructions("RUN"))
    assert instructions("USER") == ["urgentaction"]


def test_the_command_is_one_the_command_line_knows() -> None:
    assert instructions("ENTRYPOINT") == ['["python", "-m", "bot"]']
    assert instructions("CMD") == ['["run"]']
    main = (ROOT / "bot" / "__main__.py").read_text(encoding="utf-8")
    assert 'add_parser("run"' in main


def test_the_build_context_leaves_out_the_local_environment() -> None:
    ignored = (ROOT / ".dockerignore").read_text(encoding="utf-8").split()
    assert {".venv", ".git", "data", ".env"} <= set(ignored)
