"""Print the soak table: the rows the campaigns wrote, summed per campaign and engine.

    python -m tests.reliability.table RESULTS.jsonl

Exits 1 when the file is missing or empty, or when any count but trials, killed and cut is
not zero, so that `make soak` fails when a campaign did.
"""

from __future__ import annotations

import json
import sys
from collections import defaultdict
from pathlib import Path

COLUMNS = [
    ("campaign", "campaign"),
    ("engine", "engine"),
    ("trials", "trials"),
    ("failures", "failures"),
    ("lost", "events lost"),
    ("duplicated", "events duplicated"),
    ("tracebacks", "tracebacks seen"),
    ("killed", "killed mid-run"),
    ("cut", "left part-way"),
]
COUNTS = [key for key, _ in COLUMNS[2:]]
MUST_BE_ZERO = ("failures", "lost", "duplicated", "tracebacks")


def summed(lines: list[str]) -> dict[tuple[str, str], dict[str, int]]:
    totals: dict[tuple[str, str], dict[str, int]] = defaultdict(lambda: dict.fromkeys(COUNTS, 0))
    for line in lines:
        if line.strip():
            row = json.loads(line)
            total = totals[(row["campaign"], row["engine"])]
            for key in COUNTS:
                total[key] += int(row.get(key, 0))
    return dict(sorted(totals.items()))


def render(totals: dict[tuple[str, str], dict[str, int]]) -> str:
    rows = [[title for _, title in COLUMNS]]
    rows += [
        [campaign, engine, *(str(t[k]) for k in COUNTS)] for (campaign, engine), t in totals.items()
    ]
    widths = [max(len(r[i]) for r in rows) for i in range(len(COLUMNS))]

    def line(cells: list[str]) -> str:
        left = [c.ljust(w) for c, w in zip(cells[:2], widths[:2], strict=True)]
        right = [c.rjust(w) for c, w in zip(cells[2:], widths[2:], strict=True)]
        return "  ".join(left + right).rstrip()

    rule = "  ".join("-" * w for w in widths)
    return "\n".join([line(rows[0]), rule, *(line(r) for r in rows[1:])])


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: python -m tests.reliability.table RESULTS.jsonl", file=sys.stderr)
        return 2
    path = Path(argv[0])
    lines = path.read_text(encoding="utf-8").splitlines() if path.exists() else []
    totals = summed(lines)
    if not totals:
        print(f"Error: no campaign results in {path}", file=sys.stderr)
        return 1
    print(render(totals))
    bad = [k for k, t in totals.items() if any(t[c] for c in MUST_BE_ZERO)]
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
