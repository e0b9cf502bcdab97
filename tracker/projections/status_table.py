"""Contract statuses read from the typed tables, filtered, sorted and paged in SQL.

Only what depends on the day of the question is worked out here: overdue milestones (those
not delivered, of a contract not cancelled, due before the day) and the percent delivered.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from datetime import date
from decimal import Decimal
from functools import lru_cache
from typing import Any

from sqlalchemy import column, exists, func, literal_column, or_, select, table, text
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.sql import ColumnElement, Select

from tracker.domain.events.contract_events import SipriRecord
from tracker.domain.values.dates import FuzzyDate
from tracker.domain.values.estimates import Estimate, Tally
from tracker.domain.values.money import Money
from tracker.domain.values.opaque_refs import opaque_sipri_id, sipri_key_of
from tracker.domain.values.parties import party_id
from tracker.domain.views.status import (
    ContractStatus,
    NextMilestone,
    QuantityReport,
    ValueReport,
    _percent,
    _ranges,
)
from tracker.projections.filters import ContractFilter
from tracker.projections.read_tables import FIGURES, MILESTONES, PRODUCTION, STATUS
from tracker.store.errors import translate_db_error

_CHUNK = 500


class StatusTable:
    """Statuses as the typed read models hold them now (the projections are level)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def refs(self, prefix: str) -> list[str]:
        """The refs equal to ``prefix`` or starting with it (at most 11), in order; for an
        old opaque SIPRI ref ('sipri-tr-...'), those of the contracts its key names first."""
        s = STATUS.c
        exact = select(s.ref).where(s.ref == prefix)
        like = select(s.ref).where(s.ref.like(_escaped(prefix) + "%", escape="\\"))
        key = sipri_key_of(prefix)
        with translate_db_error(), self.engine.connect() as conn:
            if conn.execute(exact).first():
                return [prefix]
            if key is not None:
                keyed = select(s.ref).where(s.sipri_id == key).order_by(s.ref).limit(11)
                if found := list(conn.execute(keyed).scalars()):
                    return found
            return list(conn.execute(like.order_by(s.ref).limit(11)).scalars())

    def streams(self, flt: ContractFilter, prefixes: Sequence[str] | None = None) -> list[str]:
        """The stream ids of the contracts passing ``flt`` (day-free parts only: no state,
        overdue), and of only those whose ref starts with one of ``prefixes`` if given."""
        s = STATUS.c
        with translate_db_error(), self.engine.connect() as conn:
            query = select(s.stream_id).where(*_conditions(flt, date.min, conn.dialect.name))
            if prefixes is not None:
                like = [s.ref.like(_escaped(p) + "%", escape="\\") for p in prefixes]
                like += [s.sipri_id == k for p in prefixes if (k := sipri_key_of(p))]
                query = query.where(or_(*like))
            return list(conn.execute(query.order_by(s.stream_id)).scalars())

    def producers(self, refs: Sequence[str]) -> list[str]:
        """The joint ventures' streams that report production for any of ``refs``."""
        p = PRODUCTION.c
        found: set[str] = set()
        with translate_db_error(), self.engine.connect() as conn:
            for start in range(0, len(refs), _CHUNK):
                chunk = list(refs[start : start + _CHUNK])
                query = select(p.stream_id).distinct().where(p.contract.in_(chunk))
                found.update(conn.execute(query).scalars())
        return sorted(found)

    def page(
        self, flt: ContractFilter, today: date, refs: Sequence[str] | None = None
    ) -> tuple[list[ContractStatus], int]:
        """The statuses that pass ``flt`` (of ``refs``, if given), sorted, at most
        ``flt.limit`` of them, and how many passed in all."""
        with translate_db_error(), self.engine.connect() as conn:
            query = _selected(flt, today, refs, conn)
            total = conn.execute(select(func.count()).select_from(query.subquery())).scalar_one()
            rows = conn.execute(_ordered(query, flt, conn).limit(flt.limit)).all()
            return _statuses(conn, rows, today), total

    def stream(self, flt: ContractFilter, today: date) -> Iterator[ContractStatus]:
        """The statuses ``page`` gives (without the count), read and built a chunk at a
        time: memory stays flat however many contracts pass."""
        with translate_db_error(), self.engine.connect() as conn:
            query = _ordered(_selected(flt, today, None, conn), flt, conn).limit(flt.limit)
            result = conn.execution_options(stream_results=True).execute(query)
            while rows := result.fetchmany(_CHUNK):
                yield from _statuses(conn, rows, today)


