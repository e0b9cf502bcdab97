"""The timeline report as CSV (one row per entry) and JSON (headers, entries, sources).

Both read back with the standard library: ``csv.DictReader`` and ``json.loads``.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from typing import Any

from tracker.domain.views.timeline import Fix
from tracker.reports.citations import Cited, cited_text, listed_text
from tracker.reports.model import Line, Outline, Section, TimelineReport
from tracker.reports.pieces import render

COLUMNS = (
    "programme",
    "date",
    "date_text",
    "type",
    "summary",
    "original_date",
    "original_summary",
    "corrected",
    "corrected_by",
    "correction_date",
    "correction_changes",
    "correction_reason",
    "correction_citations",
    "retracted",
    "retracted_by",
    "retraction_date",
    "retraction_reason",
    "retraction_citations",
    "citations",
    "confidence",
    "event_id",
)

# CSV only: every source the row cites, as it cites it ('[3a] Title, NDTV, 2018-10-05, URL').
CSV_COLUMNS = (*COLUMNS, "cited_sources")

# Several corrections of one entry share its columns, in log order, separated by this.
JOIN = "; "
DESCRIBED = {"title", "publisher", "published"}
# Between the sources of one CSV cell: titles hold commas and semicolons often, bars rarely.
SOURCES_JOIN = " | "


def entry_row(line: Line) -> dict[str, Any]:
    """One entry with JSON types: flags booleans; ``citations`` each source as this entry
    cited it ({mark, number, url, title, publisher, published, ...}), the fixes' citations
    their marks ('3', '3a').

    date, summary and confidence are current (corrections applied); original_date and
    original_summary are what was first recorded, for a corrected entry only.
    """
    e = line.entry
    corrections = [(f, c) for f, c in line.fixes if f.kind == "corrected"]
    retractions = [(f, c) for f, c in line.fixes if f.kind == "retracted"]
    row = {
        "programme": line.programme,
        "date": str(e.date),
        "date_text": line.date_text,
        "type": e.type,
        "summary": e.summary,
        "original_date": str(e.original_date) if e.original_date is not None else None,
        "original_summary": e.original_summary,
        "corrected": e.corrected,
        **_fix_columns("corrected_by", "correction", corrections),
        "correction_changes": JOIN.join(
            f"{c.field}: {c.old} -> {c.new}" for f, _ in corrections for c in f.changes
        )
        or None,
        "retracted": e.retracted,
        **_fix_columns("retracted_by", "retraction", retractions),
        "citations": [cited_json(c) for c in line.citations],
        "confidence": e.confidence,
        "event_id": e.event_id,
    }
    return {name: row[name] for name in COLUMNS}


def cited_json(cited: Cited) -> dict[str, Any]:
    """A citation as the event made it: its mark in the source list and its own source."""
    return {"mark": cited.mark, "number": cited.number, **cited.source.model_dump(mode="json")}


def _fix_columns(
    by: str, prefix: str, fixes: list[tuple[Fix, tuple[Cited, ...]]]
) -> dict[str, Any]:
    if not fixes:
        return {by: None, f"{prefix}_date": None, f"{prefix}_reason": None,
                f"{prefix}_citations": []}  # fmt: skip
    return {
        by: JOIN.join(f.event_id for f, _ in fixes),
        f"{prefix}_date": JOIN.join(str(f.date) for f, _ in fixes),
        f"{prefix}_reason": JOIN.join(f.reason for f, _ in fixes),
        f"{prefix}_citations": list(dict.fromkeys(c.mark for _, cs in fixes for c in cs)),
    }


def render_csv(report: TimelineReport) -> str:
    """Flags as 'true'/'false', citation marks space-separated ('3 4a'), no value as empty;
    ``cited_sources`` says what each mark of the row stands for, as this entry cited it."""
    return render(CsvFormat(), report)


def render_json(report: TimelineReport) -> str:
    return render(JsonFormat(), report)


class CsvFormat:
    """One row per entry, under a header row."""

    def head(self, outline: Outline) -> str:
        return _csv_text([], header=True)

    def piece(self, section: Section) -> str:
        return _csv_text([_csv_row(line) for line in section.lines])

    def body(self, pieces: Iterable[str], outline: Outline) -> Iterator[str]:
        return iter(pieces)

    def tail(self, outline: Outline) -> str:
        return ""


def _csv_text(rows: list[dict[str, Any]], *, header: bool = False) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\n")
    if header:
        writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def _csv_row(line: Line) -> dict[str, Any]:
    row = entry_row(line)
    row["citations"] = [c["mark"] for c in row["citations"]]
    for cites in ("citations", "correction_citations", "retraction_citations"):
        row[cites] = " ".join(row[cites])
    row["cited_sources"] = _cited_sources(line)
    for flag in ("corrected", "retracted"):
        row[flag] = "true" if row[flag] else "false"
    return {k: "" if v is None else v for k, v in row.items()}


class JsonFormat:
    """One JSON object (as ``json.dumps(indent=2)`` writes it): the header, every
    programme's header, every entry, the sources. A piece is a programme's header and its
    entries, each already encoded."""

    def head(self, outline: Outline) -> str:
        top = {
            "title": outline.title,
            "as_of": outline.as_of.isoformat(),
            "known_at": outline.known_at.isoformat() if outline.known_at else None,
            "scope": list(outline.scope),
        }
        return "{\n" + "".join(f"  {_encoded(k, 0)}: {_encoded(v, 1)},\n" for k, v in top.items())

    def piece(self, section: Section) -> tuple[str, list[str]]:
        entries = [{**entry_row(line), "fixes": _fixes(line)} for line in section.lines]
        return _encoded(_header(section), 2), [_encoded(e, 2) for e in entries]

    def body(self, pieces: Iterable[tuple[str, list[str]]], outline: Outline) -> Iterator[str]:
        yield '  "programmes": '
        yield from _array(header for header, _ in pieces)
        yield ',\n  "entries": '
        yield from _array(entry for _, entries in pieces for entry in entries)

    def tail(self, outline: Outline) -> str:
        sources = [
            {
                "number": listed.number,
                "url": listed.url,
                "label": listed_text(listed),
                # Descriptions only: grades belong to each citation (entries[].citations).
                "cited_as": [
                    {"mark": c.mark, **c.source.model_dump(mode="json", include=DESCRIBED)}
                    for c in listed.cited
                ],
            }
            for listed in outline.sources
        ]
        return f',\n  "sources": {_encoded(sources, 1)}\n}}\n'


def _encoded(value: Any, depth: int) -> str:
    """``value`` as ``json.dumps(indent=2)`` writes it ``depth`` levels down."""
    return json.dumps(value, indent=2, ensure_ascii=False).replace("\n", "\n" + "  " * depth)


def _array(items: Iterable[str]) -> Iterator[str]:
    """A JSON array one level down of items encoded two levels down."""
    first = True
    for item in items:
        yield ("[\n    " if first else ",\n    ") + item
        first = False
    yield "[]" if first else "\n  ]"


def _fixes(line: Line) -> list[dict[str, Any]]:
    """Each correction or retraction in full: changes as {field, old, new}, citations."""
    return [
        {
            **fix.model_dump(mode="json", exclude={"sources"}),
            "citations": [cited_json(c) for c in cited],
        }
        for fix, cited in line.fixes
    ]


def _cited_sources(line: Line) -> str:
    """'[3a] Title A, NDTV, 2018-10-05, https://... | [7] ...': the entry's then its fixes'."""
    cited = [*line.citations, *(c for _, cs in line.fixes for c in cs)]
    found = {c.mark: f"[{c.mark}] {cited_text(c.source)}" for c in cited}
    return SOURCES_JOIN.join(found.values())


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
