"""Contract statuses as plain objects, built from status rows as status_table builds the
pydantic ContractStatus: the same attributes, so the CLI's cells read either, and
``as_json`` gives what ``ContractStatus.model_dump(mode="json")`` gives.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from tracker.cli.quick.dates import Day, day
from tracker.cli.quick.errors import Unhandled
from tracker.cli.quick.queries import COLUMNS, SIPRI, Extras
from tracker.domain.values.opaque_refs import opaque_sipri_id

_BN, _M = Decimal(10) ** 9, Decimal(10) ** 6
#: A production total: best, low, high and as written (see tracker.domain.values.estimates.Tally).
Tally = tuple[int, int | None, int | None, str | None]


@dataclass(frozen=True, slots=True)
class Cash:
    """Money as tracker.domain.values.money.Money holds and prints it."""

    amount: Decimal
    currency: str

    def human(self) -> str:
        sign = "-" if self.amount < 0 else ""
        size = abs(self.amount)
        for word, factor in (("bn", _BN), ("m", _M)):
            if size >= factor:
                scaled = (size / factor).quantize(Decimal("0.01"))
                return f"{self.currency} {sign}{_tidy(scaled):f} {word}"
        return f"{self.currency} {sign}{_tidy(size):,f}"

    def json(self) -> dict[str, str]:
        return {"amount": str(self.amount), "currency": self.currency}


@dataclass(frozen=True, slots=True)
class Range:
    min: Cash
    max: Cash


@dataclass(frozen=True, slots=True)
class ValueReport:
    value: Cash
    sources: int


@dataclass(frozen=True, slots=True)
class QuantityReport:
    quantity: int
    sources: int


@dataclass(frozen=True, slots=True)
class Estimate:
    best: int
    low: int | None
    high: int | None
    as_written: str


@dataclass(frozen=True, slots=True)
class Next:
    label: str
    due: Day


@dataclass(frozen=True, slots=True)
class Status:
    """The fields of tracker.domain.views.ContractStatus, in its order."""

    ref: str
    system: str
    description: str | None
    buyer: str
    seller: str
    signed: Day
    ordered: int | None
    delivered: int
    produced: int | None
    remaining: int | None
    unit: str
    percent: Decimal | None
    value: Cash | None
    value_reports: tuple[ValueReport, ...]
    value_range: dict[str, Range]
    quantity_reports: tuple[QuantityReport, ...]
    state: str
    last_delivery: Day | None
    next_milestone: Next | None
    overdue_milestones: int
    as_of: date
    delivered_estimate: Estimate | None
    produced_estimate: Estimate | None
    sipri: dict[str, Any] | None
    sipri_release: str | None


def statuses(rows: Sequence[Sequence[Any]], extra: Extras, today: date) -> list[Status]:
    made = _produced(extra)
    return [status(dict(zip(COLUMNS, row, strict=True)), extra, made, today) for row in rows]


def status(m: dict[str, Any], extra: Extras, made: dict[str, Tally], today: date) -> Status:
    """The status a row holds, as status_rows._status gives it."""
    ref = m["ref"]
    figures = extra.figures.get(ref, ())
    values = tuple(ValueReport(_cash(f[2], f[3]), f[5]) for f in figures if f[1] == "value")
    quantities = tuple(QuantityReport(f[4], f[5]) for f in figures if f[1] == "quantity")
    produced = made.get(ref)
    due = m["next_due_label"]
    return Status(
        ref=ref,
        system=m["system"],
        description=m["description"],
        buyer=m["buyer"],
        seller=m["seller"],
        signed=day(m["signed"]),
        ordered=m["ordered"],
        delivered=m["delivered"],
        produced=None if produced is None else produced[0],
        remaining=m["remaining"],
        unit=m["unit"],
        percent=_percent(m["delivered"], m["ordered"]),
        value=None if m["value_amount"] is None else _cash(m["value_amount"], m["value_currency"]),
        value_reports=values,
        value_range=_ranges([r.value for r in values]),
        quantity_reports=quantities,
        state=m["state"],
        last_delivery=None if m["last_delivery"] is None else day(m["last_delivery"]),
        next_milestone=None if due is None else Next(due, day(m["next_due"])),
        overdue_milestones=extra.overdue.get(ref, 0),
        as_of=today,
        delivered_estimate=_estimate(m),
        produced_estimate=None if produced is None else _tally_estimate(*produced),
        sipri=_sipri(m),
        sipri_release=m["sipri_release"],
    )


_CASH: dict[tuple[str, str], Cash] = {}


def _cash(amount: str, currency: str) -> Cash:
    """Money of a stored amount (amounts repeat: each is read once; a Cash is frozen)."""
    found = _CASH.get((amount, currency))
    if found is None:
        found = _CASH[(amount, currency)] = Cash(_tidy(Decimal(amount)), currency)
    return found


def _tidy(value: Decimal) -> Decimal:
    """One representation per number, as Money keeps it."""
    if value == value.to_integral_value():
        return value.quantize(Decimal(1))
    return value.normalize()


def _percent(delivered: int, ordered: int | None) -> Decimal | None:
    if ordered is None:
        return None
    return (Decimal(100) * delivered / ordered).quantize(Decimal("0.1"), ROUND_HALF_UP)


def _ranges(values: Sequence[Cash]) -> dict[str, Range]:
    if not values:
        return {}
    by_currency: dict[str, list[Cash]] = defaultdict(list)
    for money in values:
        by_currency[money.currency].append(money)
    return {
        code: Range(min(ms, key=lambda m: m.amount), max(ms, key=lambda m: m.amount))
        for code, ms in sorted(by_currency.items())
    }


def _produced(extra: Extras) -> dict[str, Tally]:
    """Per contract, its joint ventures' last totals summed as Tally.plus sums them."""
    out: dict[str, Tally] = {}
    for (_, contract), (best, low, high, written) in extra.production.items():
        before = out.get(contract)
        if before is None:
            out[contract] = (best, low, high, written)
        else:
            out[contract] = (before[0] + best, _add(before[1], low), _add(before[2], high), None)
    return out


