"""Attacks through files: an import that reads a file once and checks what it writes, and
hostile event files that stay bounded.

- The pipe trick: a named pipe serves a good export, then a forged one. `import jsonl`
  reads it once, checks every line as it writes it, and writes all or nothing: a stream
  that turns forged part-way imports nothing and says why; a pipe that would serve a forged
  copy to a later reader imports the good copy only, as it is opened once.
- A "billion laughs" YAML file, 100k-deep JSON and YAML, and files past the size limits
  give one `Error:` line and exit 1 in a process capped at 512 MB of address space.
- A SIPRI import that fails part-way (the disk fills) writes nothing of the file and says so.

Every command that could hang runs in a subprocess with a timeout.
"""

from __future__ import annotations

import errno
import itertools
import json
import os
import random
import resource
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson
import pytest

from tests.reliability.conftest import (
    TRACKER,
    Exported,
    Tally,
    fresh,
    invoke,
    logged,
    ok,
    subprocess_env,
    trials,
)
from tracker import limits
from tracker.importers.eventfile import read_records
from tracker.store.errors import translated_driver_error
from tracker.store.eventstore import EventStore

TIMEOUT_S = 120
MEMORY_CAP = 512 * 2**20
PIPE_TRIALS = trials(short=2, soak=10)
SIPRI = Path(__file__).resolve().parents[1] / "importers" / "fixtures"


def capped() -> None:
    """In the child, before exec: at most 512 MB of address space."""
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CAP, MEMORY_CAP))


def run_capped(url: str, *args: str, tally: Tally) -> subprocess.CompletedProcess[str]:
    """`tracker --db URL ARGS` in a process capped at 512 MB, killed after TIMEOUT_S."""
    done = subprocess.run(
        [TRACKER, "--db", url, *args],
        capture_output=True,
        text=True,
        env=subprocess_env(),
        preexec_fn=capped,
        timeout=TIMEOUT_S,
    )
    tally.saw(done.stdout, done.stderr)
    return done


def assert_one_error_line(done: subprocess.CompletedProcess[str], *parts: str) -> None:
    assert (done.returncode, done.stdout) == (1, ""), done.stderr[-2000:]
    assert done.stderr.startswith("Error: ") and done.stderr.count("\n") == 1, done.stderr[-2000:]
    for part in parts:
        assert part in done.stderr


@pytest.fixture(scope="module")
def exported(export_of: Callable[[int], Exported]) -> Exported:
    return export_of(40)


# --- the pipe trick ------------------------------------------------------------------------


def forged(good: bytes, rng: random.Random) -> tuple[bytes, int]:
    """``good`` with one event's note text changed and its hashes left as they were, which
    would break `verify` for good once stored; and the line changed (1-based)."""
    lines = good.splitlines(keepends=True)
    notes = [i for i, line in enumerate(lines) if b'"text"' in line]
    index = rng.choice(notes)
    record = orjson.loads(lines[index])
    record["payload"]["text"] = "Forged: " + record["payload"]["text"]
    lines[index] = orjson.dumps(record, option=orjson.OPT_SORT_KEYS) + b"\n"
    return b"".join(lines), index + 1


@dataclass
class PipeServer:
    """Serves ``copies[n]`` to the n-th reader to open ``path`` (the last copy thereafter),
    until ``stop`` is set; never blocks for longer than a poll, so a test cannot hang."""

    path: Path
    copies: list[bytes]
    stop: threading.Event = field(default_factory=threading.Event)
    opened: int = 0

    def serve(self) -> None:
        while not self.stop.is_set():
            try:  # non-blocking: ENXIO until a reader has the pipe open
                fd = os.open(self.path, os.O_WRONLY | os.O_NONBLOCK)
            except OSError as e:
                if e.errno != errno.ENXIO:
                    raise
                time.sleep(0.01)
                continue
            copy = self.copies[min(self.opened, len(self.copies) - 1)]
            self.opened += 1
            os.set_blocking(fd, True)
            try:
                self._write_all(fd, copy)
            except BrokenPipeError:
                pass  # the reader stopped early: what it read decides
            finally:
                os.close(fd)
            time.sleep(0.05)  # let the reader see the end before the next open

    @staticmethod
    def _write_all(fd: int, data: bytes) -> None:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]


@pytest.fixture
def pipe(tmp_path: Path) -> Iterator[Callable[[list[bytes]], PipeServer]]:
    servers: list[tuple[PipeServer, threading.Thread]] = []

    def make(copies: list[bytes]) -> PipeServer:
        path = tmp_path / f"log-{len(servers)}.jsonl"
        os.mkfifo(path)
        server = PipeServer(path, copies)
        thread = threading.Thread(target=server.serve, daemon=True)
        thread.start()
        servers.append((server, thread))
        return server

    yield make
    for server, thread in servers:
        server.stop.set()
        thread.join(timeout=5)
        assert not thread.is_alive()


