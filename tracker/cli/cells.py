"""Table cells for the read views: short, dated at their precision, wrapped to 80 columns.

Only the table and Markdown formats use these; JSON and CSV carry the view models' own keys.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from tracker.cli.output import Column

if TYPE_CHECKING:
    from tracker.domain.values.dates import FuzzyDate
    from tracker.domain.values.estimates import Estimate
    from tracker.domain.values.money import Money
    from tracker.domain.views import (
        AgreementView,
        ContractProduction,
        ContractStatus,
        MilestoneStatus,
    )

DASH = "—"

# Widths in table mode: each table's add up to 80 with the 3 characters between columns.
# The status table reads left to right in the order a person asks: which deal (ref, who,
# what, for how much), how far delivered, its state, what is due next. A long ref (SIPRI's
# run to 40 characters) widens the first column; the others give up the room.
STATUS_COLUMNS = [
    Column("contract", "Contract", max_width=30, atom=True),
    Column("delivered", "Delivered", max_width=13),
    Column("state", "State", max_width=10, min_width=10),
    Column("next", "Next due", max_width=15, min_width=11),
]
SCHEDULE_COLUMNS = [
    Column("label", "Milestone", max_width=12),
    Column("quantity", "Qty", right=True, max_width=7),
    Column("due", "Due", max_width=17),
    Column("delivered", "Delivered", max_width=9),
    Column("state", "State", max_width=23),
]
HISTORY_COLUMNS = [
    Column("label", "Milestone", max_width=11),
    Column("reported", "Reported", max_width=11),
    Column("due", "Due", max_width=15),
    Column("reason", "Why", max_width=34),
]
# Line n of 'Per month' goes with line n of 'Done by': recent, planned, needed (the deadline).
PRODUCTION_COLUMNS = [
    Column("contract", "Contract", max_width=16, atom=True),
    Column("made", "Made", right=True, max_width=10),
    Column("rate", "Per month", right=True, max_width=14),
    Column("last", "Last report", max_width=13),
    Column("done", "Done by", max_width=15),
]
AGREEMENT_COLUMNS = [
    Column("ref", "Agreement", max_width=20, atom=True),
    Column("parties", "Parties", max_width=14),
    Column("signed", "Signed", max_width=11),
    Column("valid", "In force", max_width=13),
    Column("state", "State", max_width=10),
]


def human(value: FuzzyDate | None) -> str:
    return value.human() if value is not None else DASH


def status_row(s: ContractStatus) -> dict[str, str]:
    upcoming = s.next_milestone
    next_due = f"{upcoming.label}\n{upcoming.due.human()}" if upcoming else DASH
    made = f"\n{_shown(s.produced, s.produced_estimate)} made" if s.produced is not None else ""
    state = s.state + (f"\n{s.overdue_milestones} overdue" if s.overdue_milestones else "")
    return {
        "contract": contract_cell(s),
        "delivered": _delivered(s) + made,
        "state": state,
        "next": next_due,
    }


def contract_cell(s: ContractStatus) -> str:
    """The ref, 'buyer ← seller', the system, then the value and the ranges sources
    reported, if any ('value USD 5 bn', 'reported USD 5–5.5 bn,', 'INR 400 bn')."""
    value, *reported = _value(s).split("\n")
    lines = [s.ref, f"{s.buyer} ← {s.seller}", s.system]
    if value != DASH:
        lines.append(f"value {value}")
    if reported:
        ranges = reported[1:]  # after 'reported'
        lines += [f"reported {ranges[0]}", *ranges[1:]]
        lines[-len(ranges) : -1] = [line + "," for line in lines[-len(ranges) : -1]]
    return "\n".join(lines)


def status_csv_row(s: ContractStatus, *, as_of: bool = False) -> dict[str, Any]:
    """A status as plain CSV cells: money as 'USD 5000000000', lists joined with '; '. In
    a view as of a day (``as_of``), a last cell: up to how many may have been delivered."""
    upcoming = s.next_milestone
    possible = {"delivered_possible": s.delivered_possible} if as_of else {}
    return {
        **{k: getattr(s, k) for k in ("ref", "system", "description", "buyer", "seller")},
        "signed": str(s.signed),
        **{k: getattr(s, k) for k in ("ordered", "delivered", "produced", "remaining", "unit")},
        "percent": s.percent,
        "value": _money(s.value),
        "value_reports": [f"{_money(r.value)} ({r.sources})" for r in s.value_reports],
        "value_range": [f"{_money(r.min)} to {_money(r.max)}" for r in s.value_range.values()],
        "quantity_reports": [f"{r.quantity} ({r.sources})" for r in s.quantity_reports],
        "state": s.state,
        "last_delivery": None if s.last_delivery is None else str(s.last_delivery),
        "next_milestone": upcoming.label if upcoming else None,
        "next_due": str(upcoming.due) if upcoming else None,
        "overdue_milestones": s.overdue_milestones,
        "as_of": s.as_of,
        "delivered_estimate": _written(s.delivered_estimate),
        "produced_estimate": _written(s.produced_estimate),
        **possible,
    }


def _written(estimate: Estimate | None) -> str | None:
    return None if estimate is None else estimate.as_written


def history_csv(m: MilestoneStatus) -> list[str]:
    """A milestone's due dates as CSV has them: 'by 2023 (reported 2021-10-05: why)'."""
    return [
        f"{h.due} (reported {h.reported}{': ' + h.reason if h.reason else ''})" for h in m.history
    ]


def _money(m: Money | None) -> str | None:
    return None if m is None else f"{m.currency} {m.amount}"


