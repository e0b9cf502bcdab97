"""Trends as a report: plain text, Markdown (charts as PNG files beside it), CSV and JSON.

The same table, notes and figures as ``tracker trends``, rendered to strings so that
``tracker report trends`` writes them whole, like the other reports.
"""

from __future__ import annotations

import csv
import io
import json
from urllib.parse import quote

from tracker.domain.views.trends_models import Trends
from tracker.reports.markdown import escape
from tracker.reports.model import Rendered
from tracker.reports.trends import _CSV_KEYS, as_json, csv_rows, labels, notes, table_rows, title


def render_trends_text(t: Trends, *, scope: list[str]) -> str:
    """The title, the scope, an aligned table (numbers right-aligned) and the notes."""
    head = [t.partner_role.capitalize(), *labels(t)]
    body = [
        [row["partner"], *(row[f"p{n}"] for n in range(len(t.periods)))] for row in table_rows(t)
    ]
    widths = [max(len(r[i]) for r in [head, *body]) for i in range(len(head))]

    def line(cells: list[str]) -> str:
        first = cells[0].ljust(widths[0])
        rest = (c.rjust(w) for c, w in zip(cells[1:], widths[1:], strict=True))
        return "  ".join([first, *rest]).rstrip()

    out = [title(t), *(["Showing " + "; ".join(scope) + "."] if scope else []), ""]
    out += [line(head), "  ".join("-" * w for w in widths)]
    out += [line(r) for r in body]
    return "\n".join([*out, "", *notes(t)]) + "\n"


def render_trends_markdown(
    t: Trends, *, scope: list[str], chart_stem: str | None = None, charts: bool = True
) -> Rendered:
    """A Markdown table and notes; with ``chart_stem``, the charts as PNG files beside it."""
    out = [f"# {escape(title(t))}", ""]
    if scope:
        out += [escape("Showing " + "; ".join(scope) + "."), ""]
    head = [escape(t.partner_role.capitalize()), *labels(t)]
    out += ["| " + " | ".join(head) + " |", "|---" + "|--:" * len(t.periods) + "|"]
    for row in table_rows(t):
        cells = [row["partner"], *(row[f"p{n}"] for n in range(len(t.periods)))]
        out.append("| " + " | ".join(escape(c) for c in cells) + " |")
    out += [""] + [f"- {escape(n.strip())}" for n in notes(t)]
    files: dict[str, bytes] = {}
    if charts and chart_stem is not None and any(p.tiv for p in t.periods):
        from tracker.reports import chart_trends  # matplotlib: only when drawing

        for chart in chart_trends.charts_for(t):
            name = f"{chart_stem}-{chart.name}.png"
            files[name] = chart_trends.png(chart)
            out += ["", f"![{escape(chart.caption)}]({quote(name)})"]
    return Rendered("\n".join(out) + "\n", files)


def render_trends_csv(t: Trends) -> str:
    """Long form, as ``tracker trends --format csv``: a row per partner and period."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, _CSV_KEYS, lineterminator="\n")
    writer.writeheader()
    for row in csv_rows(t):
        writer.writerow({k: "" if v is None else v for k, v in row.items()})
    return buffer.getvalue()


def render_trends_json(t: Trends) -> str:
    """The figures as ``tracker trends --format json`` gives them."""
    return json.dumps(as_json(t), indent=2, ensure_ascii=False) + "\n"
