"""The joint-venture chart: cumulative output against the order and the planned milestones.

The projection continues the recent rate (see views.production) to the ordered quantity; a
second one follows the logged production plan, and the deadline is a vertical line. When a
projection lands far beyond the schedule, the axis stops a little after the last planned date
and the projection is drawn to the edge with its date written there, so the real reports are
not squeezed into a sliver.
"""

from __future__ import annotations

from datetime import date, timedelta

from matplotlib import dates as mdates
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from tracker.domain.values.quantity import count_words, plural
from tracker.domain.views import ContractProduction
from tracker.reports.chart_schedule import CURRENT, DELIVERED, PLANNED, date_axis, today_line
from tracker.reports.model import Section

PROJECTED = "#6a1b9a"
AT_PLAN = "#2e7d32"


def draw_production(fig: Figure, section: Section, jv: str, made: ContractProduction) -> None:
    ax = fig.add_subplot()
    unit = section.status.unit
    signed = section.status.signed.latest
    as_of = section.schedule.as_of
    xs = [p.date.latest for p in made.points]
    ys = [p.cumulative for p in made.points]
    _reported(ax, made)
    if made.points:
        last = made.points[-1]
        shown = last.estimate.as_written if last.estimate is not None else f"{ys[-1]:,}"
        ax.annotate(
            f"{shown} made by {last.date.human()}",
            (_x(xs[-1]), ys[-1]),
            xytext=(-6, 10),
            textcoords="offset points",
            ha="right",
            fontsize=8,
            color=DELIVERED,
        )
    end = _axis_end(section, made, as_of)
    if made.target is not None:
        ax.axhline(made.target, color=PLANNED, lw=1, ls="-.", zorder=1)
        ax.annotate(
            f"ordered: {count_words(made.target, unit)}",
            (0.01, made.target),
            xycoords=("axes fraction", "data"),
            xytext=(0, 4),
            textcoords="offset points",
            fontsize=8,
            color=PLANNED,
        )
    start = min([signed, *xs]) - timedelta(days=120)
    _planned(ax, section, start, end)
    if made.projected_completion is not None and made.target is not None and made.points:
        _projection(ax, (xs[-1], ys[-1]), (made.projected_completion, made.target), end)
    at_plan = made.projected_completion_at_plan
    if at_plan is not None and made.target is not None:
        start_point = (xs[-1], ys[-1]) if made.points else (as_of, 0)
        _projection(ax, start_point, (at_plan, made.target), end, "at the planned rate", AT_PLAN)
    if made.deadline is not None:
        ax.axvline(_x(made.deadline.latest), color=PLANNED, lw=1, ls=":", zorder=1)
        ax.annotate(
            f"deadline {made.deadline.human()}",
            (_x(made.deadline.latest), 0.02),
            xycoords=("data", "axes fraction"),
            xytext=(-4, 0),
            textcoords="offset points",
            ha="right",
            fontsize=8,
            color=PLANNED,
        )
    today_line(ax, as_of)
    date_axis(ax, start, end)
    ax.set_ylim(0, max(made.target or 0, made.cumulative) * 1.1 or 1)
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:,.0f}"))
    ax.set_ylabel(f"cumulative {plural(unit)}")
    ax.set_title(f"{jv}: output for {section.ref} against the order")
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.08), ncol=4, frameon=False, fontsize=8)


def _reported(ax: Axes, made: ContractProduction) -> None:
    """The reported totals as a line: exact ones as filled dots, estimates ('~48,000', a
    range, a bound) as hollow dots with a bar over their stated bounds, never as exact."""
    xs = [_x(p.date.latest) for p in made.points]
    ys = [p.cumulative for p in made.points]
    ax.plot(xs, ys, "-", color=DELIVERED, lw=2, zorder=3)
    exact = [(x, p.cumulative) for x, p in zip(xs, made.points, strict=True) if not p.estimate]
    if exact:
        ex, ey = zip(*exact, strict=True)
        ax.plot(ex, ey, "o", color=DELIVERED, ms=6, zorder=4, label="reported")
    for x, p in zip(xs, made.points, strict=True):
        if p.estimate is None:
            continue
        low, high = p.estimate.low, p.estimate.high
        below = p.cumulative - low if low is not None else 0
        above = high - p.cumulative if high is not None else 0
        ax.errorbar(x, p.cumulative, yerr=[[below], [above]], color=DELIVERED, capsize=3, lw=1)
    estimated = [(x, p.cumulative) for x, p in zip(xs, made.points, strict=True) if p.estimate]
    if estimated:
        hx, hy = zip(*estimated, strict=True)
        ax.plot(hx, hy, "o", mfc="white", mec=DELIVERED, mew=1.6, ms=7, zorder=5, label="estimate")


def _planned(ax: Axes, section: Section, start: date, end: date) -> None:
    """Each milestone's current due date at the cumulative quantity it should bring."""
    total = 0
    # Labels go right of their marker, or left of it near the right edge.
    edge = end - (end - start) * 0.3
    for i, m in enumerate(section.schedule.milestones):
        total += m.quantity
        ax.plot(
            _x(m.due.latest),
            total,
            "D",
            mfc="white",
            mec=CURRENT,
            mew=1.6,
            ms=7,
            zorder=3,
            label="planned (current due date)" if i == 0 else None,
        )
        left = m.due.latest > edge
        ax.annotate(
            f"{total:,} due {m.due.human()}",
            (_x(m.due.latest), total),
            xytext=(-9, -12) if left else (7, 5),
            textcoords="offset points",
            ha="right" if left else "left",
            va="center" if left else "bottom",
            fontsize=8,
            color=CURRENT,
        )


def _projection(
    ax: Axes,
    start: tuple[date, int],
    done: tuple[date, int],
    end: date,
    basis: str = "at the recent rate",
    color: str = PROJECTED,
) -> None:
    (x0, y0), (x1, y1) = start, done
    label = f"{basis}: complete {x1.day} {x1:%b %Y}"
    if x1 > end:
        # Stop at the axis edge, on the same straight line, and say where it would end.
        y1 = round(y0 + (y1 - y0) * (end - x0).days / (x1 - x0).days)
        x1 = end
        ax.annotate(
            label + " →",
            (_x(x1), y1),
            xytext=(-4, 10),
            textcoords="offset points",
            ha="right",
            fontsize=8,
            color=color,
        )
    ax.plot([_x(x0), _x(x1)], [y0, y1], color=color, lw=1.5, ls="--", label=label)


def _axis_end(section: Section, made: ContractProduction, as_of: date) -> date:
    """A year past the last planned or reported date; without a plan, up to ten years out."""
    planned = [m.due.latest for m in section.schedule.milestones]
    if made.deadline is not None:
        planned.append(made.deadline.latest)
    if made.projected_completion_at_plan is not None:
        planned.append(made.projected_completion_at_plan)
    last = max([as_of, *planned, *(p.date.latest for p in made.points)])
    if made.projected_completion is not None and not planned:
        last = max(last, min(made.projected_completion, as_of + timedelta(days=3650)))
    return last + timedelta(days=365)


def _x(day: date) -> float:
    return float(mdates.date2num(day))
