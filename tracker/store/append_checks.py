"""What an append checks before it writes: each event id once, with the content stored
under it (if stored), and each stream at the version its writer expected."""

from __future__ import annotations

from collections.abc import Sequence

from tracker.errors import ConcurrencyError, DuplicateEventError
from tracker.store.records import Expect, ExpectedVersion, NewEvent, RecordedEvent
from tracker.store.rows import StoredRow, content, decode, stored_content

Items = Sequence[tuple[str, list[NewEvent], ExpectedVersion]]


def wanted_events(items: Items) -> dict[str, tuple[str, NewEvent]]:
    """The events of an append by id; one id twice with different content is refused."""
    wanted: dict[str, tuple[str, NewEvent]] = {}
    for stream_id, events, _ in items:
        for e in events:
            if e.event_id in wanted and content(*wanted[e.event_id]) != content(stream_id, e):
                raise DuplicateEventError(
                    f"Event {e.event_id} appears twice with different content"
                )
            wanted[e.event_id] = (stream_id, e)
    return wanted


def checked_existing(
    rows: list[StoredRow], wanted: dict[str, tuple[str, NewEvent]]
) -> dict[str, RecordedEvent]:
    """The stored events among those wanted, each checked to carry the same content."""
    found: dict[str, RecordedEvent] = {}
    for row in rows:
        rec = decode(row)
        if stored_content(rec) != content(*wanted[rec.event_id]):
            raise DuplicateEventError(
                f"Event {rec.event_id} is already stored at position {rec.position} "
                f"in stream '{rec.stream_id}' with different content"
            )
        found[rec.event_id] = rec
    return found


def checked_version(stream_id: str, current: int, expected: ExpectedVersion) -> int:
    ok = (
        expected is Expect.ANY
        or (expected is Expect.NO_STREAM and current == 0)
        or (expected is Expect.STREAM_EXISTS and current > 0)
        or (isinstance(expected, int) and not isinstance(expected, bool) and expected == current)
    )
    if not ok:
        want = expected.value if isinstance(expected, Expect) else f"version {expected}"
        raise ConcurrencyError(f"Stream '{stream_id}' expected {want} but is at version {current}")
    return current
