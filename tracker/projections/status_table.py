"""Contract statuses read from the typed tables, filtered, sorted and paged in SQL.

Only what depends on the day of the question is worked out here: overdue milestones (those
not delivered, of a contract not cancelled, due before the day) and the percent delivered.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import column, exists, func, literal_column, or_, select, table, text
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.sql import ColumnElement, Select

from tracker.domain.dates import FuzzyDate
from tracker.domain.money import Money
from tracker.domain.parties import party_id
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
        """The refs equal to ``prefix`` or starting with it (at most 11), in order."""
        s = STATUS.c
        exact = select(s.ref).where(s.ref == prefix)
        like = select(s.ref).where(s.ref.like(_escaped(prefix) + "%", escape="\\"))
        with translate_db_error(), self.engine.connect() as conn:
            if conn.execute(exact).first():
                return [prefix]
            return list(conn.execute(like.order_by(s.ref).limit(11)).scalars())

    def page(
        self, flt: ContractFilter, today: date, refs: Sequence[str] | None = None
    ) -> tuple[list[ContractStatus], int]:
        """The statuses that pass ``flt`` (of ``refs``, if given), sorted, at most
        ``flt.limit`` of them, and how many passed in all."""
        with translate_db_error(), self.engine.connect() as conn:
            query = select(STATUS).where(*_conditions(flt, today, conn.dialect.name))
            if refs is not None:
                query = query.where(STATUS.c.ref.in_(list(refs)))
            total = conn.execute(select(func.count()).select_from(query.subquery())).scalar_one()
            rows = conn.execute(_ordered(query, flt, conn).limit(flt.limit)).all()
            refs_read = [r.ref for r in rows]
            extra = _Extras(conn, refs_read, today)
        return [_status(r, extra, today) for r in rows], total


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
        self.produced: dict[str, int] = {}
        self.overdue: dict[str, int] = {}
        for start in range(0, len(refs), _CHUNK):
            self._read(conn, refs[start : start + _CHUNK], today)

    def _read(self, conn: Connection, refs: list[str], today: date) -> None:
        f, p, m = FIGURES.c, PRODUCTION.c, MILESTONES.c
        for row in conn.execute(select(FIGURES).where(f.ref.in_(refs)).order_by(f.ref, f.seq)):
            self.figures[row.ref].append(row)
        last: dict[tuple[str, str], int] = {}
        query = select(p.stream_id, p.contract, p.total).where(p.contract.in_(refs))
        for row in conn.execute(query.order_by(p.stream_id, p.seq)):
            last[(row.stream_id, row.contract)] = row.total
        for (_, contract), total in last.items():
            self.produced[contract] = self.produced.get(contract, 0) + total
        late = (
            select(m.ref, func.count())
            .join(STATUS, STATUS.c.stream_id == m.stream_id)
            .where(m.ref.in_(refs), m.delivered.is_(None), m.due_latest < today)
            .where(STATUS.c.cancelled.is_(False))
            .group_by(m.ref)
        )
        self.overdue.update((ref, n) for ref, n in conn.execute(late))


def _status(row: Any, extra: _Extras, today: date) -> ContractStatus:
    value = None
    if row.value_amount is not None:
        value = Money(amount=Decimal(row.value_amount), currency=row.value_currency)
    figures = extra.figures.get(row.ref, [])
    values = tuple(
        ValueReport(value=Money(amount=Decimal(f.amount), currency=f.currency), sources=f.sources)
        for f in figures
        if f.kind == "value"
    )
    return ContractStatus(
        ref=row.ref,
        system=row.system,
        description=row.description,
        buyer=row.buyer,
        seller=row.seller,
        signed=FuzzyDate.parse(row.signed),
        ordered=row.ordered,
        delivered=row.delivered,
        produced=extra.produced.get(row.ref),
        remaining=row.remaining,
        unit=row.unit,
        percent=_percent(row.delivered, row.ordered),
        value=value,
        value_reports=values,
        value_range=_ranges(r.value for r in values),
        quantity_reports=tuple(
            QuantityReport(quantity=f.quantity, sources=f.sources)
            for f in figures
            if f.kind == "quantity"
        ),
        state=row.state,
        last_delivery=_parsed(row.last_delivery),
        next_milestone=NextMilestone(label=row.next_due_label, due=FuzzyDate.parse(row.next_due))
        if row.next_due_label is not None
        else None,
        overdue_milestones=extra.overdue.get(row.ref, 0),
        as_of=today,
    )


def _parsed(text: str | None) -> FuzzyDate | None:
    return None if text is None else FuzzyDate.parse(text)


def _escaped(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
