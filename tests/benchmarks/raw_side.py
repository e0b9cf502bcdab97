"""The raw driver: the tracker's own rows, prepared beforehand, written with the bare driver.

The table is the tracker's (made by its migration), and every column value, hash chain
included, is computed outside the timed part: what is timed is only the driver and the
database, one transaction per batch as the others commit. This is the ceiling.
SQLite: ``executemany`` inside BEGIN IMMEDIATE .. COMMIT, WAL, synchronous=FULL.
PostgreSQL: ``COPY ... FROM STDIN`` per batch; a single event is a prepared INSERT.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from tests.benchmarks import tracker_side
from tests.benchmarks.databases import Db
from tests.benchmarks.harness import Sample, Stopwatch
from tests.benchmarks.payloads import (
    EVENT_TYPE,
    SCHEMA_VERSION,
    Plan,
    delivery_payload,
    stream_name,
)

COLUMNS = (
    "position, event_id, stream_id, stream_version, event_type, schema_version, "
    "occurred_precision, occurred_start, occurred_end, recorded_at, payload, metadata, "
    "prev_hash, hash"
)

setup = tracker_side.setup


class _Rows:
    """Builds the tracker's rows, hash chain and all, for a stream of batches."""

    def __init__(self) -> None:
        from tracker.store.hashing import GENESIS_HASH, format_recorded_at

        self.position = 0
        self.prev = GENESIS_HASH
        self.recorded_at = format_recorded_at(datetime.now(UTC))

    def batch(self, stream: int, first: int, count: int) -> list[tuple[Any, ...]]:
        from tracker.store.hashing import canonical_json, chain_hash, hashed_fields
        from tracker.store.ids import new_event_id

        rows = []
        name = stream_name(stream)
        for version in range(first, first + count):
            self.position += 1
            eid = new_event_id()
            payload = canonical_json(delivery_payload(stream, version))
            fields = hashed_fields(
                eid, name, version, EVENT_TYPE, SCHEMA_VERSION, "month", "2021-12-01",
                "2021-12-31", self.recorded_at, payload, "{}",
            )  # fmt: skip
            digest = chain_hash(self.prev, (str(self.position), *fields))
            rows.append(
                (
                    self.position, eid, name, version, EVENT_TYPE, SCHEMA_VERSION, "month",
                    "2021-12-01", "2021-12-31", self.recorded_at, payload, "{}", self.prev,
                    digest,
                )
            )  # fmt: skip
            self.prev = digest
        return rows


def append(db: Db, plan: Plan, budget_s: float) -> Sample:
    return _sqlite(db, plan, budget_s) if db.engine == "sqlite" else _postgres(db, plan, budget_s)


def _sqlite(db: Db, plan: Plan, budget_s: float) -> Sample:
    import sqlite3

    conn = sqlite3.connect(db.path, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")
    insert = f"INSERT INTO events ({COLUMNS}) VALUES ({', '.join('?' * 14)})"
    rows, watch = _Rows(), Stopwatch(budget_s)
    for stream, first, count in watch.until_spent(plan.batches()):
        batch = rows.batch(stream, first, count)
        with watch.timed():
            conn.execute("BEGIN IMMEDIATE")
            conn.executemany(insert, batch)
            conn.execute("COMMIT")
    stored = conn.execute("SELECT count(*) FROM events").fetchone()[0]
    conn.close()
    return watch.sample(extra={"stored": stored})


def _postgres(db: Db, plan: Plan, budget_s: float) -> Sample:
    import psycopg

    conn = psycopg.connect(**db.pg_kwargs(), autocommit=True)  # type: ignore[arg-type]
    insert = f"INSERT INTO events ({COLUMNS}) VALUES ({', '.join(['%s'] * 14)})"
    copy = f"COPY events ({COLUMNS}) FROM STDIN"
    rows, watch = _Rows(), Stopwatch(budget_s)
    with conn.cursor() as cur:
        for stream, first, count in watch.until_spent(plan.batches()):
            batch = rows.batch(stream, first, count)
            with watch.timed():
                if count == 1:
                    cur.execute(insert, batch[0], prepare=True)
                    continue
                with conn.transaction(), cur.copy(copy) as out:
                    for row in batch:
                        out.write_row(row)
        count_row = cur.execute("SELECT count(*) FROM events").fetchone()
    conn.close()
    return watch.sample(extra={"stored": count_row[0] if count_row else 0})
