"""Trends in every format: the shares table, flat CSV rows, JSON, notes and one HTML page.

Every output says the same three things beside the numbers: which SIPRI release(s) the
figures come from, which of them are even splits of a deal's TIV over its delivery years
(estimates, marked ``*``), and which deals of the record these figures leave out.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from tracker.domain.views.trends_models import OTHERS, Trends

ESTIMATE_MARK = "*"


def title(t: Trends) -> str:
    """'India: arms imports by supplier, in SIPRI TIV'."""
    if t.side == "recipient":
        return f"{t.party}: arms imports by supplier, in SIPRI TIV"
    if t.side == "supplier":
        return f"{t.party}: arms exports by recipient, in SIPRI TIV"
    return "World: arms exports by supplier, in SIPRI TIV"


def labels(t: Trends) -> list[str]:
    return [p.period.label for p in t.periods]


def table_rows(t: Trends) -> list[dict[str, str]]:
    """One row per partner (then others), then total, change and share of the world; a
    column per period ('p0', 'p1', ...): share and rank, ``*`` where estimates count."""
    rows = []
    for partner in t.partners:
        row = {"partner": partner.name}
        for n, s in enumerate(partner.shares):
            rank = f" ({s.rank})" if s.rank else ""
            row[f"p{n}"] = f"{percent(s.share)}{rank}{_mark(s.estimated_tiv)}" if s.tiv else "-"
        rows.append(row)
    rows.append(
        {"partner": "Total (TIV m)"} | _cells(t, lambda p: tiv(p.tiv) + _mark(p.estimated_tiv))
    )
    rows.append({"partner": "Change"} | _cells(t, lambda p: signed(p.change)))
    if t.side != "world":
        rows.append({"partner": "Share of world"} | _cells(t, lambda p: percent(p.world_share)))
    return rows


def _cells(t: Trends, show: Any) -> dict[str, str]:
    return {f"p{n}": show(p) for n, p in enumerate(t.periods)}


def notes(t: Trends) -> list[str]:
    """What the figures rest on and what they leave out, one sentence each."""
    said = [
        "Source: " + ("; ".join(t.releases) if t.releases else "no SIPRI release") + ".",
        f"Shares of the TIV of weapons delivered; ranks among all {t.partner_role}s in the period.",
    ]
    if any(p.estimated_tiv for p in t.periods):
        said.append(
            f"{ESTIMATE_MARK} includes estimates: a deal's delivered TIV split evenly over the"
            " years SIPRI lists (its release gives no yearly figures)."
        )
    if t.no_tiv:
        said.append(f"{t.no_tiv} yearly deliveries have no TIV in SIPRI's data; left out.")
    if t.outside:
        said.append("In the record, not in these figures (not from a SIPRI release):")
        said += [f"  {describe_outside(o)}" for o in t.outside]
    return said


def describe_outside(o: Any) -> str:
    years = ", ".join(str(y) for y in o.years)
    number = f"{o.delivered} delivered" if o.delivered is not None else "deliveries"
    return f"{o.ref}: {o.supplier} -> {o.recipient}, {o.designation}, {number} in {years}"


def as_json(t: Trends) -> dict[str, Any]:
    """Numbers as JSON numbers (TIV in millions, shares and changes in percent)."""
    return {
        "subject": {"side": t.side, "party": t.party, "partners_are": t.partner_role},
        "periods": [
            {
                "period": p.period.label,
                "first": p.period.first,
                "last": p.period.last,
                "tiv": _num(p.tiv),
                "estimated_tiv": _num(p.estimated_tiv),
                "change_pct": _num(p.change),
                "world_tiv": _num(p.world_tiv),
                "world_share_pct": _num(p.world_share),
                "partners": p.partners,
            }
            for p in t.periods
        ],
        "partners": [
            {
                "name": partner.name,
                "others": partner.name == OTHERS,
                "periods": [
                    {
                        "period": p.period.label,
                        "tiv": _num(s.tiv),
                        "estimated_tiv": _num(s.estimated_tiv),
                        "share_pct": _num(s.share),
                        "rank": s.rank,
                    }
                    for p, s in zip(t.periods, partner.shares, strict=True)
                ],
            }
            for partner in t.partners
        ],
        "releases": list(t.releases),
        "deliveries_without_tiv": t.no_tiv,
        "not_in_figures": [o.model_dump(mode="json") for o in t.outside],
    }


def csv_rows(t: Trends) -> list[dict[str, Any]]:
    """Long form: one row per partner and period, then each period's total, then the
    record's deals these figures leave out; every row names the release(s)."""
    releases = "; ".join(t.releases)
    rows: list[dict[str, Any]] = []
    for partner in t.partners:
        for p, s in zip(t.periods, partner.shares, strict=True):
            kind = "others" if partner.name == OTHERS else "partner"
            rows.append(
                _csv(kind, p.period.label, partner.name, s.rank, s.tiv, s.estimated_tiv)
                | {"share_pct": _num(s.share), "releases": releases}
            )
    for p in t.periods:
        rows.append(
            _csv("total", p.period.label, t.party or "World", None, p.tiv, p.estimated_tiv)
            | {"share_pct": _num(p.world_share), "change_pct": _num(p.change)}
            | {"releases": releases}
        )
    for o in t.outside:
        rows.append(
            _csv(
                "not_in_figures",
                "",
                o.supplier if t.partner_role == "supplier" else o.recipient,
                None,
                None,
                None,
            )
            | {"note": describe_outside(o)}
        )
    return rows


_CSV_KEYS = (
    "kind",
    "period",
    "partner",
    "rank",
    "tiv",
    "estimated_tiv",
    "share_pct",
    "change_pct",
    "releases",
    "note",
)


def _csv(
    kind: str,
    period: str,
    partner: str,
    rank: int | None,
    value: Decimal | None,
    est: Decimal | None,
) -> dict[str, Any]:
    row: dict[str, Any] = dict.fromkeys(_CSV_KEYS)
    return row | {
        "kind": kind,
        "period": period,
        "partner": partner,
        "rank": rank,
        "tiv": _num(value),
        "estimated_tiv": _num(est),
    }


def percent(value: Decimal | None) -> str:
    return "-" if value is None else f"{value:.1f}%"


def signed(value: Decimal | None) -> str:
    return "" if value is None else f"{value:+.1f}%"


def tiv(value: Decimal) -> str:
    return f"{value:,.0f}"


def _mark(estimated: Decimal) -> str:
    return ESTIMATE_MARK if estimated else ""


def _num(value: Decimal | None) -> float | None:
    return None if value is None else round(float(value), 4)


@dataclass(frozen=True, slots=True)
class Page:
    """What base.html.j2 asks of a report."""

    title: str
    scope: list[str] = field(default_factory=list)
    made: str = ""

    def when(self) -> str:
        return self.made


def render_trends_html(t: Trends, *, scope: list[str], made: str, charts: bool = True) -> str:
    """One self-contained page: the shares table, the notes and the two charts inline."""
    from markupsafe import Markup

    from tracker.reports.html import environment

    drawn = []
    if charts and t.periods and any(p.tiv for p in t.periods):
        from tracker.reports import chart_trends

        for chart in chart_trends.charts_for(t):
            drawn.append({"svg": Markup(chart_trends.svg(chart)), "caption": chart.caption})
    return (
        environment()
        .get_template("trends.html.j2")
        .render(
            report=Page(title(t), scope, made),
            labels=labels(t),
            rows=table_rows(t),
            notes=notes(t),
            charts=drawn,
        )
    )