def _selected(
    flt: ContractFilter, today: date, refs: Sequence[str] | None, conn: Connection
) -> Select[Any]:
    query = select(STATUS).where(*_conditions(flt, today, conn.dialect.name))
    if refs is not None:
        query = query.where(STATUS.c.ref.in_(list(refs)))
    return query


def _statuses(conn: Connection, rows: Sequence[Any], today: date) -> list[ContractStatus]:
    extra = _Extras(conn, [r.ref for r in rows], today)
    keys = list(rows[0]._fields) if rows else []
    return [_status(dict(zip(keys, r, strict=True)), extra, today) for r in rows]


def _conditions(flt: ContractFilter, today: date, dialect: str) -> list[ColumnElement[bool]]:
    s = STATUS.c
    out: list[ColumnElement[bool]] = []
    if flt.buyer is not None:
        out.append(s.buyer_id == party_id(flt.buyer))
    if flt.seller is not None:
        out.append(s.seller_id == party_id(flt.seller))
    if flt.country is not None:
        wanted = party_id(flt.country)
        out.append(or_(s.buyer_id == wanted, s.seller_id == wanted))
    if flt.system is not None:
        pattern = "%" + _escaped(flt.system.casefold()) + "%"
        out.append(func.lower(s.system).like(pattern, escape="\\"))
    if flt.state is not None:
        out.append(s.state == flt.state)
    if flt.signed is not None:
        first, last = flt.signed
        out += [func.coalesce(s.signed_earliest, s.signed_latest) >= first, s.signed_latest <= last]
    if flt.overdue:
        out.append(exists(_overdue(today).where(MILESTONES.c.stream_id == s.stream_id)))
    if flt.words:
        out.append(_search(flt.words, dialect))
    return out


#: The full-text index of search_text (alembic 0006): an FTS5 table on SQLite whose rowid is
#: the status row's position, a GIN index on this very expression on PostgreSQL.
FTS_TABLE = "proj_contract_search"
PG_VECTOR = (
    "to_tsvector('simple'::regconfig,"
    " regexp_replace(proj_contract_status.search_text, '[^[\\:alnum\\:]]+', ' ', 'g'))"
)


def _search(words: list[str], dialect: str) -> ColumnElement[bool]:
    """Every word begins a word of the text (a prefix query), through the full-text index."""
    if dialect == "postgresql":
        query = " & ".join(f"{w}:*" for w in words)
        return text(f"{PG_VECTOR} @@ to_tsquery('simple'::regconfig, :fts_words)").bindparams(
            fts_words=query
        )  # type: ignore[return-value]
    fts = table(FTS_TABLE, column("rowid"))
    query = " AND ".join(f'"{w}"*' for w in words)
    matched = select(fts.c.rowid).where(literal_column(FTS_TABLE).op("MATCH")(query))
    return STATUS.c.position.in_(matched)


def _overdue(today: date) -> Select[Any]:
    m = MILESTONES.c
    return select(m.stream_id).where(
        m.delivered.is_(None), m.due_latest < today, STATUS.c.cancelled.is_(False)
    )


def _ordered(query: Select[Any], flt: ContractFilter, conn: Connection) -> Select[Any]:
    s = STATUS.c
    binary = "C" if conn.dialect.name == "postgresql" else "BINARY"
    if flt.sort == "signed":
        keys = [func.coalesce(s.signed_earliest, s.signed_latest), s.signed_latest]
    elif flt.sort in ("delivered", "remaining"):
        keys = [s[flt.sort].is_(None), s[flt.sort]]
    else:
        keys = [s[flt.sort].collate(binary)]
    return query.order_by(*keys, s.ref.collate(binary))


