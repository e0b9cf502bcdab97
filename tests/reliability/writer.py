"""One of the concurrent CLI users: logs notes and deliveries, and reads, in a loop.

    python -m tests.reliability.writer URL WORKER COUNT (inprocess|subprocess)

Each command is a whole `tracker` invocation: in-process through click's runner (each
opens and closes its own database connection, as a process would), or, under
``subprocess``, a new `tracker` process per command. Every write has a fixed --event-id.
Prints one JSON line per command: its arguments, exit code, stdout, stderr and event id.
"""

from __future__ import annotations

import json
import subprocess
import sys
import uuid

from tests.reliability.conftest import ENV, TRACKER, subprocess_env

CONTRACT = "conc-india-2024"
NAMESPACE = uuid.UUID("0b5e7a54-2a47-4c1e-9d7a-7d9a4f7e1c00")


def commands(worker: int, count: int) -> list[tuple[list[str], str | None]]:
    """The worker's commands: a note, a delivery and a read, in turn."""
    out: list[tuple[list[str], str | None]] = []
    for i in range(count):
        event_id = str(uuid.uuid5(NAMESPACE, f"{worker}/{i}"))
        source = ["--source", f"https://example.org/w{worker}/{i}", "--occurred", "2025-06"]
        if i % 3 == 0:
            args = ["log", "note", "topic:concurrency", "--text", f"worker {worker} note {i}"]
        elif i % 3 == 1:
            args = ["log", "delivery", CONTRACT, "--quantity", "1"]
        else:
            out.append((["status", CONTRACT, "--format", "json"], None))
            continue
        out.append(([*args, *source, "--event-id", event_id], event_id))
    return out


def run(url: str, args: list[str], mode: str) -> tuple[int, str, str]:
    if mode == "subprocess":
        done = subprocess.run(
            [TRACKER, "--db", url, *args], capture_output=True, text=True, env=subprocess_env()
        )
        return done.returncode, done.stdout, done.stderr
    from click.testing import CliRunner

    from tracker.cli.main import cli

    result = CliRunner().invoke(cli, ["--db", url, *args], env=ENV, prog_name="tracker")
    err = result.stderr
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        import traceback

        err += "".join(traceback.format_exception(result.exception))
    return result.exit_code, result.stdout, err


def main(url: str, worker: int, count: int, mode: str) -> None:
    for args, event_id in commands(worker, count):
        code, out, err = run(url, args, mode)
        row = {"args": args, "code": code, "stdout": out, "stderr": err, "event_id": event_id}
        print(json.dumps(row), flush=True)


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4])