def import_from(url: str, path: Path, tally: Tally) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        [TRACKER, "--db", url, "import", "jsonl", str(path)],
        capture_output=True,
        text=True,
        env=subprocess_env(),
        timeout=TIMEOUT_S,
    )
    tally.saw(done.stdout, done.stderr)
    return done


@pytest.mark.parametrize("trial", PIPE_TRIALS)
def test_a_pipe_that_turns_to_a_forged_copy_part_way_imports_nothing(
    db_url: str,
    exported: Exported,
    pipe: Callable[[list[bytes]], PipeServer],
    trial: int,
    tally: Tally,
) -> None:
    tally.campaign, tally.trials = "attack: pipe serves good then forged", 1
    fresh(db_url).close()
    good = exported.path.read_bytes()
    bad, _ = forged(good, random.Random(f"pipe/{trial}"))
    whole = len(exported.chain)
    server = pipe([good + bad])  # one reader sees the good copy, then the forged one

    done = import_from(db_url, server.path, tally)

    assert (done.returncode, done.stdout) == (1, ""), done.stderr
    assert done.stderr == (
        f"Error: {server.path.name} line {whole + 1}: position 1 does not follow position "
        f"{whole}: the file is not a whole log; nothing was imported\n"
    )
    assert logged(db_url) == []
    assert ok(db_url, "verify", tally=tally).startswith("OK: 0 events")


@pytest.mark.parametrize("trial", PIPE_TRIALS)
def test_a_pipe_serving_a_forged_copy_to_a_later_open_imports_only_the_good_copy(
    db_url: str,
    exported: Exported,
    pipe: Callable[[list[bytes]], PipeServer],
    trial: int,
    tally: Tally,
) -> None:
    tally.campaign = "attack: pipe serves a forged second copy"
    fresh(db_url).close()
    good = exported.path.read_bytes()
    bad, _ = forged(good, random.Random(f"second/{trial}"))
    server = pipe([good, bad])

    done = import_from(db_url, server.path, tally)

    assert (done.returncode, done.stderr) == (0, ""), done.stderr
    whole = len(exported.chain)
    assert done.stdout == f"Imported {whole} events from {server.path.name} (0 already present).\n"
    # (How often the pipe was opened cannot be counted from the writer's end: a second open
    # may reach the first reader still holding it. What was stored is the proof.)
    rows = logged(db_url)
    ids = [r[1] for r in rows]
    tally.lost = len({r[1] for r in exported.chain} - set(ids))
    tally.duplicated = len(ids) - len(set(ids))
    assert rows == exported.chain
    assert ok(db_url, "verify", tally=tally).startswith(f"OK: {whole} events")


def test_a_forged_line_in_a_file_imports_nothing_and_names_the_line(
    db_url: str, exported: Exported, tmp_path: Path, tally: Tally
) -> None:
    tally.campaign = "attack: forged line in import jsonl"
    fresh(db_url).close()
    bad, line = forged(exported.path.read_bytes(), random.Random("file"))
    path = tmp_path / "forged.jsonl"
    path.write_bytes(bad)

    result = invoke(db_url, "import", "jsonl", str(path), tally=tally)

    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == (
        f"Error: forged.jsonl line {line}: the hash of position {line} does not match its "
        "content; nothing was imported\n"
    )
    assert logged(db_url) == []


# --- hostile event files ---------------------------------------------------------------------


