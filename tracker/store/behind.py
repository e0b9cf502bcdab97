"""Statements run behind the caller: SQLite working while Python goes on.

An import on SQLite stages each batch's rows, the events' and the read models', in
temporary tables, then moves them with ``INSERT ... SELECT`` statements
(tracker/store/sqlite.py ``_stage``, ``_from_stages``): several milliseconds of SQLite's
work each (the append check runs on every event there), with nothing to bind, during which
the driver gives up Python's lock. Inside ``statements_behind(conn)`` those statements run
on a second thread, and the caller goes on building the next rows (the read models of the
states just folded, the next deals) on the other core.

Nothing else changes: the same connection, the same transaction, the same rows in the same
order. Before any other statement on the connection the caller waits for the one behind
(``drained``: SQLAlchemy's statements through the engine's hook, the bare driver's through
the backend), so the connection is never used by two threads at once and whatever the
caller reads sees every row it wrote. A statement that fails behind is raised at the next
statement, or when the block ends, and again after that: the transaction cannot commit. The
block waits for the statement behind before it ends, by an error or not, so nothing runs
after it.

Only long statements with no parameters to bind are worth it: the thread needs Python's lock
to start and to finish, which a busy caller hands over only every few milliseconds.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress

from sqlalchemy.engine import Connection

_KEY = "tracker.statements_behind"


class _Behind:
    """The statement running behind, if any, and the error of one that failed."""

    def __init__(self) -> None:
        self._thread: threading.Thread | None = None
        self._error: BaseException | None = None

    def run(self, job: Callable[[], None]) -> None:
        """Start ``job`` on its own thread, once the one before it is done."""
        self.wait()
        self._thread = threading.Thread(target=self._run, args=(job,), name="tracker-behind")
        self._thread.start()

    def wait(self) -> None:
        """Wait for the job behind; raise the error of any that failed."""
        if self._thread is not None:
            self._thread.join()
            self._thread = None
        if self._error is not None:
            raise self._error

    def _run(self, job: Callable[[], None]) -> None:
        try:
            job()
        except BaseException as e:  # raised again in the caller's thread
            self._error = e


@contextmanager
def statements_behind(conn: Connection) -> Iterator[None]:
    """Long statements on ``conn`` (SQLite) may run behind the caller until the block ends,
    which waits for them (raising the error of one that failed). Nested, or on PostgreSQL
    (whose server already works apart from Python), it does nothing."""
    if conn.dialect.name != "sqlite" or _KEY in conn.info:
        yield
        return
    behind = conn.info[_KEY] = _Behind()
    try:
        yield
        behind.wait()
    finally:
        del conn.info[_KEY]
        with suppress(Exception):  # raised already, or another error is on its way
            behind.wait()


def run_behind(conn: Connection, job: Callable[[], None]) -> None:
    """Run ``job`` (statements on ``conn``'s driver connection) behind the caller inside
    ``statements_behind``; outside it, now."""
    behind = conn.info.get(_KEY)
    if isinstance(behind, _Behind):
        behind.run(job)
    else:
        job()


def is_behind(conn: Connection) -> bool:
    """Whether statements on ``conn`` may run behind the caller (``statements_behind``)."""
    return isinstance(conn.info.get(_KEY), _Behind)


def drained(conn: Connection) -> None:
    """Before a statement on ``conn``: wait for the one behind, raising its error."""
    behind = conn.info.get(_KEY)
    if isinstance(behind, _Behind):
        behind.wait()
