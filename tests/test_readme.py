"""The README's examples are real: every ```console block is run and its output compared.

Blocks run in order, in one fresh directory (so `tracker init` creates ./tracker.db), with
today pinned to the day the README's output was recorded.
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

README = Path(__file__).resolve().parents[1] / "README.md"
TODAY = "2026-11-24"
BLOCK = re.compile(r"```console\n(.*?)```", re.DOTALL)


def examples() -> list[tuple[str, str]]:
    """(command, expected output) for every `$ tracker ...` line of the README."""
    found = []
    for block in BLOCK.findall(README.read_text(encoding="utf-8")):
        command, output = None, []
        for line in block.splitlines():
            if line.startswith("$ "):
                if command is not None:
                    found.append((command, "\n".join(output)))
                command, output = line[2:], []
            else:
                output.append(line)
        if command is not None:
            found.append((command, "\n".join(output)))
    return found


def test_the_readme_has_examples():
    commands = [c for c, _ in examples()]
    assert any(c.startswith("tracker status") for c in commands)
    assert any(c.startswith("tracker log") for c in commands)


@pytest.mark.xdist_group("readme")
def test_every_readme_example_prints_what_the_readme_shows(tmp_path: Path):
    env = {**os.environ, "TRACKER_TODAY": TODAY, "COLUMNS": "80"}
    env.pop("TRACKER_DATABASE_URL", None)
    for command, expected in examples():
        argv = shlex.split(command)
        assert argv[0] == "tracker", command
        done = subprocess.run(
            [sys.executable, "-m", "tracker.cli.main", *argv[1:]],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
        )
        shown = (done.stdout + done.stderr).rstrip()
        assert shown == expected.rstrip(), f"$ {command}\n--- got ---\n{shown}"