def billion_laughs(levels: int = 9) -> str:
    """The classic: each level a list of nine aliases of the level before (430-odd bytes)."""
    names = "abcdefghijklmnop"
    out = ["- kind: note", '  a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for prev, name in itertools.pairwise(names[: levels + 1]):
        out.append(f"  {name}: &{name} [{','.join([f'*{prev}'] * 9)}]")
    return "\n".join(out) + "\n"


def alias_chain(n: int) -> str:
    """Anchors each holding the one before: shallow as written, n deep once expanded."""
    lines = ["- kind: note", "  x0: &a0 [1]"]
    lines += [f"  x{i}: &a{i} [*a{i - 1}]" for i in range(1, n)]
    return "\n".join(lines) + "\n"


DEEP = 100_000
HOSTILE: dict[str, tuple[str, str, str]] = {
    # name: (file name, content, what the one error line must say)
    "yaml bomb": ("bomb.yaml", billion_laughs(), "aliases expand to more than 100,000 nodes"),
    "yaml recursive alias": ("loop.yaml", "- &r [*r]\n", "line 1: a recursive alias"),
    # Under the 2 MiB YAML limit, so that the nesting check is what refuses them.
    "yaml alias chain": ("chain.yaml", alias_chain(50_000), "nested deeper than 64 levels"),
    "deep json": ("deep.jsonl", "[" * DEEP + "]" * DEEP + "\n", "line 1: nested deeper than 64"),
    "deep json object": (
        "deep-object.jsonl",
        '{"kind": "note", "x": ' + '{"a": ' * DEEP + "1" + "}" * DEEP + "}\n",
        "line 1: nested deeper than 64 levels",
    ),
    "deep yaml flow": ("deep.yaml", "- " + "[" * DEEP + "]" * DEEP + "\n", "nested deeper than 64"),
    "deep yaml block": (
        "block.yaml",
        "".join(f"{'  ' * i}- \n" for i in range(1000)) + "  " * 1000 + "- x\n",
        "nested deeper than 64 levels",
    ),
    "huge json number": (
        "number.jsonl",
        '{"kind": "note", "x": ' + "9" * 5000 + "}\n",
        "line 1: Exceeds the limit (4300 digits)",
    ),
    "huge yaml number": ("number.yaml", "- {kind: note, x: " + "9" * 5000 + "}\n", "line 1: "),
    "bad yaml date": ("date.yaml", "- {kind: note, x: 2021-13-45}\n", "line 1: month must be"),
}


@pytest.mark.parametrize("case", list(HOSTILE))
def test_a_hostile_event_file_gives_one_error_line_within_512_mb(
    case: str, tmp_path: Path, tally: Tally
) -> None:
    tally.campaign, tally.engine = f"attack: log --file {case}", "sqlite"
    name, content, expected = HOSTILE[case]
    url = f"sqlite:///{tmp_path / 'tracker.db'}"
    fresh(url).close()
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")

    done = run_capped(url, "log", "--file", str(path), tally=tally)

    assert_one_error_line(done, f"Error: {name} line ", expected)
    assert logged(url) == []


def test_a_yaml_bomb_is_caught_at_the_level_that_passes_the_limit(tmp_path: Path) -> None:
    # Level k (a=0) of the bomb is a list of 9**(k+1) 'lol's: 9**6 > 100,000 > 9**5, so
    # the level named 'f' (line 7, the sixth list) is the first over the limit.
    path = tmp_path / "bomb.yaml"
    path.write_text(billion_laughs(), encoding="utf-8")
    with pytest.raises(Exception, match=r"^bomb\.yaml line 7: aliases expand to more than"):
        list(read_records(path))


def test_yaml_aliases_within_the_limit_still_read(tmp_path: Path) -> None:
    path = tmp_path / "aliases.yaml"
    path.write_text(
        "- {kind: note, sources: [&tass {url: 'https://tass.com/1', title: T}]}\n"
        "- {kind: note, sources: [*tass]}\n",
        encoding="utf-8",
    )
    source = {"url": "https://tass.com/1", "title": "T"}
    assert list(read_records(path)) == [
        (1, {"kind": "note", "sources": [source]}),
        (2, {"kind": "note", "sources": [source]}),
    ]


@pytest.mark.parametrize("suffix", [".jsonl", ".yaml"])
def test_nesting_up_to_the_limit_reads_and_one_more_level_is_refused(
    suffix: str, tmp_path: Path
) -> None:
    def record(depth: int) -> str:  # the record itself is one level; x adds depth - 1
        value = "[" * (depth - 1) + "1" + "]" * (depth - 1)
        return (
            f'{{"kind": "note", "x": {value}}}\n' if suffix == ".jsonl" else f"- {{x: {value}}}\n"
        )

    # A YAML file's list of records is a level of its own.
    limit = limits.MAX_DEPTH if suffix == ".jsonl" else limits.MAX_DEPTH - 1
    path = tmp_path / f"ok{suffix}"
    path.write_text(record(limit), encoding="utf-8")
    [(line, read)] = list(read_records(path))
    assert line == 1 and json.dumps(read["x"]).count("[") == limit - 1
    path.write_text(record(limit + 1), encoding="utf-8")
    with pytest.raises(Exception, match=r"line 1: nested deeper than 64 levels \(the limit\)"):
        list(read_records(path))


# --- size limits ------------------------------------------------------------------------------


def sparse(path: Path, size: int) -> Path:
    """A file of ``size`` NUL bytes that takes no room on disk."""
    with path.open("wb") as f:
        f.truncate(size)
    return path


@pytest.mark.parametrize(
    ("name", "size", "message"),
    [
        ("big.jsonl", limits.MAX_FILE_BYTES + 1, "big.jsonl is larger than 32 MiB (the limit)"),
        (
            "big.yaml",
            limits.MAX_YAML_BYTES + 1,
            "big.yaml is larger than 2 MiB (the limit) for YAML: write larger files as JSON Lines",
        ),
    ],
)
def test_an_event_file_past_the_size_limit_is_refused_within_512_mb(
    name: str, size: int, message: str, tmp_path: Path, tally: Tally
) -> None:
    tally.campaign, tally.engine = f"attack: log --file {name} past the size limit", "sqlite"
    url = f"sqlite:///{tmp_path / 'tracker.db'}"
    fresh(url).close()
    path = sparse(tmp_path / name, size)

    done = run_capped(url, "log", "--file", str(path), tally=tally)

    assert_one_error_line(done)
    assert done.stderr == f"Error: {message}\n"
    assert logged(url) == []


def test_a_yaml_file_at_the_size_limit_reads_within_512_mb(tmp_path: Path, tally: Tally) -> None:
    tally.campaign, tally.engine = "attack: log --file yaml at the size limit", "sqlite"
    record = '- {kind: note, topic: "topic:x", text: "A note", occurred: 2021-12}\n'
    path = tmp_path / "full.yaml"
    count = limits.MAX_YAML_BYTES // len(record)
    path.write_text(record * count, encoding="utf-8")
    script = (
        "import sys; from pathlib import Path; "
        "from tracker.importers.eventfile import read_records; "
        "print(sum(1 for _ in read_records(Path(sys.argv[1]))))"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, str(path)],
        capture_output=True,
        text=True,
        preexec_fn=capped,
        timeout=TIMEOUT_S,
    )
    tally.saw(done.stdout, done.stderr)
    assert (done.returncode, done.stdout, done.stderr) == (0, f"{count}\n", "")


