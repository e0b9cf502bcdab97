"""A timeline report as data: programmes with their entries, citations numbered once.

Every renderer (text, Markdown, HTML, CSV, JSON) reads the same ``TimelineReport``, so the
formats cannot disagree about which entries there are or which number a source has.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Literal

from tracker.domain.values.quantity import count_words
from tracker.domain.views import ContractProduction, ContractStatus, ScheduleView, TimelineEntry
from tracker.domain.views.timeline import Fix
from tracker.reports.citations import Citations, Cited, Listed
from tracker.service.reporting import Programme

if TYPE_CHECKING:
    from tracker.projections.filters import ContractFilter
    from tracker.service.app import Tracker

CompletionBasis = Literal["completed", "production", "schedule", "unknown"]


@dataclass(frozen=True, slots=True)
class Line:
    """One timeline entry as a report prints it, with its citations as this entry made them.

    The entry stands at its corrected date with its current content; ``fixes`` pairs each
    correction or retraction of it with the citations of its sources.
    """

    programme: str
    entry: TimelineEntry
    citations: tuple[Cited, ...]
    fixes: tuple[tuple[Fix, tuple[Cited, ...]], ...] = ()

    @property
    def date_text(self) -> str:
        return self.entry.date.human()

    @property
    def summary(self) -> str:
        """What the record says now (corrections applied)."""
        return self.entry.summary

    @property
    def original(self) -> str | None:
        """The superseded summary of a corrected entry; None when never corrected."""
        return self.entry.original_summary if self.entry.corrected else None

    @property
    def original_date_text(self) -> str | None:
        first = self.entry.original_date
        return first.human() if self.entry.corrected and first is not None else None

    @property
    def struck(self) -> bool:
        """True when the entry no longer stands at all (retracted)."""
        return self.entry.retracted


# How a report names a corrected field; the rest go by their field name.
FIELD_WORDS = {"occurred": "date"}


def fix_words(fix: Fix, arrow: str = "→") -> str:
    """'Mar 2026: date 2021 → 2022 (a better source)': when, what changed and why."""
    when = fix.date.human()
    if fix.kind == "retracted":
        return f"{when} ({fix.reason})"
    changes = "; ".join(
        f"{FIELD_WORDS.get(c.field, c.field)} {c.old} {arrow} {c.new}" for c in fix.changes
    )
    return f"{when}: {changes or 'no field changed'} ({fix.reason})"


@dataclass(frozen=True, slots=True)
class Completion:
    """When a contract should be complete, and on what basis that is said."""

    basis: CompletionBasis
    day: date | None
    text: str
    explanation: str


@dataclass(frozen=True, slots=True)
class Section:
    """One programme: its contract status, schedule, production and report lines."""

    status: ContractStatus
    schedule: ScheduleView
    production: tuple[tuple[str, ContractProduction], ...]
    completion: Completion
    lines: tuple[Line, ...]

    @property
    def ref(self) -> str:
        return self.status.ref


@dataclass(frozen=True, slots=True)
class TimelineReport:
    """Programmes in order, each with entries in world-date order, and the numbered sources."""

    title: str
    as_of: date
    as_of_given: bool
    known_at: datetime | None
    scope: tuple[str, ...]
    sections: tuple[Section, ...]
    sources: tuple[Listed, ...] = field(default=())

    @property
    def lines(self) -> list[Line]:
        return [line for s in self.sections for line in s.lines]

    def when(self) -> str:
        """'As of 24 Nov 2026', plus what the log held when --known-at was given."""
        return when(self.as_of, self.known_at)

    def outline(self) -> Outline:
        return Outline(
            title=self.title,
            as_of=self.as_of,
            as_of_given=self.as_of_given,
            known_at=self.known_at,
            scope=self.scope,
            contents=tuple((s.ref, s.status.system) for s in self.sections),
            date_width=max((len(line.date_text) for line in self.lines), default=DATE_WIDTH),
            sources=self.sources,
        )


DATE_WIDTH = 8  # the date column of a text report without entries


@dataclass(frozen=True, slots=True)
class Outline:
    """A report but its programmes: its header, the programmes' refs and systems (a list of
    contents), its widest entry date and its numbered sources. A renderer writes the
    programmes one at a time between what it writes of the outline."""

    title: str
    as_of: date
    as_of_given: bool
    known_at: datetime | None
    scope: tuple[str, ...]
    contents: tuple[tuple[str, str], ...]
    date_width: int
    sources: tuple[Listed, ...]

    def when(self) -> str:
        return when(self.as_of, self.known_at)


def when(as_of: date, known_at: datetime | None) -> str:
    """'As of 24 Nov 2026', plus what the log held when --known-at was given."""
    text = f"As of {as_of.day} {as_of:%b %Y}"
    if known_at is not None:
        text += f", as known on {known_at:%Y-%m-%d %H:%M} UTC"
    return text


def timeline_of(
    tracker: Tracker,
    refs: Sequence[str] | None = None,
    *,
    country: str | None = None,
    system: str | None = None,
    start: date | None = None,
    end: date | None = None,
    as_of: date | None = None,
    known_at: datetime | None = None,
    scope: Sequence[str] = (),
    title: str = "Procurement timeline",
    flt: ContractFilter | None = None,
) -> TimelineReport:
    """Read the programmes ``flt`` selects (of ``refs``; ``country`` and ``system`` narrow
    it further) and build their report (a read: nothing is written)."""
    found = tracker.programmes(
        refs or None,
        country=country,
        system=system,
        flt=flt,
        start=start,
        end=end,
        as_of=as_of,
        known_at=known_at,
    )
    return build_timeline(
        found, today=tracker.today(), as_of=as_of, known_at=known_at, scope=scope, title=title
    )


def build_timeline(
    programmes: Sequence[Programme],
    *,
    today: date,
    as_of: date | None = None,
    known_at: datetime | None = None,
    scope: Sequence[str] = (),
    title: str = "Procurement timeline",
) -> TimelineReport:
    """The report of ``programmes``; citations are numbered across the whole report."""
    citations = Citations()
    # Every citation is known before any is marked: whether a URL needs letters ('3a')
    # depends on all the descriptions it is cited under.
    for programme in programmes:
        register(programme, citations)
    sections = tuple(section_of(p, citations) for p in programmes)
    return TimelineReport(
        title=title,
        as_of=as_of or today,
        as_of_given=as_of is not None,
        known_at=known_at,
        scope=tuple(scope),
        sections=sections,
        sources=citations.listed(),
    )


def register(programme: Programme, citations: Citations) -> None:
    """Register the programme's citations, in report order: each entry's, then its fixes'."""
    for entry in programme.entries:
        citations.register(entry.sources)
        for fix in entry.fixes:
            citations.register(fix.sources)