def _add(a: int | None, b: int | None) -> int | None:
    return None if a is None or b is None else a + b


def _tally_estimate(best: int, low: int | None, high: int | None, written: str | None) -> Any:
    if low == best == high:
        return None
    if written is None:
        written = f"~{best:,}{_bounds(low, high)}"
    return Estimate(best, low, high, written)


def _bounds(low: int | None, high: int | None) -> str:
    if low is not None and high is not None:
        return f" ({low:,}–{high:,})"
    if low is not None:
        return f" (at least {low:,})"
    if high is not None:
        return f" (at most {high:,})"
    return ""


def _estimate(m: dict[str, Any]) -> Estimate | None:
    if m["delivered_as_written"] is None:
        return None
    return Estimate(
        m["delivered"], m["delivered_low"], m["delivered_high"], m["delivered_as_written"]
    )


_FLAGS = ("order_year_estimate", "ordered_estimate", "delivered_estimate")
_TIVS = ("tiv_unit", "tiv_order", "tiv_delivered", "tiv_new_unit")
_SIPRI_COLUMNS = tuple((name, "sipri_" + name) for name in SIPRI)


def _sipri(m: dict[str, Any]) -> dict[str, Any] | None:
    """SIPRI's record as SipriRecord dumps it to JSON, None if the contract has none."""
    if m["sipri_supplier"] is None:
        return None
    fields = {name: m[column] for name, column in _SIPRI_COLUMNS}
    for name in _FLAGS:
        if fields[name] is None:
            raise Unhandled("a SIPRI flag without a value")
        fields[name] = bool(fields[name])
    if fields["local_production"] is not None:
        fields["local_production"] = bool(fields["local_production"])
    for name in _TIVS:
        if fields[name] is not None:
            fields[name] = str(Decimal(fields[name]))
    quality = fields["quality"]
    fields["quality"] = quality.split("\n") if quality else []
    # status_rows._sipri: the key is held as sipri_id, the ref's form when none is stored.
    fields["key"] = None if m["sipri_id"] == opaque_sipri_id(m["ref"]) else m["sipri_id"]
    return fields


def _estimate_json(e: Estimate | None) -> dict[str, Any] | None:
    if e is None:
        return None
    return {"best": e.best, "low": e.low, "high": e.high, "as_written": e.as_written}


def as_json(s: Status) -> dict[str, Any]:
    """``ContractStatus.model_dump(mode="json")`` of the same contract."""
    upcoming = s.next_milestone
    return {
        **{k: getattr(s, k) for k in ("ref", "system", "description", "buyer", "seller")},
        "signed": str(s.signed),
        **{k: getattr(s, k) for k in ("ordered", "delivered", "produced", "remaining", "unit")},
        "percent": None if s.percent is None else str(s.percent),
        "value": None if s.value is None else s.value.json(),
        "value_reports": [{"value": r.value.json(), "sources": r.sources} for r in s.value_reports],
        "value_range": {
            k: {"min": r.min.json(), "max": r.max.json()} for k, r in s.value_range.items()
        },
        "quantity_reports": [
            {"quantity": r.quantity, "sources": r.sources} for r in s.quantity_reports
        ],
        "state": s.state,
        "last_delivery": None if s.last_delivery is None else str(s.last_delivery),
        "next_milestone": None
        if upcoming is None
        else {"label": upcoming.label, "due": str(upcoming.due)},
        "overdue_milestones": s.overdue_milestones,
        "as_of": s.as_of.isoformat(),
        "delivered_estimate": _estimate_json(s.delivered_estimate),
        "produced_estimate": _estimate_json(s.produced_estimate),
        "sipri": s.sipri,
        "sipri_release": s.sipri_release,
    }
