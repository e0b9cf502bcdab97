"""Opening the tracker for a command, once, and closing it when the command ends."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from tracker.service.app import Tracker


def open_tracker(ctx: click.Context, *, create: bool = False) -> Tracker:
    """The Tracker for --db, opened on first use and disposed when the command ends."""
    from tracker.service.app import Tracker

    root = ctx.find_root()
    tracker: Tracker | None = root.meta.get("tracker")
    if tracker is None:
        tracker = Tracker.open(root.obj.get("db"), create=create)
        root.meta["tracker"] = tracker
        root.call_on_close(tracker.close)
    return tracker
