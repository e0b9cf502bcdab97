"""The trade register export: one row per deal, '?' flag columns, no deal id.

Columns are found by header name; the '?' flag columns are the unnamed ones right after
'Year of order', 'Number ordered' and 'Number delivered'. Fields are never quoted: SIPRI
writes ';' instead of ',' in Comments, so a row with too many fields is reported, not guessed
at. A few records hold a line break inside Comments (four in the 13 Mar 2025 release) and span
two physical lines; they are joined back (see `records`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass

from tracker.importers.sipri import fields as f
from tracker.importers.sipri.model import BadRow, Party, SipriDeal, YearDelivery

RECIPIENT = "Recipient"
SUPPLIER = "Supplier"
ORDER_YEAR = "Year of order"
ORDERED = "Number ordered"
DESIGNATION = "Weapon designation"
DESCRIPTION = "Weapon description"
DELIVERED = "Number delivered"
DELIVERY_YEARS = "Year(s) of delivery"
STATUS = "status"
COMMENTS = "Comments"
TIV_UNIT = "SIPRI TIV per unit"
TIV_ORDER = "SIPRI TIV for total order"
TIV_DELIVERED = "SIPRI TIV of delivered weapons"
_NAMES = {
    "recipient": RECIPIENT,
    "supplier": SUPPLIER,
    "order_year": ORDER_YEAR,
    "ordered": ORDERED,
    "designation": DESIGNATION,
    "description": DESCRIPTION,
    "delivered": DELIVERED,
    "delivery_years": DELIVERY_YEARS,
    "status": STATUS,
    "comments": COMMENTS,
    "tiv_unit": TIV_UNIT,
    "tiv_order": TIV_ORDER,
    "tiv_delivered": TIV_DELIVERED,
}
KEY_PREFIX = "sipri-tr:"


@dataclass(frozen=True, slots=True)
class Columns:
    """Where each field sits in a row of this file, and how many fields a row has."""

    width: int
    at: dict[str, int]

    @classmethod
    def from_header(cls, header: list[str], where: str) -> Columns:
        flags = ("order_year", "ordered", "delivered")
        return cls(len(header), f.column_indexes(header, _NAMES, flags, where))


def records(lines: Iterator[tuple[int, str]], width: int) -> Iterator[tuple[int, int, str]]:
    """Join physical lines into records: yield (first line, last line, text).

    A line with too few fields is joined with the lines after it for as long as the fields
    still fit in `width`; the line break becomes a space. A record that stays short is
    yielded as it is, for the caller to report. Blank lines are skipped.
    """
    commas_needed = width - 1
    first = last = 0
    parts: list[str] = []
    commas = 0
    for number, line in lines:
        if not line or line.isspace():
            continue
        n = line.count(",")
        if parts:
            if commas + n <= commas_needed:
                parts.append(line.strip())
                commas += n
                last = number
                if commas == commas_needed:
                    yield first, last, " ".join(parts)
                    parts = []
                continue
            yield first, last, " ".join(parts)
            parts = []
        if n >= commas_needed:
            yield number, number, line
        else:
            first, last, parts, commas = number, number, [line.strip()], n
    if parts:
        yield first, last, " ".join(parts)


def deals(
    lines: Iterator[tuple[int, str]], columns: Columns, last_year: int
) -> Iterator[SipriDeal | BadRow]:
    """Yield a SipriDeal per record, or a BadRow saying why the record cannot be read."""
    keys = _Keys()
    for first, last, line in records(lines, columns.width):
        fields = [field.strip() for field in line.split(",")]
        if len(fields) != columns.width:
            span = f" (lines {first}-{last} joined)" if last > first else ""
            reason = f"expected {columns.width} fields, found {len(fields)}{span}"
            yield BadRow(first, reason)
            continue
        try:
            yield _deal(fields, first, columns.at, last_year, keys)
        except f.RowError as e:
            yield BadRow(first, e.reason)


def _deal(row: list[str], line: int, at: dict[str, int], last_year: int, keys: _Keys) -> SipriDeal:
    recipient = f.party(RECIPIENT, row[at["recipient"]])
    supplier = f.party(SUPPLIER, row[at["supplier"]])
    order_year = f.year(ORDER_YEAR, row[at["order_year"]], last_year)
    designation = f.text(DESIGNATION, row[at["designation"]])
    description = f.text(DESCRIPTION, row[at["description"]])
    ordered = f.optional_whole_number(ORDERED, row[at["ordered"]])
    # SIPRI writes a TIV of 0 for the order when the number ordered is unknown, though its
    # note says an empty field means "not available": kept as published (the empty number
    # ordered says the rest).
    tiv_order = f.tiv(TIV_ORDER, row[at["tiv_order"]])
    years = f.year_list(DELIVERY_YEARS, row[at["delivery_years"]], last_year)
    return SipriDeal(
        sipri_id=None,
        supplier=supplier,
        recipient=recipient,
        designation=designation,
        description=description,
        category=None,
        order_year=order_year,
        order_year_estimate=f.question_flag(ORDER_YEAR, row[at["order_year?"]]),
        ordered=ordered,
        ordered_estimate=f.question_flag(ORDERED, row[at["ordered?"]]),
        delivered_total=f.optional_whole_number(DELIVERED, row[at["delivered"]]),
        delivered_estimate=f.question_flag(DELIVERED, row[at["delivered?"]]),
        deliveries=tuple(YearDelivery(year, None) for year in years),
        status=f.text(STATUS, row[at["status"]]),
        comments=row[at["comments"]],
        tiv_unit=f.tiv(TIV_UNIT, row[at["tiv_unit"]]),
        tiv_new_unit=None,
        tiv_order=tiv_order,
        tiv_delivered=f.tiv(TIV_DELIVERED, row[at["tiv_delivered"]]),
        local_production=None,
        line=line,
        # Last, so that a row failing on any other field does not use up a key.
        deal_key=keys.next(recipient, supplier, order_year, designation, description),
    )


class _Keys:
    """Deal keys for the trade register, which has no deal id.

    A key is `sipri-tr:` and 16 hex digits of a SHA-256 over recipient, supplier (SIPRI's
    names, markers kept), order year, weapon designation and description, compared
    case-blind with runs of spaces as one. Rows repeating all five fields (550 in the
    13 Mar 2025 release) get `-2`, `-3`... in file order.

    Limits: a key names the same deal in two releases only if SIPRI changed none of the
    five fields in between. SIPRI revises its data every year: a corrected order year, a
    renamed designation or description, or a renamed country gives the deal a new key, and
    adding, removing or reordering one of several repeated rows shifts the numbers of the
    others. Keys of
    the register never equal the `sipri:<id>` keys of the per-delivery-year export. Matching
    a deal across releases needs more than the key (quantities, comments, a person).
    """

    def __init__(self) -> None:
        self._seen: dict[str, int] = {}

    def next(
        self, recipient: Party, supplier: Party, order_year: int, designation: str, description: str
    ) -> str:
        parts = (
            recipient.sipri_name,
            supplier.sipri_name,
            str(order_year),
            designation,
            description,
        )
        # "\0" is not whitespace, so collapsing runs of spaces cannot merge two fields.
        text = " ".join("\0".join(parts).casefold().split())
        key = KEY_PREFIX + hashlib.sha256(text.encode()).hexdigest()[:16]
        n = self._seen.get(key, 0) + 1
        self._seen[key] = n
        return key if n == 1 else f"{key}-{n}"
