"""An import on SQLite stages its rows and writes them behind itself (tracker/store/behind.py):
the log and the read models it leaves must be those of plain row-by-row inserts, through a
first release and a second one that corrects, retracts and replaces read-model rows."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from tracker.service.app import Tracker
from tracker.service.sipri import import_sipri
from tracker.store import sqlite as sqlite_backend

FIXTURES = Path(__file__).parent / "fixtures"
RELEASES = ("by-delivery-year-2024-04-sample.csv", "register-2025-03-sample.csv")
#: What differs between two runs of the same import: the record time and what hashes it,
#: the metadata's correlation id, and when a checkpoint moved.
_PER_RUN = {"recorded_at", "hash", "prev_hash", "metadata", "updated_at"}


def _tables(path: Path) -> dict[str, list[tuple[object, ...]]]:
    db = sqlite3.connect(path)
    try:
        names = [
            n
            for (n,) in db.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        out = {}
        for name in names:
            cols = [c for _, c, *_ in db.execute(f"PRAGMA table_info({name})")]
            kept = ", ".join(f"{c}, typeof({c})" for c in cols if c not in _PER_RUN)
            try:
                out[name] = db.execute(f"SELECT {kept} FROM {name} ORDER BY rowid").fetchall()
            except sqlite3.OperationalError:  # a full-text index's own WITHOUT ROWID tables
                out[name] = sorted(db.execute(f"SELECT {kept} FROM {name}").fetchall(), key=repr)
        out["search: India"] = db.execute(
            "SELECT rowid FROM proj_contract_search WHERE proj_contract_search MATCH 'india'"
            " ORDER BY rowid"
        ).fetchall()
        return out
    finally:
        db.close()


def _imported(tmp_path: Path, name: str, monkeypatch: pytest.MonkeyPatch, stage_from: int):
    monkeypatch.setattr(sqlite_backend, "STAGE_FROM", stage_from)
    path = tmp_path / name
    tracker = Tracker.open(str(path), create=True)
    tracker.init()
    try:
        counts = [import_sipri(tracker, FIXTURES / release) for release in RELEASES]
    finally:
        tracker.close()
    return [(r.new, r.corrected, r.retracted, r.unchanged) for r in counts], _tables(path)


def test_an_import_written_behind_leaves_what_row_by_row_inserts_leave(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    staged_counts, staged = _imported(tmp_path, "staged.db", monkeypatch, stage_from=1)
    plain_counts, plain = _imported(tmp_path, "plain.db", monkeypatch, stage_from=10**9)
    assert staged_counts == plain_counts
    assert staged_counts[1][1] > 0 and staged_counts[1][2] > 0  # corrected and retracted
    assert staged.keys() == plain.keys()
    for name in plain:
        assert staged[name] == plain[name], name
    assert len(staged["proj_contract_status"]) > 0 and len(staged["search: India"]) > 0
