"""The trends charts: yearly volume stacked by partner, and each period's shares.

Drawn like the other charts (charts.py): the Agg canvas, fixed size, font and SVG hash
salt, no date in the metadata, so the same figures render to the same bytes.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

import matplotlib
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from tracker.domain.views.trends_models import Trends

# The other reports' settings and id prefixing: one look for every chart of the tracker.
from tracker.reports.charts import _RC, DPI, WIDTH_INCHES, _prefix_ids

_COLOURS = ("#1f4e79", "#c0504d", "#9bbb59", "#8064a2", "#f79646", "#4bacc6", "#7f7f7f")
_OTHERS = "#bfbfbf"


@dataclass(frozen=True, slots=True)
class TrendChart:
    name: str
    caption: str
    height: float
    draw: Callable[[Figure], None]


def charts_for(t: Trends) -> list[TrendChart]:
    """The yearly stacked volume, then the period shares."""
    estimated = sum(y.estimated_tiv for y in t.by_year)
    note = (
        " Hatched: even splits of a deal's TIV over its delivery years (estimates)."
        if estimated
        else ""
    )
    return [
        TrendChart(
            "trends-yearly",
            f"TIV delivered per year (millions), stacked by {t.partner_role}.{note}",
            4.2,
            partial(_draw_yearly, t=t),
        ),
        TrendChart(
            "trends-shares",
            f"Each {t.partner_role}'s share of the TIV delivered in each period.",
            1.2 + 0.5 * len(t.periods),
            partial(_draw_shares, t=t),
        ),
    ]


def _colour(n: int, name: str) -> str:
    return _OTHERS if name == "others" else _COLOURS[n % len(_COLOURS)]


def _draw_yearly(fig: Figure, t: Trends) -> None:
    ax = fig.add_subplot()
    years = [y.year for y in t.by_year]
    base = [0.0] * len(years)
    for n, partner in enumerate(t.partners):
        values = [float(y.tivs[n]) for y in t.by_year]
        ax.bar(years, values, bottom=base, color=_colour(n, partner.name), label=partner.name)
        base = [b + v for b, v in zip(base, values, strict=True)]
    estimated = [float(y.estimated_tiv) for y in t.by_year]
    if any(estimated):
        ax.bar(
            years,
            estimated,
            bottom=[b - e for b, e in zip(base, estimated, strict=True)],
            fill=False,
            hatch="///",
            edgecolor="black",
            linewidth=0,
            label="estimated",
        )
    ax.set_title("Volume delivered per year")
    ax.set_ylabel("TIV (millions)")
    ax.set_xticks(years, [str(y) for y in years], rotation=90 if len(years) > 12 else 0)
    ax.legend(loc="upper left", fontsize=8, frameon=False, ncols=4)


def _draw_shares(fig: Figure, t: Trends) -> None:
    ax = fig.add_subplot()
    rows = list(range(len(t.periods)))[::-1]
    left = [0.0] * len(rows)
    for n, partner in enumerate(t.partners):
        widths = [float(s.share or 0) for s in partner.shares]
        ax.barh(rows, widths, left=left, color=_colour(n, partner.name), label=partner.name)
        for r, lft, w in zip(rows, left, widths, strict=True):
            if w >= 6:
                ax.text(
                    lft + w / 2, r, f"{w:.0f}%", ha="center", va="center", color="white", fontsize=8
                )
        left = [a + w for a, w in zip(left, widths, strict=True)]
    ax.set_yticks(rows, [p.period.label for p in t.periods])
    ax.set_xlim(0, 100)
    ax.set_xlabel("share of the period's TIV (%)")
    ax.set_title("Shares per period")
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.35), fontsize=8, frameon=False, ncols=6)


def svg(chart: TrendChart) -> str:
    """The chart as an ``<svg>`` element for inline HTML, its ids prefixed by its name."""
    with matplotlib.rc_context({**_RC, "svg.hashsalt": chart.name}):
        fig = Figure(figsize=(WIDTH_INCHES, chart.height), dpi=DPI, layout="constrained")
        FigureCanvasAgg(fig)
        chart.draw(fig)
        out = io.StringIO()
        fig.savefig(out, format="svg", metadata={"Date": None})
    text = out.getvalue()
    return _prefix_ids(text[text.index("<svg") :], chart.name)


def png(chart: TrendChart) -> bytes:
    """The chart as PNG bytes, for a Markdown report's file beside it."""
    with matplotlib.rc_context({**_RC, "svg.hashsalt": chart.name}):
        fig = Figure(figsize=(WIDTH_INCHES, chart.height), dpi=DPI, layout="constrained")
        FigureCanvasAgg(fig)
        chart.draw(fig)
        out = io.BytesIO()
        fig.savefig(out, format="png", metadata={"Software": None})
    return out.getvalue()