class _Extras:
    """Per contract: figures reported, production, overdue milestones on the day."""

    def __init__(self, conn: Connection, refs: list[str], today: date) -> None:
        self.figures: dict[str, list[Any]] = defaultdict(list)
        self.produced: dict[str, Tally] = {}
        self.overdue: dict[str, int] = {}
        for start in range(0, len(refs), _CHUNK):
            self._read(conn, refs[start : start + _CHUNK], today)

    def _read(self, conn: Connection, refs: list[str], today: date) -> None:
        f, p, m = FIGURES.c, PRODUCTION.c, MILESTONES.c
        for row in conn.execute(select(FIGURES).where(f.ref.in_(refs)).order_by(f.ref, f.seq)):
            self.figures[row.ref].append(row)
        last: dict[tuple[str, str], Tally] = {}
        query = select(p.stream_id, p.contract, p.total, p.total_low, p.total_high)
        query = query.add_columns(p.total_as_written).where(p.contract.in_(refs))
        for row in conn.execute(query.order_by(p.stream_id, p.seq)):
            last[(row.stream_id, row.contract)] = Tally(*row[2:])
        for (_, contract), total in last.items():
            before = self.produced.get(contract)
            self.produced[contract] = total if before is None else before.plus(total)
        late = (
            select(m.ref, func.count())
            .join(STATUS, STATUS.c.stream_id == m.stream_id)
            .where(m.ref.in_(refs), m.delivered.is_(None), m.due_latest < today)
            .where(STATUS.c.cancelled.is_(False))
            .group_by(m.ref)
        )
        self.overdue.update((ref, n) for ref, n in conn.execute(late))


def _status(row: dict[str, Any], extra: _Extras, today: date) -> ContractStatus:
    """The status a row (a dict of the status table's columns) holds, as contract_status
    gives it."""
    m = row
    ref = m["ref"]
    figures = extra.figures.get(ref, ())
    values = tuple(
        ValueReport(value=_money(f.amount, f.currency), sources=f.sources)
        for f in figures
        if f.kind == "value"
    )
    produced = extra.produced.get(ref)
    due = m["next_due_label"]
    return ContractStatus(
        **{k: m[k] for k in _PLAIN},
        signed=_date(m["signed"]),
        produced=None if produced is None else produced.best,
        percent=_percent(m["delivered"], m["ordered"]),
        value=_money(m["value_amount"], m["value_currency"]),
        value_reports=values,
        value_range=_ranges(r.value for r in values),
        quantity_reports=tuple(
            QuantityReport(quantity=f.quantity, sources=f.sources)
            for f in figures
            if f.kind == "quantity"
        ),
        last_delivery=_parsed(m["last_delivery"]),
        next_milestone=None if due is None else NextMilestone(label=due, due=_date(m["next_due"])),
        overdue_milestones=extra.overdue.get(ref, 0),
        as_of=today,
        delivered_estimate=_estimate(m, "delivered"),
        produced_estimate=None if produced is None else produced.estimate(),
        sipri=_sipri(m),
        sipri_release=m["sipri_release"],
    )


#: Status fields held as they are in a column of the same name.
_PLAIN: tuple[str, ...] = ("ref", "system", "description", "buyer", "seller", "ordered")
_PLAIN += ("delivered", "remaining", "unit", "state")
_TIVS = ("tiv_unit", "tiv_order", "tiv_delivered", "tiv_new_unit")


@lru_cache(maxsize=4096)
def _money(amount: str | None, currency: str | None) -> Money | None:
    return None if amount is None else Money(amount=Decimal(amount), currency=currency)


def _estimate(m: dict[str, Any], name: str) -> Estimate | None:
    if m[f"{name}_as_written"] is None:
        return None
    return Estimate(
        best=m[name],
        low=m[f"{name}_low"],
        high=m[f"{name}_high"],
        as_written=m[f"{name}_as_written"],
    )


def _sipri(m: dict[str, Any]) -> SipriRecord | None:
    """SIPRI's record from the sipri_* columns (derive.sipri_columns), None if it has none."""
    if m["sipri_supplier"] is None:
        return None
    fields = {name: m["sipri_" + name] for name in SipriRecord.model_fields if name != "key"}
    # The key is held as sipri_id; a contract that stores none has its ref's form there.
    fields["key"] = None if m["sipri_id"] == opaque_sipri_id(m["ref"]) else m["sipri_id"]
    fields["quality"] = tuple(fields["quality"].split("\n")) if fields["quality"] else ()
    for name in _TIVS:
        if fields[name] is not None:
            fields[name] = Decimal(fields[name])
    return SipriRecord(**fields)


def _parsed(text: str | None) -> FuzzyDate | None:
    return None if text is None else _date(text)


@lru_cache(maxsize=8192)
def _date(text: str) -> FuzzyDate:
    # Dates repeat (SIPRI's are years): parse each text once. FuzzyDate is immutable.
    return FuzzyDate.parse(text)


def _escaped(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
