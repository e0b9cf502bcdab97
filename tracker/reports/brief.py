"""The delivery-status brief: every contract on one table, then each schedule chart."""

from __future__ import annotations

from dataclasses import dataclass

from tracker.reports.facts import count, percent, remaining, reported_range
from tracker.reports.model import Rendered, Section, TimelineReport

DASH = "—"


@dataclass(frozen=True, slots=True)
class BriefColumn:
    key: str
    header: str
    number: bool = False


STATUS_COLUMNS = (
    BriefColumn("contract", "Contract"),
    BriefColumn("system", "System"),
    BriefColumn("parties", "Buyer ← seller"),
    BriefColumn("ordered", "Ordered", number=True),
    BriefColumn("delivered", "Delivered", number=True),
    BriefColumn("remaining", "Remaining", number=True),
    BriefColumn("value", "Value (reported range)"),
    BriefColumn("state", "State"),
    BriefColumn("next", "Next due"),
    BriefColumn("completion", "Completion"),
)

_BASIS = {
    "completed": "complete",
    "production": "projected from output",
    "schedule": "latest due date",
    "unknown": "no date",
}


def status_rows(report: TimelineReport) -> list[dict[str, str]]:
    """One row of plain text per contract, the same for Markdown and HTML."""
    return [_row(section) for section in report.sections]


def _row(section: Section) -> dict[str, str]:
    s = section.status
    share = f" ({percent(s.percent)})" if s.percent is not None else ""
    value = s.value.human() if s.value else DASH
    reported = reported_range(s)
    c = section.completion
    state = s.state + (f", {s.overdue_milestones} overdue" if s.overdue_milestones else "")
    upcoming = s.next_milestone
    return {
        "contract": s.ref,
        "system": s.system,
        "parties": f"{s.buyer} ← {s.seller}",
        "ordered": count(s.ordered, s.unit),
        "delivered": count(s.delivered, estimate=s.delivered_estimate) + share,
        "remaining": remaining(s, unit=False),
        "value": value if reported == "none" else f"{value} ({reported})",
        "state": state,
        "next": f"{upcoming.label}, {upcoming.due.human()}" if upcoming else DASH,
        "completion": c.text if c.basis == "completed" else f"{c.text} ({_BASIS[c.basis]})",
    }


def render_status_markdown(
    report: TimelineReport, *, chart_stem: str | None = None, charts: bool = True
) -> Rendered:
    """The status table as Markdown; schedule charts as PNG files when there is a stem."""
    from tracker.reports.markdown import NO_CHARTS, chart_links, escape

    out = [f"# {escape(report.title)}", "", f"_{escape(report.when())}._", ""]
    rows = status_rows(report)
    if not rows:
        out.append("No contracts match.")
    else:
        out.append("| " + " | ".join(c.header for c in STATUS_COLUMNS) + " |")
        out.append("|" + "|".join("---:" if c.number else "---" for c in STATUS_COLUMNS) + "|")
        out += [
            "| " + " | ".join(escape(row[c.key]) for c in STATUS_COLUMNS) + " |" for row in rows
        ]
    files: dict[str, bytes] = {}
    if charts and chart_stem is None:
        out += ["", NO_CHARTS]
    elif charts and chart_stem is not None:
        for section in report.sections:
            out += chart_links(section, chart_stem, files, only="schedule")
    return Rendered("\n".join(out) + "\n", files)
