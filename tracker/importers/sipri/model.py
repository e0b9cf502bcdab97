"""What a SIPRI export reads as: a release, its deals, and the rows that could not be read."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Literal

Format = Literal["register", "by-delivery-year"]
PartyKind = Literal["state", "non_state", "organisation", "unknown"]

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_FORMAT_NAMES: dict[Format, str] = {
    "register": "trade register",
    "by-delivery-year": "transfers by delivery year",
}
_MARKERS: dict[PartyKind, str] = {"non_state": "*", "organisation": "**"}


@dataclass(frozen=True, slots=True)
class Party:
    """A supplier or recipient under SIPRI's name, its `*`/`**` actor marker turned into `kind`.

    SIPRI marks non-state actors with `*` (`Contras (Nicaragua)*`) and international
    organisations with `**` (`United Nations**`) [inferred from the data, not stated by SIPRI].
    `unknown` is for SIPRI's 'unknown supplier(s)' / 'unknown recipient(s)'; every other
    unmarked name is taken to be a state.
    """

    name: str
    kind: PartyKind = "state"

    @property
    def sipri_name(self) -> str:
        """The name exactly as SIPRI writes it, marker included."""
        return self.name + _MARKERS.get(self.kind, "")


@dataclass(frozen=True, slots=True)
class YearDelivery:
    """What was delivered under a deal in one calendar year.

    `quantity` is None in the trade register, which gives only the deal's total; its two
    flags are then False (the register flags the total, see `SipriDeal.delivered_estimate`).
    """

    year: int
    quantity: int | None
    quantity_estimate: bool = False
    year_estimate: bool = False


@dataclass(frozen=True, slots=True)
class SipriDeal:
    """One deal: a supplier, a recipient and a weapon designation, as one SIPRI release has it.

    Fields a format does not carry are None: the trade register has no `sipri_id`,
    `category`, `tiv_new_unit` or `local_production`; the per-delivery-year export has no
    `ordered`, `tiv_order` or `comments`. TIVs are SIPRI trend-indicator values in millions,
    a volume, never money. `line` is the first physical line of the deal in the file (1-based).

    `deal_key` is `sipri:<id>` in the per-delivery-year export, stable across releases. The
    trade register has no id, so its key (`sipri-tr:<hash>`, `-2`... for exact repeats) is
    derived from recipient, supplier, order year, designation and description: it changes
    when SIPRI revises any of them (order years are revised between releases) and never
    matches a `sipri:<id>` key. See `register._Keys` for the details.
    """

    deal_key: str
    sipri_id: int | None
    supplier: Party
    recipient: Party
    designation: str
    description: str
    category: str | None
    order_year: int
    order_year_estimate: bool
    ordered: int | None
    ordered_estimate: bool
    delivered_total: int | None
    delivered_estimate: bool
    deliveries: tuple[YearDelivery, ...]
    status: str
    comments: str | None
    tiv_unit: Decimal | None
    tiv_new_unit: Decimal | None
    tiv_order: Decimal | None
    tiv_delivered: Decimal | None
    local_production: bool | None
    line: int

    @property
    def delivery_years(self) -> tuple[int, ...]:
        """The years with deliveries, oldest first; empty when nothing is delivered yet."""
        return tuple([d.year for d in self.deliveries])


@dataclass(frozen=True, slots=True)
class BadRow:
    """A row that could not be read; the reason is one line and names the column and value."""

    line: int
    reason: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.reason}"


@dataclass(frozen=True, slots=True)
class Scope:
    """Which deals a release covers: suppliers and recipients (None: all), delivery years.

    A deal lies within it when both its parties do and, with a year range, its order year
    or one of its delivery years falls inside the range.
    """

    suppliers: frozenset[str] | None = None
    recipients: frozenset[str] | None = None
    years: tuple[int, int] | None = None

    def covers(self, supplier: str, recipient: str, years: tuple[int, ...]) -> bool:
        if self.suppliers is not None and supplier not in self.suppliers:
            return False
        if self.recipients is not None and recipient not in self.recipients:
            return False
        if self.years is None:
            return True
        low, high = self.years
        return any(low <= year <= high for year in years)

    def __str__(self) -> str:
        parts = [
            f"suppliers {', '.join(sorted(self.suppliers)) if self.suppliers else 'all'}",
            f"recipients {', '.join(sorted(self.recipients)) if self.recipients else 'all'}",
            f"years {self.years[0]}-{self.years[1]}" if self.years else "all years",
        ]
        return "; ".join(parts)


@dataclass(frozen=True, slots=True)
class SipriRelease:
    """Which export a file is: its format, when SIPRI generated it, the years it covers.

    `year_range` is the delivery-year range chosen for the export, None when SIPRI says
    'Not specified' (all years) or the file does not say; the register's delivered numbers
    count only deliveries inside it. `header_line` is the 1-based line of the header row.
    """

    path: Path
    format: Format
    generated: date | None
    year_range: tuple[int, int] | None
    header_line: int
    # What the release covers, as its preamble states it; None when the file does not say
    # (the India-only extracts): such a file can retract nothing unless told its scope.
    scope: Scope | None = None

    @property
    def label(self) -> str:
        """E.g. 'SIPRI Arms Transfers Database, trade register, 13 Mar 2025'."""
        label = f"SIPRI Arms Transfers Database, {_FORMAT_NAMES[self.format]}"
        if self.generated is None:
            return label
        day = self.generated
        return f"{label}, {day.day} {_MONTHS[day.month - 1]} {day.year}"
