"""`make demo`: a fresh SQLite database, the public record loaded, and the story told."""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path


def run(db: Path, *args: str) -> None:
    """Run a tracker command as a user would and show it."""
    print(f"\n$ tracker {' '.join(args)}", flush=True)
    done = subprocess.run([sys.executable, "-m", "tracker.cli.main", "--db", str(db), *args])
    if done.returncode != 0:
        raise SystemExit(done.returncode)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", default="demo.db", help="SQLite file to (re)create")
    db = Path(parser.parse_args().db).resolve()
    for suffix in ("", "-wal", "-shm"):
        Path(str(db) + suffix).unlink(missing_ok=True)
    run(db, "init")
    run(db, "verify", "--digest")


if __name__ == "__main__":
    main()
