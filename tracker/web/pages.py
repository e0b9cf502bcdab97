"""The pages: deals (with CSV and JSON of the selection), a deal, its charts, and the log.

Each handler reads the query string, asks the service, and renders; handlers are plain
functions, which Starlette runs in its thread pool, as the service's reads are blocking.
"""

from __future__ import annotations

import csv
import io
import json
import threading
from collections import deque
from typing import TYPE_CHECKING, Any

from starlette.requests import Request
from starlette.responses import Response

from tracker.errors import TrackerError
from tracker.inert import inert, inert_json
from tracker.web import selection
from tracker.web.app import render
from tracker.web.query import AXES, NotFoundError, When, only, read_when, whole

if TYPE_CHECKING:
    from tracker.app import Tracker
    from tracker.reports.model import TimelineReport

#: The status fields a CSV row carries (the JSON carries every field).
CSV_FIELDS = (
    "ref", "system", "description", "buyer", "seller", "signed", "ordered", "delivered",
    "produced", "remaining", "unit", "percent", "value", "state", "last_delivery",
    "overdue_milestones", "as_of",
)  # fmt: skip
LOG_PAGE = 50
# matplotlib's rc settings are process-wide: one chart is drawn at a time.
_DRAWING = threading.Lock()


def _tracker(request: Request) -> Tracker:
    tracker: Tracker = request.app.state.tracker
    return tracker


def _page(request: Request, allowed: tuple[str, ...]) -> tuple[dict[str, str], When]:
    params = dict(request.query_params)
    only(params, allowed)
    return params, read_when(params)


def _common(request: Request, when: When, keep: dict[str, str]) -> dict[str, Any]:
    """What the layout needs: the view sentence, the axes and the parameters to keep."""
    return {
        "when": when,
        "sentence": when.sentence(_tracker(request).today()),
        "axes": when.raw,
        "path": request.url.path,
        "keep": {k: v for k, v in keep.items() if k not in AXES and k != "page"},
    }


def deals(request: Request) -> Response:
    params, when = _page(request, selection.PARAMS)
    chosen = selection.select(_tracker(request), params, when)
    return render(
        "deals.html.j2",
        sel=chosen,
        here={**when.raw, **chosen.chosen},
        facets=selection.FACETS,
        **_common(request, when, chosen.chosen),
    )


def deals_json(request: Request) -> Response:
    params, when = _page(request, selection.PARAMS)
    found = selection.everything(_tracker(request), params, when)
    text = json.dumps([s.model_dump(mode="json") for s in found], indent=2, ensure_ascii=False)
    return Response(inert_json(text), media_type="application/json")


def deals_csv(request: Request) -> Response:
    params, when = _page(request, selection.PARAMS)
    found = selection.everything(_tracker(request), params, when)
    out = io.StringIO()
    writer = csv.DictWriter(out, CSV_FIELDS, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    for status in found:
        row = status.model_dump(mode="json")
        writer.writerow({k: _cell(row[k]) for k in CSV_FIELDS})
    return Response(
        inert(out.getvalue()),
        media_type="text/csv; charset=utf-8",
        headers={"content-disposition": 'attachment; filename="deals.csv"'},
    )


def _cell(value: object) -> str:
    return "" if value is None else str(value)


def deal(request: Request) -> Response:
    _, when = _page(request, ())
    report = _report(request, when)
    section = report.sections[0]
    from tracker.reports.charts import charts_for
    from tracker.reports.facts import header_facts

    return render(
        "deal.html.j2",
        report=report,
        section=section,
        facts=header_facts(section),
        charts=[c.caption for c in charts_for(section)],
        **_common(request, when, {}),
    )


def chart(request: Request) -> Response:
    _, when = _page(request, ())
    section = _report(request, when).sections[0]
    from tracker.reports import charts as drawing

    found = drawing.charts_for(section)
    number = request.path_params["number"]
    if not 1 <= number <= len(found):
        raise NotFoundError(f"{section.ref} has no chart {number}")
    with _DRAWING:
        svg = drawing.svg(found[number - 1])
    return Response('<?xml version="1.0" encoding="utf-8"?>\n' + svg, media_type="image/svg+xml")


def _report(request: Request, when: When) -> TimelineReport:
    """The deal's report, as a timeline report has it; 404 for a ref not known in the view."""
    from tracker.reports.model import timeline_of

    ref = request.path_params["ref"]
    try:
        report = timeline_of(
            _tracker(request), [ref], as_of=when.as_of, known_at=when.known_at, title=ref
        )
    except TrackerError as e:
        raise NotFoundError(f"No deal '{ref}' in this view ({e})") from e
    if len(report.sections) != 1 or report.sections[0].ref != ref:
        raise NotFoundError(f"No deal '{ref}' in this view")
    return report


def log(request: Request) -> Response:
    params, when = _page(request, ("after", "per"))
    tracker = _tracker(request)
    per = whole(params, "per", LOG_PAGE, 1, 500)
    checked, _ = tracker.verify()
    last = _last_position(tracker, when) if when.known_at else checked.head_position
    after = whole(params, "after", max(0, last - per), 0, max(last, 0))
    from tracker.eventlog import EventFilter

    entries = tracker.event_log(when.known_at).entries(EventFilter(after=after, limit=per))
    return render(
        "log.html.j2",
        entries=entries,
        checked=checked,
        after=after,
        per=per,
        last=last,
        deal_of=deal_of,
        sources_of=sources_of,
        **_common(request, when, {"per": params.get("per", "")}),
    )


def _last_position(tracker: Tracker, when: When) -> int:
    """The position of the last event the log held at ``when.known_at``."""
    newest = deque(tracker.events(known_at=when.known_at), maxlen=1)
    return newest[0].position if newest else 0


def deal_of(stream_id: str) -> str | None:
    """The deal an event belongs to, when its stream is a contract's."""
    kind, _, ref = stream_id.partition(":")
    return ref if kind == "contract" and ref else None


def sources_of(metadata: dict[str, Any]) -> list[dict[str, Any]]:
    """The sources an event cites, as stored (title, publisher, url may each be absent)."""
    found = metadata.get("sources")
    return [s for s in found if isinstance(s, dict)] if isinstance(found, list) else []
