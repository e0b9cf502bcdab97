"""The tracker opened for reading only: the database refuses writes, and reads never write.

SQLite is opened through a ``mode=ro`` URI, so the file cannot change through this
connection; PostgreSQL sessions start with ``default_transaction_read_only``, so every
transaction is ``READ ONLY``. As every Tracker's, its reads use the projections only when
they are level with the log, and fold the log itself otherwise; here the verdict is kept
for a while, as a site reads far more often than the log moves.
"""

from __future__ import annotations

import time
from pathlib import Path
from urllib.parse import quote

from tracker.config import resolve_url
from tracker.errors import DatabaseUnavailableError
from tracker.service.app import Tracker
from tracker.store.engine import connect
from tracker.store.eventstore import EventStore

READ_ONLY_OPTION = "-c default_transaction_read_only=on"
#: A level verdict is checked again after this long even at the same head (a rebuild
#: empties and refills the read models without a new event).
LEVEL_MAX_AGE_S = 5.0


class ReadOnlyTracker(Tracker):
    """A Tracker on a connection that refuses writes, keeping its "level" verdicts a while."""

    #: (head position, when) the projections were last seen level with the log.
    _level_at: tuple[int, float] | None = None

    def tables_current(self) -> bool:
        """Whether the projections are level with the log; the verdict is kept for the
        log's head, as read models move only when the log does (reading the checkpoints on
        every page would cost more than the page's own status read)."""
        head = self.head_position()
        kept = self._level_at
        if kept is not None and kept[0] == head and time.monotonic() - kept[1] < LEVEL_MAX_AGE_S:
            return True
        level = super().tables_current()
        self._level_at = (head, time.monotonic()) if level else None
        return level


def open_read_only(db: str | None = None) -> ReadOnlyTracker:
    """The tracker at --db / TRACKER_DATABASE_URL / ./tracker.db, opened read-only."""
    url = resolve_url(db)
    engine = connect(read_only_url(url))
    # The plain URL names the database in messages; the engine carries the read-only form.
    tracker = ReadOnlyTracker(url, engine, EventStore(engine))
    tracker.require_schema()
    return tracker


def read_only_url(url: str) -> str:
    """``url`` rewritten so that the database itself refuses writes made through it."""
    if url.startswith("sqlite:///") and not url.startswith("sqlite:///file:"):
        path = Path(url[len("sqlite:///") :])
        if not path.is_file():
            raise DatabaseUnavailableError(
                f"No tracker database at {path} (run 'tracker init' to create one)"
            )
        return f"sqlite:///file:{quote(str(path))}?mode=ro&uri=true"
    if url.startswith("postgresql"):
        from sqlalchemy.engine import make_url

        parsed = make_url(url)
        carried = parsed.query.get("options", "")
        carried = " ".join(carried) if isinstance(carried, tuple) else carried
        options = f"{carried} {READ_ONLY_OPTION}".strip()
        with_option = parsed.update_query_dict({"options": options})
        return with_option.render_as_string(hide_password=False)
    return url
