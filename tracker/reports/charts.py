"""Charts drawn with matplotlib: schedules as promises that moved, and joint-venture output.

Import this module only when a report draws charts: matplotlib takes most of a second to
load, and ``tracker --help``, ``status`` and ``log`` must not pay for it. Figures are drawn
on the Agg canvas (no pyplot, no GUI), with a fixed size, dpi, font and SVG hash salt and
no date in the metadata, so the same data renders to the same bytes every time.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from typing import Any, Literal

import matplotlib
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from tracker.reports.chart_production import draw_production
from tracker.reports.chart_schedule import draw_schedule
from tracker.reports.model import Section

WIDTH_INCHES = 9.0
DPI = 100

# Keyed by plain strings: matplotlib's stubs type rc keys as one long Literal.
_RC: dict[Any, Any] = {
    "font.family": "DejaVu Sans",  # shipped with matplotlib: the same glyphs everywhere
    "font.size": 9,
    "axes.titlesize": 11,
    "axes.titleweight": "bold",
    "axes.titlelocation": "left",
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": False,
    "date.epoch": "1970-01-01T00:00:00",
    "figure.dpi": DPI,
    "savefig.dpi": DPI,
    "svg.fonttype": "path",  # glyphs as paths: no font is fetched or needed to show it
    "svg.image_inline": True,
}


@dataclass(frozen=True, slots=True)
class Chart:
    """A figure to draw: ``name`` is safe in a file name and unique within a report."""

    name: str
    kind: Literal["schedule", "production"]
    caption: str
    height: float
    draw: Callable[[Figure], None]


def charts_for(section: Section) -> list[Chart]:
    """The schedule chart (when there are milestones), then one per joint venture's output."""
    found: list[Chart] = []
    schedule = section.schedule
    if schedule.milestones:
        found.append(
            Chart(
                name=f"{section.ref}-schedule",
                kind="schedule",
                caption=(
                    f"{section.ref}: each milestone's due dates as they were revised (hollow"
                    " diamonds, joined in the order reported) against the deliveries (filled)"
                ),
                height=1.9 + 0.62 * len(schedule.milestones),
                draw=partial(draw_schedule, schedule=schedule, signed=section.status.signed),
            )
        )
    for jv, made in section.production:
        found.append(
            Chart(
                name=f"{section.ref}-production-{jv}",
                kind="production",
                caption=f"{jv}: cumulative output for {section.ref} against the order"
                " and the planned milestones, with the completion its recent rate projects",
                height=4.2,
                draw=partial(draw_production, section=section, jv=jv, made=made),
            )
        )
    return found


def svg(chart: Chart) -> str:
    """The chart as an ``<svg>`` element for inline HTML, its ids prefixed by its name."""
    with _figure(chart) as fig:
        out = io.StringIO()
        fig.savefig(out, format="svg", metadata={"Date": None})
    text = out.getvalue()
    return _prefix_ids(text[text.index("<svg") :], chart.name)


def png(chart: Chart) -> bytes:
    with _figure(chart) as fig:
        out = io.BytesIO()
        fig.savefig(out, format="png", metadata={"Software": None})
    return out.getvalue()


@contextmanager
def _figure(chart: Chart) -> Iterator[Figure]:
    # rc settings apply both when artists are made and when the file is written.
    with matplotlib.rc_context({**_RC, "svg.hashsalt": chart.name}):
        fig = Figure(figsize=(WIDTH_INCHES, chart.height), dpi=DPI, layout="constrained")
        FigureCanvasAgg(fig)
        chart.draw(fig)
        yield fig


_ID = re.compile(r'\bid="([^"]+)"')


def _prefix_ids(text: str, prefix: str) -> str:
    """Make every id unique to this chart, so several charts can share one HTML page."""
    ids = set(_ID.findall(text))
    if not ids:
        return text

    def rename(match: re.Match[str]) -> str:
        name = match.group(2)
        return f"{match.group(1)}{prefix}-{name}" if name in ids else match.group(0)

    return re.sub(r'(id="|#)([^"\s)]+)', rename, text)
