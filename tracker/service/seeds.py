"""The public record shipped in seeds/, loaded through the normal write path."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from tracker.errors import TrackerError
from tracker.importers.eventfile import FileEvent, read_event_file

if TYPE_CHECKING:
    from tracker.service.app import Tracker

#: Load order: an agreement before the contracts that cite it, contracts before notes on them.
ORDER = ("mtc-2021-2031", "s400", "ak203", "caatsa")


def seeds_dir() -> Path:
    """The seeds shipped inside the package (wheel) or beside it (a checkout)."""
    package = Path(__file__).resolve().parent.parent
    for candidate in (package / "_seeds", package.parent / "seeds"):
        if candidate.is_dir():
            return candidate
    raise TrackerError("Cannot find the seeds folder")


def available() -> list[str]:
    found = {p.stem for p in seeds_dir().glob("*.yaml")}
    return [n for n in ORDER if n in found] + sorted(found - set(ORDER))


@dataclass(frozen=True, slots=True)
class SeedFile:
    name: str
    events: list[FileEvent]


def read_seeds(names: Iterable[str] | None = None) -> list[SeedFile]:
    """Read and validate the named seeds (default: all), in load order."""
    every = available()
    chosen = list(names) if names else every
    unknown = [n for n in chosen if n not in every]
    if unknown:
        raise TrackerError(f"No seed '{unknown[0]}' (seeds: {', '.join(every)})")
    ordered = [n for n in every if n in chosen]
    folder = seeds_dir()
    return [
        SeedFile(n, read_event_file(folder / f"{n}.yaml", namespace=f"seed:{n}")) for n in ordered
    ]


def seed(
    tracker: Tracker,
    names: Iterable[str] | None = None,
    progress: Callable[[int], None] | None = None,
) -> list[tuple[str, int, int]]:
    """Load seeds (all or the named ones): (name, events read, events appended) each.

    Event ids are stable, so loading again appends nothing.
    """
    files = read_seeds(names)
    records = [e for f in files for e in f.events]
    logged = tracker.log(
        [e.event for e in records],
        actor="seed",
        event_ids=[e.event_id for e in records],
        progress=progress,
    )
    new = {lg.event_id for lg in logged if not lg.existed}
    return [(f.name, len(f.events), sum(e.event_id in new for e in f.events)) for f in files]
