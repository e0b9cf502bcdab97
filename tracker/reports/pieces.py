"""How every format writes a timeline report: its outline's head, one piece per programme,
its outline's tail.

A format makes each programme's piece as soon as the programme is read (``piece``), and
writes the pieces out once the whole report is known (``body``): what a piece cannot know
alone (the widest date of a text report, the list of contents of an HTML page) comes from
the ``Outline``. A report held in memory and a report streamed from the log go through the
same code, so they are the same bytes.
"""

from __future__ import annotations

import pickle
import tempfile
from collections.abc import Iterable, Iterator
from typing import IO, Generic, Protocol, TypeVar

from tracker.reports.model import Outline, Section, TimelineReport

P = TypeVar("P")


class Format(Protocol[P]):
    def head(self, outline: Outline) -> str:
        """What comes before the first programme."""
        ...

    def piece(self, section: Section) -> P:
        """One programme, as far as it can be written alone (picklable)."""
        ...

    def body(self, pieces: Iterable[P], outline: Outline) -> Iterator[str]:
        """The programmes; ``pieces`` can be read more than once."""
        ...

    def tail(self, outline: Outline) -> str:
        """What comes after the last programme."""
        ...


def chunks(fmt: Format[P], outline: Outline, pieces: Iterable[P]) -> Iterator[str]:
    yield fmt.head(outline)
    yield from fmt.body(pieces, outline)
    yield fmt.tail(outline)


def render(fmt: Format[P], report: TimelineReport) -> str:
    """The whole report as one string."""
    return "".join(chunks(fmt, report.outline(), [fmt.piece(s) for s in report.sections]))


class Spool(Generic[P]):
    """Pieces kept in a temporary file as they are made, read back in order (as often as
    wanted): a report's pieces wait there, not in memory, until its outline is known."""

    def __init__(self) -> None:
        self._file: IO[bytes] = tempfile.TemporaryFile()  # noqa: SIM115 - closed by close()
        self._count = 0

    def append(self, piece: P) -> None:
        pickle.dump(piece, self._file, protocol=pickle.HIGHEST_PROTOCOL)
        self._count += 1

    def __iter__(self) -> Iterator[P]:
        self._file.flush()
        self._file.seek(0)
        for _ in range(self._count):
            yield pickle.load(self._file)
        self._file.seek(0, 2)

    def close(self) -> None:
        self._file.close()


def coalesced(parts: Iterable[str], size: int = 1 << 16) -> Iterator[str]:
    """The parts joined into strings of about ``size`` characters: fewer, larger writes."""
    held: list[str] = []
    length = 0
    for part in parts:
        held.append(part)
        length += len(part)
        if length >= size:
            yield "".join(held)
            held, length = [], 0
    if held:
        yield "".join(held)
