"""Full disk: an import onto a nearly full file system fails with one clear line and leaves a
log that verifies, holds whole batches only, and still answers `tracker status`; once there
is room again, running the import again completes it.

The file system is a small tmpfs mounted for each trial (root only; skipped with the reason
elsewhere, but it must run in CI). The room left on it is drawn, seeded by the trial, from
a twentieth of the input's size to one and a half times it, so the disk fills at different
points of the import: before the first batch, between batches, or while the read models
catch up after the last one.
"""

from __future__ import annotations

import os
import random
import re
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.reliability.conftest import (
    Exported,
    Tally,
    fresh,
    invoke,
    logged,
    ok,
    trials,
)
from tracker.store.transfer import BATCH

IMPORT_EVENTS = 2000
TRIALS = trials(short=3, soak=20)
DISK_FULL = "Error: The disk is full: nothing was written\n"


@pytest.fixture
def small_disk(tmp_path: Path, exported: Exported) -> Iterator[Path]:
    """A tmpfs with room for the imported log and its WAL, unmounted after the test."""
    where = tmp_path / "disk"
    where.mkdir()
    size = 4 * exported.path.stat().st_size + 2 * 2**20
    problem = None
    if os.geteuid() != 0:
        problem = "not root, so no small file system can be mounted"
    else:
        done = subprocess.run(
            ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(where)],
            capture_output=True,
            text=True,
        )
        if done.returncode != 0:
            problem = f"mounting a tmpfs failed: {done.stderr.strip()}"
    if problem:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{problem} (CI=true: the full-disk campaign must run there)")
        pytest.skip(problem)
    try:
        yield where
    finally:
        subprocess.run(["umount", str(where)], check=True)


@pytest.fixture(scope="module")
def exported(export_of: Callable[[int], Exported]) -> Exported:
    return export_of(IMPORT_EVENTS)


def fill(disk: Path, room: int) -> Path:
    """Leave ``room`` bytes free on ``disk``; the filler file, to delete for room again."""
    stat = os.statvfs(disk)
    filler = disk / "filler"
    filler.write_bytes(b"\0" * max(stat.f_bavail * stat.f_frsize - room, 0))
    return filler


@pytest.mark.parametrize("trial", TRIALS)
def test_an_import_onto_a_full_disk_fails_cleanly_and_leaves_whole_batches(
    small_disk: Path, exported: Exported, trial: int, tally: Tally
) -> None:
    tally.campaign, tally.engine = "full disk: import jsonl", "sqlite"
    url = f"sqlite:///{small_disk / 'tracker.db'}"
    fresh(url).close()
    size = exported.path.stat().st_size
    filler = fill(small_disk, int(random.Random(f"disk/{trial}").uniform(0.05, 1.5) * size))

    result = invoke(url, "import", "jsonl", str(exported.path), tally=tally)
    assert (result.exit_code, result.stdout, result.stderr) == (1, "", DISK_FULL)
    assert ok(url, "verify", tally=tally).startswith("OK: ")
    rows = logged(url)
    whole = len(exported.chain)
    assert rows == exported.chain[: len(rows)]
    assert len(rows) % BATCH == 0 or len(rows) == whole
    tally.cut = int(0 < len(rows) < whole)
    status = invoke(url, "status", "--format", "json", tally=tally)
    assert (status.exit_code, status.stderr) == (0, "")

    filler.unlink()
    assert ok(url, "import", "jsonl", str(exported.path), tally=tally).startswith(
        f"Imported {whole - len(rows)} events"
    )
    rows = logged(url)
    ids = [r[1] for r in rows]
    tally.lost = len({r[1] for r in exported.chain} - set(ids))
    tally.duplicated = len(ids) - len(set(ids))
    assert rows == exported.chain
    assert ok(url, "verify", tally=tally).startswith("OK: ")


# --- export -o and report -o: a whole file or none ------------------------------------------

OUTPUTS = {
    "export": ["export"],
    "report timeline html": ["report", "timeline", "--format", "html"],
    "report timeline md with charts": ["report", "timeline", "--format", "md"],
    "report status md with charts": ["report", "status", "--format", "md"],
}
ENOSPC = "No space left on device"


@pytest.fixture(scope="module")
def seeded_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('seeded') / 'tracker.db'}"
    tracker = fresh(url)
    tracker.seed()
    tracker.close()
    return url


@pytest.fixture
def tiny_disk(tmp_path: Path) -> Iterator[Path]:
    """A 64 KiB tmpfs, too small for any of OUTPUTS, unmounted after the test."""
    where = tmp_path / "tiny"
    where.mkdir()
    problem = None
    if os.geteuid() != 0:
        problem = "not root, so no small file system can be mounted"
    else:
        done = subprocess.run(
            ["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(where)],
            capture_output=True,
            text=True,
        )
        if done.returncode != 0:
            problem = f"mounting a tmpfs failed: {done.stderr.strip()}"
    if problem:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{problem} (CI=true: the full-disk campaign must run there)")
        pytest.skip(problem)
    try:
        yield where
    finally:
        subprocess.run(["umount", str(where)], check=True)


def files_in(directory: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(directory.iterdir())}


@pytest.mark.parametrize("command", OUTPUTS)
def test_writing_a_file_to_a_full_disk_fails_in_one_line_and_leaves_nothing(
    seeded_url: str, tiny_disk: Path, command: str, tally: Tally
) -> None:
    tally.campaign, tally.engine = f"full disk: {OUTPUTS[command][0]} -o", "sqlite"
    target = tiny_disk / "out.file"
    target.write_bytes(b"the previous file\n")  # must survive the failed write whole
    before = files_in(tiny_disk)

    result = invoke(seeded_url, *OUTPUTS[command], "-o", str(target), tally=tally)
    assert (result.exit_code, result.stdout) == (1, "")
    assert_names_the_file(result.stderr, target)
    assert files_in(tiny_disk) == before


def assert_names_the_file(stderr: str, target: Path) -> None:
    """One line naming the file that could not be written: the target or a chart beside it."""
    written = re.fullmatch(f"Error: Cannot write (.+): {ENOSPC}\n", stderr)
    assert written is not None, stderr
    named = Path(written.group(1))
    assert named.parent == target.parent and named.name.startswith(target.stem), stderr


@pytest.mark.parametrize("command", OUTPUTS)
def test_a_write_that_fails_anywhere_leaves_nothing_behind(
    seeded_url: str, tmp_path: Path, command: str, tally: Tally, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without root: the disk fills as the file is synced, the one place it must surface."""
    import errno

    import tracker.cli.files as files

    tally.campaign, tally.engine = f"full disk (simulated): {OUTPUTS[command][0]} -o", "sqlite"

    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, ENOSPC)

    monkeypatch.setattr(files.os, "fsync", full)
    target = tmp_path / "out.file"
    target.write_bytes(b"the previous file\n")
    before = files_in(tmp_path)
    result = invoke(seeded_url, *OUTPUTS[command], "-o", str(target), tally=tally)
    assert (result.exit_code, result.stdout) == (1, "")
    assert_names_the_file(result.stderr, target)
    assert files_in(tmp_path) == before

    monkeypatch.undo()  # room again: the same command writes the file, and only it (+ charts)
    assert invoke(seeded_url, *OUTPUTS[command], "-o", str(target)).exit_code == 0
    assert target.read_bytes() != b"the previous file\n"
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]
