"""PostgreSQL takes the log's write lock with a transaction's first statement (in the same
round trip) rather than on its own: whichever statement comes first, the lock is held
before it runs, exactly as when it was taken at once; and it never outlives the
transaction. The oracle is the server's own pg_locks, read from another connection."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Connection

from tests.store.helpers import new_event
from tracker.service.app import Tracker
from tracker.store.backend import backend_of

pytestmark = pytest.mark.parametrize(
    "db_url", [pytest.param("postgresql", marks=pytest.mark.postgres)], indirect=True
)

HOLDS = (
    "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted AND pid = :pid "
    "AND objid = (hashtextextended(:schema || '.events', 0) & 4294967295)::oid"
)


def holds_lock(tracker: Tracker, pid: int, schema: str) -> bool:
    with tracker.engine.connect() as other:
        return bool(other.execute(text(HOLDS), {"pid": pid, "schema": schema}).scalar_one())


def whoami(conn: Connection) -> tuple[int, str]:
    raw = conn.connection.driver_connection
    assert raw is not None
    return raw.info.backend_pid, str(raw.execute("SELECT current_schema()").fetchone()[0])


FIRST: dict[str, Callable[[Any, Connection], object]] = {
    "the append's lookup": lambda t, c: backend_of(c).lookup(c, ["x"], ["s:a"], None),
    "a page read by the driver": lambda t, c: backend_of(c).select(c, "WHERE position > ?", (0,)),
    "a statement through SQLAlchemy": lambda t, c: c.execute(text("SELECT 1")).scalar_one(),
    "head_in": lambda t, c: t.store.head_in(c),
    "an append": lambda t, c: t.store.append("s:b", [new_event()], conn=c),
}


@pytest.mark.parametrize("first", list(FIRST))
def test_the_lock_is_held_from_the_first_statement_to_the_end(tracker: Tracker, first: str):
    tracker.store.append("s:a", [new_event()])
    with tracker.store.transaction() as conn:
        pid, schema = whoami(conn)  # a bare-driver query: not through the backend
        FIRST[first](tracker, conn)
        assert holds_lock(tracker, pid, schema)
    assert not holds_lock(tracker, pid, schema)
    # The same pooled connection, read outside a write transaction, takes no lock.
    with tracker.engine.connect() as conn:
        assert whoami(conn)[0] == pid
        conn.execute(text("SELECT count(*) FROM events")).scalar_one()
        backend_of(conn).select(conn, "WHERE position > ?", (0,))
        assert not holds_lock(tracker, pid, schema)


def test_a_transaction_rolled_back_before_any_statement_leaves_no_lock_due(tracker: Tracker):
    with pytest.raises(RuntimeError), tracker.store.transaction() as conn:
        pid, schema = whoami(conn)
        raise RuntimeError("before any statement of the store")
    with tracker.engine.connect() as conn:
        assert whoami(conn)[0] == pid
        backend_of(conn).select(conn, "WHERE position > ?", (0,))
        assert not holds_lock(tracker, pid, schema)
