"""A timeline report on any number of contracts, made a programme at a time.

Each programme is read (a batch of contracts at a time, see service/reporting.py), made
into its section and written as its format's piece to a temporary file, then dropped: the
report never holds more than a batch. Once every programme is read the outline is known
(contents, widest date, numbered sources) and the report is written out, head, pieces and
tail: the same bytes ``timeline_of`` and the format's ``render_*`` give.

Citations are numbered as they come, which is the report's order. Only one thing can
turn out wrong that way: a URL cited without a letter ('3') and later cited under another
description (so '3a', '3b'). Then the programmes are read and written a second time,
every description known from the start (``Citations.settled``).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import TYPE_CHECKING, Generic

from tracker.reports.citations import Citations
from tracker.reports.model import DATE_WIDTH, Outline, register, section_of
from tracker.reports.pieces import Format, P, Spool, chunks, coalesced
from tracker.service.reporting import programme_stream

if TYPE_CHECKING:
    from tracker.projections.filters import ContractFilter
    from tracker.service.app import Tracker
    from tracker.service.reporting import Programme


@dataclass(frozen=True, slots=True)
class Streamed(Generic[P]):
    """A report read whole, its pieces waiting in a temporary file: write it out with
    ``parts`` (once), then ``close`` it."""

    fmt: Format[P]
    outline: Outline
    pieces: Spool[P]

    def parts(self) -> Iterator[str]:
        """The report's text, about 64 KiB at a time."""
        return coalesced(chunks(self.fmt, self.outline, self.pieces))

    def close(self) -> None:
        self.pieces.close()


def stream_timeline(
    tracker: Tracker,
    fmt: Format[P],
    refs: Sequence[str] | None = None,
    *,
    flt: ContractFilter | None = None,
    start: date | None = None,
    end: date | None = None,
    as_of: date | None = None,
    known_at: datetime | None = None,
    scope: Sequence[str] = (),
    title: str = "Procurement timeline",
) -> Streamed[P]:
    """Read the programmes ``timeline_of`` would and make each into ``fmt``'s piece."""
    up_to = tracker.store.head_position()  # both readings tell the same story

    def programmes() -> Iterator[Programme]:
        return programme_stream(
            tracker, refs, flt=flt, start=start, end=end, as_of=as_of, known_at=known_at,
            up_to=up_to,
        )  # fmt: skip

    header = Outline(
        title=title,
        as_of=as_of or tracker.today(),
        as_of_given=as_of is not None,
        known_at=known_at,
        scope=tuple(scope),
        contents=(),
        date_width=DATE_WIDTH,
        sources=(),
    )
    citations = Citations()
    made = _made(programmes(), fmt, citations, header)
    if not citations.settled:
        made.close()
        citations.again()
        made = _made(programmes(), fmt, citations, header)
    return made


def _made(
    programmes: Iterable[Programme], fmt: Format[P], citations: Citations, header: Outline
) -> Streamed[P]:
    pieces: Spool[P] = Spool()
    contents: list[tuple[str, str]] = []
    width: int | None = None
    try:
        for programme in programmes:
            register(programme, citations)
            section = section_of(programme, citations)
            contents.append((section.ref, section.status.system))
            for line in section.lines:
                width = max(width or 0, len(line.date_text))
            pieces.append(fmt.piece(section))
    except BaseException:
        pieces.close()
        raise
    width = DATE_WIDTH if width is None else width
    outline = replace(
        header, contents=tuple(contents), date_width=width, sources=citations.listed()
    )
    return Streamed(fmt, outline, pieces)
