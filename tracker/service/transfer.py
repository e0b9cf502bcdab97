"""The whole log out and in as JSON Lines (the format is tracker.store.transfer's).

Exporting, importing into a fresh database and exporting again gives byte-identical files,
on either engine.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import IO, TYPE_CHECKING

from tracker.errors import TrackerError

if TYPE_CHECKING:
    from tracker.service.app import Tracker
    from tracker.store.transfer import ImportResult

Progress = Callable[[int], None]
#: Events written between two calls of an export's ``progress``.
EVERY = 1000


def export(tracker: Tracker, out: IO[bytes], progress: Progress | None = None) -> int:
    """Write the log to ``out``, one event a line in position order; the events written.

    ``progress`` gets the events written since its last call.
    """
    from tracker.store.transfer import export_lines

    count = 0
    for line in export_lines(tracker.store):
        out.write(line)
        count += 1
        if progress is not None and count % EVERY == 0:
            progress(EVERY)
    if progress is not None:
        progress(count % EVERY)
    return count


def import_jsonl(
    tracker: Tracker, source: IO[bytes], name: str, progress: Progress | None = None
) -> ImportResult:
    """Load a log export read once from ``source`` and bring the projections level, in
    one transaction: all of it, or nothing. ``progress`` gets the bytes read."""
    from tracker.store.transfer import import_lines

    with tracker.store.transaction() as conn:
        result = import_lines(tracker.store, source, name=name, progress=progress, conn=conn)
        try:
            tracker.projector.level(conn)
        except TrackerError as e:
            if "nothing was written" in str(e):
                raise
            raise type(e)(f"{e}; nothing was imported") from e
    return result