def section_of(programme: Programme, citations: Citations) -> Section:
    """The programme's section, its citations marked (registered before)."""
    status = programme.status
    produced = tuple(
        (view.joint_venture, c)
        for view in programme.production
        for c in view.contracts
        if c.contract == status.ref
    )
    lines = tuple(
        Line(
            status.ref,
            entry,
            citations.cite(entry.sources),
            tuple((fix, citations.cite(fix.sources)) for fix in entry.fixes),
        )
        for entry in programme.entries
    )
    return Section(
        status=status,
        schedule=programme.schedule,
        production=produced,
        completion=completion(status, programme.schedule, produced),
        lines=lines,
    )


def completion(
    status: ContractStatus,
    schedule: ScheduleView,
    produced: Sequence[tuple[str, ContractProduction]],
) -> Completion:
    """Projected from joint-venture output when there is one, else the latest due date."""
    if status.state == "completed":
        last = status.last_delivery
        since = f"last delivery {last.human()}" if last else "every unit delivered"
        return Completion("completed", last.latest if last else None, "complete", since)
    for jv, made in produced:
        if made.projected_completion is not None:
            day = made.projected_completion
            per_month = made.rate_per_month
            rate = f"{count_words(per_month, status.unit)} a month" if per_month else ""
            return Completion(
                "production",
                day,
                f"{day.day} {day:%b %Y}",
                f"projected from {jv}'s output at its recent rate"
                f" (reports at least six months apart), {rate}",
            )
    pending = [m for m in schedule.milestones if m.delivered is None and m.state != "cancelled"]
    if pending:
        last_due = max(pending, key=lambda m: m.due.sort_key[::-1]).due
        return Completion(
            "schedule",
            last_due.latest,
            last_due.human(),
            "the latest due date of the undelivered milestones",
        )
    return Completion("unknown", None, "unknown", "no undelivered milestone has a due date")


@dataclass(frozen=True, slots=True)
class Rendered:
    """A rendered report, and the files it links to (name beside the report -> bytes)."""

    text: str
    files: dict[str, bytes] = field(default_factory=dict)
