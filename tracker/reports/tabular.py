"""The timeline report as CSV (one row per entry) and JSON (headers, entries, sources).

Both read back with the standard library: ``csv.DictReader`` and ``json.loads``.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from tracker.reports.model import Line, Section, TimelineReport

COLUMNS = (
    "programme",
    "date",
    "date_text",
    "type",
    "summary",
    "current_summary",
    "corrected",
    "retracted",
    "citations",
    "confidence",
    "event_id",
)


def entry_row(line: Line) -> dict[str, Any]:
    """One entry with JSON types: citations a list of ints, flags booleans."""
    e = line.entry
    return {
        "programme": line.programme,
        "date": str(e.date),
        "date_text": line.date_text,
        "type": e.type,
        "summary": e.summary,
        "current_summary": line.current,
        "corrected": e.corrected,
        "retracted": e.retracted,
        "citations": list(line.citations),
        "confidence": e.confidence,
        "event_id": e.event_id,
    }


def render_csv(report: TimelineReport) -> str:
    """Flags as 'true'/'false', citations space-separated ('3 4'), no value as empty."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    for line in report.lines:
        row = entry_row(line)
        row["citations"] = " ".join(str(n) for n in row["citations"])
        for flag in ("corrected", "retracted"):
            row[flag] = "true" if row[flag] else "false"
        writer.writerow({k: "" if v is None else v for k, v in row.items()})
    return out.getvalue()


def render_json(report: TimelineReport) -> str:
    data = {
        "title": report.title,
        "as_of": report.as_of.isoformat(),
        "known_at": report.known_at.isoformat() if report.known_at else None,
        "scope": list(report.scope),
        "programmes": [_header(s) for s in report.sections],
        "entries": [entry_row(line) for line in report.lines],
        "sources": [
            {"number": n, **s.model_dump(mode="json"), "label": s.label()}
            for n, s in enumerate(report.sources, start=1)
        ],
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def _header(section: Section) -> dict[str, Any]:
    c = section.completion
    return {
        **section.status.model_dump(mode="json"),
        "completion": {
            "basis": c.basis,
            "date": c.day.isoformat() if c.day else None,
            "text": c.text,
            "explanation": c.explanation,
        },
        "entries": len(section.lines),
    }
