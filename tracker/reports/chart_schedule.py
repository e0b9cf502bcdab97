"""The schedule chart: one row per milestone, each due date it had, and the delivery.

Revisions step down the row in the order they were reported, joined by arrows, so a
promise that kept moving reads as a staircase. Fuzzy dates are drawn on their last
possible day (as the schedule judges them), with a thin bar over the span a month, quarter
or year covers.
"""

from __future__ import annotations

from datetime import date, timedelta
from itertools import pairwise

from matplotlib import dates as mdates
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from tracker.domain.values.dates import NO_BOUND, FuzzyDate
from tracker.domain.values.quantity import count_words
from tracker.domain.views import MilestoneStatus, ScheduleView

PLANNED = "#7a7a7a"
CURRENT = "#d9730d"
DELIVERED = "#2e7d32"
OVERDUE = "#c62828"
TODAY = "#1f4e79"


def draw_schedule(fig: Figure, schedule: ScheduleView, signed: FuzzyDate) -> None:
    ax = fig.add_subplot()
    rows = schedule.milestones
    for row, milestone in enumerate(rows):
        _milestone(ax, row, milestone, schedule.as_of)
    ticks = [f"{m.label}\n({count_words(m.quantity, schedule.unit)})" for m in rows]
    ax.set_yticks(range(len(rows)), ticks)
    ax.set_ylim(len(rows) - 0.5, -0.5)
    for row in range(1, len(rows)):
        ax.axhline(row - 0.5, color="#e6e6e6", lw=0.8, zorder=0)
    today_line(ax, schedule.as_of)
    span = _span(rows, schedule.as_of, signed)
    date_axis(ax, *span)
    ax.set_title(f"{schedule.contract}: planned milestones against deliveries")
    ax.legend(
        handles=_legend(schedule.as_of),
        loc="upper center",
        bbox_to_anchor=(0.5, -0.08),
        ncol=5,
        frameon=False,
        fontsize=8,
    )


def _milestone(ax: Axes, row: int, m: MilestoneStatus, as_of: date) -> None:
    dues = [h.due for h in m.history] or [m.due]
    step = min(0.13, 0.62 / max(len(dues) - 1, 1))
    top = row - step * (len(dues) - 1) / 2
    points = [(_x(d.latest), top + i * step) for i, d in enumerate(dues)]
    for i, (due, (x, y)) in enumerate(zip(dues, points, strict=True)):
        last = i == len(dues) - 1
        colour = CURRENT if last else PLANNED
        if due.earliest is not None and due.earliest != due.latest:
            ax.plot([_x(due.earliest), x], [y, y], color=colour, lw=1.2, alpha=0.45)
        ax.plot(x, y, "D", ms=7 if last else 5.5, mfc="white", mec=colour, mew=1.6, zorder=3)
    for (x0, y0), (x1, y1) in pairwise(points):
        ax.annotate(
            "",
            xy=(x1, y1),
            xytext=(x0, y0),
            arrowprops={"arrowstyle": "->", "color": CURRENT, "lw": 1.0, "shrinkA": 4},
        )
    # One label per row, right of everything drawn in it, so it never hides a marker.
    right = max(x for x, _ in points)
    if m.delivered is not None:
        right = max(right, _delivery(ax, row, m.delivered))
        late = "" if m.state == "on time" else f", {m.slip_words}"
        _label(ax, right, row, f"delivered {m.delivered.human()}{late}", DELIVERED)
        return
    x_due, y_due = points[-1]
    if m.state == "overdue":
        ax.plot([x_due, _x(as_of)], [y_due, y_due], color=OVERDUE, lw=1.6, ls=":")
        right = max(right, _x(as_of))
        _label(ax, right, y_due, f"due {m.due.human()}, {m.slip_words}", OVERDUE)
    else:
        _label(ax, right, y_due, f"due {m.due.human()}", CURRENT)


def _delivery(ax: Axes, row: int, when: FuzzyDate) -> float:
    """Draw a delivery; return the x of its marker."""
    x = _x(when.latest)
    if when.earliest is not None and when.earliest != when.latest:
        ax.plot([_x(when.earliest), x], [row, row], color=DELIVERED, lw=5, alpha=0.35)
    ax.plot(x, row, "o", ms=8, color=DELIVERED, zorder=4)
    return x


def _label(ax: Axes, x: float, y: float, text: str, colour: str) -> None:
    ax.annotate(
        text,
        (x, y),
        xytext=(9, 0),
        textcoords="offset points",
        va="center",
        fontsize=8,
        color=colour,
    )


def today_line(ax: Axes, as_of: date) -> None:
    """A dashed vertical line at the report's date (the legend names it)."""
    ax.axvline(_x(as_of), color=TODAY, lw=1, ls="--", zorder=1, label=as_of_words(as_of))


def as_of_words(as_of: date) -> str:
    return f"as of {as_of.day} {as_of:%b %Y}"


def date_axis(ax: Axes, start: date, end: date) -> None:
    """Years on the x axis from ``start`` to ``end``; the labels leave room on the right."""
    ax.set_xlim(_x(start), _x(end))
    locator = mdates.AutoDateLocator(minticks=4, maxticks=12)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
    ax.grid(axis="x", color="#eeeeee", lw=0.8, zorder=0)


def _span(rows: tuple[MilestoneStatus, ...], as_of: date, signed: FuzzyDate) -> tuple[date, date]:
    days = [as_of, signed.latest]
    for m in rows:
        days += [h.due.latest for h in m.history] + [m.due.latest]
        days += [h.due.earliest for h in m.history if h.due.earliest]
        if m.delivered is not None:
            days += [m.delivered.latest, m.delivered.earliest or m.delivered.latest]
    # A due date not yet known (relative to an event still to come) has no day to show.
    days = [d for d in days if d != NO_BOUND]
    first, last = min(days), max(days)
    # Room on the right for the labels beside the last markers.
    return first - timedelta(days=120), last + timedelta(days=max(500, (last - first).days // 3))


def _legend(as_of: date) -> list[Line2D]:
    def marker(shape: str, label: str, **style: object) -> Line2D:
        return Line2D([], [], marker=shape, ls="", label=label, **style)  # type: ignore[arg-type]

    return [
        marker("D", "earlier due date", mfc="white", mec=PLANNED, mew=1.6),
        marker("D", "current due date", mfc="white", mec=CURRENT, mew=1.6),
        marker("o", "delivered", color=DELIVERED),
        Line2D([], [], color=OVERDUE, ls=":", lw=1.6, label="overdue since the due date"),
        Line2D([], [], color=TODAY, ls="--", lw=1, label=as_of_words(as_of)),
    ]


def _x(day: date) -> float:
    return float(mdates.date2num(day))
