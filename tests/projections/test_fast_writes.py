"""The shortcuts of the read models' writer give what the plain way gives (issue #14).

* rows: the deliveries and the citations of a contract are worked out once for two tables
  each, party ids are cached, SIPRI's record is read field by field: the rows equal those
  made the plain way (each table's function on its own, ``model_dump``);
* tuples for the driver: taken with one itemgetter, only DATE columns converted: equal to
  every value of every row passed through the plain conversion;
* deletes in the driver's SQL, for new streams too: rows a forger put in every table for
  streams an import then creates are replaced, and the audit finds the log's rows;
* SQLite's search index filled a batch at a time by the writer (alembic 0010): it holds
  every status row once, with its text, whatever was imported, replaced and rebuilt; a
  search through it finds what a plain scan of the texts finds.

The seeded story and both SIPRI fixtures (an earlier release, then a register over it,
which corrects and retracts) run through each.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select, text

from tests.importers.sipri_support import FIXTURES
from tracker.domain.figures import contracts
from tracker.domain.state.state import ContractState, load_state_json
from tracker.domain.values.parties import party_id as plain_party_id
from tracker.domain.views.status import contract_status
from tracker.projections import derive, transfers
from tracker.projections.batch import row_values
from tracker.projections.read_tables import STATUS, TYPED_TABLES
from tracker.projections.registry import STATE_PROJECTIONS
from tracker.service.app import Tracker
from tracker.service.sipri import import_sipri

EARLIER = FIXTURES / "by-delivery-year-2024-04-sample.csv"
REGISTER = FIXTURES / "register-2025-03-sample.csv"
TABLES = [t for group in TYPED_TABLES.values() for t in group]


def story(tracker: Tracker) -> Tracker:
    tracker.seed()
    import_sipri(tracker, EARLIER, allow_shrink=True)
    import_sipri(tracker, REGISTER)
    return tracker


def contract_states(tracker: Tracker) -> list[ContractState]:
    table = next(p.table for p in STATE_PROJECTIONS if p.name == "contracts")
    with tracker.engine.connect() as conn:
        states = [load_state_json(s) for s in conn.execute(select(table.c.state)).scalars()]
    found = [s for s in states if isinstance(s, ContractState)]
    assert len(found) > 10 and any(s.contract.sipri for s in found)  # the story is there
    return found


def typed(tracker: Tracker) -> list[list[tuple[Any, ...]]]:
    with tracker.engine.connect() as conn:
        return [sorted(tuple(r) for r in conn.execute(t.select())) for t in TABLES]


# --- the plain way, as it was written before the shortcuts -------------------------------


def plain_sipri_columns(record: Any, release: str | None) -> dict[str, Any]:
    if record is None:
        return dict.fromkeys(derive.SIPRI_COLUMNS) | {"sipri_release": release}
    dumped = record.model_dump()
    out: dict[str, Any] = {"sipri_" + k: v for k, v in dumped.items() if k != "key"}
    for name in ("tiv_unit", "tiv_order", "tiv_delivered", "tiv_new_unit"):
        value = out["sipri_" + name]
        out["sipri_" + name] = None if value is None else str(value)
    out["sipri_quality"] = "\n".join(record.quality)
    return out | {"sipri_release": release}


def plain_value(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def test_rows_worked_out_once_equal_the_rows_each_table_works_out_alone(
    sqlite_tracker: Tracker,
) -> None:
    for state in contract_states(story(sqlite_tracker)):
        rows = derive.contract_rows(state)
        status = contract_status(state, None, date(2000, 1, 1))
        assert rows["proj_contract_status"] == [derive.status_row(state, status)]
        assert rows["proj_transfers"] == transfers.transfer_rows(state)
        steps = contracts.deliveries(state)
        assert [r["event_id"] for r in rows["proj_deliveries"]] == [s.event_id for s in steps]
        cited = list(derive._citations(state))
        assert [r["event_id"] for r in rows["proj_sources"]] == [e for e, _ in cited]
        got = derive.sipri_columns(status.sipri, status.sipri_release)
        assert got == plain_sipri_columns(status.sipri, status.sipri_release)
        for name in (state.contract.buyer, state.contract.seller, "Türkiye, the", "A.B.C."):
            assert transfers.party_id(name) == plain_party_id(name)


def test_tuples_for_the_driver_equal_every_value_converted_plainly(
    sqlite_tracker: Tracker,
) -> None:
    tables = {t.name: t for t in TABLES}
    seen_days = 0
    for state in contract_states(story(sqlite_tracker)):
        for name, rows in derive.typed_rows(state).items():
            for row in rows:
                row.setdefault("position", 7)
            table = tables[name]
            names = tuple(c.name for c in table.columns)
            days = tuple(i for i, c in enumerate(table.columns) if "DATE" in str(c.type))
            fast = row_values(names, days, rows)
            assert fast == [tuple(plain_value(row[n]) for n in names) for row in rows]
            seen_days += sum(isinstance(row[names[i]], date) for row in rows for i in days)
    assert seen_days > 50  # days were there to convert


def test_imports_replace_rows_a_forger_put_for_streams_they_create(
    tracker: Tracker, tmp_path: Path
) -> None:
    # The streams the imports create, found in a database of their own.
    other = Tracker.open(str(tmp_path / "other.db"), create=True)
    other.init()
    import_sipri(other, EARLIER)
    import_sipri(other, REGISTER)
    created = sorted({s.stream_id for s in contract_states(other)})
    other.close()
    tracker.seed()
    honest = typed(tracker)
    # A seeded contract's rows, copied into every typed table under each new stream.
    model = next(s.stream_id for s in contract_states_of(tracker))
    with tracker.engine.begin() as conn:
        for n, stream in enumerate(created[:4]):
            for table in TABLES:
                rows = [dict(r._mapping) for r in conn.execute(table.select())]
                rows = [r for r in rows if r["stream_id"] == model]
                for row in rows:
                    row["stream_id"] = stream
                    if "ref" in row:
                        row["ref"] = f"forged-{n}"
                    if table is STATUS:
                        row["position"] = 10**9 + n  # no row of the log's has it
                if rows:
                    conn.execute(insert(table), rows)
    assert typed(tracker) != honest
    import_sipri(tracker, EARLIER, allow_shrink=True)
    import_sipri(tracker, REGISTER)
    assert tracker.verify_read_models().ok
    assert not any("forged" in str(row) for rows in typed(tracker) for row in rows)
    incremental = typed(tracker)
    tracker.rebuild()
    assert typed(tracker) == incremental  # the rows of the imports are those of a rebuild
    if tracker.engine.dialect.name == "sqlite":
        assert_search_index_is_the_status_texts(tracker)


def contract_states_of(tracker: Tracker) -> list[ContractState]:
    table = next(p.table for p in STATE_PROJECTIONS if p.name == "contracts")
    with tracker.engine.connect() as conn:
        states = [load_state_json(s) for s in conn.execute(select(table.c.state)).scalars()]
    return sorted(
        (s for s in states if isinstance(s, ContractState) and s.contract.sipri is None),
        key=lambda s: s.stream_id,
    )


def test_the_search_index_holds_each_status_text_once_through_imports_and_rebuilds(
    sqlite_tracker: Tracker,
) -> None:
    story(sqlite_tracker)
    assert_search_index_is_the_status_texts(sqlite_tracker)
    sqlite_tracker.rebuild()
    assert_search_index_is_the_status_texts(sqlite_tracker)
    # The older release again: changes over changes.
    import_sipri(sqlite_tracker, EARLIER, allow_shrink=True)
    assert_search_index_is_the_status_texts(sqlite_tracker)


def test_an_update_of_a_status_row_moves_its_words_in_the_index(sqlite_tracker: Tracker) -> None:
    story(sqlite_tracker)
    with sqlite_tracker.engine.begin() as conn:
        conn.execute(text("UPDATE proj_contract_status SET search_text = 'zebra quagga'"))
    assert_search_index_is_the_status_texts(sqlite_tracker)
    sqlite_tracker.rebuild()
    assert_search_index_is_the_status_texts(sqlite_tracker)


def assert_search_index_is_the_status_texts(tracker: Tracker) -> None:
    """FTS5's own check (its index against the status table), one document per row, and
    prefix searches answered as a plain scan of the texts answers them."""
    with tracker.engine.begin() as conn:
        conn.exec_driver_sql(
            "INSERT INTO proj_contract_search(proj_contract_search) VALUES ('integrity-check')"
        )
        query = select(STATUS.c.position, STATUS.c.search_text)
        texts: dict[int, str] = {p: t for p, t in conn.execute(query)}
        held = conn.exec_driver_sql("SELECT id FROM proj_contract_search_docsize").scalars()
        assert sorted(held) == sorted(texts)
        words = {w.casefold() for t in texts.values() for w in re.findall(r"[^\W_]+", t)}
        probes = [*sorted({w[:3] for w in words})[:40], "zebra", "nosuchword"]
        for probe in probes:
            found = conn.exec_driver_sql(
                "SELECT rowid FROM proj_contract_search WHERE proj_contract_search MATCH ?",
                (f'"{probe}"*',),
            ).scalars()
            expected = {
                p
                for p, t in texts.items()
                if any(w.casefold().startswith(probe) for w in re.findall(r"[^\W_]+", t))
            }
            assert set(found) == expected, probe
