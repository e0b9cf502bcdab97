"""The per-delivery-year export: one row per deal and delivery year, grouped by SIPRI's deal id.

The rows of one deal are next to each other in SIPRI's files (checked on the 13 Apr 2024
release: 13,893 deals in 27,838 rows, none split), so only the current deal's rows are held.
A deal whose id comes back after other deals is reported, not merged. A deal with any row
that cannot be read is skipped whole, each bad row reported: a deal missing a year of
deliveries would look complete but understate them.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from tracker.importers.sipri import fields as f
from tracker.importers.sipri.model import BadRow, SipriDeal, YearDelivery

KEY_PREFIX = "sipri:"
_NAMES = {
    "id": "SIPRI AT Database ID",
    "supplier": "Supplier",
    "recipient": "Recipient",
    "designation": "Designation",
    "description": "Description",
    "category": "Armament category",
    "order_year": "Order date",
    "order_year_estimate": "Order date is estimate",
    "status": "Status",
    "tiv_new_unit": "SIPRI estimate",
    "tiv_unit": "TIV deal unit",
    "local_production": "Local production",
    "delivered": "Numbers delivered",
    "delivered_estimate": "Numbers delivered is estimate",
    "year": "Delivery year",
    "year_estimate": "Delivery year is estimate",
    "tiv_delivered": "TIV delivery values",
}
# Columns that describe the deal, so hold the same value on each of its rows.
_DEAL_COLUMNS = (
    "supplier",
    "recipient",
    "designation",
    "description",
    "category",
    "order_year",
    "order_year_estimate",
    "status",
    "tiv_new_unit",
    "tiv_unit",
    "local_production",
)


@dataclass(frozen=True, slots=True)
class Columns:
    """Where each field sits in a row of this file, and how many fields a row has."""

    width: int
    at: dict[str, int]

    @classmethod
    def from_header(cls, header: list[str], where: str) -> Columns:
        return cls(len(header), f.column_indexes(header, _NAMES, (), where))


def deals(
    lines: Iterator[tuple[int, str]], columns: Columns, last_year: int
) -> Iterator[SipriDeal | BadRow]:
    """Yield a SipriDeal per deal id, or BadRows for rows that cannot be read."""
    group: _Group | None = None
    done: set[int] = set()
    for line, text in lines:
        if not text.strip():
            continue
        row = [value.strip() for value in text.split(",")]
        try:
            deal_id = f.whole_number(_NAMES["id"], row[columns.at["id"]])
        except IndexError:
            yield BadRow(line, f"expected {columns.width} fields, found {len(row)}")
            continue
        except f.RowError as e:
            yield BadRow(line, e.reason)
            continue
        if group is None or group.deal_id != deal_id:
            if group is not None:
                done.add(group.deal_id)
                yield from group.finish()
                group = None
            if deal_id in done:
                reason = f"deal {deal_id} comes back after other deals; its rows must be together"
                yield BadRow(line, reason)
                continue
            group = _Group(deal_id, line, last_year)
        group.add(line, row, columns)
    if group is not None:
        yield from group.finish()


@dataclass(slots=True)
class _Group:
    """The rows of one deal read so far: the deal's columns as first written, one delivery a row."""

    deal_id: int
    line: int
    last_year: int
    deal_values: list[str] | None = None
    deliveries: dict[int, tuple[int, YearDelivery]] = field(default_factory=dict)
    tivs: list[Decimal | None] = field(default_factory=list)
    bad: list[BadRow] = field(default_factory=list)

    def add(self, line: int, row: list[str], columns: Columns) -> None:
        if len(row) != columns.width:
            self.bad.append(BadRow(line, f"expected {columns.width} fields, found {len(row)}"))
            return
        try:
            self._check_deal_columns(line, [row[columns.at[key]] for key in _DEAL_COLUMNS])
            delivery, tiv = _delivery(row, columns.at, self.last_year)
            if delivery.year in self.deliveries:
                earlier = self.deliveries[delivery.year][0]
                raise f.RowError(f"delivery year {delivery.year} is already on line {earlier}")
        except f.RowError as e:
            self.bad.append(BadRow(line, e.reason))
            return
        self.deliveries[delivery.year] = (line, delivery)
        self.tivs.append(tiv)

    def finish(self) -> Iterator[SipriDeal | BadRow]:
        """Yield the deal, or when any of its rows is bad, those rows and nothing else."""
        if not self.bad:
            try:
                deal = self._deal()
            except f.RowError as e:
                self.bad.append(BadRow(self.line, e.reason))
            else:
                yield deal
                return
        for bad in self.bad:
            yield BadRow(bad.line, f"{bad.reason}; deal {self.deal_id} skipped")

    def _check_deal_columns(self, line: int, values: list[str]) -> None:
        if self.deal_values is None:
            self.deal_values, self.line = values, line
            return
        for key, value, first in zip(_DEAL_COLUMNS, values, self.deal_values, strict=True):
            if value != first:
                raise f.RowError(
                    f"'{_NAMES[key]}' is {f.shown(value)} here but {f.shown(first)}"
                    f" on line {self.line}, in the same deal"
                )

    def _deal(self) -> SipriDeal:
        assert self.deal_values is not None  # set by the first good row; no row, no deal
        deal = dict(zip(_DEAL_COLUMNS, self.deal_values, strict=True))
        deliveries = tuple(d for _, d in sorted(self.deliveries.values(), key=_by_year))
        known_tivs = [tiv for tiv in self.tivs if tiv is not None]
        return SipriDeal(
            deal_key=f"{KEY_PREFIX}{self.deal_id}",
            sipri_id=self.deal_id,
            supplier=f.party(_NAMES["supplier"], deal["supplier"]),
            recipient=f.party(_NAMES["recipient"], deal["recipient"]),
            designation=f.text(_NAMES["designation"], deal["designation"]),
            description=f.text(_NAMES["description"], deal["description"]),
            category=f.text(_NAMES["category"], deal["category"]),
            order_year=f.year(_NAMES["order_year"], deal["order_year"], self.last_year),
            order_year_estimate=_yes_no(deal, "order_year_estimate"),
            ordered=None,
            ordered_estimate=False,
            delivered_total=sum(d.quantity or 0 for d in deliveries),
            delivered_estimate=any(d.quantity_estimate for d in deliveries),
            deliveries=deliveries,
            status=f.text(_NAMES["status"], deal["status"]),
            comments=None,
            tiv_unit=f.tiv(_NAMES["tiv_unit"], deal["tiv_unit"]),
            tiv_new_unit=f.tiv(_NAMES["tiv_new_unit"], deal["tiv_new_unit"]),
            tiv_order=None,
            tiv_delivered=sum(known_tivs, Decimal(0))
            if len(known_tivs) == len(self.tivs)
            else None,
            local_production=_yes_no(deal, "local_production"),
            line=self.line,
        )


def _delivery(
    row: list[str], at: dict[str, int], last_year: int
) -> tuple[YearDelivery, Decimal | None]:
    delivery = YearDelivery(
        year=f.year(_NAMES["year"], row[at["year"]], last_year),
        quantity=f.whole_number(_NAMES["delivered"], row[at["delivered"]]),
        quantity_estimate=f.yes_no(_NAMES["delivered_estimate"], row[at["delivered_estimate"]]),
        year_estimate=f.yes_no(_NAMES["year_estimate"], row[at["year_estimate"]]),
    )
    return delivery, f.tiv(_NAMES["tiv_delivered"], row[at["tiv_delivered"]])


def _yes_no(deal: dict[str, str], key: str) -> bool:
    return f.yes_no(_NAMES[key], deal[key])


def _by_year(entry: tuple[int, YearDelivery]) -> int:
    return entry[1].year
