"""The status table's cells and layout as tracker.cli.cells and tracker.cli.output make them,
without the domain's pydantic quantity module (for the plural of a unit) and never with rich:
a table grid.draw cannot draw the way rich would is left to the full path.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, cast

from tracker.cli.cells import DASH, _percent, _shown, contract_cell
from tracker.cli.grid import draw
from tracker.cli.output import Column, fitted
from tracker.cli.quick.errors import Unhandled
from tracker.cli.quick.views import Status
from tracker.domain.values.units import plural
from tracker.inert import inert

if TYPE_CHECKING:
    from tracker.domain.views import ContractStatus


def status_row(s: Status) -> dict[str, str]:
    """tracker.cli.cells.status_row of the same contract."""
    upcoming = s.next_milestone
    next_due = f"{upcoming.label}\n{upcoming.due.human()}" if upcoming else DASH
    made = ""
    if s.produced is not None:
        made = f"\n{_shown(s.produced, cast(Any, s.produced_estimate))} made"
    state = s.state + (f"\n{s.overdue_milestones} overdue" if s.overdue_milestones else "")
    return {
        "contract": contract_cell(cast("ContractStatus", s)),
        "delivered": _delivered(s) + made,
        "state": state,
        "next": next_due,
    }


def _delivered(s: Status) -> str:
    delivered = _shown(s.delivered, cast(Any, s.delivered_estimate))
    if s.ordered is None or s.remaining is None:
        return f"{delivered} of ?\n{plural(s.unit)}\nordered unknown"
    left = f"~{s.remaining:,}" if s.delivered_estimate else f"{s.remaining:,}"
    unit = s.unit if s.ordered == 1 else plural(s.unit)
    return f"{delivered} of {s.ordered:,}\n{unit}\n{_percent(s.percent)}, {left} left"


def table(
    rows: Sequence[Mapping[str, Any]], columns: Sequence[Column], title: str, empty: str
) -> str:
    """tracker.cli.output._table for a file or a pipe (80 columns), drawn by grid.draw."""
    if not rows:
        return empty
    widths = fitted(columns, rows, 80)
    cells = [
        [_wrapped(inert(c.text(row)), w) for c, w in zip(columns, widths, strict=True)]
        for row in rows
    ]
    headers, right = [c.header for c in columns], [c.right for c in columns]
    drawn = draw(headers, right, widths, cells, title, 80)
    if drawn is None:
        raise Unhandled("a table only rich draws")
    return drawn


def _wrapped(text: str, width: int | None) -> str:
    """tracker.cli.output._wrapped: textwrap only for the lines it would change."""
    if width is None:
        return text
    lines = text.split("\n")
    if all(_fits(line, width) for line in lines):
        return text
    return "\n".join(part for line in lines for part in _wrap(line, width))


def _fits(line: str, width: int) -> bool:
    """True when textwrap.wrap(line, width) is [line]: it fits, holds no whitespace but the
    plain space (str.isprintable refuses every other), and no trailing space to drop."""
    return len(line) <= width and line.isprintable() and not line.endswith(" ")


def _wrap(line: str, width: int) -> list[str]:
    if _fits(line, width):
        return [line]
    import textwrap

    return textwrap.wrap(line, width) or [""]
