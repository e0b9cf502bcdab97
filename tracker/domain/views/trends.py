"""Trends in SIPRI's measure: partners' shares of the TIV delivered over periods.

A pure function over plain transfer records (one per deal and delivery year): the same
arithmetic whether the records come from the read-model table or a fold of the log.
Only deliveries a SIPRI release reported count; the rest of the record is listed beside
the figures, never added to them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from tracker.domain.values.parties import party_id
from tracker.domain.views.periods import Period, default_periods
from tracker.domain.views.trends_models import (
    OTHERS,
    Outside,
    Partner,
    PeriodTotal,
    Share,
    Trends,
    YearVolume,
)
from tracker.errors import DomainError

_ZERO = Decimal(0)
_HUNDRED = Decimal(100)


@dataclass(frozen=True, slots=True)
class Transfer:
    """What one deal delivered in one year; ``tiv`` in millions, None when not known."""

    ref: str
    supplier: str
    recipient: str
    supplier_id: str  # party_id of each: compared, never worked out again per row
    recipient_id: str
    designation: str
    category: str | None
    year: int
    delivered: int | None
    tiv: Decimal | None
    estimated: bool
    release: str | None
    from_sipri: bool


@dataclass(frozen=True, slots=True)
class Question:
    """What to compute: whose trade, which periods, which systems, how many by name."""

    recipient: str | None = None
    supplier: str | None = None
    periods: tuple[Period, ...] | None = None
    yearly: bool = False
    top: int = 5
    system: str | None = None
    category: str | None = None


@dataclass(frozen=True, slots=True)
class World:
    """The world's SIPRI volume per year under the question's filters, and the last year
    with SIPRI deliveries, when the caller has them summed already (in SQL, say)."""

    by_year: Mapping[int, Decimal]
    last_year: int | None


def world_of(transfers: Iterable[Transfer], q: Question) -> World:
    """The world worked out from every transfer."""
    by_year: dict[int, Decimal] = {}
    last = None
    for t in transfers:
        if t.from_sipri:
            last = t.year if last is None else max(last, t.year)
            if t.tiv is not None and matches(t, q.system, q.category):
                by_year[t.year] = by_year.get(t.year, _ZERO) + t.tiv
    return World(by_year, last)


def trends(transfers: Sequence[Transfer], q: Question, world: World | None = None) -> Trends:
    """Shares, volumes, changes and ranks for ``q`` over ``transfers`` (all of them, or at
    least the subject's when ``world`` gives the world's volume per year)."""
    if q.recipient and q.supplier:
        raise DomainError("Give --recipient or --supplier, not both")
    world = world or world_of(transfers, q)
    chosen = [t for t in transfers if matches(t, q.system, q.category)]
    if world.last_year is None and q.periods is None:
        raise DomainError("No SIPRI deliveries in the record: import a SIPRI release first")
    periods = q.periods or default_periods(world.last_year or 0)
    if q.yearly:
        periods = tuple(
            Period(first=y, last=y) for y in range(periods[0].first, periods[-1].last + 1)
        )
    side, party, role = _side(q)
    mine = [t for t in chosen if t.from_sipri and t.tiv is not None and _subject(t, side, party)]
    volumes = _volumes(mine, periods, role)
    names = _top(volumes, len(periods), q.top)
    span = Period(first=periods[0].first, last=periods[-1].last)
    return Trends(
        side=side,
        party=_name(chosen, side, party) if party else None,
        partner_role=role,
        periods=_totals(mine, world, periods, volumes),
        partners=_partners(volumes, names, len(periods)),
        by_year=_by_year(mine, periods, role, names),
        releases=tuple(sorted({t.release for t in mine if t.release and span.holds(t.year)})),
        no_tiv=sum(
            1 for t in chosen if t.from_sipri and t.tiv is None and _subject(t, side, party)
        ),
        outside=_outside(chosen, side, party, span),
    )


def matches(t: Transfer, system: str | None, category: str | None) -> bool:
    """--system: the designation holds the text; --category: SIPRI's category (any case)."""
    if system and system.casefold() not in t.designation.casefold():
        return False
    return not category or (t.category or "").casefold() == category.casefold()


def _side(q: Question) -> tuple[str, str | None, str]:
    if q.recipient:
        return "recipient", party_id(q.recipient), "supplier"
    if q.supplier:
        return "supplier", party_id(q.supplier), "recipient"
    return "world", None, "supplier"


def _subject(t: Transfer, side: str, party: str | None) -> bool:
    if side == "recipient":
        return t.recipient_id == party
    if side == "supplier":
        return t.supplier_id == party
    return True


def _name(transfers: Sequence[Transfer], side: str, party: str) -> str:
    for t in transfers:
        if _subject(t, side, party):
            return t.recipient if side == "recipient" else t.supplier
    return party


# partner -> per period (tiv, estimated tiv)
Volumes = dict[str, list[tuple[Decimal, Decimal]]]


