"""Contract statuses read from the typed tables, filtered, sorted and paged in SQL.

The rows are made into statuses (with what depends on the day of the question) by
status_rows.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import date
from typing import Any

from sqlalchemy import column, exists, func, literal_column, or_, select, table, text
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.sql import ColumnElement, Select

from tracker.domain.values.opaque_refs import sipri_key_of
from tracker.domain.values.parties import party_id
from tracker.domain.views.status import ContractStatus
from tracker.projections.filters import ContractFilter
from tracker.projections.read_tables import MILESTONES, PRODUCTION, STATUS
from tracker.projections.status_rows import CHUNK, statuses
from tracker.store.errors import translate_db_error


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
            for start in range(0, len(refs), CHUNK):
                chunk = list(refs[start : start + CHUNK])
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
            return statuses(conn, rows, today), total

    def stream(self, flt: ContractFilter, today: date) -> Iterator[ContractStatus]:
        """The statuses ``page`` gives (without the count), read and built a chunk at a
        time: memory stays flat however many contracts pass."""
        with translate_db_error(), self.engine.connect() as conn:
            query = _ordered(_selected(flt, today, None, conn), flt, conn).limit(flt.limit)
            result = conn.execution_options(stream_results=True).execute(query)
            while rows := result.fetchmany(CHUNK):
                yield from statuses(conn, rows, today)


def _selected(
    flt: ContractFilter, today: date, refs: Sequence[str] | None, conn: Connection
) -> Select[Any]:
    query = select(STATUS).where(*_conditions(flt, today, conn.dialect.name))
    if refs is not None:
        query = query.where(STATUS.c.ref.in_(list(refs)))
    return query


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


def _escaped(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
