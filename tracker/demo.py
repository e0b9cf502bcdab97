"""`make demo`: a fresh SQLite database, the public record loaded, and the story told.

Every step is a real `tracker` command, run as a user would run it and shown with its
output: set up, load the seeds, read the delivery status, the S-400 schedule with how its
promises moved, the AK-203 production, the view from the day after the first delivery,
write the timeline report, and verify the hash chain.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

STEPS: list[tuple[str, list[str]]] = [
    ("Create the database", ["init"]),
    ("Load the public record (seeds/)", ["seed"]),
    ("Delivery status of every contract", ["status"]),
    ("How the S-400 due dates moved", ["schedule", "s400-india-2018", "--history"]),
    ("AK-203 production at Korwa", ["production"]),
    ("What we knew on 1 January 2022", ["status", "s400-india-2018", "--as-of", "2022-01-01"]),
    ("The timeline report", ["report", "timeline", "--format", "html", "--output", "{report}"]),
    ("The hash chain", ["verify", "--digest"]),
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", default="demo.db", help="SQLite file to create afresh")
    parser.add_argument("--report", default="demo-report.html", help="where the report goes")
    args = parser.parse_args()
    db = Path(args.db).resolve()
    for suffix in ("", "-wal", "-shm"):
        Path(str(db) + suffix).unlink(missing_ok=True)
    report = str(Path(args.report).resolve())
    for title, command in STEPS:
        argv = [a.replace("{report}", report) for a in command]
        print(f"\n== {title}\n$ tracker {' '.join(argv)}", flush=True)
        done = subprocess.run([sys.executable, "-m", "tracker.cli.main", "--db", str(db), *argv])
        if done.returncode != 0:
            raise SystemExit(done.returncode)
    print(f"\nThe database is {db}; the report is {report}.")


if __name__ == "__main__":
    main()
