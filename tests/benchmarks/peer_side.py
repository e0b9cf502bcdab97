"""The peer: the ``eventsourcing`` library's application recorder, used directly.

The recorder is the peer's store layer (what sits under its Application and Aggregate
classes), so this compares store with store. Its payload is encoded inside the timed part
with orjson, the tracker's own encoder, which favours the peer (its own transcoder is the
stdlib json module).
"""

from __future__ import annotations

from typing import Any

from tests.benchmarks.databases import Db
from tests.benchmarks.harness import Sample, Stopwatch
from tests.benchmarks.payloads import PEER_TOPIC, Plan, delivery_payload, stream_uuid


def recorder(db: Db) -> Any:
    """The peer's application recorder on ``db``, with the library's default settings."""
    if db.engine == "sqlite":
        from eventsourcing.sqlite import SQLiteApplicationRecorder, SQLiteDatastore

        # A file database: the library switches it to WAL and leaves synchronous at
        # SQLite's default, FULL, as the tracker sets it.
        return SQLiteApplicationRecorder(SQLiteDatastore(db.path))
    from eventsourcing.postgres import PostgresApplicationRecorder, PostgresDatastore

    kw = db.pg_kwargs()
    datastore = PostgresDatastore(
        dbname=str(kw["dbname"]),
        host=str(kw["host"]),
        port=kw["port"],
        user=str(kw["user"]),
        password=str(kw["password"]),
        schema=db.schema,
    )
    return PostgresApplicationRecorder(datastore)


def close(rec: Any) -> None:
    rec.datastore.close()


def setup(db: Db) -> None:
    rec = recorder(db)
    try:
        rec.create_table()
    finally:
        close(rec)


def append(db: Db, plan: Plan, budget_s: float) -> Sample:
    """Insert the plan's batches as StoredEvents, one ``insert_events`` call per batch."""
    import orjson
    from eventsourcing.persistence import StoredEvent

    rec = recorder(db)
    watch = Stopwatch(budget_s)
    for stream, first, count in watch.until_spent(plan.batches()):
        payloads = [delivery_payload(stream, v) for v in range(first, first + count)]
        oid = stream_uuid(stream)
        with watch.timed():
            rec.insert_events(
                [
                    StoredEvent(oid, first + i, PEER_TOPIC, orjson.dumps(p))
                    for i, p in enumerate(payloads)
                ]
            )
    stored = rec.max_notification_id() or 0
    close(rec)
    return watch.sample(extra={"stored": stored})
