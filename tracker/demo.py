"""`make demo`: a fresh SQLite database, the public record loaded, and the story told.

Every step is a real `tracker` command, run as a user would run it and shown with its
output: set up, load the seeds, read the delivery status, the S-400 schedule with how its
promises moved, the view as of the day after the first delivery (the world axis), the AK-203
production before and after a plan is logged, the view as known on the moment before it (the
record axis), write the timeline report, and verify the hash chain.
"""

from __future__ import annotations

import argparse
import shlex
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

HT_LUCKNOW = (
    "https://www.htsyndication.com/ht-lucknow/article/"
    "amethi-unit-to-deliver-7,000-ak-203rifles-to-indian-army-in-2-3-weeks/91715068"
)

# "{before}" is the moment just before the plan below is logged: the record axis.
STEPS: list[tuple[str, list[str]]] = [
    ("Create the database", ["init"]),
    ("Load the public record (seeds/)", ["seed"]),
    ("Delivery status of every contract", ["status"]),
    ("How the S-400 due dates moved", ["schedule", "s400-india-2018", "--history"]),
    (
        "As of 1 January 2022 (the world axis: what had happened by that day, at the dates"
        " the record gives now)",
        ["status", "s400-india-2018", "--as-of", "2022-01-01"],
    ),
    ("AK-203 production at Korwa", ["production"]),
    (
        "Log what the record lacked: IRRPL's CEO expects the whole order by December 2030",
        [
            "log",
            "production-plan",
            "irrpl",
            "--contract",
            "ak203-india-2021",
            "--due",
            "Dec 2030",
            "--occurred",
            "2025-07-19",
            "--confidence",
            "planned",
            "--source",
            HT_LUCKNOW,
            "--publisher",
            "Hindustan Times (Lucknow)",
        ],
    ),
    ("AK-203 production with the earlier target: the rate needed rises", ["production"]),
    (
        "As known on {before_text} (the record axis: what the log held before that plan)",
        ["production", "--known-at", "{before}"],
    ),
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
    marks = {"{report}": report}
    for title, command in STEPS:
        if command[:2] == ["log", "production-plan"]:
            time.sleep(1)  # whole seconds: "{before}" falls after the last seed, before the plan
            before = datetime.now(UTC).replace(microsecond=0)
            marks["{before}"] = before.strftime("%Y-%m-%dT%H:%M:%SZ")
            marks["{before_text}"] = before.strftime("%Y-%m-%d %H:%M:%S UTC")
        argv = [_fill(a, marks) for a in command]
        print(f"\n== {_fill(title, marks)}\n$ tracker {shlex.join(argv)}", flush=True)
        done = subprocess.run([sys.executable, "-m", "tracker.cli.main", "--db", str(db), *argv])
        if done.returncode != 0:
            raise SystemExit(done.returncode)
    print(f"\nThe database is {db}; the report is {report}.")


def _fill(text: str, marks: dict[str, str]) -> str:
    for mark, value in marks.items():
        text = text.replace(mark, value)
    return text


if __name__ == "__main__":
    main()
