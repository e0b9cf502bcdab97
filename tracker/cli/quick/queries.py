"""The SQL of tracker.projections.status_table, written out for the bare driver.

Each condition, order and side read here is the one status_table builds with SQLAlchemy
for the same filter, so both paths select, count and order the same contracts.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from tracker.cli.quick.db import CHUNK, Reader
from tracker.domain.values.opaque_refs import sipri_key_of
from tracker.projections.filters import ContractFilter

#: The status columns a view is built from (the rest are for filters and SQL tools).
SIPRI = (
    "deal_id", "supplier", "recipient", "order_year_estimate", "ordered_estimate", "delivered",
    "delivered_estimate", "status", "tiv_unit", "tiv_order", "tiv_delivered", "tiv_new_unit",
    "category", "local_production", "quality",
)  # fmt: skip
COLUMNS = (
    "ref", "system", "description", "buyer", "seller", "signed", "ordered", "delivered",
    "delivered_low", "delivered_high", "delivered_as_written", "remaining", "unit",
    "value_amount", "value_currency", "state", "next_due_label", "next_due", "last_delivery",
    *(f"sipri_{name}" for name in SIPRI), "sipri_release", "sipri_id",
)  # fmt: skip
_TABLE = "proj_contract_status"
_PG_VECTOR = (
    "to_tsvector('simple'::regconfig,"
    " regexp_replace(proj_contract_status.search_text, '[^[:alnum:]]+', ' ', 'g'))"
)


@dataclass
class Where:
    """A WHERE clause and its parameters."""

    parts: list[str] = field(default_factory=list)
    params: list[Any] = field(default_factory=list)

    def add(self, part: str, *params: Any) -> None:
        self.parts.append(part)
        self.params += params

    @property
    def sql(self) -> str:
        return " WHERE " + " AND ".join(self.parts) if self.parts else ""


def escaped(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _false(reader: Reader, column: str) -> str:
    return f"{column} IS false" if reader.postgres else f"{column} IS 0"


def where(
    reader: Reader, flt: ContractFilter, ids: dict[str, str], today: date, refs: Sequence[str]
) -> Where:
    """The conditions of ``flt`` (its parties as ``ids``: option -> party id) and ``refs``."""
    w, s = Where(), _TABLE
    for option, column in (("buyer", "buyer_id"), ("seller", "seller_id")):
        if option in ids:
            w.add(f"{s}.{column} = ?", ids[option])
    if "country" in ids:
        w.add(f"({s}.buyer_id = ? OR {s}.seller_id = ?)", ids["country"], ids["country"])
    if flt.system is not None:
        w.add(f"lower({s}.system) LIKE ? ESCAPE '\\'", "%" + escaped(flt.system.casefold()) + "%")
    if flt.state is not None:
        w.add(f"{s}.state = ?", flt.state)
    if flt.signed is not None:
        first, last = flt.signed
        w.add(f"coalesce({s}.signed_earliest, {s}.signed_latest) >= ?", reader.day(first))
        w.add(f"{s}.signed_latest <= ?", reader.day(last))
    if flt.overdue:
        w.add(
            "EXISTS (SELECT m.stream_id FROM proj_milestones AS m WHERE m.delivered IS NULL"
            f" AND m.due_latest < ? AND {_false(reader, s + '.cancelled')}"
            f" AND m.stream_id = {s}.stream_id)",
            reader.day(today),
        )
    if flt.words:
        _search(reader, w, flt.words)
    if refs:
        w.add(f"{s}.ref IN ({', '.join('?' * len(refs))})", *refs)
    return w


def _search(reader: Reader, w: Where, words: list[str]) -> None:
    if reader.postgres:
        query = " & ".join(f"{word}:*" for word in words)
        w.add(f"{_PG_VECTOR} @@ to_tsquery('simple'::regconfig, ?)", query)
        return
    query = " AND ".join(f'"{word}"*' for word in words)
    w.add(
        f"{_TABLE}.position IN (SELECT proj_contract_search.rowid FROM proj_contract_search"
        " WHERE proj_contract_search MATCH ?)",
        query,
    )


def order_by(reader: Reader, sort: str) -> str:
    s, binary = _TABLE, '"C"' if reader.postgres else "BINARY"
    if sort == "signed":
        keys = [f"coalesce({s}.signed_earliest, {s}.signed_latest)", f"{s}.signed_latest"]
    elif sort in ("delivered", "remaining"):
        keys = [f"{s}.{sort} IS NULL", f"{s}.{sort}"]
    else:
        keys = [f"{s}.{sort} COLLATE {binary}"]
    return " ORDER BY " + ", ".join([*keys, f"{s}.ref COLLATE {binary}"])


def select(w: Where, sort: str, reader: Reader, limit: int | None) -> str:
    columns = ", ".join(f"{_TABLE}.{c}" for c in COLUMNS)
    tail = "" if limit is None else f" LIMIT {int(limit)}"
    return f"SELECT {columns} FROM {_TABLE}{w.sql}{order_by(reader, sort)}{tail}"


def count(reader: Reader, w: Where) -> int:
    return int(reader.all(f"SELECT count(*) FROM {_TABLE}{w.sql}", w.params)[0][0])


def refs_like(reader: Reader, prefix: str) -> list[str]:
    """The refs equal to ``prefix`` or starting with it (at most 11), or for an old opaque
    SIPRI ref those of the contracts its key names, as StatusTable.refs."""
    if reader.all(f"SELECT ref FROM {_TABLE} WHERE ref = ?", (prefix,)):
        return [prefix]
    key = sipri_key_of(prefix)
    if key is not None:
        keyed = f"SELECT ref FROM {_TABLE} WHERE sipri_id = ? ORDER BY ref LIMIT 11"
        if found := [r[0] for r in reader.all(keyed, (key,))]:
            return found
    query = f"SELECT ref FROM {_TABLE} WHERE ref LIKE ? ESCAPE '\\' ORDER BY ref LIMIT 11"
    return [r[0] for r in reader.all(query, (escaped(prefix) + "%",))]


@dataclass
class Extras:
    """Per contract of a chunk: figures reported, last production totals, overdue count."""

    figures: dict[str, list[Any]] = field(default_factory=lambda: defaultdict(list))
    production: dict[tuple[str, str], tuple[Any, ...]] = field(default_factory=dict)
    overdue: dict[str, int] = field(default_factory=dict)


def extras(reader: Reader, refs: list[str], today: date) -> Extras:
    out = Extras()
    for start in range(0, len(refs), CHUNK):
        chunk = refs[start : start + CHUNK]
        marks = ", ".join("?" * len(chunk))
        figures = (
            "SELECT ref, kind, amount, currency, quantity, sources FROM proj_figures"
            f" WHERE ref IN ({marks}) ORDER BY ref, seq"
        )
        for row in reader.all(figures, chunk):
            out.figures[row[0]].append(row)
        made = (
            "SELECT stream_id, contract, total, total_low, total_high, total_as_written"
            f" FROM proj_production WHERE contract IN ({marks}) ORDER BY stream_id, seq"
        )
        for row in reader.all(made, chunk):
            out.production[(row[0], row[1])] = tuple(row[2:])
        late = (
            "SELECT m.ref, count(*) FROM proj_milestones AS m JOIN proj_contract_status AS s"
            f" ON s.stream_id = m.stream_id WHERE m.ref IN ({marks}) AND m.delivered IS NULL"
            f" AND m.due_latest < ? AND {_false(reader, 's.cancelled')} GROUP BY m.ref"
        )
        out.overdue.update(
            (ref, int(n)) for ref, n in reader.all(late, [*chunk, reader.day(today)])
        )
    return out


def date_texts(reader: Reader) -> list[str]:
    """Every date text the status table holds (read ahead of a streamed answer, so that a
    text the quick path cannot read sends the whole question to the full path first)."""
    query = " UNION ".join(
        f"SELECT {c} FROM {_TABLE} WHERE {c} IS NOT NULL"
        for c in ("signed", "next_due", "last_delivery")
    )
    return [r[0] for r in reader.all(query)]
