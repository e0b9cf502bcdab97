"""The read models (projections) beside the log: how far each is, catching up, rebuilding.

Reads never call ``catch_up``: they read the tables when ``current`` says so and fold the
log otherwise. Catching up is a write's job (every append levels them first), or
`tracker projections catch-up` / `rebuild`'s.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tracker.projections.projector import ProjectionStatus
    from tracker.service.app import Tracker

Progress = Callable[[int], None]


def head_position(tracker: Tracker) -> int:
    """The position of the log's last event: how many events it holds."""
    return tracker.store.head_position()


def projections(tracker: Tracker) -> list[ProjectionStatus]:
    """Each projection's checkpoint, versions (stored and code's) and lag behind the log."""
    return tracker.projector.status()


def current(tracker: Tracker) -> bool:
    """Whether every projection is level with the log and built by this code's version."""
    return all(p.lag == 0 and not p.stale for p in tracker.projector.status())


def catch_up(tracker: Tracker, progress: Progress | None = None) -> int:
    """Apply to the projections the events they lack, if any (a write); the events read."""
    return 0 if current(tracker) else tracker.projector.catch_up(progress)


def rebuild(
    tracker: Tracker, names: Iterable[str] | None = None, progress: Progress | None = None
) -> int:
    """Empty the named projections (default: all) and replay the log into them."""
    return tracker.projector.rebuild(names, progress)