def _volumes(mine: Sequence[Transfer], periods: Sequence[Period], role: str) -> Volumes:
    out: Volumes = {}
    for t in mine:
        for n, p in enumerate(periods):
            if p.holds(t.year):
                partner = t.supplier if role == "supplier" else t.recipient
                cells = out.setdefault(partner, [(_ZERO, _ZERO)] * len(periods))
                tiv, est = cells[n]
                assert t.tiv is not None  # only counted transfers get here
                cells[n] = (tiv + t.tiv, est + (t.tiv if t.estimated else _ZERO))
    return out


def _top(volumes: Volumes, count: int, top: int) -> list[str]:
    """The partners shown by name: the largest in the last period, then in earlier ones."""

    def key(name: str) -> tuple[object, ...]:
        return (*(-volumes[name][n][0] for n in range(count - 1, -1, -1)), name)

    return sorted((n for n in volumes if any(v for v, _ in volumes[n])), key=key)[:top]


def _ranks(volumes: Volumes, n: int) -> dict[str, int]:
    ordered = sorted((v[n][0], name) for name, v in volumes.items() if v[n][0] > 0)
    ordered.sort(key=lambda x: (-x[0], x[1]))
    return {name: k + 1 for k, (_, name) in enumerate(ordered)}


def _partners(volumes: Volumes, names: list[str], count: int) -> tuple[Partner, ...]:
    totals = [sum((v[n][0] for v in volumes.values()), _ZERO) for n in range(count)]
    ranks = [_ranks(volumes, n) for n in range(count)]
    rest = [name for name in volumes if name not in names]
    out = []
    for name in names:
        cells = volumes[name]
        out.append(
            Partner(
                name=name,
                shares=tuple(_share(cells[n], totals[n], ranks[n].get(name)) for n in range(count)),
            )
        )
    if rest:
        summed = [
            (
                sum((volumes[r][n][0] for r in rest), _ZERO),
                sum((volumes[r][n][1] for r in rest), _ZERO),
            )
            for n in range(count)
        ]
        out.append(
            Partner(
                name=OTHERS, shares=tuple(_share(summed[n], totals[n], None) for n in range(count))
            )
        )
    return tuple(out)


def _by_year(
    mine: Sequence[Transfer], periods: Sequence[Period], role: str, names: list[str]
) -> tuple[YearVolume, ...]:
    """The years of the periods (the same partners fall under 'others' as in them)."""
    years = [Period(first=y, last=y) for p in periods for y in range(p.first, p.last + 1)]
    volumes = _volumes(mine, years, role)
    others = [v for name, v in volumes.items() if name not in names]
    out = []
    for n, p in enumerate(years):
        tivs = [volumes[name][n][0] if name in volumes else _ZERO for name in names]
        if others:
            tivs.append(_sum(v[n][0] for v in others))
        estimated = _sum(t.tiv for t in mine if t.year == p.first and t.estimated)
        out.append(YearVolume(year=p.first, tivs=tuple(tivs), estimated_tiv=estimated))
    return tuple(out)


def _share(cell: tuple[Decimal, Decimal], total: Decimal, rank: int | None) -> Share:
    tiv, est = cell
    return Share(tiv=tiv, estimated_tiv=est, share=_percent(tiv, total), rank=rank)


def _totals(
    mine: Sequence[Transfer], world: World, periods: Sequence[Period], volumes: Volumes
) -> tuple[PeriodTotal, ...]:
    out: list[PeriodTotal] = []
    for n, p in enumerate(periods):
        tiv = _sum(t.tiv for t in mine if p.holds(t.year))
        world_tiv = _sum(v for y, v in world.by_year.items() if p.holds(y))
        before = out[-1].tiv if out else None
        out.append(
            PeriodTotal(
                period=p,
                tiv=tiv,
                estimated_tiv=_sum(t.tiv for t in mine if p.holds(t.year) and t.estimated),
                change=None if not before else (tiv - before) * _HUNDRED / before,
                world_tiv=world_tiv,
                world_share=_percent(tiv, world_tiv),
                partners=sum(1 for v in volumes.values() if v[n][0] > 0),
            )
        )
    return tuple(out)


def _outside(
    chosen: Sequence[Transfer], side: str, party: str | None, span: Period
) -> tuple[Outside, ...]:
    found: dict[str, list[Transfer]] = {}
    for t in chosen:
        if not t.from_sipri and span.holds(t.year) and _subject(t, side, party):
            found.setdefault(t.ref, []).append(t)
    out = []
    for ref, rows in sorted(found.items()):
        known = [t.delivered for t in rows if t.delivered is not None]
        first = rows[0]
        out.append(
            Outside(
                ref=ref,
                supplier=first.supplier,
                recipient=first.recipient,
                designation=first.designation,
                years=tuple(sorted({t.year for t in rows})),
                delivered=sum(known) if known else None,
            )
        )
    return tuple(out)


def _sum(values: Iterable[Decimal | None]) -> Decimal:
    return sum((v for v in values if v is not None), _ZERO)


def _percent(part: Decimal, whole: Decimal) -> Decimal | None:
    return None if not whole else part * _HUNDRED / whole