def _delivered(s: ContractStatus) -> str:
    """'1 of 5', the unit in the plural the larger figure takes, then the share left."""
    from tracker.domain.values.quantity import plural, units

    delivered = _shown(s.delivered, s.delivered_estimate)
    # As of a day: deliveries dated across it (a year) may have come by then, or not.
    maybe = "" if s.delivered_possible is None else f"\nup to {s.delivered_possible:,}"
    if s.ordered is None or s.remaining is None:
        return f"{delivered} of ?{maybe}\n{plural(s.unit)}\nordered unknown"
    left = f"~{s.remaining:,}" if s.delivered_estimate else f"{s.remaining:,}"
    return (
        f"{delivered} of {s.ordered:,}{maybe}\n{units(s.ordered, s.unit)}\n"
        f"{_percent(s.percent)}, {left} left"
    )


def _shown(best: int, estimate: Estimate | None) -> str:
    """A total as the view gives it: '48,000', or '~48,000' when a report was not exact."""
    return estimate.as_written if estimate is not None else f"{best:,}"


def milestone_row(m: MilestoneStatus) -> dict[str, str]:
    """Due now, and if it moved, the first due date and by how much ('+2 years 5 months')."""
    due = m.due.human()
    if m.moved_days:
        span = m.moved_words.split(" later")[0].split(" earlier")[0]
        due += f"\nfirst {m.original_due.human()}\n{'+' if m.moved_days > 0 else '-'}{span}"
    return {
        "label": m.label,
        "quantity": f"{m.quantity:,}",
        "due": due,
        "delivered": human(m.delivered),
        "state": m.state if m.state == "on time" else f"{m.state}\n{m.slip_words}",
    }


def history_rows(m: MilestoneStatus) -> list[dict[str, str]]:
    """One row per due date a milestone has had; the first names the milestone."""
    return [
        {
            "label": m.label if i == 0 else "",
            "reported": entry.reported.human(),
            "due": entry.due.human(),
            "reason": entry.reason or ("first plan" if i == 0 else DASH),
        }
        for i, entry in enumerate(m.history)
    ]


def production_row(jv: str, c: ContractProduction) -> dict[str, str]:
    """Made of how many; the recent, planned and needed rates beside the completion each
    gives (the needed one beside the deadline); the last report and its age."""
    target = f"\nof {c.target:,}" if c.target is not None else ""
    local = f"\n{_percent(c.indigenisation_percent)} local" if c.indigenisation_percent else ""
    last = DASH
    if c.last_report is not None and c.days_since_last_report is not None:
        last = f"{c.last_report.human()}\n{age_words(c.days_since_last_report)}"
    rates = (
        f"{_rate(c.rate_per_month)} recent",
        f"{_rate(c.planned_rate_per_month)} planned",
        f"{_rate(c.required_rate_per_month)} needed",
    )
    done = (
        "complete" if c.complete else _day(c.projected_completion),
        "" if c.complete else _day(c.projected_completion_at_plan),
        f"due {c.deadline.human()}" if c.deadline is not None else DASH,
    )
    return {
        "contract": f"{c.contract}\n{jv}",
        "made": f"{_shown(c.cumulative, c.cumulative_estimate)}{target}{local}",
        "rate": "\n".join(rates),
        "last": last,
        "done": "\n".join(done),
    }


def age_words(days: int) -> str:
    """'12 days ago' under two months, else in whole (mean) months: '15 months ago'."""
    if days < 60:
        return "today" if days == 0 else f"{days} day{'s' if days != 1 else ''} ago"
    return f"{round(days / 30.436875)} months ago"


def _rate(value: int | None) -> str:
    return DASH if value is None else f"{value:,}"


def agreement_row(a: AgreementView) -> dict[str, str]:
    start = a.valid_from.human() if a.valid_from else "…"
    end = a.valid_to.human() if a.valid_to else "…"
    extended = f"\nextended ×{len(a.extensions)}" if a.extensions else ""
    return {
        "ref": f"{a.ref}\n{a.title}",
        "parties": ", ".join(a.parties),
        "signed": a.signed.human(),
        "valid": f"{start} – {end}{extended}",
        "state": a.state,
    }


def money_range(low: Money, high: Money) -> str:
    """'USD 5–5.5 bn' when both ends share a scale, else 'USD 5 m–1.2 bn'."""
    if low == high:
        return low.human()
    lo, hi = low.human().split(" ", 1)[1], high.human().split(" ", 1)[1]
    lo_num, _, lo_word = lo.partition(" ")
    hi_num, _, hi_word = hi.partition(" ")
    if lo_word == hi_word:
        return f"{low.currency} {lo_num}–{hi_num}{' ' + hi_word if hi_word else ''}"
    return f"{low.currency} {lo}–{hi}"


def _value(s: ContractStatus) -> str:
    """The contract value, then the range sources reported if it differs from that value."""
    lines = [s.value.human() if s.value is not None else DASH]
    home = s.value.currency if s.value is not None else ""
    ranges = sorted(s.value_range.values(), key=lambda r: (r.min.currency != home, r.min.currency))
    reported = [
        money_range(r.min, r.max)
        for r in ranges
        if s.value is None or r.min != r.max or r.min != s.value
    ]
    if reported:
        lines += ["reported", *reported]
    return "\n".join(lines)


def _percent(value: Decimal | None) -> str:
    if value is None:
        return ""
    text = f"{value:f}".rstrip("0").rstrip(".") if "." in f"{value:f}" else f"{value:f}"
    return f"{text}%"


def _day(value: Any) -> str:
    if value is None:
        return DASH
    return f"{value.day} {value.strftime('%b')} {value.year}"