def test_an_export_line_past_the_size_limit_is_refused_within_512_mb(
    tmp_path: Path, tally: Tally
) -> None:
    tally.campaign, tally.engine = "attack: import jsonl line past the limit", "sqlite"
    url = f"sqlite:///{tmp_path / 'tracker.db'}"
    fresh(url).close()
    path = sparse(tmp_path / "long.jsonl", limits.MAX_LINE_BYTES + 1)

    done = run_capped(url, "import", "jsonl", str(path), tally=tally)

    assert done.stderr == (
        "Error: long.jsonl line 1 is longer than 16 MiB (the limit); nothing was imported\n"
    )
    assert_one_error_line(done)
    assert logged(url) == []


def test_a_deep_export_line_is_refused_within_512_mb(tmp_path: Path, tally: Tally) -> None:
    tally.campaign, tally.engine = "attack: import jsonl deep line", "sqlite"
    url = f"sqlite:///{tmp_path / 'tracker.db'}"
    fresh(url).close()
    path = tmp_path / "deep.jsonl"
    path.write_text('{"payload": ' + "[" * DEEP + "]" * DEEP + "}\n", encoding="utf-8")

    done = run_capped(url, "import", "jsonl", str(path), tally=tally)

    assert done.stderr == (
        "Error: deep.jsonl line 1: nested deeper than 64 levels (the limit); nothing was imported\n"
    )
    assert_one_error_line(done)


# --- a SIPRI import that fails part-way -----------------------------------------------------


def disk_full_after(rows: int) -> Callable[..., object]:
    """EventStore._append, except that the disk fills after ``rows`` rows of the call went
    into the open transaction: the rest of the file was never written."""
    real = EventStore._append

    def append(store: EventStore, conn: Any, items: list[Any]) -> object:
        if rows:
            real(store, conn, items[:rows])
        raise translated_driver_error(sqlite3.OperationalError("database or disk is full"))

    return append


@pytest.mark.parametrize("rows", [0, 1, 5])
def test_a_sipri_import_that_fails_part_way_writes_nothing_and_says_so(
    rows: int,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    tally: Tally,
) -> None:
    """A file is one transaction: rows already inserted when the disk fills are rolled
    back with the rest, and the log (an earlier release's events) is exactly as before."""
    tally.campaign, tally.engine = "attack: sipri import fails part-way", "sqlite"
    url = f"sqlite:///{tmp_path / 'tracker.db'}"
    fresh(url).close()
    ok(url, "import", "sipri", str(SIPRI / "by-delivery-year-2024-04-sample.csv"), tally=tally)
    before = logged(url)
    assert before  # the earlier release is there to be kept
    monkeypatch.setattr(EventStore, "_append", disk_full_after(rows))
    path = SIPRI / "register-2025-03-sample.csv"

    result = invoke(url, "import", "sipri", "--skip-bad-rows", str(path), tally=tally)

    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == (
        "Error: register-2025-03-sample.csv: The disk is full; nothing was written\n"
    )
    monkeypatch.undo()
    assert logged(url) == before
